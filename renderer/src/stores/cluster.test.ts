import { createPinia, setActivePinia } from 'pinia'
import { ok } from '../../../electron/lab/api'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createFakeLab,
  failed,
  makeCluster,
  makeNode,
  runningCluster,
  stamp,
  type FakeLab
} from '../testing/fake-lab'
import { MAX_EVENTS, SERIES_WINDOW_MS, useClusterStore } from './cluster'
import { useFeedStore } from './feed'

const T0 = 1_700_000_000_000

let lab: FakeLab

function setup(initial = lab.cluster) {
  lab.cluster = initial
  window.lab = lab.api
  return useClusterStore()
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
  setActivePinia(createPinia())
  lab = createFakeLab()
})

afterEach(() => {
  useClusterStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('init', () => {
  it('loads the cluster and lab info, and subscribes to events once', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    await store.init()
    expect(lab.api.cluster.get).toHaveBeenCalledTimes(1)
    expect(lab.subscriberCount()).toBe(1)
    expect(store.cluster?.nodes.map((n) => n.state)).toEqual(['up', 'up', 'up'])
    expect(store.labInfo?.version).toBe('0.1.0')
    expect(store.connectionMode).toBe('electron')
    expect(store.connection).toBe('open')
    expect(store.upCount).toBe(3)
    expect(store.majority).toBe(2)
    expect(store.hasQuorum).toBe(true)
    expect(store.series).toEqual([{ t: T0, up: 3 }])
  })

  it('has no cluster, no quorum and no majority when the engine has none', async () => {
    const store = setup(null)
    await store.init()
    expect(store.cluster).toBeNull()
    expect(store.majority).toBe(0)
    expect(store.hasQuorum).toBe(false)
    expect(store.canStart).toBe(true)
    expect(store.canStop).toBe(false)
    expect(store.series).toEqual([])
  })

  it('unsubscribes and stops sampling when disposed', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    const before = store.cluster
    store.$dispose()
    expect(vi.getTimerCount()).toBe(0)
    // The feed still runs for other stores, but this one no longer listens.
    expect(lab.subscriberCount()).toBe(1)
    lab.emit({ type: 'node.exited', nodeId: 1, pid: 101, code: null, signal: 'SIGKILL', expected: false })
    expect(store.cluster).toBe(before)
    useFeedStore().dispose()
    expect(lab.subscriberCount()).toBe(0)
  })
})

describe('replay', () => {
  it('ignores a live answer that lands after a recording started to replay', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    let answer!: (v: unknown) => void
    vi.mocked(lab.api.cluster.get).mockImplementationOnce(() => new Promise((r) => (answer = r as (v: unknown) => void)))
    const late = store.refresh()
    useFeedStore().beginReplay(T0)
    expect(store.cluster).toBeNull()
    answer(ok(runningCluster(3, T0, 'live-run')))
    await late
    // The replay starts before the cluster was created: nothing to show yet.
    expect(store.cluster).toBeNull()
  })
})

describe('startCluster', () => {
  it('creates then starts when there is no cluster', async () => {
    const store = setup(null)
    await store.init()
    const done = store.startCluster(5)
    expect(store.busy).toBe(true)
    expect(store.pendingAction).toBe('start')
    expect(store.canStart).toBe(false)
    await expect(done).resolves.toBe(true)

    expect(lab.api.cluster.create).toHaveBeenCalledWith({ size: 5 })
    expect(lab.api.cluster.start).toHaveBeenCalledTimes(1)
    const createOrder = vi.mocked(lab.api.cluster.create).mock.invocationCallOrder[0]!
    const startOrder = vi.mocked(lab.api.cluster.start).mock.invocationCallOrder[0]!
    expect(createOrder).toBeLessThan(startOrder)

    expect(store.busy).toBe(false)
    expect(store.cluster?.state).toBe('running')
    expect(store.upCount).toBe(5)
    expect(store.majority).toBe(3)
    expect(store.canStop).toBe(true)
    expect(store.series.at(-1)).toEqual({ t: T0, up: 5 })
  })

  it('creates a new cluster when the current one has stopped', async () => {
    const store = setup(makeCluster(3, { state: 'stopped' }))
    await store.init()
    await store.startCluster(7)
    expect(lab.api.cluster.create).toHaveBeenCalledWith({ size: 7 })
    expect(store.size).toBe(7)
  })

  it('only starts a cluster that was created but not started', async () => {
    const store = setup(makeCluster(3, { state: 'created' }))
    await store.init()
    await store.startCluster(3)
    expect(lab.api.cluster.create).not.toHaveBeenCalled()
    expect(lab.api.cluster.start).toHaveBeenCalledTimes(1)
  })

  it('does not start when create fails, and surfaces the error', async () => {
    const store = setup(null)
    await store.init()
    vi.mocked(lab.api.cluster.create).mockResolvedValueOnce(failed('SPAWN_FAILED', 'node 2 exited at boot'))
    await expect(store.startCluster(3)).resolves.toBe(false)
    expect(lab.api.cluster.start).not.toHaveBeenCalled()
    expect(store.lastError).toEqual({ code: 'SPAWN_FAILED', message: 'node 2 exited at boot' })
    expect(store.busy).toBe(false)
  })

  it('ignores a second start while one is in flight', async () => {
    const store = setup(null)
    await store.init()
    const first = store.startCluster(3)
    await expect(store.startCluster(3)).resolves.toBe(false)
    await first
    expect(lab.api.cluster.create).toHaveBeenCalledTimes(1)
  })
})

describe('stopCluster, crashNode, restartNode', () => {
  it('stops the cluster', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    await expect(store.stopCluster()).resolves.toBe(true)
    expect(store.cluster?.state).toBe('stopped')
    expect(store.cluster?.nodes.every((n) => n.state === 'stopped')).toBe(true)
    expect(store.canStart).toBe(true)
    expect(store.series.at(-1)?.up).toBe(0)
  })

  it('crashes one node and merges the answer', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    const done = store.crashNode(2)
    expect(store.isNodeBusy(2)).toBe(true)
    expect(store.isNodeBusy(1)).toBe(false)
    await done
    expect(lab.api.node.crash).toHaveBeenCalledWith({ nodeId: 2 })
    expect(store.isNodeBusy(2)).toBe(false)
    expect(store.cluster?.nodes[1]).toMatchObject({ state: 'down', pid: null, lastExit: { signal: 'SIGKILL', expected: false } })
    expect(store.upCount).toBe(2)
  })

  it('restarts a node', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    await store.crashNode(1)
    vi.advanceTimersByTime(10)
    await store.restartNode(1)
    expect(lab.api.node.restart).toHaveBeenCalledWith({ nodeId: 1 })
    expect(store.cluster?.nodes[0]).toMatchObject({ state: 'starting', pid: 6001 })
  })

  it('surfaces a failed node call and clears it on dismiss or on the next action', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    vi.mocked(lab.api.node.crash).mockResolvedValueOnce(failed('NODE_NOT_RUNNING', 'node 3 is not running'))
    await expect(store.crashNode(3)).resolves.toBe(false)
    expect(store.lastError?.code).toBe('NODE_NOT_RUNNING')
    store.dismissError()
    expect(store.lastError).toBeNull()

    vi.mocked(lab.api.cluster.stop).mockResolvedValueOnce(failed('CLUSTER_BUSY'))
    await store.stopCluster()
    expect(store.lastError?.code).toBe('CLUSTER_BUSY')
    await store.crashNode(1)
    expect(store.lastError).toBeNull()
  })

  it('turns a host that throws into an INTERNAL error instead of an unhandled rejection', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    vi.mocked(lab.api.cluster.stop).mockRejectedValueOnce(new Error('ipc channel closed'))
    await expect(store.stopCluster()).resolves.toBe(false)
    expect(store.lastError).toEqual({ code: 'INTERNAL', message: 'ipc channel closed' })
    expect(store.busy).toBe(false)
  })

  it('surfaces a failed init', async () => {
    const store = setup(null)
    vi.mocked(lab.api.cluster.get).mockResolvedValueOnce(failed('UNAUTHORIZED', 'open the link'))
    await store.init()
    expect(store.lastError).toEqual({ code: 'UNAUTHORIZED', message: 'open the link' })
  })
})

describe('events', () => {
  it('applies node lifecycle events as they arrive', async () => {
    const store = setup(makeCluster(3, { state: 'starting' }))
    await store.init()

    lab.emit(stamp({ type: 'node.spawned', nodeId: 1, pid: 101 }, T0 + 5))
    expect(store.cluster?.nodes[0]).toMatchObject({ state: 'starting', pid: 101, startedAt: T0 + 5 })

    lab.emit(stamp({ type: 'node.ready', nodeId: 1, pid: 101, readyMs: 420 }, T0 + 10))
    expect(store.cluster?.nodes[0]?.state).toBe('up')

    lab.emit(stamp({ type: 'node.exited', nodeId: 1, pid: 101, code: null, signal: 'SIGKILL', expected: false }, T0 + 20))
    expect(store.cluster?.nodes[0]).toMatchObject({
      state: 'down',
      pid: null,
      lastExit: { code: null, signal: 'SIGKILL', at: T0 + 20, expected: false }
    })

    lab.emit(stamp({ type: 'node.spawned', nodeId: 2, pid: 102 }), stamp({ type: 'node.exited', nodeId: 2, pid: 102, code: 0, signal: null, expected: true }))
    expect(store.cluster?.nodes[1]?.state).toBe('stopped')

    lab.emit(stamp({ type: 'cluster.state', state: 'running' }))
    expect(store.cluster?.state).toBe('running')
  })

  it('ignores the late exit of an older process of a restarted node', async () => {
    const store = setup(makeCluster(1, { state: 'running', nodes: [makeNode(1, { state: 'up', pid: 200, startedAt: T0 })] }))
    await store.init()
    lab.emit(stamp({ type: 'node.exited', nodeId: 1, pid: 199, code: null, signal: 'SIGKILL', expected: false }))
    expect(store.cluster?.nodes[0]).toMatchObject({ state: 'up', pid: 200 })
  })

  it('replaces the cluster and restarts the series on cluster.created for a new run', async () => {
    const store = setup(runningCluster(3, T0, 'run-old'))
    await store.init()
    vi.advanceTimersByTime(3000)
    expect(store.series.length).toBeGreaterThan(1)

    lab.emit(stamp({ type: 'cluster.created', cluster: makeCluster(5, { runId: 'run-new' }) }))
    expect(store.cluster?.runId).toBe('run-new')
    expect(store.size).toBe(5)
    expect(store.series).toEqual([{ t: T0 + 3000, up: 0 }])
  })

  it('keeps an event it applied over an older answer that arrives later', async () => {
    const store = setup(runningCluster(3, T0))
    await store.init()
    // The crash answer was taken before the exit was seen (node still "up", started at T0)...
    vi.mocked(lab.api.node.crash).mockImplementationOnce(async () => {
      // ...and the exit event overtakes it.
      lab.emit(stamp({ type: 'node.exited', nodeId: 2, pid: 4002, code: null, signal: 'SIGKILL', expected: false }, T0 + 50))
      return { ok: true, value: makeNode(2, { state: 'up', pid: 4002, startedAt: T0 }) }
    })
    await store.crashNode(2)
    expect(store.cluster?.nodes[1]).toMatchObject({ state: 'down', pid: null })
  })

  it('takes a newer answer over older events', async () => {
    const store = setup(runningCluster(3, T0))
    await store.init()
    lab.emit(stamp({ type: 'node.exited', nodeId: 2, pid: 4002, code: null, signal: 'SIGKILL', expected: false }, T0 + 50))
    vi.mocked(lab.api.node.restart).mockResolvedValueOnce({ ok: true, value: makeNode(2, { state: 'starting', pid: 7002, startedAt: T0 + 100 }) })
    await store.restartNode(2)
    expect(store.cluster?.nodes[1]).toMatchObject({ state: 'starting', pid: 7002 })
  })

  it('re-reads the cluster after events were dropped', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    expect(lab.api.cluster.get).toHaveBeenCalledTimes(1)
    lab.cluster!.nodes[0]!.state = 'down'
    lab.emit({ type: 'events.dropped', count: 12, seq: 0, ts: T0 })
    await vi.waitFor(() => expect(store.cluster?.nodes[0]?.state).toBe('down'))
    expect(lab.api.cluster.get).toHaveBeenCalledTimes(2)
  })

  it('keeps the last 500 events in order', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    for (let i = 0; i < 6; i++) {
      lab.emit(...Array.from({ length: 100 }, () => stamp({ type: 'node.output', nodeId: 1, stream: 'stdout', text: 'x' })))
    }
    expect(store.events).toHaveLength(MAX_EVENTS)
    const seqs = store.events.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(seqs.at(-1)! - seqs[0]!).toBe(MAX_EVENTS - 1)
  })
})

describe('nodes-up series', () => {
  it('adds a sample when the count changes, at the event time', async () => {
    const store = setup(runningCluster(3, T0))
    await store.init()
    lab.emit(stamp({ type: 'node.exited', nodeId: 1, pid: 4001, code: null, signal: 'SIGKILL', expected: false }, T0 + 200))
    expect(store.series).toEqual([
      { t: T0, up: 3 },
      { t: T0 + 200, up: 2 }
    ])
    // No change, no sample.
    lab.emit(stamp({ type: 'fault.injected', kind: 'crash', nodeId: 1 }, T0 + 300))
    expect(store.series).toHaveLength(2)
  })

  it('adds one sample per batch, for its net change', async () => {
    const store = setup(runningCluster(3, T0))
    await store.init()
    // An answer already showed node 3 up; the batch replays its spawn and ready.
    lab.emit(
      stamp({ type: 'node.spawned', nodeId: 3, pid: 4003 }, T0 + 10),
      stamp({ type: 'node.ready', nodeId: 3, pid: 4003, readyMs: 5 }, T0 + 20)
    )
    expect(store.series.map((s) => s.up)).toEqual([3])
  })

  it('keeps flowing once a second while a cluster exists', async () => {
    const store = setup(runningCluster(3, T0))
    await store.init()
    vi.advanceTimersByTime(3000)
    expect(store.series).toEqual([
      { t: T0, up: 3 },
      { t: T0 + 1000, up: 3 },
      { t: T0 + 2000, up: 3 },
      { t: T0 + 3000, up: 3 }
    ])
  })

  it('does not flow without a cluster', async () => {
    const store = setup(null)
    await store.init()
    vi.advanceTimersByTime(5000)
    expect(store.series).toEqual([])
  })

  it('never goes back in time, even for an event stamped earlier than the last sample', async () => {
    const store = setup(runningCluster(3, T0))
    await store.init()
    vi.advanceTimersByTime(1000)
    lab.emit(stamp({ type: 'node.exited', nodeId: 1, pid: 4001, code: null, signal: 'SIGKILL', expected: false }, T0 + 900))
    expect(store.series.at(-1)).toEqual({ t: T0 + 1000, up: 2 })
  })

  it('is bounded to the last ten minutes (plus the sample in force at its start)', async () => {
    const store = setup(runningCluster(3, T0))
    await store.init()
    vi.advanceTimersByTime(15 * 60_000)
    const now = T0 + 15 * 60_000
    const series = store.series
    expect(series.at(-1)?.t).toBe(now)
    expect(series[1]!.t).toBeGreaterThanOrEqual(now - SERIES_WINDOW_MS)
    expect(series[0]!.t).toBeLessThan(now - SERIES_WINDOW_MS)
    expect(series.length).toBeLessThanOrEqual(SERIES_WINDOW_MS / 1000 + 2)
  })
})

describe('map actions: settings, reset, scale, node actions', () => {
  it('creates with the chosen settings, or sets them on a created cluster before starting it', async () => {
    const store = setup(null)
    await store.init()
    await store.startCluster(3, { profile: 'teaching', preVote: false, checkQuorum: true })
    expect(lab.api.cluster.create).toHaveBeenCalledWith({ size: 3, profile: 'teaching', preVote: false, checkQuorum: true })

    const created = setup(makeCluster(3, { state: 'created' }))
    created.$dispose()
    const again = useClusterStore()
    await again.init()
    vi.mocked(lab.api.cluster.settings).mockResolvedValueOnce(ok(makeCluster(3, { state: 'created', settings: { profile: 'seed', preVote: false, checkQuorum: true } })))
    await again.startCluster(3, { preVote: false })
    expect(lab.api.cluster.settings).toHaveBeenCalledWith({ preVote: false })
    expect(lab.api.cluster.start).toHaveBeenCalled()
  })

  it('changes settings on a running cluster and remembers when, for the restart hint', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    vi.mocked(lab.api.cluster.settings).mockResolvedValueOnce(ok(runningCluster(3)))
    await expect(store.updateSettings({ checkQuorum: false })).resolves.toBe(true)
    expect(lab.api.cluster.settings).toHaveBeenCalledWith({ checkQuorum: false })
    expect(store.settingsChangedAt).toBeNull()
    lab.emit(stamp({ type: 'cluster.settings', settings: { profile: 'seed', preVote: true, checkQuorum: false } }, T0 + 7))
    expect(store.settingsChangedAt).toBe(T0 + 7)
    expect(store.cluster?.settings.checkQuorum).toBe(false)
  })

  it('resets: stop, a fresh cluster, start', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    await expect(store.resetCluster(5)).resolves.toBe(true)
    expect(lab.api.cluster.stop).toHaveBeenCalledTimes(1)
    expect(lab.api.cluster.create).toHaveBeenCalledWith({ size: 5 })
    expect(store.size).toBe(5)
    expect(store.cluster?.state).toBe('running')
    expect(store.pendingAction).toBeNull()
  })

  it('adds a node and re-reads the cluster; re-reads too when another client adds one', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    vi.mocked(lab.api.cluster.addNode).mockImplementationOnce(() => {
      lab.cluster = runningCluster(4)
      return Promise.resolve(ok(lab.cluster.nodes[3]!))
    })
    const done = store.addNode()
    expect(store.pendingAction).toBe('addNode')
    await done
    expect(store.size).toBe(4)
    lab.cluster = runningCluster(5)
    lab.emit(stamp({ type: 'member.added', nodeId: 5, address: lab.cluster.nodes[4]!.address, as: 'learner' }))
    await vi.waitFor(() => expect(store.size).toBe(5))
  })

  it('runs every node action through its LabApi method', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    for (const kind of ['stop', 'start', 'pause', 'resume', 'wipe'] as const) {
      vi.mocked(lab.api.node[kind]).mockResolvedValueOnce(ok(runningCluster(3).nodes[1]!))
      await expect(store.nodeAction(2, kind)).resolves.toBe(true)
      expect(lab.api.node[kind]).toHaveBeenCalledWith({ nodeId: 2 })
    }
    vi.mocked(lab.api.node.remove).mockResolvedValueOnce(ok(runningCluster(2)))
    await store.removeNode(3)
    expect(store.size).toBe(2)
  })

  it('learns that pausing is unsupported from the lab', async () => {
    const store = setup(runningCluster(3))
    await store.init()
    expect(store.canPause).toBe(true)
    vi.mocked(lab.api.node.pause).mockResolvedValueOnce(failed('UNSUPPORTED', 'pausing a node needs SIGSTOP/SIGCONT, which Windows does not have'))
    await store.nodeAction(1, 'pause')
    expect(store.canPause).toBe(false)
  })
})
