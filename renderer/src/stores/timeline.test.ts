import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { ClusterInfo } from '../../../electron/lab/api'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { DEFAULT_SPAN_MS, FRAME_MS, MAX_REDRAW_PAUSE_MS, redrawPause, useTimelineStore } from './timeline'
import { createFakeLab, runningCluster, type FakeLab } from '../testing/fake-lab'
import { created, election, lab as labEvent, spawnedAll } from '../testing/timeline-fixtures'

const T0 = 1_700_000_000_000
let lab: FakeLab

async function boot(cluster: ClusterInfo | null = runningCluster(3, T0)) {
  lab = createFakeLab(cluster)
  window.lab = lab.api
  setActivePinia(createPinia())
  const store = useTimelineStore()
  store.init()
  await useClusterStore().init()
  await flushPromises()
  return store
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 + 10_000, toFake: ['Date', 'setInterval', 'clearInterval'] })
})

afterEach(() => {
  useTimelineStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('timeline store', () => {
  it('follows the feed batch by batch: leader, leaderless gap, version', async () => {
    const store = await boot(null)
    expect(store.leader).toBeNull()
    const v0 = store.version
    lab.emit(created(3, T0), ...spawnedAll(3, T0 + 10), ...election(3, 2, 1, T0 + 300))
    expect(store.version).toBe(v0 + 1)
    expect(store.leader).toBe(2)
    expect(store.leaderTerm).toBe(1)
    lab.emit(labEvent({ type: 'node.exited', nodeId: 2, pid: 4001, code: null, signal: 'SIGKILL', expected: false }, T0 + 1000))
    expect(store.leader).toBeNull()
    expect(store.leaderlessSince).toBe(T0 + 1000)
    lab.emit(...election(3, 3, 2, T0 + 1400, { absent: [2] }))
    expect(store.leader).toBe(3)
    expect(store.gaps).toHaveLength(1)
    expect(store.gaps[0]).toMatchObject({ ms: 402, oldLeader: 2, newLeader: 3, cause: 'crash' })
  })

  it('names Raft ids by the members of a cluster it found running (no cluster.created seen)', async () => {
    const store = await boot(runningCluster(3, T0))
    lab.emit(...election(3, 1, 4, T0 + 300))
    expect(store.leader).toBe(1)
    expect(store.model.messages().length).toBeGreaterThan(0)
  })

  it('ignores batches with nothing for it (metrics, workload stats)', async () => {
    const store = await boot()
    const v = store.version
    lab.emit({ type: 'workload.state', state: 'idle', spec: null })
    expect(store.version).toBe(v)
  })

  it('counts what the lab sampled out', async () => {
    const store = await boot()
    lab.emit({ type: 'trace.sampled', nodeId: 1, kept: 150, skipped: 600 })
    expect(store.sampled).toEqual({ kept: 150, skipped: 600 })
  })

  it('drops everything on reset and runs on the replay clock', async () => {
    const store = await boot()
    lab.emit(...election(3, 1, 1, T0 + 300))
    expect(store.leader).toBe(1)
    const feed = useFeedStore()
    feed.beginReplay(T0 + 500)
    expect(store.leader).toBeNull()
    expect(store.model.marks()).toHaveLength(0)
    expect(store.windowAt()).toEqual({ start: T0 + 500 - DEFAULT_SPAN_MS, end: T0 + 500 })
    feed.pushReplay([created(3, T0), ...election(3, 3, 1, T0 + 300)], T0 + 400)
    expect(store.leader).toBe(3)
  })
})

describe('timeline store: the window', () => {
  it('follows the last span until the user scrolls back', async () => {
    const store = await boot()
    const now = Date.now()
    expect(store.follow).toBe(true)
    expect(store.windowAt()).toEqual({ start: now - DEFAULT_SPAN_MS, end: now })
    // Zooming while at the live edge keeps following, with the new span.
    store.userWindow({ start: now - 20_000, end: now - 100 })
    expect(store.follow).toBe(true)
    expect(store.spanMs).toBe(19_900)
    // Scrolling back stops following and pins the window.
    store.userWindow({ start: now - 50_000, end: now - 30_000 })
    expect(store.follow).toBe(false)
    expect(store.windowAt(now + 5_000)).toEqual({ start: now - 50_000, end: now - 30_000 })
  })

  it('zooms, pans back into live, resets', async () => {
    const store = await boot()
    const now = Date.now()
    store.zoom(0.5)
    expect(store.spanMs).toBe(DEFAULT_SPAN_MS / 2)
    store.pan(-1)
    expect(store.follow).toBe(false)
    expect(store.windowAt()).toEqual({ start: now - DEFAULT_SPAN_MS, end: now - DEFAULT_SPAN_MS / 2 })
    store.zoom(0.5)
    expect(store.windowAt()).toEqual({ start: now - 52_500, end: now - 37_500 })
    store.pan(4)
    expect(store.follow).toBe(true)
    store.setFollow(false)
    expect(store.pinned).toEqual({ start: now - 15_000, end: now })
    store.resetZoom()
    expect([store.follow, store.spanMs, store.pinned]).toEqual([true, DEFAULT_SPAN_MS, null])
  })

  it('fills the chart from the first event while the timeline is younger than the span', async () => {
    const store = await boot()
    const now = Date.now()
    lab.emit(...election(3, 1, 1, now - 20_000))
    expect(store.windowAt(now)).toEqual({ start: now - 20_500, end: now })
    lab.emit(...election(3, 2, 2, now - 1_000))
    expect(store.windowAt(now + DEFAULT_SPAN_MS)).toEqual({ start: now, end: now + DEFAULT_SPAN_MS })
  })

  it('stops following when panned back, even on a timeline younger than its first screen', async () => {
    const store = await boot()
    const now = Date.now()
    lab.emit(...election(3, 1, 1, now - 2_000))
    // Two seconds old: the window runs 5 s from just before the first event, past now.
    expect(store.windowAt(now)).toEqual({ start: now - 2_500, end: now + 2_500 })
    store.pan(-0.25)
    expect(store.follow).toBe(false)
    expect(store.windowAt(now)).toEqual({ start: now - 3_750, end: now + 1_250 })
  })

  it('focuses a leaderless gap with context around it', async () => {
    const store = await boot()
    store.focus(T0 + 1000, T0 + 1400)
    expect(store.follow).toBe(false)
    expect(store.windowAt()).toEqual({ start: T0 + 200, end: T0 + 2200 })
  })
})

describe('redrawPause', () => {
  it('keeps the chart to about a quarter of the main thread, within bounds', () => {
    // A cheap redraw never holds back the regular cadence…
    expect(redrawPause(20)).toBeLessThan(FRAME_MS)
    // …a costly one spaces the next out (a starved machine gets coarser steps, not fewer frames)…
    expect(redrawPause(100)).toBe(400)
    // …but never for long, whatever the clock says.
    expect(redrawPause(10_000)).toBe(MAX_REDRAW_PAUSE_MS)
    expect(redrawPause(-5)).toBe(0)
  })
})
