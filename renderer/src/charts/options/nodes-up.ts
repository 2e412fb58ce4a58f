/**
 * PURE option builder for the "nodes up over time" chart: data in, EChartsOption out.
 * No DOM, no clock (`now` is an input), no i18n lookups (labels are inputs), so it is
 * trivially testable and the same builder can serve a report export later.
 */
import type { LineSeriesOption } from 'echarts/charts'
import type {
  GridComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { ChartPalette } from '../palette'

export type NodesUpOption = ComposeOption<
  LineSeriesOption | GridComponentOption | MarkLineComponentOption | TitleComponentOption | TooltipComponentOption
>

/** From `t` (ms) on, `up` nodes were up. */
export interface UpPoint {
  t: number
  up: number
}

export interface NodesUpLabels {
  /** Series name (the panel's title names the chart). */
  yAxis: string
  /** Text on the majority line, e.g. "majority 2". */
  majority: string
  /** Shown instead of a line when there is no data. */
  empty: string
  /** Tooltip value text, e.g. "2 up". */
  upText: (n: number) => string
  /** Tooltip time text. */
  time: (ms: number) => string
}

export interface NodesUpInput {
  samples: readonly UpPoint[]
  /** Cluster size (y-axis max); 0 when there is no cluster. */
  size: number
  /** Majority (⌊N/2⌋+1) for the mark line; 0 draws none. */
  majority: number
  /** Right edge of the chart, ms. */
  now: number
  palette: ChartPalette
  labels: NodesUpLabels
  /** Widest time span shown (default 10 min). */
  windowMs?: number
  /**
   * Narrowest time span shown. A young series starts at the left edge and fills this span
   * towards the right, like a recorder, instead of one second stretched over the width.
   */
  minSpanMs?: number
}

export const DEFAULT_WINDOW_MS = 10 * 60_000
export const DEFAULT_MIN_SPAN_MS = 60_000

/**
 * The points to draw within [from, to]: the last sample before `from` is moved to `from` (the
 * value then in force), and the last value is carried to `to`, so the step line spans the axis.
 */
export function visiblePoints(samples: readonly UpPoint[], from: number, to: number): Array<[number, number]> {
  const points: Array<[number, number]> = []
  let carried: UpPoint | null = null
  for (const s of samples) {
    if (s.t < from) {
      carried = s
      continue
    }
    if (s.t > to) break
    if (carried) {
      if (s.t > from) points.push([from, carried.up])
      carried = null
    }
    points.push([s.t, s.up])
  }
  if (carried) points.push([from, carried.up])
  const last = points.at(-1)
  if (last && last[0] < to) points.push([to, last[1]])
  return points
}

export function buildNodesUpOption(input: NodesUpInput): NodesUpOption {
  const { samples, size, majority, now, palette, labels } = input
  const windowMs = input.windowMs ?? DEFAULT_WINDOW_MS
  const minSpanMs = Math.min(input.minSpanMs ?? DEFAULT_MIN_SPAN_MS, windowMs)
  const first = samples[0]?.t ?? now
  const young = now - first < minSpanMs
  const from = young ? first : Math.max(first, now - windowMs)
  const axisEnd = young ? first + minSpanMs : now
  const data = visiblePoints(samples, from, now)
  const empty = data.length === 0
  const yMax = Math.max(size, 1)

  return {
    backgroundColor: 'transparent',
    // Live data re-renders every second; animating each update reads as jitter.
    animation: false,
    textStyle: { color: palette.text },
    grid: { left: 32, right: 24, top: 16, bottom: 28 },
    title: {
      show: empty,
      text: labels.empty,
      left: 'center',
      top: 'middle',
      textStyle: { color: palette.textMuted, fontSize: 13, fontWeight: 'normal' }
    },
    tooltip: {
      trigger: 'axis',
      backgroundColor: palette.tooltipBg,
      borderColor: palette.tooltipBorder,
      textStyle: { color: palette.text },
      formatter: (params: unknown) => {
        const p = (Array.isArray(params) ? params[0] : params) as { value?: unknown } | undefined
        const value = p?.value
        if (!Array.isArray(value)) return ''
        return `${labels.time(Number(value[0]))}<br>${labels.upText(Number(value[1]))}`
      }
    },
    // Without data the axes would frame nothing; the title says what will appear.
    xAxis: {
      show: !empty,
      type: 'time',
      min: from,
      max: axisEnd,
      axisLine: { lineStyle: { color: palette.axisLine } },
      axisTick: { show: false },
      axisLabel: { color: palette.textMuted, formatter: '{HH}:{mm}:{ss}', hideOverlap: true },
      splitLine: { show: false }
    },
    yAxis: {
      show: !empty,
      type: 'value',
      min: 0,
      max: yMax,
      interval: 1,
      axisLabel: { color: palette.textMuted },
      splitLine: { lineStyle: { color: palette.splitLine } }
    },
    series: [
      {
        type: 'line',
        name: labels.yAxis,
        // A sample holds until the next one: the count changes at the later point.
        step: 'end',
        // A lone point draws no line; show it as a dot until the next sample arrives.
        showSymbol: data.length === 1,
        data,
        lineStyle: { width: 2, color: palette.line },
        itemStyle: { color: palette.line },
        areaStyle: { color: palette.area },
        markLine:
          majority > 0
            ? {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dashed', color: palette.majority, width: 1.5 },
                label: { formatter: labels.majority, position: 'insideEndTop', color: palette.majority },
                data: [{ yAxis: majority }]
              }
            : undefined
      }
    ]
  }
}
