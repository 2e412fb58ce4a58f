import { describe, expect, it } from 'vitest'
import { labNodeOfRaftId, type LabEvent } from '../../../electron/lab/api'
import { makeCluster } from '../testing/fake-lab'
import {
  created,
  election,
  electionWon,
  lab,
  msgReceived,
  msgSent,
  raftIdOf,
  role,
  spawnedAll,
  termChanged,
  voteGranted,
  voteRejected,
  voteRequested
} from '../testing/timeline-fixtures'
import {
  createTimelineModel,
  K_EXTRA,
  K_FLAGS,
  K_KIND,
  K_NODE,
  K_PEER,
  K_REASON,
  M_END,
  M_FROM,
  M_SEND,
  M_STATUS,
  M_TO,
  M_TYPE,
  markKindCode,
  messageCode,
  MSG_STATUS,
  FLAG_PREVOTE,
  type TimelineModel
} from './timeline-model'

const T0 = 1_700_000_000_000

function started(size = 3): TimelineModel {
  const m = createTimelineModel()
  m.apply([created(size, T0), ...spawnedAll(size, T0 + 10)])
  return m
}

const crash = (node: number, t: number): LabEvent[] => [
  lab({ type: 'fault.injected', kind: 'crash', nodeId: node }, t - 1),
  lab({ type: 'node.exited', nodeId: node, pid: 4000 + node - 1, code: null, signal: 'SIGKILL', expected: false }, t)
]

describe('fixtures', () => {
  it('name peers by the Raft ids the lab maps back to lab nodes', () => {
    const nodes = makeCluster(3).nodes
    expect([1, 2, 3].map((n) => labNodeOfRaftId(nodes, raftIdOf(n)))).toEqual([1, 2, 3])
  })
})

describe('timeline model: lanes and bands', () => {
  it('gives every member a lane and starts spawned nodes as followers', () => {
    const m = started()
    expect(m.lanes()).toEqual([1, 2, 3])
    const bands = m.bands()
    expect(bands.map((b) => [b.node, b.state, b.start, b.end])).toEqual([
      [1, 'follower', T0 + 10, null],
      [2, 'follower', T0 + 10, null],
      [3, 'follower', T0 + 10, null]
    ])
  })

  it('colours an election: follower → candidate → leader, with the terms on the bands', () => {
    const m = started()
    m.apply(election(3, 2, 1, T0 + 300))
    const lane2 = m.bands().filter((b) => b.node === 2)
    // The term changes and the candidacy starts at the same instant: no empty band between.
    expect(lane2.map((b) => [b.state, b.term, b.start])).toEqual([
      ['follower', 0, T0 + 10],
      ['candidate', 1, T0 + 300],
      ['leader', 1, T0 + 302]
    ])
    const lane1 = m.bands().filter((b) => b.node === 1)
    expect(lane1.at(-1)).toMatchObject({ state: 'follower', term: 1, start: T0 + 301, end: null })
    expect(m.leader()).toBe(2)
    expect(m.leaderTerm()).toBe(1)
    // Startup is not a leader change: no leaderless gap to report yet.
    expect(m.gaps()).toHaveLength(0)
  })

  it('places late Raft events by their own time, before the exit that arrived first', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply(crash(3, T0 + 1000))
    // Node 3's last term change happened before it died but reached us after the exit.
    m.apply([termChanged(3, T0 + 900, 1, 2)])
    const lane3 = m.bands().filter((b) => b.node === 3)
    expect(lane3.slice(-2).map((b) => [b.state, b.term, b.start, b.end])).toEqual([
      ['follower', 2, T0 + 900, T0 + 1000],
      ['down', 2, T0 + 1000, null]
    ])
  })

  it('shows paused and restarted stretches', () => {
    const m = started()
    m.apply([lab({ type: 'node.paused', nodeId: 1, pid: 4000 }, T0 + 100)])
    m.apply([lab({ type: 'node.resumed', nodeId: 1, pid: 4000, pausedMs: 400 }, T0 + 500)])
    m.apply(crash(2, T0 + 600))
    m.apply([lab({ type: 'node.spawned', nodeId: 2, pid: 5000 }, T0 + 900)])
    expect(m.bands().filter((b) => b.node === 1).map((b) => b.state)).toEqual(['follower', 'paused', 'follower'])
    expect(m.bands().filter((b) => b.node === 2).map((b) => [b.state, b.start])).toEqual([
      ['follower', T0 + 10],
      ['down', T0 + 600],
      ['follower', T0 + 900]
    ])
  })
})

describe('timeline model: leaders and leaderless time', () => {
  it('measures the time without a leader from the leader crash to the next election', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply(crash(1, T0 + 2000))
    expect(m.leader()).toBeNull()
    // Measured from the crash itself (the fault), not from the exit noticed a moment later.
    expect(m.leaderlessSince()).toBe(T0 + 1999)
    m.apply(election(3, 3, 2, T0 + 2250, { absent: [1] }))
    expect(m.leader()).toBe(3)
    expect(m.gaps()).toEqual([
      { from: T0 + 1999, to: T0 + 2252, ms: 253, oldLeader: 1, oldTerm: 1, newLeader: 3, newTerm: 2, cause: 'crash' }
    ])
    expect(m.leaderlessSince()).toBeNull()
    const leaderships = m.leaderships()
    expect(leaderships.map((l) => [l.node, l.term, l.start, l.end])).toEqual([
      [1, 1, T0 + 102, T0 + 1999],
      [3, 2, T0 + 2252, null]
    ])
  })

  it('measures from the step-down when a leader gives up (check quorum)', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply([role(1, T0 + 3000, 'leader', 'follower', 1)])
    expect(m.leader()).toBeNull()
    m.apply(election(3, 2, 2, T0 + 3300))
    expect(m.gaps()[0]).toMatchObject({ from: T0 + 3000, to: T0 + 3302, ms: 302, cause: 'stepDown', oldLeader: 1, newLeader: 2 })
  })

  it('measures a cut-off leader from the last time anyone heard it', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply([msgSent(1, T0 + 1000, 2, 'MsgHeartbeat', 1), msgReceived(2, T0 + 1001, 1, 'MsgHeartbeat', 1)])
    // The leader keeps sending into the cut; nobody receives.
    m.apply([msgSent(1, T0 + 1100, 2, 'MsgHeartbeat', 1)])
    m.apply(election(3, 2, 2, T0 + 1500, { absent: [1] }))
    expect(m.gaps()[0]).toMatchObject({ from: T0 + 1001, to: T0 + 1502, ms: 501, cause: 'lostContact', oldLeader: 1 })
    expect(m.leader()).toBe(2)
  })

  it('records a split vote: two candidates, nobody wins, a later term elects', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply(crash(1, T0 + 1000))
    m.apply([
      termChanged(2, T0 + 1200, 1, 2),
      role(2, T0 + 1200, 'follower', 'candidate', 2),
      termChanged(3, T0 + 1201, 1, 2),
      role(3, T0 + 1201, 'follower', 'candidate', 2),
      voteRequested(2, T0 + 1200, 3, 2),
      voteRequested(3, T0 + 1201, 2, 2),
      voteRejected(3, T0 + 1202, 2, 2, false, 'already voted for 3'),
      voteRejected(2, T0 + 1202, 3, 2, false, 'already voted for 2')
    ])
    expect(m.leader()).toBeNull()
    expect(m.gaps()).toHaveLength(0)
    const rejected = m.marks().filter((k) => k[K_KIND] === markKindCode('voteRejected'))
    expect(rejected.map((k) => [k[K_NODE], k[K_PEER], m.reasons()[k[K_REASON]]])).toEqual([
      [3, 2, 'already voted for 3'],
      [2, 3, 'already voted for 2']
    ])
    m.apply(election(3, 3, 3, T0 + 1600, { absent: [1] }))
    expect(m.gaps()[0]).toMatchObject({ from: T0 + 999, to: T0 + 1602, ms: 603, newTerm: 3, newLeader: 3 })
    // Both candidates show their candidacy in term 2 on their lanes.
    expect(m.bands().filter((b) => b.state === 'candidate' && b.term === 2).map((b) => b.node)).toEqual([2, 3])
  })

  it('keeps pre-vote marks apart and does not take a won pre-vote for a leader', () => {
    const m = started()
    m.apply([
      role(2, T0 + 100, 'follower', 'precandidate', 0),
      voteRequested(2, T0 + 100, 1, 1, true),
      voteRequested(2, T0 + 100, 3, 1, true),
      voteRejected(1, T0 + 101, 2, 1, true, 'leader lease'),
      voteGranted(3, T0 + 101, 2, 1, true),
      electionWon(2, T0 + 102, 1, [2, 3], true)
    ])
    expect(m.leader()).toBeNull()
    const preMarks = m.marks().filter((k) => (k[K_FLAGS] & FLAG_PREVOTE) !== 0)
    expect(preMarks).toHaveLength(5)
    const rej = m.marks().find((k) => k[K_KIND] === markKindCode('voteRejected'))!
    expect(m.reasons()[rej[K_REASON]]).toBe('leader lease')
    const won = m.marks().find((k) => k[K_KIND] === markKindCode('electionWon'))!
    expect(won[K_EXTRA]).toBe(2)
    expect(m.bands().find((b) => b.node === 2 && b.state === 'precandidate')).toBeDefined()
  })
})

describe('timeline model: messages (Lamport arrows)', () => {
  it('pairs each send with its receive', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    const msgs = m.messages()
    const votes = msgs.filter((x) => x[M_TYPE] === messageCode('MsgVote'))
    expect(votes.map((x) => [x[M_FROM], x[M_TO], x[M_SEND], x[M_END], x[M_STATUS]])).toEqual([
      [1, 2, T0 + 100.1, T0 + 101, MSG_STATUS.delivered],
      [1, 3, T0 + 100.1, T0 + 101, MSG_STATUS.delivered]
    ])
    const resps = msgs.filter((x) => x[M_TYPE] === messageCode('MsgVoteResp'))
    expect(resps.map((x) => [x[M_FROM], x[M_TO], x[M_STATUS]])).toEqual([
      [2, 1, MSG_STATUS.delivered],
      [3, 1, MSG_STATUS.delivered]
    ])
  })

  it('does not pair a receive with a dropped heartbeat sent before the one that arrived', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply([
      msgSent(1, T0 + 1000, 2, 'MsgHeartbeat', 1),
      msgSent(1, T0 + 1100, 2, 'MsgHeartbeat', 1),
      msgReceived(2, T0 + 1101, 1, 'MsgHeartbeat', 1)
    ])
    const hb = m.messages().filter((x) => x[M_TYPE] === messageCode('MsgHeartbeat'))
    expect(hb.map((x) => [x[M_SEND], x[M_END], x[M_STATUS]])).toEqual([
      [T0 + 1000, T0 + 1000, MSG_STATUS.unknown],
      [T0 + 1100, T0 + 1101, MSG_STATUS.delivered]
    ])
  })

  it('marks a send into a cut link as lost once its flight time is over, and heals', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply([lab({ type: 'link.fault', kind: 'peer', from: 1, to: 3, fault: { cut: 'blackhole', delayMs: 0, jitterMs: 0, dropPct: 0, dupPct: 0 } }, T0 + 500)])
    m.apply([msgSent(1, T0 + 600, 3, 'MsgHeartbeat', 1)])
    expect(m.messages().at(-1)![M_STATUS]).toBe(MSG_STATUS.pending)
    // Time moves on (any later event): the send is given up on.
    m.apply([msgSent(1, T0 + 600 + m.limits.flightGraceMs + 1, 2, 'MsgHeartbeat', 1)])
    const cut = m.messages().find((x) => x[M_SEND] === T0 + 600)!
    expect(cut[M_STATUS]).toBe(MSG_STATUS.lost)
    expect(m.faults()).toEqual([expect.objectContaining({ node: 1, peer: 3, kind: 'peer', start: T0 + 500, end: null })])
    m.apply([lab({ type: 'link.healed', kind: 'peer', from: 1, to: 3 }, T0 + 5000)])
    expect(m.faults()[0]!.end).toBe(T0 + 5000)
  })

  it('waits out a configured link delay before pairing', () => {
    const m = started()
    m.apply([lab({ type: 'link.fault', kind: 'peer', from: 1, to: 2, fault: { cut: 'none', delayMs: 500, jitterMs: 0, dropPct: 0, dupPct: 0 } }, T0 + 50)])
    m.apply([msgSent(1, T0 + 100, 2, 'MsgHeartbeat', 1), msgSent(1, T0 + 200, 2, 'MsgHeartbeat', 1)])
    m.apply([msgReceived(2, T0 + 601, 1, 'MsgHeartbeat', 1)])
    const hb = m.messages()
    expect(hb.map((x) => [x[M_SEND], x[M_STATUS]])).toEqual([
      [T0 + 100, MSG_STATUS.delivered],
      [T0 + 200, MSG_STATUS.pending]
    ])
    expect(hb[0]![M_END]).toBe(T0 + 601)
  })

  it('shows a receive whose send was sampled out on its own, and counts the sampling', () => {
    const m = started()
    m.apply([msgReceived(2, T0 + 100, 1, 'MsgApp', 1, 7)])
    expect(m.messages()[0]![M_STATUS]).toBe(MSG_STATUS.orphan)
    expect(m.isSampled()).toBe(false)
    m.apply([lab({ type: 'trace.sampled', nodeId: 1, kept: 150, skipped: 350 }, T0 + 1000)])
    m.apply([lab({ type: 'trace.sampled', nodeId: 2, kept: 150, skipped: 50 }, T0 + 1000)])
    expect(m.isSampled()).toBe(true)
    expect(m.sampled()).toEqual({ kept: 300, skipped: 400 })
  })

  it('pairs a receive with its send when the sender\'s trace arrives late', () => {
    const m = started()
    m.apply([msgReceived(2, T0 + 101, 1, 'MsgApp', 1, 7)])
    expect(m.messages()[0]![M_STATUS]).toBe(MSG_STATUS.orphan)
    m.apply([msgSent(1, T0 + 100, 2, 'MsgApp', 1, 7)])
    expect(m.messages()).toHaveLength(1)
    expect(m.messages()[0]!.slice(0, 4)).toEqual([T0 + 100, T0 + 101, 1, 2])
    expect(m.messages()[0]![M_STATUS]).toBe(MSG_STATUS.delivered)
  })

  it('shows trace gaps as marks, never hides them', () => {
    const m = started()
    m.apply([lab({ type: 'trace.gap', nodeId: 2, fromSeq: 10, toSeq: 19, missing: 10 }, T0 + 100)])
    const gap = m.marks().find((k) => k[K_KIND] === markKindCode('traceGap'))!
    expect([gap[K_NODE], gap[K_EXTRA]]).toEqual([2, 10])
  })
})

describe('timeline model: rings', () => {
  it('keeps at most the configured number of messages and says how many were dropped', () => {
    const m = createTimelineModel({ maxMessages: 100 })
    m.apply([created(3, T0), ...spawnedAll(3, T0)])
    const batch: LabEvent[] = []
    for (let i = 0; i < 500; i++) batch.push(msgSent(1, T0 + i, 2, 'MsgApp', 1, i), msgReceived(2, T0 + i + 0.5, 1, 'MsgApp', 1, i))
    m.apply(batch)
    expect(m.messages().length).toBeLessThanOrEqual(110)
    expect(m.messages().at(-1)![M_SEND]).toBe(T0 + 499)
    expect(m.dropped().messages).toBeGreaterThanOrEqual(390)
    expect(m.dropped().before).toBeGreaterThan(T0)
    expect(m.firstTime()).toBe(m.dropped().before)
  })

  it('lets go of everything older than the horizon, keeping the lane state it left', () => {
    const m = createTimelineModel({ horizonMs: 10_000 })
    m.apply([created(3, T0), ...spawnedAll(3, T0)])
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply([msgSent(1, T0 + 200, 2, 'MsgHeartbeat', 1), msgReceived(2, T0 + 201, 1, 'MsgHeartbeat', 1)])
    m.apply([msgSent(1, T0 + 60_000, 2, 'MsgHeartbeat', 1)])
    expect(m.messages().every((x) => x[M_SEND] >= T0 + 50_000)).toBe(true)
    expect(m.marks()).toHaveLength(0)
    expect(m.dropped().marks).toBeGreaterThan(0)
    // Node 1 still shows as the term-1 leader it became before the horizon.
    expect(m.bands().filter((b) => b.node === 1).at(-1)).toMatchObject({ state: 'leader', term: 1, end: null })
    expect(m.leader()).toBe(1)
  })

  it('starts over when the cluster snapshot names another run than the one drawn', () => {
    const m = createTimelineModel()
    m.setMembers(makeCluster(3).nodes, 'run-1')
    m.apply(election(3, 1, 1, T0 + 100))
    m.setMembers(makeCluster(3).nodes, 'run-1')
    expect(m.leader()).toBe(1)
    m.apply([created(3, T0 + 9000, 'run-9')])
    expect(m.leader()).toBeNull()
    expect(m.marks()).toHaveLength(0)
    expect(m.lanes()).toEqual([1, 2, 3])
  })

  it('starts over for a new run and on reset', () => {
    const m = started()
    m.apply(election(3, 1, 1, T0 + 100))
    m.apply([created(5, T0 + 5000, 'run-2')])
    expect(m.lanes()).toEqual([1, 2, 3, 4, 5])
    expect(m.marks()).toHaveLength(0)
    expect(m.leader()).toBeNull()
    m.reset()
    expect(m.lanes()).toEqual([])
    expect(m.lastTime()).toBeNull()
  })
})

describe('timeline model: endpoints', () => {
  it('draws an unknown peer nowhere rather than on a wrong lane', () => {
    const m = started()
    m.apply([raftEventTo(9_999)])
    expect(m.messages()).toHaveLength(0)
  })
})

function raftEventTo(raftId: number): LabEvent {
  return { type: 'raft', nodeId: 1, nodeSeq: 1, nodeTs: T0 + 1, event: { type: 'msgSent', node: raftIdOf(1), to: raftId, msg: 'MsgApp', term: 1, index: 0, entries: 0, reject: false }, seq: 1, ts: T0 + 1 }
}

// Keep the tuple index names honest (the chart reads them).
describe('tuple layout', () => {
  it('puts the receive time at M_END and the endpoints at M_FROM / M_TO', () => {
    expect([M_SEND, M_END, M_FROM, M_TO]).toEqual([0, 1, 2, 3])
  })
})
