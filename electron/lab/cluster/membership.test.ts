import { describe, expect, it } from 'vitest'
import type { NodeStatus, PeerProgress } from '../../../node-core/src/protocol/admin'
import { caughtUp, excludes, opsError, pickLeader } from './membership'

const status = (o: Partial<NodeStatus>): NodeStatus => ({
  address: '127.0.0.1:1',
  id: 1,
  pid: 1,
  startedAt: 0,
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
})

const progress = (address: string, match: number): PeerProgress => ({
  address,
  match,
  next: match + 1,
  state: 'replicate',
  inflight: 0,
  paused: false,
  recentActive: true,
  isLearner: true
})

describe('membership decisions', () => {
  it('picks the leader of the highest term, ignoring a deposed leader and silent nodes', () => {
    const views = [
      { nodeId: 1, status: status({ role: 'leader', term: 3 }), error: null },
      { nodeId: 2, status: status({ role: 'leader', term: 5 }), error: null },
      { nodeId: 3, status: null, error: 'paused' }
    ]
    expect(pickLeader(views)?.nodeId).toBe(2)
    expect(pickLeader([{ nodeId: 1, status: status({ role: 'candidate', term: 9 }), error: null }])).toBeNull()
  })

  it('calls a learner caught up only when its match reaches the leader commit', () => {
    const leader = status({ role: 'leader', commit: 10, progress: [progress('a:1', 9)] })
    expect(caughtUp(leader, 'a:1')).toBe(false)
    expect(caughtUp({ ...leader, progress: [progress('a:1', 10)] }, 'a:1')).toBe(true)
    expect(caughtUp(leader, 'b:2')).toBe(false)
  })

  it('sees a member gone only when it is neither voter nor learner', () => {
    expect(excludes(status({ voters: ['a:1'] }), 'a:1')).toBe(false)
    expect(excludes(status({ learners: ['a:1'] }), 'a:1')).toBe(false)
    expect(excludes(status({ voters: ['b:1'] }), 'a:1')).toBe(true)
  })

  it('maps ops answers to stable codes', () => {
    expect(opsError('promote', 'a:1', 200, '')).toBeNull()
    expect(opsError('promote', 'a:1', 400, 'value must be ...')?.code).toBe('INVALID_ARGUMENT')
    expect(opsError('addLearner', 'a:1', 409, 'addLearner refused: one change at a time')?.code).toBe('NODE_REFUSED')
    expect(opsError('removePeer', 'a:1', 503, 'removePeer refused: no leader')?.code).toBe('NO_LEADER')
    const t = opsError('transferLeader', 'a:1', 503, 'transferLeader was accepted but ... did not happen within 5000 ms')
    expect(t?.code).toBe('TIMEOUT')
    expect(t?.message).toMatch(/^transferLeader a:1: /)
  })
})
