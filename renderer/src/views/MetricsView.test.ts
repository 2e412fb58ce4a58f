import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../electron/lab/api'
import { useClusterStore } from '../stores/cluster'
import { useFeedStore } from '../stores/feed'
import { useMetricsStore } from '../stores/metrics'
import { createFakeLab, failed, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
import { downNode, nodeMetrics, sample, samplesEverySecond, statuses } from '../testing/metrics-fixtures'
import { mountWithApp } from '../testing/mount'
import MetricsView from './MetricsView.vue'

const T0 = 1_700_000_000_000
let wrapper: VueWrapper | undefined
let lab: FakeLab

// The option is a union of many shapes; tests read it as plain data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

function chartOption(w: VueWrapper, name: string): Loose {
  const chart = w.get(`[data-testid="metrics-chart-${name}"]`).findComponent({ name: 'Echarts' })
  expect(chart.exists()).toBe(true)
  return chart.props('option') as Loose
}

async function mountView(locale: 'en' | 'zh-CN' = 'en') {
  wrapper = mountWithApp(MetricsView, { locale }).wrapper
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['Date', 'setInterval', 'clearInterval'] })
  lab = createFakeLab(runningCluster(3))
  window.lab = lab.api
  vi.mocked(lab.api.metrics.get).mockResolvedValue(ok(samplesEverySecond(T0 - 30_000, 30)))
  vi.mocked(lab.api.alerts.get).mockResolvedValue(ok(statuses()))
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useMetricsStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('MetricsView', () => {
  it('draws every chart from the history it loads, one line per node', async () => {
    const w = await mountView()
    expect(lab.api.metrics.get).toHaveBeenCalled()
    for (const name of ['qps', 'latency', 'errors', 'commit', 'lag', 'leader-changes', 'cpu', 'memory']) {
      expect(w.find(`[data-testid="metrics-chart-${name}"]`).exists(), name).toBe(true)
    }
    const commit = w.get('[data-testid="metrics-chart-commit"]')
    expect(commit.attributes('data-series')).toBe('3')
    expect(commit.attributes('data-samples')).toBe('30')
    expect(chartOption(w, 'commit').series.map((s: Loose) => s.name)).toEqual(['Node 1', 'Node 2', 'Node 3'])
    // A young series starts at the left edge and fills a minute at least.
    expect(chartOption(w, 'commit').xAxis).toMatchObject({ min: T0 - 30_000, max: T0 + 30_000 })
    expect(w.get('[data-testid="metrics-nodes-up"]').text()).toBe('3 of 3')
    expect(w.get('[data-testid="metrics-leader"]').text()).toBe('Node 1')
  })

  it('changes the window of every chart', async () => {
    vi.mocked(lab.api.metrics.get).mockResolvedValue(ok(samplesEverySecond(T0 - 1_200_000, 1200)))
    const w = await mountView()
    expect(chartOption(w, 'cpu').xAxis).toMatchObject({ min: T0 - 5 * 60_000, max: T0 })
    const select = w.get<HTMLSelectElement>('[data-testid="metrics-window"]')
    expect([...select.element.options].map((o) => o.text)).toEqual(['Last 1 min', 'Last 5 min', 'Last 15 min', 'Last 60 min'])
    await select.setValue(String(15 * 60_000))
    expect(useMetricsStore().windowMs).toBe(15 * 60_000)
    expect(chartOption(w, 'cpu').xAxis.min).toBe(T0 - 15 * 60_000)
  })

  it('shows a gap for a crashed node and the quorum-lost rule firing, then resolved, in the history', async () => {
    const w = await mountView()
    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0 + 1000, [nodeMetrics(1), downNode(2), downNode(3)]) }))
    lab.emit(stamp({ type: 'alert', rule: 'quorum-lost', state: 'firing', value: 1, threshold: 2 }, T0 + 1000))
    await flushPromises()
    const row = w.get('[data-testid="alert-rule-quorum-lost"]')
    expect(row.attributes('data-state')).toBe('firing')
    expect(row.get('[data-testid="alert-value"]').text()).toBe('1 up · alert below 2 (majority)')
    expect(w.get('[data-testid="alert-summary"]').text()).toBe('1 firing')
    const node2 = chartOption(w, 'commit').series[1]
    expect(node2.data.at(-1)).toEqual([T0 + 1000, null])

    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0 + 2000) }))
    lab.emit(stamp({ type: 'alert', rule: 'quorum-lost', state: 'resolved', value: 3, threshold: 2 }, T0 + 2000))
    await flushPromises()
    expect(row.attributes('data-state')).toBe('ok')
    const items = w.findAll('[data-testid="alert-history"] li')
    expect(items.map((i) => i.attributes('data-state'))).toEqual(['resolved', 'firing'])
    expect(items[1]!.text()).toContain('Quorum lost')
  })

  it('explains bad input naming the field, and sends nothing', async () => {
    const w = await mountView()
    const input = w.get('[data-testid="alert-threshold-error-rate-high"]')
    expect((input.element as HTMLInputElement).value).toBe('1')
    await input.setValue('lots')
    await w.get('[data-testid="alert-rule-error-rate-high"] form').trigger('submit')
    const msg = w.get('[data-testid="alert-error-error-rate-high"]').text()
    expect(msg).toContain('Error rate high · Threshold')
    expect(msg).toContain('“lots” is not a number')
    expect(msg).toContain('0 to 100')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(lab.api.alerts.configure).not.toHaveBeenCalled()
  })

  it('saves a rule edited in place, converting % to a fraction, and shows what the lab refuses', async () => {
    const w = await mountView()
    vi.mocked(lab.api.alerts.configure).mockResolvedValueOnce(
      ok(statuses({ 'error-rate-high': { rule: { id: 'error-rate-high', enabled: true, threshold: 0.05, forMs: 2000 } } }))
    )
    await w.get('[data-testid="alert-threshold-error-rate-high"]').setValue('5')
    await w.get('[data-testid="alert-for-error-rate-high"]').setValue('2')
    await w.get('[data-testid="alert-rule-error-rate-high"] form').trigger('submit')
    await flushPromises()
    expect(lab.api.alerts.configure).toHaveBeenCalledWith({ rules: [{ id: 'error-rate-high', enabled: true, threshold: 0.05, forMs: 2000 }] })
    expect((w.get('[data-testid="alert-threshold-error-rate-high"]').element as HTMLInputElement).value).toBe('5')

    vi.mocked(lab.api.alerts.configure).mockResolvedValueOnce(failed('INVALID_ARGUMENT', 'rules[0].threshold: elections per hour: a whole number'))
    await w.get('[data-testid="alert-enabled-elections-frequent"]').setValue(false)
    await w.get('[data-testid="alert-rule-elections-frequent"] form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="alert-error-elections-frequent"]').text()).toContain('INVALID_ARGUMENT')
    expect(w.get('[data-testid="alert-error-elections-frequent"]').text()).toContain('rules[0].threshold')
  })

  it('explains every chart and rule with a pointer to the tutorial, in Chinese too', async () => {
    const w = await mountView('zh-CN')
    const tips = w.findAll('[role="tooltip"]').map((t) => t.text())
    expect(tips.some((t) => t.includes('p99') && t.includes('§8.1'))).toBe(true)
    expect(tips.some((t) => t.includes('提交索引') && t.includes('§4.3'))).toBe(true)
    expect(tips.filter((t) => t.includes('§8.3')).length).toBeGreaterThanOrEqual(5)
    expect(w.get('[data-testid="alert-rule-quorum-lost"]').text()).toContain('失去法定人数')
  })

  it('says so when the sample ring is full and old samples are dropped', async () => {
    const w = await mountView()
    expect(w.find('[data-testid="metrics-ring-full"]').exists()).toBe(false)
    lab.emit(...samplesEverySecond(T0 - 3_600_000, 3610).map((s) => stamp({ type: 'metrics.sample', sample: s })))
    await flushPromises()
    expect(w.get('[data-testid="metrics-ring-full"]').text()).toContain('Only the last 60 min (3600 samples) are kept')
    expect(w.get('[data-testid="metrics-samples"]').text()).toBe('3600 kept')
  })

  it('polls the rules while shown and stops when closed', async () => {
    const w = await mountView()
    const calls = vi.mocked(lab.api.alerts.get).mock.calls.length
    vi.advanceTimersByTime(4000)
    expect(vi.mocked(lab.api.alerts.get).mock.calls.length).toBeGreaterThan(calls)
    w.unmount()
    wrapper = undefined
    const after = vi.mocked(lab.api.alerts.get).mock.calls.length
    vi.advanceTimersByTime(10_000)
    expect(vi.mocked(lab.api.alerts.get).mock.calls.length).toBe(after)
  })
})
