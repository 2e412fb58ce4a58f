import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ClusterInfo } from '../../../electron/lab/api'
import { useClusterStore } from '../stores/cluster'
import { useFeedStore } from '../stores/feed'
import { DEFAULT_SPAN_MS, FRAME_MS, useTimelineStore } from '../stores/timeline'
import { createFakeLab, runningCluster, type FakeLab } from '../testing/fake-lab'
import { mountWithApp } from '../testing/mount'
import { election, lab as labEvent, msgSent } from '../testing/timeline-fixtures'
import TimelineView from './TimelineView.vue'

const T0 = 1_700_000_000_000
let wrapper: VueWrapper | undefined
let lab: FakeLab

// The option is a union of many shapes; tests read it as plain data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

function chartOption(w: VueWrapper): Loose {
  const chart = w.get('[data-testid="timeline-chart"]').findComponent({ name: 'Echarts' })
  expect(chart.exists()).toBe(true)
  return chart.props('option') as Loose
}

async function mountView(cluster: ClusterInfo | null = runningCluster(3, T0), locale: 'en' | 'zh-CN' = 'en') {
  lab = createFakeLab(cluster)
  window.lab = lab.api
  wrapper = mountWithApp(TimelineView, { locale }).wrapper
  await flushPromises()
  return wrapper
}

async function frame(): Promise<void> {
  vi.advanceTimersByTime(FRAME_MS)
  await flushPromises()
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 + 5_000, toFake: ['Date', 'setInterval', 'clearInterval'] })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useTimelineStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  vi.useRealTimers()
})

const crashLeader = (node: number, t: number) => labEvent({ type: 'node.exited', nodeId: node, pid: 4000 + node, code: null, signal: 'SIGKILL', expected: false }, t)

describe('TimelineView', () => {
  it('shows an empty chart that invites to start a cluster', async () => {
    const w = await mountView(null)
    expect(chartOption(w).title.show).toBe(true)
    expect(w.get('[data-testid="timeline-leader"]').text()).toBe('')
    expect(w.text()).toContain('No leader yet')
    expect(w.get('[data-testid="timeline-gaps"]').text()).toContain('No leader change yet')
  })

  it('draws one lane per node and names the leader', async () => {
    const w = await mountView()
    lab.emit(...election(3, 2, 1, T0 + 300))
    await frame()
    const option = chartOption(w)
    expect(option.yAxis.data).toEqual(['Leader', 'Node 1', 'Node 2', 'Node 3'])
    expect(option.series.find((s: Loose) => s.id === 'leaders').data).toHaveLength(1)
    expect(w.get('[data-testid="timeline-leader"]').text()).toBe('2')
    expect(w.text()).toContain('term 1')
  })

  it('lists each leader change with the time without a leader, and counts the current gap', async () => {
    const w = await mountView()
    lab.emit(...election(3, 1, 1, T0 + 300))
    lab.emit(crashLeader(1, T0 + 4_000))
    await frame()
    expect(w.get('[data-testid="timeline-leader"]').text()).toBe('')
    expect(w.text()).toMatch(/No leader for 1.3 s/)
    lab.emit(...election(3, 3, 2, T0 + 4_250, { absent: [1] }))
    await frame()
    const items = w.findAll('[data-testid="timeline-leaderless"]')
    expect(items).toHaveLength(1)
    expect(items[0]!.text()).toContain('252 ms without a leader')
    expect(items[0]!.text()).toContain('node 1 (term 1) crashed → node 3 elected for term 2')
    expect(items[0]!.attributes('data-cause')).toBe('crash')
    expect(w.get('[data-testid="timeline-leader"]').text()).toBe('3')
    expect(chartOption(w).series.find((s: Loose) => s.id === 'gaps').data).toEqual([[T0 + 4_000, T0 + 4_252, 0, 252, 0]])

    // Clicking the entry shows that moment on the chart and stops following.
    await items[0]!.get('button').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="timeline-follow"]').attributes('aria-pressed')).toBe('false')
    const zoom = chartOption(w).dataZoom[0]
    expect(zoom.startValue).toBeLessThan(T0 + 4_000)
    expect(zoom.endValue).toBeGreaterThan(T0 + 4_252)
  })

  it('follows live until toggled off, and resets the zoom', async () => {
    const w = await mountView()
    lab.emit(...election(3, 1, 1, T0 + 300))
    await frame()
    const follow = w.get('[data-testid="timeline-follow"]')
    expect(follow.attributes('aria-pressed')).toBe('true')
    let zoom = chartOption(w).dataZoom[1]
    expect(zoom.endValue).toBe(Date.now())
    // Following: the window moves with the clock.
    vi.advanceTimersByTime(2_000)
    await flushPromises()
    zoom = chartOption(w).dataZoom[1]
    expect(zoom.endValue).toBe(Date.now())
    await follow.trigger('click')
    const { startValue: pinnedStart, endValue: pinnedEnd } = chartOption(w).dataZoom[1]
    vi.advanceTimersByTime(2_000)
    await flushPromises()
    expect(chartOption(w).dataZoom[1].endValue).toBe(pinnedEnd)

    // Zooming in halves what is shown, around its middle.
    await w.get('[data-testid="timeline-zoom-in"]').trigger('click')
    await flushPromises()
    const zoomed = chartOption(w).dataZoom[1]
    expect(zoomed.endValue - zoomed.startValue).toBe((pinnedEnd - pinnedStart) / 2)
    expect(zoomed.startValue + zoomed.endValue).toBe(pinnedStart + pinnedEnd)
    await w.get('[data-testid="timeline-zoom-reset"]').trigger('click')
    await flushPromises()
    expect(follow.attributes('aria-pressed')).toBe('true')
    expect(useTimelineStore().spanMs).toBe(DEFAULT_SPAN_MS)
    // The timeline is younger than the span: it fills the chart from its first event.
    const z = chartOption(w).dataZoom[0]
    expect([z.startValue, z.endValue]).toEqual([T0 + 300 - 500, Date.now()])
    // Once older than the span, it shows the last span.
    vi.advanceTimersByTime(DEFAULT_SPAN_MS)
    await flushPromises()
    const later = chartOption(w).dataZoom[0]
    expect(later.endValue - later.startValue).toBe(DEFAULT_SPAN_MS)
  })

  it('stops following when the chart is scrolled back, keeps following when zoomed at the live edge', async () => {
    const w = await mountView()
    lab.emit(...election(3, 1, 1, T0 + 300))
    await frame()
    const chart = w.get('[data-testid="timeline-chart"]').findComponent({ name: 'Echarts' })
    const now = Date.now()
    // ECharts' own echoes of an option update are not the user's: ignored.
    chart.vm.$emit('datazoom', { start: 0, end: 50 })
    await flushPromises()
    expect(useTimelineStore().follow).toBe(true)
    expect(useTimelineStore().spanMs).toBe(DEFAULT_SPAN_MS)
    // A wheel on the chart at the live edge: still following, with the new span.
    await w.get('[data-testid="timeline-chart"]').trigger('wheel')
    chart.vm.$emit('datazoom', { batch: [{ startValue: now - 10_000, endValue: now }] })
    await flushPromises()
    expect(useTimelineStore().follow).toBe(true)
    expect(useTimelineStore().spanMs).toBe(10_000)
    const x = chartOption(w).xAxis
    // Dragging the slider back (percentages of the axis): the first half.
    await w.get('[data-testid="timeline-chart"]').trigger('pointerdown')
    chart.vm.$emit('datazoom', { start: 0, end: 50 })
    window.dispatchEvent(new Event('pointerup'))
    await flushPromises()
    expect(useTimelineStore().follow).toBe(false)
    expect(chartOption(w).dataZoom[0].endValue).toBeCloseTo((x.min + x.max) / 2, 0)
  })

  it('zooms and pans from the keyboard on the chart', async () => {
    const w = await mountView()
    const chart = w.get('[data-testid="timeline-chart"]')
    expect(chart.attributes('tabindex')).toBe('0')
    await chart.trigger('keydown', { key: '+' })
    expect(useTimelineStore().spanMs).toBe(DEFAULT_SPAN_MS / 2)
    await chart.trigger('keydown', { key: '-' })
    await chart.trigger('keydown', { key: '-' })
    expect(useTimelineStore().spanMs).toBe(DEFAULT_SPAN_MS * 2)
    await chart.trigger('keydown', { key: 'ArrowLeft' })
    expect(useTimelineStore().follow).toBe(false)
    await chart.trigger('keydown', { key: 'f' })
    expect(useTimelineStore().follow).toBe(true)
    await chart.trigger('keydown', { key: '0' })
    expect(useTimelineStore().spanMs).toBe(DEFAULT_SPAN_MS)
  })

  it('hides a message family when unchecked', async () => {
    const w = await mountView()
    lab.emit(...election(3, 1, 1, T0 + 300), msgSent(1, T0 + 400, 2, 'MsgHeartbeat', 1))
    await frame()
    const count = (): number => chartOption(w).series.find((s: Loose) => s.id === 'messages').data.length
    const before = count()
    await w.get('[data-testid="timeline-filter-vote"]').setValue(false)
    await flushPromises()
    expect(count()).toBe(1)
    expect(before).toBeGreaterThan(1)
  })

  it('shows link faults as shaded bands and trace gaps on the lane', async () => {
    const w = await mountView()
    lab.emit(...election(3, 1, 1, T0 + 300))
    lab.emit(labEvent({ type: 'link.fault', kind: 'peer', from: 1, to: 3, fault: { cut: 'blackhole', delayMs: 0, jitterMs: 0, dropPct: 0, dupPct: 0 } }, T0 + 1_000))
    lab.emit(labEvent({ type: 'trace.gap', nodeId: 2, fromSeq: 5, toSeq: 9, missing: 5 }, T0 + 1_500))
    await frame()
    const series = chartOption(w).series as Loose[]
    expect(series.find((s) => s.id === 'faults')!.data).toEqual([[T0 + 1_000, Date.now(), 1, 0]])
    const marks = series.find((s) => s.id === 'marks')!.data as number[][]
    expect(marks.some((k) => k[1] === 2 && k[6] === 5)).toBe(true)
    const tip = chartOption(w).tooltip.formatter({ seriesId: 'faults', value: [T0 + 1_000, Date.now(), 1, 0] })
    expect(tip).toContain('Link 1 → 3: cut (blackhole)')
  })

  it('says when message events were sampled and how much it keeps', async () => {
    const w = await mountView()
    expect(w.find('[data-testid="timeline-sampled"]').exists()).toBe(false)
    expect(w.get('[data-testid="timeline-retention"]').text()).toContain('30 min')
    lab.emit({ type: 'trace.sampled', nodeId: 1, kept: 150, skipped: 850 })
    await flushPromises()
    expect(w.get('[data-testid="timeline-sampled"]').text()).toContain('Sampled: 150 of 1,000 message events shown')
  })

  it('explains terms, votes, PreVote, the election timeout and leaderless time with tutorial sections', async () => {
    const w = await mountView()
    const tips = w.findAll('[role="tooltip"]').map((t) => t.text())
    expect(tips.some((t) => t.includes('logical clock') && t.includes('§3.2'))).toBe(true)
    expect(tips.some((t) => t.includes('PreVote') && t.includes('§3.3'))).toBe(true)
    expect(tips.some((t) => t.includes('election timeout') && t.includes('§5.1'))).toBe(true)
    expect(tips.some((t) => t.includes('old leader was lost') && t.includes('§5.2'))).toBe(true)
    expect(tips.some((t) => t.includes('vote at most once') || t.includes('votes at most once'))).toBe(true)
  })

  it('speaks Chinese', async () => {
    const w = await mountView(runningCluster(3, T0), 'zh-CN')
    lab.emit(...election(3, 1, 1, T0 + 300))
    lab.emit(crashLeader(1, T0 + 4_000))
    lab.emit(...election(3, 2, 2, T0 + 4_100, { absent: [1] }))
    await frame()
    expect(w.text()).toContain('选举时间线')
    expect(chartOption(w).yAxis.data).toEqual(['领导者', '节点 1', '节点 2', '节点 3'])
    expect(w.get('[data-testid="timeline-leaderless"]').text()).toContain('无领导者 102 毫秒')
  })
})
