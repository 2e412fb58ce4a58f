import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type LogWindowRequest, type NodeInfo } from '../../../electron/lab/api'
import { createFakeLab, failed, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
import { logWindow, nodeStatus, progress, raftEvent, raftIdOf, raftView } from '../testing/replication-fixtures'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { POLL_INTERVAL_MS, SOON_MIN_GAP_MS, useReplicationStore } from './replication'
import { MAX_CALLOUTS } from './replication-model'

const T0 = 1_700_000_000_000
let lab: FakeLab
/** Nodes whose node.log answers a timeout (paused, cut off from the lab). */
const silent = new Set<number>()

/** A 3-node cluster where node 1 leads with `last` entries and node 3 is `lag3` behind. */
function answer(last: number, lag3 = 0): void {
  const c = lab.cluster!
  const [n1, n2, n3] = c.nodes as [NodeInfo, NodeInfo, NodeInfo]
  vi.mocked(lab.api.cluster.status).mockResolvedValue(
    ok([
      raftView(1, nodeStatus(n1, { role: 'leader', term: 2, lastIndex: last, commit: last, progress: [progress(n1.address, { match: last }), progress(n2.address, { match: last, next: last + 1 }), progress(n3.address, { match: last - lag3, next: last - lag3 + 1, state: lag3 > 0 ? 'probe' : 'replicate' })] })),
      raftView(2, nodeStatus(n2, { lastIndex: last, commit: last })),
      raftView(3, nodeStatus(n3, { lastIndex: last - lag3, commit: last - lag3 }))
    ])
  )
  vi.mocked(lab.api.node.log).mockImplementation((req: LogWindowRequest) => {
    if (silent.has(req.nodeId)) return Promise.resolve(failed('TIMEOUT', `node ${req.nodeId} did not answer`))
    const l = req.nodeId === 3 ? last - lag3 : last
    return Promise.resolve(ok(logWindow({ last: l, from: req.from, termOf: (i) => (i <= 5 ? 1 : 2) })))
  })
}

async function setup() {
  window.lab = lab.api
  const cluster = useClusterStore()
  await cluster.init()
  const store = useReplicationStore()
  store.init()
  return { store, cluster, feed: useFeedStore() }
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
  setActivePinia(createPinia())
  lab = createFakeLab(runningCluster(3))
  silent.clear()
})

afterEach(() => {
  useReplicationStore().$dispose()
  useClusterStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('polling', () => {
  it('reads nothing while the view is hidden', async () => {
    answer(10)
    await setup()
    await vi.advanceTimersByTimeAsync(5 * POLL_INTERVAL_MS)
    expect(lab.api.node.log).not.toHaveBeenCalled()
    expect(lab.api.cluster.status).not.toHaveBeenCalled()
  })

  it('reads every up node’s log and the status at once when shown, then about once a second, and stops when hidden', async () => {
    answer(10)
    const { store } = await setup()
    store.show()
    await flushPromises()
    expect(lab.api.cluster.status).toHaveBeenCalledTimes(1)
    expect(vi.mocked(lab.api.node.log).mock.calls.map(([r]) => r.nodeId).sort()).toEqual([1, 2, 3])
    expect(store.strips.map((s) => s.commit)).toEqual([10, 10, 10])
    expect(store.leader?.leaderId).toBe(1)

    await vi.advanceTimersByTimeAsync(3 * POLL_INTERVAL_MS)
    expect(lab.api.cluster.status).toHaveBeenCalledTimes(4)

    store.hide()
    await vi.advanceTimersByTimeAsync(3 * POLL_INTERVAL_MS)
    expect(lab.api.cluster.status).toHaveBeenCalledTimes(4)
  })

  it('asks each node for the window every strip shows (plus a little ahead while following)', async () => {
    answer(300)
    const { store } = await setup()
    store.show()
    await flushPromises()
    // The first read knew no log yet; the status then said 300, so the window is 181–300.
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    const last = vi.mocked(lab.api.node.log).mock.calls.at(-1)![0]
    expect(last.from).toBe(181)
    expect(last.to).toBeGreaterThanOrEqual(300)
    expect(store.range).toEqual({ from: 181, to: 300 })
    expect(store.strips[0]!.cells.every((c) => c.kind === 'entry' && c.committed)).toBe(true)

    store.scroll(-1)
    await flushPromises()
    expect(store.range).toEqual({ from: 121, to: 240 })
    expect(vi.mocked(lab.api.node.log).mock.calls.at(-1)![0]).toMatchObject({ from: 121, to: 240 })
    store.follow()
    expect(store.following).toBe(true)
  })

  it('keeps a node’s last log, greyed, with the time it stopped answering', async () => {
    answer(10)
    const { store, cluster } = await setup()
    store.show()
    await flushPromises()
    expect(store.strips[2]!.answering).toBe(true)

    const exitAt = T0 + 5000
    vi.setSystemTime(T0 + 5400)
    lab.emit(stamp({ type: 'node.exited', nodeId: 3, pid: cluster.cluster!.nodes[2]!.pid!, code: null, signal: 'SIGKILL', expected: false }, exitAt))
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    const s3 = store.strips[2]!
    expect(s3.answering).toBe(false)
    expect(s3.lastIndex).toBe(10)
    // Dated by the exit the lab saw, not by the read that noticed it.
    expect(s3.silentSince).toBe(T0 + 5000)
    expect(s3.runState).toBe('down')
    expect(s3.reason).toBeNull()
    // A down node is not asked at all.
    expect(vi.mocked(lab.api.node.log).mock.calls.filter(([r]) => r.nodeId === 3)).toHaveLength(1)

    // A node that is up but does not answer (paused, cut off) keeps its first silent time.
    silent.add(2)
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    expect(store.strips[1]).toMatchObject({ answering: false, reason: 'node 2 did not answer', lastIndex: 10 })
    const since = store.strips[1]!.silentSince
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    expect(store.strips[1]!.silentSince).toBe(since)
    silent.delete(2)
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    expect(store.strips[1]).toMatchObject({ answering: true, silentSince: null })
    // Expected failures stay here: the app's error banner is for the user's actions.
    expect(cluster.lastError).toBeNull()
  })

  it('reads again soon after a commit advances, throttled, and flashes the advance when animating', async () => {
    answer(10)
    const { store, cluster } = await setup()
    store.setAnimate(true)
    store.show()
    await flushPromises()
    const n1 = cluster.cluster!.nodes[0]!
    const calls = (): number => vi.mocked(lab.api.cluster.status).mock.calls.length
    expect(calls()).toBe(1)
    lab.emit(raftEvent(n1, { type: 'commitAdvanced', from: 10, to: 11, term: 2 }))
    lab.emit(raftEvent(n1, { type: 'commitAdvanced', from: 11, to: 12, term: 2 }))
    await vi.advanceTimersByTimeAsync(SOON_MIN_GAP_MS + 10)
    expect(calls()).toBe(2)
    expect(store.pulses.map((p) => p.to)).toEqual([12])
    store.setAnimate(false)
    lab.emit(raftEvent(n1, { type: 'commitAdvanced', from: 12, to: 13, term: 2 }))
    expect(store.pulses).toEqual([])
  })

  it('does not poll in replay (the logs belong to the live cluster) or without a running cluster', async () => {
    answer(10)
    const { store, feed } = await setup()
    feed.beginReplay(T0)
    store.show()
    await vi.advanceTimersByTimeAsync(3 * POLL_INTERVAL_MS)
    expect(lab.api.node.log).not.toHaveBeenCalled()
    expect(store.polling).toBe(false)
  })
})

describe('trace events', () => {
  it('keeps snapshot installs and conflict truncations as callouts, in a bounded ring, and drops them on reset', async () => {
    const { store, cluster, feed } = await setup()
    const [n1, n2, n3] = cluster.cluster!.nodes as [NodeInfo, NodeInfo, NodeInfo]
    lab.emit(
      raftEvent(n1, { type: 'snapshotSent', to: raftIdOf(n3), index: 500, term: 3 }),
      raftEvent(n3, { type: 'snapshotRestored', index: 500, term: 3 }),
      raftEvent(n2, { type: 'logTruncated', after: 41, dropped: 2 }),
      raftEvent(n1, { type: 'roleChanged', from: 'candidate', to: 'leader', term: 3, lead: raftIdOf(n1) })
    )
    expect(store.callouts.map((c) => [c.kind, c.nodeId, c.peerId])).toEqual([
      ['snapshotSent', 1, 3],
      ['snapshotRestored', 3, null],
      ['logTruncated', 2, null]
    ])
    lab.emit(...Array.from({ length: MAX_CALLOUTS }, () => raftEvent(n2, { type: 'logTruncated', after: 1, dropped: 1 })))
    expect(store.callouts).toHaveLength(MAX_CALLOUTS)
    expect(store.calloutsDropped).toBe(3)

    feed.beginReplay(T0)
    expect(store.callouts).toEqual([])
    expect(store.calloutsDropped).toBe(0)
  })

  it('animates appends only while shown and animating (the teaching profile, or the user’s choice)', async () => {
    answer(10)
    const { store, cluster } = await setup()
    const [n1, n2] = cluster.cluster!.nodes as [NodeInfo, NodeInfo]
    const app = () => raftEvent(n1, { type: 'msgSent', to: raftIdOf(n2), msg: 'MsgApp', index: 10, entries: 2, term: 2, reject: false })
    store.show()
    await flushPromises()
    expect(store.animate).toBe(false)
    lab.emit(app())
    expect(store.flows).toEqual([])

    lab.emit(stamp({ type: 'cluster.settings', settings: { profile: 'teaching', preVote: true, checkQuorum: true } }))
    cluster.cluster!.settings.profile = 'teaching'
    expect(store.animate).toBe(true)
    lab.emit(app())
    expect(store.flows).toHaveLength(1)
    expect(store.flows[0]).toMatchObject({ from: 1, to: 2, first: 11, last: 12 })
    // A newer append to the same follower replaces the pulse still in flight.
    const firstId = store.flows[0]!.id
    lab.emit(app())
    expect(store.flows).toHaveLength(1)
    expect(store.flows[0]!.id).not.toBe(firstId)

    // They fade: the next read after their time is up drops them.
    await vi.advanceTimersByTimeAsync(2 * POLL_INTERVAL_MS)
    expect(store.flows).toEqual([])

    store.setAnimate(false)
    lab.emit(app())
    expect(store.flows).toEqual([])
    store.setAnimate(true)
    store.hide()
    lab.emit(app())
    expect(store.flows).toEqual([])
  })

  it('forgets the old run’s logs when a new run starts', async () => {
    answer(10)
    const { store, cluster } = await setup()
    store.show()
    await flushPromises()
    expect(store.strips[0]!.lastIndex).toBe(10)
    lab.emit(stamp({ type: 'cluster.created', cluster: runningCluster(3, T0, 'run-2') }))
    await flushPromises()
    expect(cluster.cluster!.runId).toBe('run-2')
    expect(store.strips[0]!.lastIndex).toBeNull()
  })
})
