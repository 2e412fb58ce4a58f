import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type DataView } from '../../../electron/lab/api'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { config, dataView } from '../testing/logsdata-fixtures'
import { useClusterStore } from './cluster'
import { DATA_POLL_MS, useDataStore } from './data'
import { useFeedStore } from './feed'

let lab: FakeLab
const views = new Map<number, DataView>()

async function setup() {
  lab = createFakeLab(runningCluster(3))
  vi.mocked(lab.api.node.data).mockImplementation(({ nodeId }) => {
    const v = views.get(nodeId)
    return Promise.resolve(v ? ok(v) : failed('TIMEOUT', `node ${nodeId} did not answer`))
  })
  window.lab = lab.api
  setActivePinia(createPinia())
  await useClusterStore().init()
  const store = useDataStore()
  store.init()
  return store
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  views.clear()
})

afterEach(() => {
  useDataStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('data store', () => {
  it('polls every node while a view is shown and stops after', async () => {
    const store = await setup()
    for (const id of [1, 2, 3]) views.set(id, dataView(4, [config('a.yaml')]))
    const stop = store.startPolling()
    await vi.advanceTimersByTimeAsync(0)
    expect(store.copies.map((c) => [c.nodeId, c.answering, c.data?.applied])).toEqual([
      [1, true, 4],
      [2, true, 4],
      [3, true, 4]
    ])
    expect(store.divergentCount).toBe(0)
    stop()
    const calls = vi.mocked(lab.api.node.data).mock.calls.length
    await vi.advanceTimersByTimeAsync(DATA_POLL_MS * 3)
    expect(vi.mocked(lab.api.node.data).mock.calls.length).toBe(calls)
  })

  it('marks a node whose copy lags as divergent, and clears it when it catches up', async () => {
    const store = await setup()
    views.set(1, dataView(6, [config('a.yaml'), config('b.yaml')]))
    views.set(2, dataView(6, [config('a.yaml'), config('b.yaml')]))
    views.set(3, dataView(4, [config('a.yaml')]))
    store.startPolling()
    await vi.advanceTimersByTimeAsync(0)
    expect(store.divergentCount).toBe(1)
    expect(store.diff.divergentByNode.get(3)).toBe(1)
    store.divergentOnly = true
    expect(store.configs.map((r) => r.parts[2])).toEqual(['b.yaml'])
    views.set(3, dataView(6, [config('a.yaml'), config('b.yaml')]))
    await vi.advanceTimersByTimeAsync(DATA_POLL_MS)
    expect(store.divergentCount).toBe(0)
    expect(store.configs).toEqual([])
  })

  it('keeps the last copy of a node that stops answering', async () => {
    const store = await setup()
    for (const id of [1, 2, 3]) views.set(id, dataView(3, [config('a.yaml')]))
    store.startPolling()
    await vi.advanceTimersByTimeAsync(0)
    views.delete(2)
    await vi.advanceTimersByTimeAsync(DATA_POLL_MS)
    const two = store.copies.find((c) => c.nodeId === 2)!
    expect(two.answering).toBe(false)
    expect(two.error).toContain('did not answer')
    expect(two.data?.applied).toBe(3)
  })

  it('marks a node that exited as not answering at once', async () => {
    const store = await setup()
    for (const id of [1, 2, 3]) views.set(id, dataView(3))
    store.startPolling()
    await vi.advanceTimersByTimeAsync(0)
    lab.emit({ type: 'node.exited', nodeId: 1, pid: 4001, code: null, signal: 'SIGKILL', expected: false })
    expect(store.copies.find((c) => c.nodeId === 1)!.answering).toBe(false)
    expect(store.copies.find((c) => c.nodeId === 1)!.data).not.toBeNull()
  })

  it('forgets every copy for a new cluster', async () => {
    const store = await setup()
    for (const id of [1, 2, 3]) views.set(id, dataView(3, [config('a.yaml')]))
    store.startPolling()
    await vi.advanceTimersByTimeAsync(0)
    expect(store.diff.configs).toHaveLength(1)
    lab.emit({ type: 'cluster.created', cluster: runningCluster(3, 1, 'run-2') })
    expect(store.copies).toEqual([])
    expect(store.diff.configs).toEqual([])
  })
})
