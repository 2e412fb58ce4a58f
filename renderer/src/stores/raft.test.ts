import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../electron/lab/api'
import { createFakeLab, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
import { raftEvent, raftIdOf, roleChanged, statusViews } from '../testing/map-fixtures'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { RAFT_POLL_MS, useRaftStore } from './raft'

const T0 = 1_700_000_000_000
let lab: FakeLab

async function setup(size = 3) {
  const cluster = runningCluster(size, T0)
  lab = createFakeLab(cluster)
  vi.mocked(lab.api.cluster.status).mockResolvedValue(ok(statusViews(cluster.nodes, 1, 2)))
  window.lab = lab.api
  const clusterStore = useClusterStore()
  await clusterStore.init()
  const raft = useRaftStore()
  raft.init()
  await vi.advanceTimersByTimeAsync(0)
  return { raft, clusterStore, nodes: cluster.nodes }
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
  setActivePinia(createPinia())
})

afterEach(() => {
  useRaftStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('raft store', () => {
  it('polls cluster.status while the cluster runs and maps leaders to lab ids', async () => {
    const { raft } = await setup()
    expect(lab.api.cluster.status).toHaveBeenCalledTimes(1)
    expect(raft.leader).toEqual({ id: 1, term: 2 })
    expect(raft.factsOf(2)).toMatchObject({ role: 'follower', term: 2, leaderId: 1, commit: 10 })
    expect(raft.roleOf({ id: 2, state: 'up' })).toBe('follower')
    await vi.advanceTimersByTimeAsync(RAFT_POLL_MS * 3)
    expect(lab.api.cluster.status).toHaveBeenCalledTimes(4)
  })

  it('stops polling when the cluster stops', async () => {
    const { clusterStore } = await setup()
    await clusterStore.stopCluster()
    const calls = vi.mocked(lab.api.cluster.status).mock.calls.length
    await vi.advanceTimersByTimeAsync(RAFT_POLL_MS * 3)
    expect(lab.api.cluster.status).toHaveBeenCalledTimes(calls)
  })

  it('follows a new leader at once from roleChanged, before the next poll', async () => {
    const { raft, nodes } = await setup()
    lab.emit(
      stamp({ type: 'node.exited', nodeId: 1, pid: 4001, code: null, signal: 'SIGKILL', expected: false }),
      stamp(roleChanged(nodes[2]!, 'leader', 3, nodes[2]!, T0 + 400)),
      stamp(roleChanged(nodes[1]!, 'follower', 3, nodes[2]!, T0 + 401))
    )
    expect(raft.leader).toEqual({ id: 3, term: 3 })
    expect(raft.factsOf(1)?.role).toBeNull()
    expect(raft.factsOf(2)).toMatchObject({ role: 'follower', term: 3, leaderId: 3 })
    expect(raft.maxTerm).toBe(3)
  })

  it('keeps heartbeats, commit moves and CPU / memory from events', async () => {
    const { raft, nodes } = await setup()
    lab.emit(
      stamp(raftEvent(2, { type: 'msgReceived', from: raftIdOf(nodes[0]!.address), msg: 'MsgHeartbeat', term: 2 }, T0 + 50)),
      stamp(raftEvent(2, { type: 'commitAdvanced', from: 10, to: 12, term: 2 })),
      stamp({
        type: 'metrics.sample',
        sample: { at: T0, intervalMs: 1000, cluster: {} as never, nodes: [{ nodeId: 2, cpuPct: 4, rssBytes: 1234 } as never] }
      })
    )
    expect(raft.factsOf(2)).toMatchObject({ lastHeartbeatAt: T0 + 50, commit: 12, cpuPct: 4, rssBytes: 1234 })
  })

  it('applies the answer of a leadership transfer', async () => {
    const { raft, nodes } = await setup()
    vi.mocked(lab.api.node.transferLeader).mockResolvedValueOnce(ok(statusViews(nodes, 2, 3)))
    await expect(raft.transferLeader(2)).resolves.toBe(true)
    expect(lab.api.node.transferLeader).toHaveBeenCalledWith({ nodeId: 2 })
    expect(raft.leader).toEqual({ id: 2, term: 3 })
  })

  it('starts over for a new run, a wiped node and a feed reset', async () => {
    const { raft } = await setup()
    lab.emit(stamp({ type: 'node.wiped', nodeId: 3 }))
    expect(raft.factsOf(3)?.term).toBeNull()
    lab.emit(stamp({ type: 'cluster.created', cluster: runningCluster(3, T0, 'run-2') }))
    expect(raft.facts.size).toBe(0)
    await vi.advanceTimersByTimeAsync(RAFT_POLL_MS)
    expect(raft.facts.size).toBe(3)
    useFeedStore().beginReplay(T0)
    expect(raft.facts.size).toBe(0)
  })
})
