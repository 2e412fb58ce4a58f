import { describe, expect, it } from 'vitest'
import type { NodeRaftView, NodeStatus } from '../../../electron/lab/api'
import { makeNode } from '../testing/fake-lab'
import { raftIdOf } from '../testing/map-fixtures'
import { applyMetrics, applyRaftEvent, applyStatus, currentLeader, displayRole, emptyFacts, highestTerm, markDown } from './raft-model'

const nodes = [1, 2, 3].map((id) => makeNode(id))
const raftId = (id: number): number => raftIdOf(nodes[id - 1]!.address)

function status(id: number, over: Partial<NodeStatus> = {}): NodeStatus {
  return {
    address: nodes[id - 1]!.address,
    id: raftId(id),
    pid: 4000 + id,
    startedAt: 1,
    role: 'follower',
    term: 2,
    vote: null,
    leader: nodes[0]!.address,
    commit: 10,
    applied: 9,
    lastIndex: 11,
    firstIndex: 1,
    snapshotIndex: 0,
    voters: nodes.map((n) => n.address),
    learners: [],
    leadTransferee: null,
    progress: [],
    counts: { services: 0, instances: 0, healthyInstances: 0, configs: 0, listeners: 0 },
    ...over
  }
}

const view = (nodeId: number, st: NodeStatus | null, error: string | null = null): NodeRaftView => ({ nodeId, status: st, error })
const ev = (type: string, fields: Record<string, unknown>) => ({ type, node: 0, ...fields })

describe('applyStatus', () => {
  it('takes role, term, leader (as a lab id) and indexes from a node report', () => {
    const f = applyStatus(emptyFacts(2), view(2, status(2)), nodes, 100)
    expect(f).toMatchObject({ role: 'follower', term: 2, leaderId: 1, commit: 10, applied: 9, lastIndex: 11, learner: false, error: null, updatedAt: 100 })
    const l = applyStatus(emptyFacts(1), view(1, status(1, { role: 'leader' })), nodes, 100)
    expect(l.leaderId).toBe(1)
  })

  it('marks a learner from the learners list', () => {
    const f = applyStatus(emptyFacts(3), view(3, status(3, { learners: [nodes[2]!.address] })), nodes, 1)
    expect(f.learner).toBe(true)
    expect(displayRole(nodes[2]!.state === 'stopped' ? { state: 'up' } : nodes[2]!, f)).toBe('learner')
  })

  it('clears the role but keeps the last term when the node does not answer', () => {
    const before = applyStatus(emptyFacts(2), view(2, status(2, { term: 5 })), nodes, 1)
    const f = applyStatus(before, view(2, null, 'paused (SIGSTOP)'), nodes, 2)
    expect(f).toMatchObject({ role: null, leaderId: null, term: 5, error: 'paused (SIGSTOP)' })
  })

  it('never takes a term back, and keeps role events newer than the question', () => {
    const elected = applyRaftEvent(emptyFacts(2), ev('roleChanged', { from: 'candidate', to: 'leader', term: 3, lead: raftId(2) }), nodes, 50)
    // An answer to a poll asked before the election, still saying follower of term 3.
    const stale = applyStatus(elected, view(2, status(2, { term: 3, role: 'candidate' })), nodes, 60, 40)
    expect(stale.role).toBe('leader')
    // A lower term never wins.
    expect(applyStatus(elected, view(2, status(2, { term: 2 })), nodes, 70, 65).term).toBe(3)
    // A newer answer (asked after the event) is the truth.
    expect(applyStatus(elected, view(2, status(2, { term: 3, role: 'follower' })), nodes, 80, 75).role).toBe('follower')
  })
})

describe('applyRaftEvent', () => {
  it('updates role, term and leader at once on roleChanged', () => {
    const f = applyRaftEvent(emptyFacts(3), ev('roleChanged', { from: 'follower', to: 'follower', term: 4, lead: raftId(2) }), nodes, 10)
    expect(f).toMatchObject({ role: 'follower', term: 4, leaderId: 2, roleAt: 10 })
    const c = applyRaftEvent(f, ev('roleChanged', { from: 'follower', to: 'precandidate', term: 4, lead: 0 }), nodes, 11)
    expect(c).toMatchObject({ role: 'precandidate', term: 4, leaderId: null })
  })

  it('raises the term on termChanged, never lowers it', () => {
    const f = applyRaftEvent({ ...emptyFacts(1), term: 3, role: 'follower', leaderId: 2 }, ev('termChanged', { from: 3, to: 4 }), nodes, 5)
    expect(f).toMatchObject({ term: 4, leaderId: null })
    expect(applyRaftEvent(f, ev('termChanged', { from: 4, to: 2 }), nodes, 6)).toBe(f)
  })

  it('counts heartbeats and appends from the leader as contact, not other messages', () => {
    const base = emptyFacts(2)
    const hb = applyRaftEvent(base, ev('msgReceived', { from: raftId(1), msg: 'MsgHeartbeat', term: 2 }), nodes, 1234)
    expect(hb).toMatchObject({ lastHeartbeatAt: 1234, leaderId: 1 })
    expect(applyRaftEvent(hb, ev('msgReceived', { from: raftId(1), msg: 'MsgApp' }), nodes, 1300).lastHeartbeatAt).toBe(1300)
    expect(applyRaftEvent(hb, ev('msgReceived', { from: raftId(3), msg: 'MsgVote' }), nodes, 1400)).toBe(hb)
  })

  it('moves the commit index forward only, and follows learner changes', () => {
    const f = applyRaftEvent({ ...emptyFacts(1), commit: 5 }, ev('commitAdvanced', { from: 5, to: 8 }), nodes, 1)
    expect(f.commit).toBe(8)
    expect(applyRaftEvent(f, ev('commitAdvanced', { from: 8, to: 7 }), nodes, 2)).toBe(f)
    const learner = applyRaftEvent(f, ev('confChanged', { config: { voters: [raftId(2)], learners: [raftId(1)] } }), nodes, 3)
    expect(learner.learner).toBe(true)
    expect(applyRaftEvent(learner, ev('confChanged', { config: { voters: [raftId(1)], learners: [] } }), nodes, 4).learner).toBe(false)
  })

  it('ignores events it does not use', () => {
    const f = emptyFacts(1)
    expect(applyRaftEvent(f, ev('voteRequested', { to: 2 }), nodes, 1)).toBe(f)
  })
})

describe('metrics, down and leader', () => {
  it('takes CPU and memory from a metrics sample, and drops them when the node goes down', () => {
    const sample = { at: 1, intervalMs: 1000, cluster: {} as never, nodes: [{ nodeId: 2, cpuPct: 12.5, rssBytes: 50_000_000 } as never] }
    const f = applyMetrics(emptyFacts(2), sample)
    expect(f).toMatchObject({ cpuPct: 12.5, rssBytes: 50_000_000 })
    expect(applyMetrics(emptyFacts(3), sample)).toEqual(emptyFacts(3))
    const down = markDown({ ...f, role: 'leader', term: 4, leaderId: 2 })
    expect(down).toMatchObject({ role: null, leaderId: null, term: 4, cpuPct: null, rssBytes: null })
  })

  it('picks the running leader with the highest term', () => {
    const facts = [
      { ...emptyFacts(1), role: 'leader' as const, term: 2 },
      { ...emptyFacts(2), role: 'leader' as const, term: 3 },
      { ...emptyFacts(3), role: 'follower' as const, term: 3 }
    ]
    expect(currentLeader(facts, new Set([1, 2, 3]))).toEqual({ id: 2, term: 3 })
    expect(currentLeader(facts, new Set([1, 3]))).toEqual({ id: 1, term: 2 })
    expect(currentLeader(facts, new Set([3]))).toBeNull()
    expect(highestTerm(facts)).toBe(3)
    expect(highestTerm([emptyFacts(1)])).toBeNull()
  })

  it('shows the process state before the Raft role', () => {
    const f = { ...emptyFacts(1), role: 'leader' as const }
    expect(displayRole({ state: 'down' }, f)).toBe('down')
    expect(displayRole({ state: 'stopped' }, f)).toBe('down')
    expect(displayRole({ state: 'paused' }, f)).toBe('paused')
    expect(displayRole({ state: 'starting' }, undefined)).toBe('starting')
    expect(displayRole({ state: 'up' }, f)).toBe('leader')
    expect(displayRole({ state: 'up' }, emptyFacts(1))).toBe('unknown')
  })
})
