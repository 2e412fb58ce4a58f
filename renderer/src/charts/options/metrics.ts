/**
 * PURE option builders for the metrics view: MetricsSamples in, one EChartsOption per chart out.
 * No DOM, no clock (the window `from`/`to` is an input), no i18n (labels are inputs), so each
 * chart is testable as data and every chart shares the same x axis.
 *
 * Conventions every chart follows:
 * - a node's value is null (a gap, never a zero) while it is down or did not answer;
 * - missing samples (the lab was not sampling) break the lines too;
 * - a node keeps its colour in every chart (NODE_COLORS, by node id);
 * - long windows are bucketed to at most `maxPoints` points per series, with an aggregate that
 *   keeps what the chart is about (the worst latency, the mean rate, the sum of elections).
 */
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import { API_GROUPS, type ApiGroup, type MetricsSample, type NodeId, type NodeMetrics } from '../../../../electron/lab/api'
import { nodeColor, type ChartPalette, type ColorScheme } from '../palette'

export type MetricsOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>

export const METRICS_CHART_IDS = ['qps', 'latency', 'errors', 'commit', 'lag', 'leader-changes', 'cpu', 'memory', 'wal'] as const
export type MetricsChartId = (typeof METRICS_CHART_IDS)[number]

/** The ECharts connect group of the metrics charts: hovering one shows the same moment in all. */
export const METRICS_CHART_GROUP = 'metrics'

/** One colour per API, same order as API_GROUPS. */
export const API_COLORS: Record<ColorScheme, readonly string[]> = {
  light: ['#2f6fed', '#93b4f6', '#1f9d6a', '#0891b2', '#8b5cf6', '#d97706', '#e9a23b', '#db2777', '#94a3b8'],
  dark: ['#6f9bff', '#a9c1ff', '#4cd08a', '#38bdf8', '#b197fc', '#f5a524', '#fcd34d', '#f472b6', '#94a3b8']
}

export function apiColor(scheme: ColorScheme, api: ApiGroup): string {
  return API_COLORS[scheme][API_GROUPS.indexOf(api)] ?? API_COLORS[scheme].at(-1)!
}

export interface MetricsLabels {
  node: (id: NodeId) => string
  /** Series name of cluster-wide figures. */
  cluster: string
  api: (api: ApiGroup) => string
  p50: string
  p99: string
  /** Shown in an empty chart. */
  empty: string
  /** Mark label of a restart, e.g. "node 2 restarted". */
  restarted: (id: NodeId) => string
  /** Series names of the WAL panel. */
  fsync: (id: NodeId) => string
  rtt: (peer: string) => string
  /** Units after values, e.g. "req/s", "entries". */
  units: { qps: string; entries: string; changes: string }
}

export interface MetricsChartInput {
  /** Samples in time order (the store keeps them so). */
  samples: readonly MetricsSample[]
  /** The window, ms: every chart spans exactly [from, to]. */
  from: number
  to: number
  scheme: ColorScheme
  palette: ChartPalette
  labels: MetricsLabels
  /** Points per series at most (default 600): longer windows are bucketed. */
  maxPoints?: number
  /** The lab node of a member address (peer RTT is keyed by address); null: show the address. */
  nodeOfAddress?: (address: string) => NodeId | null
}

export const DEFAULT_MAX_POINTS = 600

/** A point of the x axis: one sample, a bucket of samples, or a gap (no samples). */
export interface Frame {
  t: number
  samples: readonly MetricsSample[]
}

/**
 * The frames to draw within [from, to]. At most `maxPoints` frames (samples sharing a bucket of
 * (to − from) / maxPoints ms are grouped); where samples are missing for longer than three
 * intervals (or two buckets), an empty frame is inserted so the lines break there.
 */
export function framesOf(samples: readonly MetricsSample[], from: number, to: number, maxPoints = DEFAULT_MAX_POINTS): Frame[] {
  const visible = samples.filter((s) => s.at >= from && s.at <= to)
  const bucketMs = visible.length > maxPoints ? (to - from) / maxPoints : 0
  const out: Frame[] = []
  let group: MetricsSample[] = []
  let key = Number.NaN
  const flush = (): void => {
    if (group.length === 0) return
    const prev = out.at(-1)
    const first = group[0]!
    const gapMs = Math.max(3 * Math.max(first.intervalMs, 1000), 2 * bucketMs)
    if (prev && first.at - prev.t > gapMs) out.push({ t: prev.t + Math.round((first.at - prev.t) / 2), samples: [] })
    out.push({ t: group.at(-1)!.at, samples: group })
    group = []
  }
  for (const s of visible) {
    const k = bucketMs > 0 ? Math.floor((s.at - from) / bucketMs) : s.at
    if (k !== key) {
      flush()
      key = k
    }
    group.push(s)
  }
  flush()
  return out
}

export type Aggregate = 'max' | 'mean' | 'sum' | 'last'

function aggregate(values: readonly number[], how: Aggregate): number {
  switch (how) {
    case 'max':
      return Math.max(...values)
    case 'sum':
      return values.reduce((a, b) => a + b, 0)
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length
    case 'last':
      return values.at(-1)!
  }
}

/** 2 decimals at most: figures read on a chart, not in a ledger. */
const round = (v: number): number => Math.round(v * 100) / 100

/**
 * One [t, value] point per frame. A frame is null when any of its samples has no value (the node
 * was down for part of the bucket: a gap says so, an average would hide it) or it is a gap.
 */
export function seriesOf(frames: readonly Frame[], pick: (s: MetricsSample) => number | null, how: Aggregate): Array<[number, number | null]> {
  return frames.map((f) => {
    if (f.samples.length === 0) return [f.t, null]
    const values: number[] = []
    for (const s of f.samples) {
      const v = pick(s)
      if (v === null || !Number.isFinite(v)) return [f.t, null]
      values.push(v)
    }
    return [f.t, round(aggregate(values, how))]
  })
}

const nodeOf = (s: MetricsSample, id: NodeId): NodeMetrics | undefined => s.nodes.find((n) => n.nodeId === id)

/** A node's figure, or null when the node is missing or down (its figures are not measured). */
const upValue =
  (id: NodeId, get: (n: NodeMetrics) => number | null) =>
  (s: MetricsSample): number | null => {
    const n = nodeOf(s, id)
    return n && n.up ? get(n) : null
  }

/** Every node seen in the window, by id. */
export function nodeIdsOf(samples: readonly MetricsSample[], from: number, to: number): NodeId[] {
  const ids = new Set<NodeId>()
  for (const s of samples) if (s.at >= from && s.at <= to) for (const n of s.nodes) ids.add(n.nodeId)
  return [...ids].sort((a, b) => a - b)
}

/**
 * Times a node came back as a new process, within the window: the lab flags the first sample
 * after a restart it saw (`restarted`), and a node that was not scraped at all (down or
 * stopped: the lab scrapes only running nodes) reappears in the sample after its absence.
 */
export function restartsOf(samples: readonly MetricsSample[], from: number, to: number): Array<{ at: number; nodeId: NodeId }> {
  const out: Array<{ at: number; nodeId: NodeId }> = []
  const seen = new Set<NodeId>()
  let prev: Set<NodeId> | null = null
  for (const s of samples) {
    if (s.at < from || s.at > to) continue
    const present = new Set(s.nodes.map((n) => n.nodeId))
    for (const n of s.nodes) {
      const cameBack = prev !== null && seen.has(n.nodeId) && !prev.has(n.nodeId)
      if (n.restarted || cameBack) out.push({ at: s.at, nodeId: n.nodeId })
      seen.add(n.nodeId)
    }
    prev = present
  }
  return out
}

type Formatter = (v: number) => string

function base(input: MetricsChartInput, opts: { unit: Formatter; axis?: Formatter; empty: boolean; legend: boolean; yMin?: number; yMax?: number; scale?: boolean; minInterval?: number }): MetricsOption {
  const { palette } = input
  return {
    backgroundColor: 'transparent',
    // Live data re-renders every second; animating each update reads as jitter.
    animation: false,
    textStyle: { color: palette.text },
    grid: { left: 52, right: 16, top: opts.legend ? 34 : 14, bottom: 26 },
    title: {
      show: opts.empty,
      text: input.labels.empty,
      left: 'center',
      top: 'middle',
      textStyle: { color: palette.textMuted, fontSize: 13, fontWeight: 'normal' }
    },
    legend: {
      // Scrolls instead of wrapping over the plot when there are many nodes or series.
      type: 'scroll',
      show: opts.legend && !opts.empty,
      right: 8,
      pageIconSize: 10,
      pageTextStyle: { color: palette.textMuted },
      pageIconColor: palette.textMuted,
      pageIconInactiveColor: palette.axisLine,
      top: 0,
      left: 8,
      itemWidth: 14,
      itemHeight: 8,
      icon: 'roundRect',
      textStyle: { color: palette.textMuted, fontSize: 11 },
      inactiveColor: palette.axisLine
    },
    tooltip: {
      trigger: 'axis',
      backgroundColor: palette.tooltipBg,
      borderColor: palette.tooltipBorder,
      textStyle: { color: palette.text, fontSize: 12 },
      axisPointer: { type: 'line', lineStyle: { color: palette.axisLine } },
      valueFormatter: (v) => (typeof v === 'number' && Number.isFinite(v) ? opts.unit(v) : '—')
    },
    xAxis: {
      show: !opts.empty,
      type: 'time',
      min: input.from,
      max: input.to,
      axisLine: { lineStyle: { color: palette.axisLine } },
      axisTick: { show: false },
      axisLabel: { color: palette.textMuted, formatter: '{HH}:{mm}:{ss}', hideOverlap: true },
      splitLine: { show: false }
    },
    yAxis: {
      show: !opts.empty,
      type: 'value',
      min: opts.yMin,
      max: opts.yMax,
      scale: opts.scale ?? false,
      minInterval: opts.minInterval,
      axisLabel: { color: palette.textMuted, formatter: (v: number) => (opts.axis ?? opts.unit)(v) },
      splitLine: { lineStyle: { color: palette.splitLine } }
    }
  }
}

interface LineSpec {
  name: string
  color: string
  data: Array<[number, number | null]>
  dashed?: boolean
  width?: number
  step?: boolean
  area?: boolean
  stack?: string
  markLine?: MarkLineComponentOption
}

function line(spec: LineSpec): LineSeriesOption {
  const drawn = spec.data.filter((p) => p[1] !== null).length
  return {
    type: 'line',
    name: spec.name,
    data: spec.data,
    // A lone point draws no line: show points while there are few of them.
    showSymbol: drawn > 0 && drawn <= 2,
    symbolSize: 5,
    connectNulls: false,
    step: spec.step ? 'end' : false,
    stack: spec.stack,
    color: spec.color,
    lineStyle: { width: spec.width ?? 1.6, color: spec.color, type: spec.dashed ? 'dashed' : 'solid' },
    itemStyle: { color: spec.color },
    areaStyle: spec.area ? { opacity: 0.35, color: spec.color } : undefined,
    emphasis: { focus: 'series' },
    markLine: spec.markLine
  }
}

/** Dashed vertical lines where nodes restarted, each in its node's colour. */
function restartMarks(input: MetricsChartInput): MarkLineComponentOption | undefined {
  const marks = restartsOf(input.samples, input.from, input.to)
  if (marks.length === 0) return undefined
  return {
    silent: true,
    symbol: 'none',
    data: marks.map((m) => ({
      xAxis: m.at,
      name: input.labels.restarted(m.nodeId),
      lineStyle: { color: nodeColor(input.scheme, m.nodeId), type: 'dashed', width: 1.2 },
      label: { formatter: `↻ ${m.nodeId}`, color: nodeColor(input.scheme, m.nodeId), position: 'end', fontSize: 10 }
    }))
  }
}

/** One line per node of `get`, gaps where a node is down; restarts marked on the first series. */
function perNode(input: MetricsChartInput, frames: readonly Frame[], get: (n: NodeMetrics) => number | null, how: Aggregate, extra: Partial<LineSpec> = {}, pick?: (id: NodeId) => (s: MetricsSample) => number | null): LineSeriesOption[] {
  const ids = nodeIdsOf(input.samples, input.from, input.to)
  const marks = restartMarks(input)
  return ids.map((id, i) =>
    line({
      name: input.labels.node(id),
      color: nodeColor(input.scheme, id),
      data: seriesOf(frames, pick ? pick(id) : upValue(id, get), how),
      ...extra,
      markLine: i === 0 ? marks : undefined
    })
  )
}

const fixed =
  (digits: number, unit = ''): Formatter =>
  (v) =>
    `${Number(v.toFixed(digits))}${unit}`

function frames(input: MetricsChartInput): Frame[] {
  return framesOf(input.samples, input.from, input.to, input.maxPoints)
}

function isEmpty(input: MetricsChartInput): boolean {
  return !input.samples.some((s) => s.at >= input.from && s.at <= input.to)
}

/** Requests per second by API, summed over the nodes that answered, stacked. */
export function buildQpsOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const seen = new Set<ApiGroup>()
  for (const fr of f) for (const s of fr.samples) for (const n of s.nodes) for (const [g, v] of Object.entries(n.qps)) if (v) seen.add(g as ApiGroup)
  const apis = API_GROUPS.filter((g) => seen.has(g))
  const unit: Formatter = (v) => `${Number(v.toFixed(1))} ${input.labels.units.qps}`
  const axis: Formatter = (v) => `${Number(v.toFixed(1))}`
  const series: LineSeriesOption[] =
    apis.length > 0
      ? apis.map((g) =>
          line({
            name: input.labels.api(g),
            color: apiColor(input.scheme, g),
            // Cluster-wide: the sum over nodes; a sample with no node up has no rate at all.
            data: seriesOf(f, (s) => (s.nodes.some((n) => n.up) ? s.nodes.reduce((t, n) => t + (n.up ? (n.qps[g] ?? 0) : 0), 0) : null), 'mean'),
            stack: 'qps',
            area: true,
            width: 1
          })
        )
      : [line({ name: input.labels.cluster, color: input.palette.line, data: seriesOf(f, (s) => (s.nodes.some((n) => n.up) ? s.cluster.qps : null), 'mean') })]
  return { ...base(input, { unit, axis, empty: isEmpty(input), legend: true, yMin: 0 }), series }
}

/** p99 per node (solid) and p50 per node (dashed), with the cluster's p99 (the slowest node) on top. */
export function buildLatencyOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const ids = nodeIdsOf(input.samples, input.from, input.to)
  const series: LineSeriesOption[] = [
    line({ name: `${input.labels.cluster} ${input.labels.p99}`, color: input.palette.text, width: 2.2, data: seriesOf(f, (s) => s.cluster.p99Ms, 'max') }),
    ...ids.flatMap((id) => [
      line({ name: `${input.labels.node(id)} ${input.labels.p99}`, color: nodeColor(input.scheme, id), data: seriesOf(f, upValue(id, (n) => n.p99Ms), 'max') }),
      line({ name: `${input.labels.node(id)} ${input.labels.p50}`, color: nodeColor(input.scheme, id), dashed: true, width: 1.2, data: seriesOf(f, upValue(id, (n) => n.p50Ms), 'max') })
    ])
  ]
  return { ...base(input, { unit: fixed(1, ' ms'), empty: isEmpty(input), legend: true, yMin: 0 }), series }
}

/** 5xx share of requests, in %, for the cluster and each node. */
export function buildErrorsOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const pct = (v: number | null): number | null => (v === null ? null : v * 100)
  const series: LineSeriesOption[] = [
    line({ name: input.labels.cluster, color: input.palette.text, width: 2.2, data: seriesOf(f, (s) => (s.nodes.some((n) => n.up) ? pct(s.cluster.errorRate) : null), 'max') }),
    ...perNode(input, f, (n) => pct(n.errorRate), 'max')
  ]
  return { ...base(input, { unit: fixed(2, ' %'), empty: isEmpty(input), legend: true, yMin: 0 }), series }
}

/** Each node's commit index: lines that climb together while replication keeps up. */
export function buildCommitOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const series = perNode(input, f, (n) => n.commit, 'last', { step: true })
  return { ...base(input, { unit: fixed(0), empty: isEmpty(input), legend: true, scale: true, minInterval: 1 }), series }
}

/** Entries each node's applied index trails the leader's commit index. */
export function buildLagOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const unit: Formatter = (v) => `${Number(v.toFixed(0))} ${input.labels.units.entries}`
  const series = perNode(input, f, (n) => n.replicationLag, 'max', { step: true })
  return { ...base(input, { unit, axis: fixed(0), empty: isEmpty(input), legend: true, yMin: 0, minInterval: 1 }), series }
}

/** Leader changes per sample (bars): the cluster-wide count, as the elections alert counts them. */
export function buildLeaderChangesOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const unit: Formatter = (v) => `${Number(v.toFixed(0))} ${input.labels.units.changes}`
  const series: BarSeriesOption[] = [
    {
      type: 'bar',
      name: input.labels.cluster,
      data: seriesOf(f, (s) => s.cluster.leaderChanges, 'sum').filter((p) => p[1] !== null && p[1] > 0),
      color: input.palette.majority,
      itemStyle: { color: input.palette.majority, borderRadius: [2, 2, 0, 0] },
      barMaxWidth: 8,
      barMinWidth: 3
    }
  ]
  return { ...base(input, { unit, axis: fixed(0), empty: isEmpty(input), legend: false, yMin: 0, minInterval: 1 }), series }
}

/** Process CPU, % of one core (a paused process reads 0; a dead one has none). */
export function buildCpuOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const series = perNode(input, f, (n) => n.cpuPct, 'mean', {}, (id) => (s) => nodeOf(s, id)?.cpuPct ?? null)
  return { ...base(input, { unit: fixed(1, ' %'), empty: isEmpty(input), legend: true, yMin: 0 }), series }
}

/** Resident memory of each process, MB. */
export function buildMemoryOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const mb = (b: number | null | undefined): number | null => (b === null || b === undefined ? null : b / (1024 * 1024))
  const series = perNode(input, f, (n) => mb(n.rssBytes), 'last', {}, (id) => (s) => mb(nodeOf(s, id)?.rssBytes))
  return { ...base(input, { unit: fixed(0, ' MB'), empty: isEmpty(input), legend: true, yMin: 0 }), series }
}

/** WAL fsync p99 per node (solid) and the leader's p99 round trip to each peer (dotted). */
export function buildWalOption(input: MetricsChartInput): MetricsOption {
  const f = frames(input)
  const ids = nodeIdsOf(input.samples, input.from, input.to)
  const peers = new Set<string>()
  for (const fr of f) for (const s of fr.samples) for (const n of s.nodes) if (n.up && n.isLeader) for (const p of Object.keys(n.peerRttMs ?? {})) peers.add(p)
  const leaderRtt = (peer: string) => (s: MetricsSample) => {
    const leader = s.nodes.find((n) => n.up && n.isLeader)
    return leader?.peerRttMs?.[peer] ?? null
  }
  const series: LineSeriesOption[] = [
    ...ids.map((id) => line({ name: input.labels.fsync(id), color: nodeColor(input.scheme, id), data: seriesOf(f, upValue(id, (n) => n.fsyncP99Ms), 'max') })),
    ...[...peers].sort().map((peer) => {
      const id = input.nodeOfAddress?.(peer) ?? null
      return line({
        name: input.labels.rtt(id === null ? peer : input.labels.node(id)),
        color: id === null ? input.palette.textMuted : nodeColor(input.scheme, id),
        dashed: true,
        width: 1.2,
        data: seriesOf(f, leaderRtt(peer), 'max')
      })
    })
  ]
  return { ...base(input, { unit: fixed(1, ' ms'), empty: isEmpty(input), legend: true, yMin: 0 }), series }
}

const BUILDERS: Record<MetricsChartId, (input: MetricsChartInput) => MetricsOption> = {
  qps: buildQpsOption,
  latency: buildLatencyOption,
  errors: buildErrorsOption,
  commit: buildCommitOption,
  lag: buildLagOption,
  'leader-changes': buildLeaderChangesOption,
  cpu: buildCpuOption,
  memory: buildMemoryOption,
  wal: buildWalOption
}

export function buildMetricsOption(id: MetricsChartId, input: MetricsChartInput): MetricsOption {
  return BUILDERS[id](input)
}

/** How many series of an option have at least one value drawn (tests and e2e read it). */
export function drawnSeriesCount(option: MetricsOption): number {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : []
  return series.filter((s) => Array.isArray(s.data) && (s.data as unknown[]).some((p) => Array.isArray(p) && p[1] !== null && p[1] !== undefined)).length
}
