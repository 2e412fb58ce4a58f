import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type WorkloadInfo, type WorkloadSpec, type WorkloadStats } from '../../../electron/lab/api'
import { createFakeLab, failed, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { STATS_KEPT, useWorkloadStore } from './workload'

let lab: FakeLab

const kind = { ok: 0, fail: 0, unknown: 0, p50: 0, p99: 0, max: 0 }
const stats = (at: number, rate = 50): WorkloadStats => ({
  at,
  intervalMs: 1000,
  ok: rate,
  fail: 0,
  unknown: 0,
  rate,
  skipped: 0,
  inFlight: 2,
  beats: { sent: 0, ok: 0 },
  byKind: { publish: kind, get: kind, register: kind, list: kind }
})
const spec = (over: Partial<WorkloadSpec> = {}): WorkloadSpec =>
  ({ ratePerSec: 50, concurrency: 16, writeRouting: 'any', readRouting: 'any', ...over }) as WorkloadSpec
const info = (state: WorkloadInfo['state'], s: WorkloadSpec | null, last: WorkloadStats | null = null): WorkloadInfo => ({
  state,
  spec: s,
  totals: {} as never,
  last
})

async function setup() {
  lab = createFakeLab(runningCluster(3))
  vi.mocked(lab.api.workload.get).mockResolvedValue(ok(info('idle', null)))
  window.lab = lab.api
  await useClusterStore().init()
  const w = useWorkloadStore()
  w.init()
  await vi.waitFor(() => expect(lab.api.workload.get).toHaveBeenCalled())
  return w
}

beforeEach(() => setActivePinia(createPinia()))

afterEach(() => {
  useWorkloadStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
})

describe('workload store', () => {
  it('starts, updates and stops the workload with the routing chosen', async () => {
    const w = await setup()
    vi.mocked(lab.api.workload.start).mockResolvedValueOnce(ok(info('running', spec({ ratePerSec: 200, writeRouting: 'leader' }))))
    await expect(w.start({ ratePerSec: 200, writeRouting: 'leader', readRouting: 'linearizable' })).resolves.toBe(true)
    expect(lab.api.workload.start).toHaveBeenCalledWith({ ratePerSec: 200, writeRouting: 'leader', readRouting: 'linearizable' })
    expect(w.running).toBe(true)
    expect(w.spec?.ratePerSec).toBe(200)
    vi.mocked(lab.api.workload.update).mockResolvedValueOnce(ok(info('running', spec({ ratePerSec: 10 }))))
    await w.update({ ratePerSec: 10 })
    expect(w.spec?.ratePerSec).toBe(10)
    vi.mocked(lab.api.workload.stop).mockResolvedValueOnce(ok(info('idle', null)))
    await w.stop()
    expect(w.state).toBe('idle')
  })

  it('keeps the last minute of stats from events, in a ring', async () => {
    const w = await setup()
    lab.emit(stamp({ type: 'workload.state', state: 'running', spec: spec() }))
    for (let i = 0; i < STATS_KEPT + 5; i++) lab.emit(stamp({ type: 'workload.stats', stats: stats(i, i) }))
    expect(w.running).toBe(true)
    expect(w.stats).toHaveLength(STATS_KEPT)
    expect(w.stats[0]!.at).toBe(5)
    expect(w.last?.rate).toBe(STATS_KEPT + 4)
  })

  it('surfaces a refused start', async () => {
    const w = await setup()
    vi.mocked(lab.api.workload.start).mockResolvedValueOnce(failed('CLUSTER_BUSY', 'the workload is already running'))
    await expect(w.start({ ratePerSec: 10 })).resolves.toBe(false)
    expect(useClusterStore().lastError?.code).toBe('CLUSTER_BUSY')
    expect(w.running).toBe(false)
  })

  it('starts clean for a new run and on a feed reset', async () => {
    const w = await setup()
    lab.emit(stamp({ type: 'workload.stats', stats: stats(1) }))
    lab.emit(stamp({ type: 'cluster.created', cluster: runningCluster(3, 1, 'run-2') }))
    expect(w.stats).toHaveLength(0)
    lab.emit(stamp({ type: 'workload.state', state: 'running', spec: spec() }))
    useFeedStore().beginReplay(1)
    expect(w.state).toBe('idle')
  })
})
