import { describe, expect, it } from 'vitest'
import { downNode, nodeMetrics, sample, samplesEverySecond } from '../../testing/metrics-fixtures'
import { CHART_PALETTES, NODE_COLORS, nodeColor } from '../palette'
import {
  buildCommitOption,
  buildCpuOption,
  buildErrorsOption,
  buildLatencyOption,
  buildLeaderChangesOption,
  buildMemoryOption,
  buildMetricsOption,
  buildQpsOption,
  buildWalOption,
  drawnSeriesCount,
  framesOf,
  METRICS_CHART_IDS,
  restartsOf,
  seriesOf,
  type MetricsChartInput
} from './metrics'

const T0 = 1_700_000_000_000

const labels: MetricsChartInput['labels'] = {
  node: (id) => `Node ${id}`,
  cluster: 'Cluster',
  api: (g) => `api:${g}`,
  p50: 'p50',
  p99: 'p99',
  empty: 'no data',
  restarted: (id) => `node ${id} restarted`,
  fsync: (id) => `fsync ${id}`,
  rtt: (peer) => `rtt ${peer}`,
  units: { qps: 'req/s', entries: 'entries', changes: 'changes' }
}

function input(over: Partial<MetricsChartInput> = {}): MetricsChartInput {
  return { samples: samplesEverySecond(T0, 10), from: T0, to: T0 + 60_000, scheme: 'light', palette: CHART_PALETTES.light, labels, ...over }
}

// The option is a union of many shapes; tests look at it as plain data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>
const loose = (o: unknown): Loose => o as Loose

describe('framesOf', () => {
  it('keeps one frame per sample within the window, dropping samples outside it', () => {
    const samples = samplesEverySecond(T0, 10)
    const f = framesOf(samples, T0 + 2000, T0 + 5000)
    expect(f.map((x) => x.t)).toEqual([T0 + 2000, T0 + 3000, T0 + 4000, T0 + 5000])
  })

  it('breaks the line where samples are missing for more than three intervals', () => {
    const samples = [sample(T0), sample(T0 + 1000), sample(T0 + 10_000)]
    const f = framesOf(samples, T0, T0 + 60_000)
    expect(f).toHaveLength(4)
    expect(f[2]!.samples).toEqual([])
    expect(f[2]!.t).toBeGreaterThan(T0 + 1000)
    expect(f[2]!.t).toBeLessThan(T0 + 10_000)
  })

  it('buckets a long window to at most maxPoints frames', () => {
    const samples = samplesEverySecond(T0, 3600)
    const f = framesOf(samples, T0, T0 + 3_600_000, 600)
    expect(f.length).toBeLessThanOrEqual(601)
    expect(f.length).toBeGreaterThan(500)
    expect(f.reduce((n, x) => n + x.samples.length, 0)).toBe(3600)
  })
})

describe('seriesOf', () => {
  const frames = [
    { t: 1, samples: [sample(1, [nodeMetrics(1, { p99Ms: 5 })]), sample(2, [nodeMetrics(1, { p99Ms: 9 })])] },
    { t: 3, samples: [] },
    { t: 4, samples: [sample(4, [nodeMetrics(1, { p99Ms: 7 })]), sample(5, [downNode(1)])] }
  ]
  const p99 = (s: ReturnType<typeof sample>): number | null => (s.nodes[0]!.up ? s.nodes[0]!.p99Ms : null)

  it('aggregates each bucket and gives null for gaps and for buckets where the node was down', () => {
    expect(seriesOf(frames, p99, 'max')).toEqual([
      [1, 9],
      [3, null],
      [4, null]
    ])
    expect(seriesOf(frames.slice(0, 1), p99, 'mean')).toEqual([[1, 7]])
    expect(seriesOf(frames.slice(0, 1), p99, 'sum')).toEqual([[1, 14]])
    expect(seriesOf(frames.slice(0, 1), p99, 'last')).toEqual([[1, 9]])
  })
})

describe('per-node charts', () => {
  it('draws one commit line per node, each in its node colour, shared across charts', () => {
    const o = loose(buildCommitOption(input()))
    expect(o.series.map((s: Loose) => s.name)).toEqual(['Node 1', 'Node 2', 'Node 3'])
    expect(o.series.map((s: Loose) => s.lineStyle.color)).toEqual([1, 2, 3].map((id) => NODE_COLORS.light[id - 1]))
    const cpu = loose(buildCpuOption(input({ scheme: 'dark', palette: CHART_PALETTES.dark })))
    expect(cpu.series[1].lineStyle.color).toBe(nodeColor('dark', 2))
    expect(nodeColor('dark', 2)).not.toBe(nodeColor('light', 2))
    expect(o.xAxis).toMatchObject({ type: 'time', min: T0, max: T0 + 60_000 })
    expect(o.title.show).toBe(false)
  })

  it('leaves a gap (null, never 0) while a node is down', () => {
    const samples = samplesEverySecond(T0, 6, (at, i) => sample(at, [nodeMetrics(1), i >= 2 && i < 4 ? downNode(2) : nodeMetrics(2, { commit: 100 + i })]))
    for (const build of [buildCommitOption, buildLatencyOption, buildCpuOption, buildMemoryOption]) {
      const o = loose(build(input({ samples })))
      const node2 = o.series.find((s: Loose) => s.name.startsWith('Node 2'))
      expect(node2.data.map((p: [number, number | null]) => p[1] === null)).toEqual([false, false, true, true, false, false])
    }
    const commit = loose(buildCommitOption(input({ samples })))
    expect(commit.series[1].data[4]).toEqual([T0 + 4000, 104])
    expect(commit.series[1].connectNulls).toBe(false)
  })

  it('marks a restarted node with a line in its colour', () => {
    const samples = samplesEverySecond(T0, 4, (at, i) => sample(at, [nodeMetrics(1), nodeMetrics(2, { restarted: i === 2 })]))
    const o = loose(buildCommitOption(input({ samples })))
    const marks = o.series[0].markLine.data
    expect(marks).toHaveLength(1)
    expect(marks[0].xAxis).toBe(T0 + 2000)
    expect(marks[0].lineStyle.color).toBe(nodeColor('light', 2))
    expect(marks[0].name).toBe('node 2 restarted')
  })

  it('marks a node that reappears after the lab stopped scraping it (crashed, then restarted)', () => {
    const samples = samplesEverySecond(T0, 5, (at, i) => sample(at, i === 1 || i === 2 ? [nodeMetrics(1)] : [nodeMetrics(1), nodeMetrics(2)]))
    expect(restartsOf(samples, T0, T0 + 60_000)).toEqual([{ at: T0 + 3000, nodeId: 2 }])
    // Missing from the samples is a gap too.
    const o = loose(buildCommitOption(input({ samples })))
    expect(o.series[1].data.map((p: [number, number | null]) => p[1])).toEqual([100, null, null, 100, 100])
    // A node first seen mid-window (it joined) is not a restart.
    expect(restartsOf(samples.slice(1), T0, T0 + 60_000)).toEqual([])
  })

  it('shows memory in MB and CPU in %', () => {
    const samples = [sample(T0, [nodeMetrics(1, { rssBytes: 200 * 1024 * 1024, cpuPct: 37.5 })])]
    const mem = loose(buildMemoryOption(input({ samples })))
    expect(mem.series[0].data[0][1]).toBe(200)
    expect(mem.yAxis.axisLabel.formatter(200)).toBe('200 MB')
    expect(mem.tooltip.valueFormatter(199.6)).toBe('200 MB')
    expect(mem.tooltip.valueFormatter(null)).toBe('—')
    const cpu = loose(buildCpuOption(input({ samples })))
    expect(cpu.series[0].data[0][1]).toBe(37.5)
    expect(cpu.yAxis.axisLabel.formatter(37.5)).toBe('37.5 %')
  })
})

describe('cluster charts', () => {
  it('stacks QPS by API, summed over the nodes that are up, leaving out APIs with no traffic', () => {
    const samples = [sample(T0, [nodeMetrics(1, { qps: { register: 10, beat: 4 } }), nodeMetrics(2, { qps: { register: 5 } }), downNode(3)])]
    const o = loose(buildQpsOption(input({ samples })))
    expect(o.series.map((s: Loose) => s.name)).toEqual(['api:register', 'api:beat'])
    expect(o.series.map((s: Loose) => s.data[0][1])).toEqual([15, 4])
    expect(o.series.every((s: Loose) => s.stack === 'qps')).toBe(true)
    expect(o.tooltip.valueFormatter(15)).toBe('15 req/s')
    expect(o.yAxis.axisLabel.formatter(15)).toBe('15')
  })

  it('draws the cluster p99 and each node p99 (solid) and p50 (dashed)', () => {
    const o = loose(buildLatencyOption(input({ samples: [sample(T0, [nodeMetrics(1, { p99Ms: 120, p50Ms: 3 }), nodeMetrics(2)])] })))
    expect(o.series.map((s: Loose) => s.name)).toEqual(['Cluster p99', 'Node 1 p99', 'Node 1 p50', 'Node 2 p99', 'Node 2 p50'])
    expect(o.series[0].data[0][1]).toBe(120)
    expect(o.series[2].lineStyle.type).toBe('dashed')
    expect(o.yAxis.axisLabel.formatter(120)).toBe('120 ms')
  })

  it('shows error rates in percent', () => {
    const o = loose(buildErrorsOption(input({ samples: [sample(T0, [nodeMetrics(1, { errorRate: 0.05 })], { errorRate: 0.05 })] })))
    expect(o.series[0].data[0][1]).toBe(5)
    expect(o.series[1].data[0][1]).toBe(5)
    expect(o.yAxis.axisLabel.formatter(5)).toBe('5 %')
  })

  it('draws leader changes as bars only where there were some', () => {
    const samples = samplesEverySecond(T0, 5, (at, i) => sample(at, undefined, { leaderChanges: i === 3 ? 1 : 0 }))
    const o = loose(buildLeaderChangesOption(input({ samples })))
    expect(o.series[0].type).toBe('bar')
    expect(o.series[0].data).toEqual([[T0 + 3000, 1]])
    expect(o.yAxis.minInterval).toBe(1)
  })

  it("names the leader's peers by node in the WAL panel", () => {
    const samples = [sample(T0, [nodeMetrics(1, { isLeader: true, peerRttMs: { '127.0.0.1:18858': 0.8 } }), nodeMetrics(2, { isLeader: false })])]
    const o = loose(buildWalOption(input({ samples, nodeOfAddress: (a) => (a === '127.0.0.1:18858' ? 2 : null) })))
    expect(o.series.map((s: Loose) => s.name)).toEqual(['fsync 1', 'fsync 2', 'rtt Node 2'])
    expect(o.series[2].data[0][1]).toBe(0.8)
    expect(o.series[2].lineStyle.color).toBe(nodeColor('light', 2))
  })
})

describe('every chart', () => {
  it('says there is no data yet instead of framing empty axes', () => {
    for (const id of METRICS_CHART_IDS) {
      const o = loose(buildMetricsOption(id, input({ samples: [] })))
      expect(o.title.show, id).toBe(true)
      expect(o.title.text).toBe('no data')
      expect(o.xAxis.show).toBe(false)
      expect(o.animation).toBe(false)
    }
  })

  it('uses the theme palette for axes and tooltips', () => {
    const o = loose(buildMetricsOption('lag', input({ scheme: 'dark', palette: CHART_PALETTES.dark })))
    expect(o.yAxis.splitLine.lineStyle.color).toBe(CHART_PALETTES.dark.splitLine)
    expect(o.tooltip.backgroundColor).toBe(CHART_PALETTES.dark.tooltipBg)
    expect(o.tooltip.valueFormatter(3)).toBe('3 entries')
    expect(o.yAxis.minInterval).toBe(1)
  })

  it('counts the series that draw something', () => {
    const samples = [sample(T0, [nodeMetrics(1), downNode(2), nodeMetrics(3)])]
    expect(drawnSeriesCount(buildCommitOption(input({ samples })))).toBe(2)
    expect(drawnSeriesCount(buildCommitOption(input({ samples: [] })))).toBe(0)
  })
})
