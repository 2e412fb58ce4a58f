/**
 * Fixtures for the replication view's tests: log windows, node statuses with per-peer
 * progress, and Raft trace events as the lab forwards them. Test-only.
 */
import type { LabEventBody, LogEntryView, LogWindow, NodeInfo, NodeRaftView, NodeStatus, PeerProgress, RaftRole } from '../../../electron/lab/api'
import { nodeIdOf } from '../../../electron/lab/api'

/** The Raft id of a node's member address, as trace events carry it (node-core's rule, via the contract). */
export function raftIdOf(n: Pick<NodeInfo, 'address'>): number {
  return nodeIdOf(n.address)
}

/** Entries `from..to`; `termOf(index)` picks each term (default: term 1). */
export function entries(from: number, to: number, termOf: (index: number) => number = () => 1): LogEntryView[] {
  const out: LogEntryView[] = []
  for (let index = from; index <= to; index++) {
    out.push({ index, term: termOf(index), type: 'normal', bytes: 40 + index, text: `config.publish public/DEFAULT_GROUP/app-${index}.yaml` })
  }
  return out
}

export function logWindow(o: { first?: number; last: number; commit?: number; applied?: number; termOf?: (i: number) => number; from?: number }): LogWindow {
  const first = o.first ?? 1
  const from = Math.max(first, o.from ?? first)
  return {
    firstIndex: first,
    lastIndex: o.last,
    commit: o.commit ?? o.last,
    applied: o.applied ?? o.commit ?? o.last,
    entries: entries(from, o.last, o.termOf)
  }
}

export function progress(address: string, o: Partial<PeerProgress> = {}): PeerProgress {
  return { address, match: 0, next: 1, state: 'replicate', inflight: 0, paused: false, recentActive: true, isLearner: false, ...o }
}

export function nodeStatus(node: Pick<NodeInfo, 'address'>, o: Partial<NodeStatus> & { role?: RaftRole } = {}): NodeStatus {
  return {
    address: node.address,
    id: raftIdOf(node),
    pid: 4000,
    startedAt: 1,
    role: 'follower',
    term: 1,
    vote: null,
    leader: null,
    commit: 0,
    applied: 0,
    lastIndex: 0,
    firstIndex: 1,
    snapshotIndex: 0,
    voters: [],
    learners: [],
    leadTransferee: null,
    progress: [],
    counts: { services: 0, instances: 0, healthyInstances: 0, configs: 0, listeners: 0 },
    ...o
  }
}

export function raftView(nodeId: number, status: NodeStatus | null, error: string | null = null): NodeRaftView {
  return { nodeId, status, error: status ? null : (error ?? 'not running (down)') }
}

/** A `raft` LabEvent body: `event.node` is the sender's Raft id, as node-core traces it. */
export function raftEvent(node: Pick<NodeInfo, 'id' | 'address'>, event: { type: string } & Record<string, unknown>, nodeSeq = 1): LabEventBody {
  return { type: 'raft', nodeId: node.id, nodeSeq, nodeTs: Date.now(), event: { ...event, node: raftIdOf(node) } }
}
