/**
 * PURE option builder for the election timeline: the model's lanes, bands, marks and message
 * tuples in, an EChartsOption out. Everything is drawn by custom series (renderItem), so only
 * what is in view is turned into shapes, and the many things (messages, marks) go to ECharts
 * as the model's own tuples: no object per event is built here. No DOM, no clock (`now` is an
 * input), no i18n lookups (texts come in as `labels`).
 *
 * Layout: a category y axis, row 0 the cluster's "leader" row (who led, and the leaderless
 * gaps between leaders), then one lane per node; time runs left to right.
 */
import type { CustomSeriesOption } from 'echarts/charts'
import type {
  DataZoomComponentOption,
  GridComponentOption,
  TitleComponentOption,
  TooltipComponentOption
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { NodeId } from '../../../../electron/lab/api'
import type { TimeWindow } from '../../stores/timeline'
import {
  FLAG_PREVOTE,
  FLAG_REJECT,
  K_EXTRA,
  K_FLAGS,
  K_KIND,
  K_NODE,
  K_REASON,
  K_T,
  LANE_STATES,
  M_END,
  M_FLAGS,
  M_FROM,
  M_SEND,
  M_STATUS,
  M_TO,
  M_TYPE,
  MARK_KINDS,
  MESSAGE_TYPES,
  messageFamily,
  MSG_STATUS,
  type Band,
  type FaultBand,
  type LaneState,
  type LeaderlessGap,
  type Leadership,
  type MarkTuple,
  type MessageFamily,
  type MessageTuple
} from '../../stores/timeline-model'
import type { TimelinePalette } from './timeline-palette'

export type TimelineOption = ComposeOption<
  CustomSeriesOption | GridComponentOption | DataZoomComponentOption | TitleComponentOption | TooltipComponentOption
>

export interface TimelineLabels {
  leaderRow: string
  lane: (node: NodeId) => string
  /** Short term label on a band, e.g. "T3". */
  term: (term: number) => string
  /** Text on a leader's stretch of the leader row, e.g. "node 2 · T3". */
  leadership: (node: NodeId, term: number) => string
  /** Text on a leaderless gap, e.g. "412 ms". */
  gap: (ms: number) => string
  /** Short text on a fault band, e.g. "cut → 3". */
  fault: (f: FaultBand) => string
  stateName: (s: LaneState) => string
  empty: string
  tooltip: {
    band: (b: Band) => string
    fault: (f: FaultBand) => string
    leadership: (l: Leadership) => string
    gap: (g: LeaderlessGap) => string
    message: (m: readonly number[]) => string
    mark: (k: readonly number[], reason: string) => string
  }
}

export interface TimelineInput {
  lanes: readonly NodeId[]
  bands: readonly Band[]
  faults: readonly FaultBand[]
  marks: readonly MarkTuple[]
  messages: readonly MessageTuple[]
  leaderships: readonly Leadership[]
  gaps: readonly LeaderlessGap[]
  reasons: readonly string[]
  /** Right edge of what exists (open bands end here). */
  now: number
  /** The part of time shown. */
  window: TimeWindow
  /** Oldest time kept (the slider's left end); null when nothing is kept. */
  first: number | null
  families: Record<MessageFamily, boolean>
  palette: TimelinePalette
  labels: TimelineLabels
  /**
   * Beyond this many arrows in view, routine messages are thinned (votes never). By default
   * the plot's width sets it (arrowBudget).
   */
  maxArrows?: number
  /** Width of the plot in px (routine arrows fade when they crowd it). */
  widthPx?: number
  /**
   * How far beyond the window (ms, each side) messages are handed over too, so a pan shows
   * them before the next rebuild. Following live the window only moves forward: 0. Default:
   * a span.
   */
  marginMs?: number
}

export const DEFAULT_MAX_ARROWS = 4_000
/**
 * Arrows drawn per pixel of plot at most. Each arrow is an element ECharts diffs and paints
 * at every redraw (4 a second while following), and past about one per two pixels a wall of
 * heartbeats only gets more solid, not more readable: the rest are thinned, and said so.
 */
export const ARROWS_PER_PX = 0.5
const MIN_ARROWS = 200
/** Arrow heads closer than this (px, on average) are a smear: draw bare lines. */
const HEAD_SPACING_PX = 4

/** How many arrows a plot `widthPx` wide draws before thinning routine messages. */
export function arrowBudget(widthPx: number): number {
  return Math.round(Math.min(DEFAULT_MAX_ARROWS, Math.max(MIN_ARROWS, widthPx * ARROWS_PER_PX)))
}
/** Sends this long before the window still get their arrow (it lands inside). */
const FLIGHT_SLACK_MS = 5_000

export const SERIES_IDS = ['faults', 'bands', 'leaders', 'gaps', 'messages', 'marks'] as const

// ---- selecting what is in view -------------------------------------------------------------

/** First index whose `key` column is ≥ t (the arrays are in arrival order: nearly sorted by time). */
export function lowerBound(arr: readonly (readonly number[])[], t: number, key: number): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (arr[mid]![key]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

export interface MessageSelection {
  /** The tuples to hand to ECharts (the model's own arrays, not copies). */
  data: MessageTuple[]
  /** Messages whose arrow falls in the window, of the families shown. */
  visible: number
  /** Of those, how many are drawn (fewer when thinned). */
  drawn: number
}

/** Each message code's family, looked up once instead of by name per message per frame. */
const FAMILY_BY_CODE: readonly MessageFamily[] = MESSAGE_TYPES.map((_, code) => messageFamily(code))

/**
 * Whether a routine message is one of those kept when thinning by `stride` (a power of two).
 * Decided by the message itself (a hash of send time and ends), not by its place in the
 * window, so as the window slides while following the same arrows stay drawn instead of a
 * different sample shimmering at every redraw; and doubling the stride keeps half of them.
 */
export function keptAtStride(m: MessageTuple, stride: number): boolean {
  if (stride <= 1) return true
  const h = Math.imul(m[M_SEND] ^ Math.imul(m[M_FROM], 0x45d9f3b) ^ Math.imul(m[M_TO], 0x119de1f3), 0x9e3779b1)
  return ((h ^ (h >>> 15)) & (stride - 1)) === 0
}

/** The smallest power of two that brings `visible` to `max` or under. */
export function strideFor(visible: number, max: number): number {
  let stride = 1
  while (visible / stride > max) stride *= 2
  return stride
}

/**
 * The messages to draw: those around the window, of the families shown, thinned (a sample
 * that keeps about one in `stride`, see keptAtStride) when there are more than `maxArrows` in
 * view (routine ones only: votes, losses and rejections always stay). The view says when it
 * thins.
 */
export function selectMessages(
  messages: readonly MessageTuple[],
  window: TimeWindow,
  families: Record<MessageFamily, boolean>,
  maxArrows = DEFAULT_MAX_ARROWS,
  marginMs = window.end - window.start
): MessageSelection {
  const from = lowerBound(messages, window.start - Math.max(marginMs, FLIGHT_SLACK_MS), M_SEND)
  const to = lowerBound(messages, window.end + marginMs, M_SEND)
  // Out of view but within the margin (a pan shows it before the next rebuild).
  const near = window.start - marginMs
  const shown = FAMILY_BY_CODE.map((f) => families[f])
  const famOf = (code: number): MessageFamily => FAMILY_BY_CODE[code] ?? 'other'
  let visible = 0
  for (let i = from; i < to; i++) {
    const m = messages[i]!
    if (!(shown[m[M_TYPE]] ?? families.other)) continue
    if (m[M_END] >= window.start && m[M_SEND] <= window.end) visible++
  }
  const stride = strideFor(visible, maxArrows)
  const data: MessageTuple[] = []
  let drawn = 0
  for (let i = from; i < to; i++) {
    const m = messages[i]!
    if (!(shown[m[M_TYPE]] ?? families.other)) continue
    const inView = m[M_END] >= window.start && m[M_SEND] <= window.end
    if (!inView && m[M_END] < near) continue
    const keep = stride === 1 || famOf(m[M_TYPE]) === 'vote' || m[M_STATUS] === MSG_STATUS.lost || (m[M_FLAGS] & FLAG_REJECT) !== 0 || keptAtStride(m, stride)
    if (!keep) continue
    data.push(m)
    if (inView) drawn++
  }
  return { data, visible, drawn }
}

function marksAround(marks: readonly MarkTuple[], window: TimeWindow): MarkTuple[] {
  const span = window.end - window.start
  return marks.slice(lowerBound(marks, window.start - span, K_T), lowerBound(marks, window.end + span, K_T))
}

// ---- drawing ---------------------------------------------------------------------------------

/** What renderItem needs from ECharts (a subset of its API, so tests can fake it). */
export interface RenderApi {
  value(dim: number): unknown
  coord(v: number[]): number[]
  size?(v: number[]): number | number[]
}
export interface RenderParams {
  coordSys: unknown
  dataIndex: number
}
// ECharts' element option types are a deep union; the shapes below are plain data it accepts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Shape = Record<string, any>

interface Grid {
  x: number
  y: number
  width: number
  height: number
}

const num = (api: RenderApi, dim: number): number => Number(api.value(dim))
function laneHeight(api: RenderApi): number {
  const s = api.size?.([0, 1])
  return Array.isArray(s) ? s[1]! : typeof s === 'number' ? s : 40
}
const gridOf = (params: RenderParams): Grid => params.coordSys as Grid

/** Approximate text width (px) for the 11 px font, CJK counted wide. */
function textWidth(text: string, px = 11): number {
  let w = 0
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? px : px * 0.6
  return w
}

const FONT = '11px system-ui, sans-serif'
const FONT_BOLD = '600 11px system-ui, sans-serif'

function arrowHead(x0: number, y0: number, x1: number, y1: number, size: number): number[][] {
  const dx = x1 - x0
  const dy = y1 - y0
  const len = Math.hypot(dx, dy) || 1
  const ux = dx / len
  const uy = dy / len
  const bx = x1 - ux * size
  const by = y1 - uy * size
  return [
    [x1, y1],
    [bx - uy * size * 0.5, by + ux * size * 0.5],
    [bx + uy * size * 0.5, by - ux * size * 0.5]
  ]
}

export interface Renderers {
  faults: (p: RenderParams, api: RenderApi) => Shape | null
  bands: (p: RenderParams, api: RenderApi) => Shape | null
  leaders: (p: RenderParams, api: RenderApi) => Shape | null
  gaps: (p: RenderParams, api: RenderApi) => Shape | null
  messages: (p: RenderParams, api: RenderApi) => Shape | null
  marks: (p: RenderParams, api: RenderApi) => Shape | null
}

/**
 * The renderItem functions. `laneOf` maps a lab node id to its row (1…n; 0 is the leader row).
 * Exported for tests: given fake coordinates they return plain shape descriptions.
 */
/**
 * How opaque routine arrows (heartbeats, appends, answers) are: a heartbeat every 100 ms is a
 * solid wall at a one-minute zoom, so the more arrows per pixel, the fainter they get; votes
 * and losses stay bold.
 */
export function routineOpacity(arrowsInView: number, widthPx: number): number {
  const perPx = arrowsInView / Math.max(widthPx, 1)
  if (perPx > 0.5) return 0.12
  if (perPx > 0.15) return 0.3
  if (perPx > 0.05) return 0.55
  return 0.85
}

export function makeRenderers(
  input: Pick<TimelineInput, 'palette' | 'labels' | 'faults' | 'gaps' | 'families'>,
  laneOf: (node: NodeId) => number | undefined,
  dense: boolean,
  routine = 0.85
): Renderers {
  const { palette, labels } = input

  const faults = (params: RenderParams, api: RenderApi): Shape | null => {
    const [x0, y] = api.coord([num(api, 0), num(api, 2)]) as [number, number]
    const [x1] = api.coord([num(api, 1), num(api, 2)]) as [number, number]
    const h = laneHeight(api)
    const width = Math.max(x1 - x0, 2)
    const f = input.faults[num(api, 3)]
    const children: Shape[] = [
      { type: 'rect', shape: { x: x0, y: y - h / 2 + 1, width, height: h - 2 }, style: { fill: palette.faultFill } },
      { type: 'line', shape: { x1: x0, y1: y - h / 2 + 1, x2: x0, y2: y + h / 2 - 1 }, style: { stroke: palette.fault, lineWidth: 1, lineDash: [3, 3], opacity: 0.7 } }
    ]
    const text = f ? labels.fault(f) : ''
    if (text && width > textWidth(text) + 8) {
      children.push({ type: 'text', style: { text, x: x0 + 4, y: y - h / 2 + 3, fill: palette.fault, font: FONT, verticalAlign: 'top' } })
    }
    void params
    return { type: 'group', children }
  }

  const bandShape = (api: RenderApi, fill: string, border: string, text: string, textFill: string): Shape => {
    const [x0, y] = api.coord([num(api, 0), num(api, 2)]) as [number, number]
    const [x1] = api.coord([num(api, 1), num(api, 2)]) as [number, number]
    const bh = Math.max(10, laneHeight(api) * 0.34)
    const width = Math.max(x1 - x0, 1)
    const rect: Shape = {
      type: 'rect',
      shape: { x: x0, y: y - bh / 2, width, height: bh, r: 2 },
      style: border === 'transparent' ? { fill } : { fill, stroke: border, lineWidth: 1, lineDash: [4, 3] }
    }
    if (!text || width < textWidth(text) + 8) return rect
    return {
      type: 'group',
      children: [rect, { type: 'text', silent: true, style: { text, x: x0 + 5, y, fill: textFill, font: FONT_BOLD, verticalAlign: 'middle' } }]
    }
  }

  const bands = (_params: RenderParams, api: RenderApi): Shape | null => {
    const state = LANE_STATES[num(api, 3)] ?? 'unknown'
    const term = num(api, 4)
    const text = state === 'down' || state === 'paused' ? labels.stateName(state) : term > 0 && state !== 'unknown' ? labels.term(term) : ''
    return bandShape(api, palette.state[state], palette.stateBorder[state], text, palette.stateText[state])
  }

  const leaders = (_params: RenderParams, api: RenderApi): Shape | null =>
    bandShape(api, palette.state.leader, 'transparent', labels.leadership(num(api, 3), num(api, 4)), palette.stateText.leader)

  const gaps = (params: RenderParams, api: RenderApi): Shape | null => {
    const grid = gridOf(params)
    const [x0, y] = api.coord([num(api, 0), 0]) as [number, number]
    const [x1] = api.coord([num(api, 1), 0]) as [number, number]
    const h = laneHeight(api)
    const bh = Math.max(12, h * 0.5)
    const width = Math.max(x1 - x0, 2)
    const text = labels.gap(num(api, 3))
    const tw = textWidth(text) + 10
    const inside = width >= tw + 6
    // Too narrow for its label: the label goes above the gap (kept on the plot), clear of
    // the leaders' bands and their own labels.
    const cx = Math.min(Math.max(x0 + width / 2, grid.x + tw / 2), grid.x + grid.width - tw / 2)
    return {
      type: 'group',
      children: [
        // Guides across every lane: the moment the leader was lost and the moment the next won.
        { type: 'line', silent: true, shape: { x1: x0, y1: grid.y, x2: x0, y2: grid.y + grid.height }, style: { stroke: palette.gap, lineWidth: 1, lineDash: [2, 3], opacity: 0.6 } },
        { type: 'line', silent: true, shape: { x1: x1, y1: grid.y, x2: x1, y2: grid.y + grid.height }, style: { stroke: palette.gap, lineWidth: 1, lineDash: [2, 3], opacity: 0.6 } },
        { type: 'rect', shape: { x: x0, y: y - bh / 2, width, height: bh, r: 2 }, style: { fill: palette.gapFill, stroke: palette.gap, lineWidth: 1 } },
        {
          type: 'text',
          silent: true,
          style: {
            text,
            x: inside ? x0 + width / 2 : cx,
            y: inside ? y : y - bh / 2 - 3,
            fill: palette.gap,
            font: FONT_BOLD,
            align: 'center',
            verticalAlign: inside ? 'middle' : 'bottom',
            // Outside the gap the label sits on the next leader's band: give it its own ground.
            backgroundColor: inside ? undefined : palette.tooltipBg,
            borderColor: inside ? undefined : palette.gap,
            borderWidth: inside ? 0 : 1,
            borderRadius: 3,
            padding: inside ? 0 : [1, 4]
          }
        }
      ]
    }
  }

  const messages = (_params: RenderParams, api: RenderApi): Shape | null => {
    const from = laneOf(num(api, M_FROM))
    const to = laneOf(num(api, M_TO))
    if (from === undefined || to === undefined) return null
    const type = num(api, M_TYPE)
    const fam = messageFamily(type)
    const flags = num(api, M_FLAGS)
    const status = num(api, M_STATUS)
    const color = (flags & FLAG_REJECT) !== 0 ? palette.reject : palette.message[fam]
    const width = fam === 'heartbeat' ? 1 : fam === 'vote' ? 1.8 : 1.3
    const dash = (flags & FLAG_PREVOTE) !== 0 ? [4, 3] : undefined
    const [x0, y0] = api.coord([num(api, M_SEND), from]) as [number, number]
    const yTo = (api.coord([num(api, M_SEND), to]) as [number, number])[1]
    const opacity = fam === 'vote' || (flags & FLAG_REJECT) !== 0 ? 0.9 : routine
    const base = { stroke: color, lineWidth: width, lineDash: dash, opacity }

    if (status === MSG_STATUS.delivered) {
      const [x1, y1] = api.coord([num(api, M_END), to]) as [number, number]
      const line: Shape = { type: 'line', shape: { x1: x0, y1: y0, x2: x1, y2: y1 }, style: base }
      if (dense) return line
      return { type: 'group', children: [line, { type: 'polygon', shape: { points: arrowHead(x0, y0, x1, y1, 6) }, style: { fill: color, opacity: base.opacity } }] }
    }
    if (status === MSG_STATUS.orphan) {
      // The send was sampled out: only the arrival is known.
      const x1 = x0
      const ys = y0 + (yTo - y0) * 0.6
      return {
        type: 'group',
        children: [
          { type: 'line', shape: { x1: x1 - 6, y1: ys, x2: x1, y2: yTo }, style: { ...base, opacity: 0.3 } },
          { type: 'polygon', shape: { points: arrowHead(x1 - 6, ys, x1, yTo, 5) }, style: { fill: color, opacity: 0.3 } }
        ]
      }
    }
    // Never received (or not yet): the arrow stops just short of the receiver's band, so
    // its end (a cross when lost) sits by the lane it was meant for, not on a lane between.
    const xm = x0 + 8
    const ym = yTo - Math.sign(yTo - y0) * laneHeight(api) * 0.32
    const partial: Shape = { type: 'line', shape: { x1: x0, y1: y0, x2: xm, y2: ym }, style: { ...base, lineDash: status === MSG_STATUS.pending ? [2, 2] : dash } }
    if (status === MSG_STATUS.lost) {
      const c = 4
      return {
        type: 'group',
        children: [
          partial,
          { type: 'line', shape: { x1: xm - c, y1: ym - c, x2: xm + c, y2: ym + c }, style: { stroke: palette.lost, lineWidth: 2 } },
          { type: 'line', shape: { x1: xm - c, y1: ym + c, x2: xm + c, y2: ym - c }, style: { stroke: palette.lost, lineWidth: 2 } }
        ]
      }
    }
    // Unknown fate (sampled, or still in flight): fade out.
    return { ...partial, style: { ...partial.style, opacity: status === MSG_STATUS.pending ? 0.6 : 0.25 } }
  }

  const marks = (params: RenderParams, api: RenderApi): Shape | null => {
    const node = num(api, K_NODE)
    const t = num(api, K_T)
    const kind = MARK_KINDS[num(api, K_KIND)]
    if (node === 0) {
      const grid = gridOf(params)
      const [x] = api.coord([t, 0]) as [number, number]
      return { type: 'line', shape: { x1: x, y1: grid.y, x2: x, y2: grid.y + grid.height }, style: { stroke: palette.gap, lineWidth: 1.5, lineDash: [6, 4] } }
    }
    const lane = laneOf(node)
    if (lane === undefined || !kind) return null
    const [x, y] = api.coord([t, lane]) as [number, number]
    const h = laneHeight(api)
    const bh = Math.max(10, h * 0.34)
    const above = y - bh / 2 - 6
    const below = y + bh / 2 + 6
    const pre = (num(api, K_FLAGS) & FLAG_PREVOTE) !== 0
    const filled = (color: string): Shape => (pre ? { fill: palette.tooltipBg, stroke: color, lineWidth: 1.5 } : { fill: color, stroke: color, lineWidth: 1 })
    switch (kind) {
      case 'voteRequested':
        return { type: 'polygon', shape: { points: [[x, above - 4], [x - 4, above + 3], [x + 4, above + 3]] }, style: filled(palette.requested) }
      case 'voteGranted':
        return { type: 'circle', shape: { cx: x, cy: below, r: 3.5 }, style: filled(palette.granted) }
      case 'voteRejected': {
        const c = 3.5
        const style = { stroke: palette.rejected, lineWidth: pre ? 1.5 : 2.2 }
        return {
          type: 'group',
          children: [
            { type: 'rect', shape: { x: x - c - 2, y: below - c - 2, width: 2 * c + 4, height: 2 * c + 4 }, style: { fill: 'transparent' } },
            { type: 'line', shape: { x1: x - c, y1: below - c, x2: x + c, y2: below + c }, style },
            { type: 'line', shape: { x1: x - c, y1: below + c, x2: x + c, y2: below - c }, style }
          ]
        }
      }
      case 'electionWon': {
        const pts: number[][] = []
        for (let i = 0; i < 10; i++) {
          const r = i % 2 === 0 ? 6 : 2.6
          const a = -Math.PI / 2 + (i * Math.PI) / 5
          pts.push([x + r * Math.cos(a), above - 2 + r * Math.sin(a)])
        }
        return { type: 'polygon', shape: { points: pts }, style: filled(palette.won) }
      }
      case 'checkQuorumFailed':
      case 'transferStarted': {
        const color = kind === 'checkQuorumFailed' ? palette.warn : palette.message.other
        return { type: 'polygon', shape: { points: [[x, above - 5], [x + 4, above], [x, above + 5], [x - 4, above]] }, style: { fill: color } }
      }
      case 'traceGap': {
        const pts: number[][] = []
        const top = y - h / 2 + 2
        const steps = 6
        for (let i = 0; i <= steps; i++) pts.push([x + (i % 2 === 0 ? -3 : 3), top + ((h - 4) * i) / steps])
        const text = `⚠ ${num(api, K_EXTRA)}`
        return {
          type: 'group',
          children: [
            { type: 'polyline', shape: { points: pts }, style: { stroke: palette.gap, lineWidth: 1.5, fill: 'none' } },
            { type: 'text', style: { text, x: x + 5, y: top, fill: palette.gap, font: FONT_BOLD, verticalAlign: 'top' } }
          ]
        }
      }
      case 'traceReset':
        return { type: 'line', shape: { x1: x, y1: y - h / 2 + 2, x2: x, y2: y + h / 2 - 2 }, style: { stroke: palette.textMuted, lineWidth: 1, lineDash: [2, 2] } }
      case 'faultCrash': {
        // A lightning bolt: kill -9.
        const s = 5
        return {
          type: 'polygon',
          shape: { points: [[x + 1, y - 2 * s], [x - s, y + 1], [x, y + 1], [x - 1, y + 2 * s], [x + s, y - 1], [x, y - 1]] },
          style: { fill: palette.fault, stroke: palette.tooltipBg, lineWidth: 1 }
        }
      }
      case 'faultStop':
        return { type: 'rect', shape: { x: x - 4, y: y - 4, width: 8, height: 8 }, style: { fill: palette.textMuted, stroke: palette.tooltipBg, lineWidth: 1 } }
      case 'faultPause':
        return {
          type: 'group',
          children: [
            { type: 'rect', shape: { x: x - 4, y: y - 5, width: 3, height: 10 }, style: { fill: palette.warn } },
            { type: 'rect', shape: { x: x + 1, y: y - 5, width: 3, height: 10 }, style: { fill: palette.warn } }
          ]
        }
      default:
        return null
    }
  }

  return { faults, bands, leaders, gaps, messages, marks }
}

// ---- the option --------------------------------------------------------------------------------

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export interface TimelineBuild {
  option: TimelineOption
  /** Messages in view and how many are drawn (fewer when thinned). */
  messages: { visible: number; drawn: number }
}

export function buildTimelineOption(input: TimelineInput): TimelineBuild {
  const { lanes, palette, labels, window, now } = input
  const laneIndex = new Map<NodeId, number>(lanes.map((n, i) => [n, i + 1]))
  const laneOf = (n: NodeId): number | undefined => laneIndex.get(n)
  const widthPx = input.widthPx ?? 800
  const selection = selectMessages(input.messages, window, input.families, input.maxArrows ?? arrowBudget(widthPx), input.marginMs)
  const dense = selection.drawn * HEAD_SPACING_PX > widthPx
  // Crowding is judged over the part of the plot the messages occupy, not the whole width.
  const msgs = input.messages
  const occupied =
    msgs.length === 0
      ? 1
      : Math.max(0.05, (Math.min(window.end, msgs[msgs.length - 1]![M_END]) - Math.max(window.start, msgs[0]![M_SEND])) / Math.max(window.end - window.start, 1))
  const r = makeRenderers(input, laneOf, dense, routineOpacity(selection.drawn, widthPx * Math.min(1, occupied)))
  const empty = lanes.length === 0
  const first = input.first ?? window.start
  const axisMin = Math.min(first, window.start)
  const axisMax = Math.max(now, window.end)

  // The few things get small tuples (with the index of their record for the tooltip).
  const faultData = input.faults.flatMap((f, i) => {
    const lane = laneIndex.get(f.node)
    return lane === undefined ? [] : [[f.start, f.end ?? now, lane, i]]
  })
  const bandData = input.bands.flatMap((b, i) => {
    const lane = laneIndex.get(b.node)
    return lane === undefined ? [] : [[b.start, b.end ?? now, lane, LANE_STATES.indexOf(b.state), b.term, i]]
  })
  const leaderData = input.leaderships.map((l, i) => [l.start, l.end ?? now, 0, l.node, l.term, i])
  const gapData = input.gaps.map((g, i) => [g.from, g.to, 0, g.ms, i])
  const markData = marksAround(input.marks, window)

  const tooltipText = (seriesId: string, value: readonly number[]): string => {
    const t = labels.tooltip
    switch (seriesId) {
      case 'faults': {
        const f = input.faults[value[3]!]
        return f ? t.fault(f) : ''
      }
      case 'bands': {
        const b = input.bands[value[5]!]
        return b ? t.band(b) : ''
      }
      case 'leaders': {
        const l = input.leaderships[value[5]!]
        return l ? t.leadership(l) : ''
      }
      case 'gaps': {
        const g = input.gaps[value[4]!]
        return g ? t.gap(g) : ''
      }
      case 'messages':
        return t.message(value)
      case 'marks':
        return t.mark(value, input.reasons[value[K_REASON]!] ?? '')
      default:
        return ''
    }
  }

  const custom = (id: (typeof SERIES_IDS)[number], data: unknown[], renderItem: Renderers[keyof Renderers], x: number[], z: number): CustomSeriesOption => ({
    type: 'custom',
    id,
    name: id,
    data: data as CustomSeriesOption['data'],
    renderItem: renderItem as unknown as CustomSeriesOption['renderItem'],
    encode: { x, y: 2 },
    clip: true,
    z,
    animation: false,
    // Thousands of arrows: draw them in chunks rather than blocking a frame.
    progressive: 2_000,
    progressiveThreshold: 5_000
  })

  const option: TimelineOption = {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: palette.text },
    title: {
      show: empty,
      text: labels.empty,
      left: 'center',
      top: 'middle',
      textStyle: { color: palette.textMuted, fontSize: 13, fontWeight: 'normal' }
    },
    grid: { left: 84, right: 24, top: 8, bottom: 64 },
    tooltip: {
      trigger: 'item',
      confine: true,
      enterable: false,
      backgroundColor: palette.tooltipBg,
      borderColor: palette.tooltipBorder,
      textStyle: { color: palette.text, fontSize: 12 },
      extraCssText: 'max-width: 360px; white-space: normal; line-height: 1.5;',
      formatter: (params: unknown) => {
        const p = params as { seriesId?: string; value?: unknown }
        if (!p.seriesId || !Array.isArray(p.value)) return ''
        return escapeHtml(tooltipText(p.seriesId, p.value as number[])).replace(/\n/g, '<br>')
      }
    },
    xAxis: {
      show: !empty,
      type: 'time',
      min: axisMin,
      max: axisMax,
      axisLine: { lineStyle: { color: palette.axisLine } },
      axisTick: { show: false },
      axisLabel: { color: palette.textMuted, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: palette.splitLine } }
    },
    yAxis: {
      show: !empty,
      type: 'category',
      inverse: true,
      data: [labels.leaderRow, ...lanes.map((n) => labels.lane(n))],
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { color: palette.text, fontWeight: 600 },
      splitLine: { show: true, lineStyle: { color: palette.splitLine } },
      splitArea: { show: true, areaStyle: { color: ['transparent', palette.laneStripe] } }
    },
    dataZoom: [
      {
        type: 'inside',
        id: 'inside',
        xAxisIndex: 0,
        filterMode: 'weakFilter',
        startValue: window.start,
        endValue: window.end,
        zoomOnMouseWheel: true,
        moveOnMouseMove: true,
        minValueSpan: 200
      },
      {
        type: 'slider',
        id: 'slider',
        show: !empty,
        xAxisIndex: 0,
        filterMode: 'weakFilter',
        startValue: window.start,
        endValue: window.end,
        height: 22,
        bottom: 12,
        minValueSpan: 200,
        borderColor: palette.axisLine,
        fillerColor: palette.area,
        handleStyle: { color: palette.tooltipBg, borderColor: palette.line },
        moveHandleStyle: { color: palette.line, opacity: 0.6 },
        textStyle: { color: palette.textMuted },
        dataBackground: { lineStyle: { color: palette.axisLine }, areaStyle: { color: palette.splitLine } },
        labelFormatter: ''
      }
    ],
    series: [
      custom('faults', faultData, r.faults, [0, 1], 1),
      custom('bands', bandData, r.bands, [0, 1], 2),
      custom('leaders', leaderData, r.leaders, [0, 1], 2),
      custom('gaps', gapData, r.gaps, [0, 1], 3),
      custom('messages', selection.data, r.messages, [M_SEND, M_END], 4),
      custom('marks', markData, r.marks, [K_T], 5)
    ]
  }
  return { option, messages: { visible: selection.visible, drawn: selection.drawn } }
}
