/**
 * Synthetic Raft trace sequences for the timeline's tests: events shaped like node-core's
 * trace events (node-core/src/raft/trace.ts), naming peers by Raft id as the real stream
 * does, wrapped in the lab's `raft` LabEvent. Test-only.
 */
import type { LabEvent, LabEventBody, NodeId } from '../../../electron/lab/api'
import { nodeIdOf } from '../../../electron/lab/api'
import { makeCluster, makeNode } from './fake-lab'

/** The Raft id of a member address, as node-core derives it (via the LabApi contract). */
export function raftIdOfAddress(address: string): number {
  return nodeIdOf(address)
}

const raftIds = new Map<NodeId, number>()
export function raftIdOf(node: NodeId): number {
  let id = raftIds.get(node)
  if (id === undefined) {
    id = raftIdOfAddress(makeNode(node).address)
    raftIds.set(node, id)
  }
  return id
}

let seq = 0
const stampAt = (body: LabEventBody, ts: number): LabEvent => ({ ...body, seq: ++seq, ts }) as LabEvent

/** One node's trace event at `t` (peer fields given as lab ids, turned into Raft ids here). */
export function raft(node: NodeId, t: number, event: { type: string } & Record<string, unknown>): LabEvent {
  return stampAt({ type: 'raft', nodeId: node, nodeSeq: ++seq, nodeTs: t, event: { ...event, node: raftIdOf(node) } }, t + 3)
}

export const lab = (body: LabEventBody, t: number): LabEvent => stampAt(body, t)

export const role = (node: NodeId, t: number, from: string, to: string, term: number, lead = 0): LabEvent =>
  raft(node, t, { type: 'roleChanged', from, to, term, lead: lead ? raftIdOf(lead) : 0 })
export const termChanged = (node: NodeId, t: number, from: number, to: number): LabEvent => raft(node, t, { type: 'termChanged', from, to })
export const voteRequested = (node: NodeId, t: number, to: NodeId, term: number, preVote = false): LabEvent =>
  raft(node, t, { type: 'voteRequested', to: raftIdOf(to), term, preVote, lastIndex: 0, lastTerm: 0 })
export const voteGranted = (node: NodeId, t: number, candidate: NodeId, term: number, preVote = false): LabEvent =>
  raft(node, t, { type: 'voteGranted', candidate: raftIdOf(candidate), term, preVote })
export const voteRejected = (node: NodeId, t: number, candidate: NodeId, term: number, preVote = false, reason = 'already voted for 1'): LabEvent =>
  raft(node, t, { type: 'voteRejected', candidate: raftIdOf(candidate), term, preVote, reason })
export const electionWon = (node: NodeId, t: number, term: number, votes: NodeId[], preVote = false): LabEvent =>
  raft(node, t, { type: 'electionWon', term, preVote, votes: votes.map(raftIdOf) })
export const msgSent = (node: NodeId, t: number, to: NodeId, msg: string, term: number, index = 0, reject = false): LabEvent =>
  raft(node, t, { type: 'msgSent', to: raftIdOf(to), msg, term, index, entries: 0, reject })
export const msgReceived = (node: NodeId, t: number, from: NodeId, msg: string, term: number, index = 0, reject = false): LabEvent =>
  raft(node, t, { type: 'msgReceived', from: raftIdOf(from), msg, term, index, entries: 0, reject })

/** A cluster.created event for `size` nodes (addresses as the fake lab makes them). */
export const created = (size: number, t: number, runId = 'run-1'): LabEvent => lab({ type: 'cluster.created', cluster: makeCluster(size, { runId }) }, t)

/** Every node spawned at `t`. */
export const spawnedAll = (size: number, t: number): LabEvent[] =>
  Array.from({ length: size }, (_, i) => lab({ type: 'node.spawned', nodeId: i + 1, pid: 4000 + i }, t))

/**
 * A clean election of `leader` in `term` at `t`, in a cluster of `size`: it times out, asks
 * everyone, every other node grants, it wins 5 ms later. Messages included.
 */
export function election(size: number, leader: NodeId, term: number, t: number, opts: { preVote?: boolean; absent?: NodeId[] } = {}): LabEvent[] {
  // Absent nodes (dead, cut off) neither hear the candidate nor answer.
  const others = Array.from({ length: size }, (_, i) => i + 1).filter((n) => n !== leader && !opts.absent?.includes(n))
  const out: LabEvent[] = [termChanged(leader, t, term - 1, term), role(leader, t, 'follower', 'candidate', term)]
  for (const o of others) {
    out.push(voteRequested(leader, t + 0.1, o, term, opts.preVote), msgSent(leader, t + 0.1, o, 'MsgVote', term))
  }
  for (const o of others) {
    out.push(
      msgReceived(o, t + 1, leader, 'MsgVote', term),
      termChanged(o, t + 1, term - 1, term),
      voteGranted(o, t + 1, leader, term),
      msgSent(o, t + 1, leader, 'MsgVoteResp', term)
    )
  }
  for (const o of others) out.push(msgReceived(leader, t + 2, o, 'MsgVoteResp', term))
  out.push(electionWon(leader, t + 2, term, [leader, ...others]), role(leader, t + 2, 'candidate', 'leader', term))
  return out
}
