import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type DataView } from '../../../electron/lab/api'
import { useClusterStore } from '../stores/cluster'
import { DATA_POLL_MS, useDataStore } from '../stores/data'
import { useFeedStore } from '../stores/feed'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { config, dataView, instance } from '../testing/logsdata-fixtures'
import { mountWithApp } from '../testing/mount'
import NodeDataView from './NodeDataView.vue'

let wrapper: VueWrapper | undefined
let lab: FakeLab
const views = new Map<number, DataView>()

async function mountView(locale: 'en' | 'zh-CN' = 'en', withCluster = true) {
  lab = createFakeLab(withCluster ? runningCluster(3) : null)
  vi.mocked(lab.api.node.data).mockImplementation(({ nodeId }) => {
    const v = views.get(nodeId)
    return Promise.resolve(v ? ok(v) : failed('TIMEOUT', `node ${nodeId} did not answer`))
  })
  window.lab = lab.api
  wrapper = mountWithApp(NodeDataView, { locale }).wrapper
  await useClusterStore().init()
  await vi.advanceTimersByTimeAsync(DATA_POLL_MS)
  await flushPromises()
  return wrapper
}

const dataRows = (w: VueWrapper) => w.findAll('[data-testid="data-row"]')
const rowByKey = (w: VueWrapper, key: string) => w.get(`[data-testid="data-row"][data-key="${key}"]`)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  views.clear()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useDataStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('NodeDataView', () => {
  it('invites to start a cluster when there is none', async () => {
    const w = await mountView('en', false)
    expect(w.get('[data-testid="data-empty"]').text()).toContain('Start a cluster')
  })

  it('shows every node as a column with its applied index, and the rows it holds', async () => {
    const same = dataView(12, [config('app.yaml')], [instance('orders', 8080)])
    for (const id of [1, 2, 3]) views.set(id, same)
    const w = await mountView()
    for (const id of [1, 2, 3]) {
      const col = w.get(`[data-testid="data-column-${id}"]`)
      expect(col.attributes('data-applied')).toBe('12')
      expect(col.text()).toContain('applied 12')
    }
    expect(dataRows(w)).toHaveLength(2)
    expect(dataRows(w).every((r) => r.attributes('data-divergent') === 'false')).toBe(true)
    expect(rowByKey(w, 'public/orders/DEFAULT/10.0.0.1:8080').text()).toContain('healthy')
    expect(w.get('[data-testid="data-counts"]').text()).toBe('1 config · 1 instance · 0 divergent')
  })

  it('marks what a cut-off follower lacks, on its column only, and follows it catching up', async () => {
    views.set(1, dataView(9, [config('a.yaml'), config('b.yaml', 'bbb')]))
    views.set(2, dataView(9, [config('a.yaml'), config('b.yaml', 'bbb')]))
    views.set(3, dataView(7, [config('a.yaml')]))
    const w = await mountView()
    const b = rowByKey(w, 'public/DEFAULT_GROUP/b.yaml')
    expect(b.attributes('data-divergent')).toBe('true')
    expect(b.get('td[data-node="3"]').attributes('data-divergent')).toBe('true')
    expect(b.get('td[data-node="3"]').text()).toContain('missing')
    expect(b.get('td[data-node="1"]').attributes('data-divergent')).toBe('false')
    expect(rowByKey(w, 'public/DEFAULT_GROUP/a.yaml').attributes('data-divergent')).toBe('false')
    expect(w.get('[data-testid="data-column-3"]').text()).toContain('1 divergent row')

    await w.get('[data-testid="data-divergent-only"]').setValue(true)
    expect(dataRows(w).map((r) => r.attributes('data-key'))).toEqual(['public/DEFAULT_GROUP/b.yaml'])

    views.set(3, dataView(9, [config('a.yaml'), config('b.yaml', 'bbb')]))
    await vi.advanceTimersByTimeAsync(DATA_POLL_MS)
    await flushPromises()
    expect(dataRows(w)).toHaveLength(0)
    expect(w.get('[data-testid="data-empty"]').text()).toContain('No row matches')
    await w.get('[data-testid="data-divergent-only"]').setValue(false)
    expect(dataRows(w).every((r) => r.attributes('data-divergent') === 'false')).toBe(true)
  })

  it('greys out a node that does not answer, keeping its last copy', async () => {
    for (const id of [1, 2, 3]) views.set(id, dataView(5, [config('a.yaml')]))
    const w = await mountView()
    views.delete(2)
    await vi.advanceTimersByTimeAsync(DATA_POLL_MS)
    await flushPromises()
    const col = w.get('[data-testid="data-column-2"]')
    expect(col.attributes('data-answering')).toBe('false')
    expect(col.text()).toContain('not answering')
    expect(col.attributes('data-applied')).toBe('5')
    expect(rowByKey(w, 'public/DEFAULT_GROUP/a.yaml').get('td[data-node="2"]').classes()).toContain('dt__cell--stale')
  })

  it('filters rows by their key', async () => {
    for (const id of [1, 2, 3]) views.set(id, dataView(5, [config('app.yaml'), config('db.yaml')], [instance('orders', 1)]))
    const w = await mountView()
    await w.get('[data-testid="data-filter"]').setValue('DB')
    expect(dataRows(w).map((r) => r.attributes('data-key'))).toEqual(['public/DEFAULT_GROUP/db.yaml'])
  })

  it('explains stale reads and ReadIndex, in Chinese too', async () => {
    const w = await mountView('zh-CN')
    const tip = w.get('[role="tooltip"]').text()
    expect(tip).toContain('ReadIndex')
    expect(tip).toContain('consistency=linearizable')
    expect(tip).toContain('跟随者')
    expect(w.text()).toContain('只看不一致')
  })
})
