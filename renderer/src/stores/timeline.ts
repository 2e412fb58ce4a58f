/**
 * The election timeline's state: the pure model (stores/timeline-model.ts) fed batch by batch
 * from the feed, a few reactive summaries the view shows as text (leader, leaderless gaps,
 * sampling, what the rings let go), and the view's window on time (follow live, zoom, pan).
 *
 * The model itself is not reactive (markRaw): it holds tens of thousands of tuples and is
 * mutated in place; `version` bumps once per batch that changed it, and the chart rebuilds
 * its option from the model when `version` or the clock moves.
 */
import { defineStore } from 'pinia'
import { markRaw, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { LabEvent, NodeId } from '../../../electron/lab/api'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import {
  createTimelineModel,
  type Dropped,
  type LeaderlessGap,
  type MessageFamily,
  type SampledTotals
} from './timeline-model'

/** Spans the view offers (ms); the first screen shows the last minute. */
export const SPAN_CHOICES = [10_000, 30_000, 60_000, 5 * 60_000, 30 * 60_000] as const
export const DEFAULT_SPAN_MS = 60_000
export const MIN_SPAN_MS = 200
export const MAX_SPAN_MS = 30 * 60_000
/** A young timeline starts this much before its first event, and spans at least MIN_YOUNG_SPAN_MS. */
const YOUNG_PAD_MS = 500
const MIN_YOUNG_SPAN_MS = 5_000
/** How often the chart redraws while events arrive or it follows live (a batch comes every ~50 ms). */
export const FRAME_MS = 250
/**
 * The chart takes at most about this share of the main thread: after a redraw that took `c`
 * ms the next waits c / REDRAW_SHARE (ticks still come every FRAME_MS). On a starved machine
 * the chart then moves in coarser steps instead of taking every frame from the page.
 */
export const REDRAW_SHARE = 0.25
/** Never wait longer than this between redraws. */
export const MAX_REDRAW_PAUSE_MS = 2_000

/** How long after a redraw that cost `costMs` the next may start. */
export function redrawPause(costMs: number): number {
  return Math.min(MAX_REDRAW_PAUSE_MS, Math.max(0, costMs) / REDRAW_SHARE)
}

export interface TimeWindow {
  start: number
  end: number
}

export const useTimelineStore = defineStore('timeline', () => {
  const feed = useFeedStore()
  const cluster = useClusterStore()
  const model = markRaw(createTimelineModel())

  /** Bumped once per batch that changed the model. */
  const version = ref(0)
  const leader = ref<NodeId | null>(null)
  const leaderTerm = ref(0)
  const leaderlessSince = ref<number | null>(null)
  const gaps = shallowRef<readonly LeaderlessGap[]>([])
  const sampled = shallowRef<SampledTotals>({ kept: 0, skipped: 0 })
  const dropped = shallowRef<Dropped>(model.dropped())

  // The view's window on time (kept here so it survives switching views).
  const follow = ref(true)
  const spanMs = ref(DEFAULT_SPAN_MS)
  /** The window while not following (following, it is always the last `spanMs`). */
  const pinned = ref<TimeWindow | null>(null)
  const families = ref<Record<MessageFamily, boolean>>({ vote: true, append: true, heartbeat: true, other: true })

  let initialized = false
  const cleanups: Array<() => void> = []

  function sync(): void {
    version.value++
    leader.value = model.leader()
    leaderTerm.value = model.leaderTerm()
    leaderlessSince.value = model.leaderlessSince()
    const g = model.gaps()
    if (g.length !== gaps.value.length || g.at(-1) !== gaps.value.at(-1)) gaps.value = [...g]
    sampled.value = model.sampled()
    dropped.value = model.dropped()
  }

  function seedMembers(): void {
    const c = cluster.cluster
    if (c) model.setMembers(c.nodes, c.runId)
  }

  function onEvents(batch: readonly LabEvent[]): void {
    if (model.apply(batch)) sync()
  }

  /** A new story: drop everything. Members come back with the cluster's next snapshot or its events. */
  function onReset(): void {
    model.reset()
    follow.value = true
    pinned.value = null
    sync()
  }

  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset }))
    // Opened on a running cluster: name its members before its first event arrives.
    cleanups.push(
      watch(
        () => (cluster.cluster ? `${cluster.cluster.runId}:${cluster.cluster.nodes.map((n) => `${n.id}@${n.address}`).join(',')}` : ''),
        () => {
          seedMembers()
          sync()
        },
        { immediate: true }
      )
    )
  }

  // ---- the window ----

  const now = (): number => feed.now()

  /** The window shown at `at` (now by default). */
  function windowAt(at = now()): TimeWindow {
    if (!follow.value && pinned.value) return pinned.value
    return liveWindow(at)
  }

  /** The window while following: the last span, or a young timeline from its first event. */
  function liveWindow(at: number): TimeWindow {
    const first = model.firstTime()
    // A young timeline fills the chart from its first event, like a recorder, instead of
    // huddling in the right corner of a mostly empty span.
    if (first !== null && at - first < spanMs.value) {
      const start = first - YOUNG_PAD_MS
      return { start, end: Math.max(at, start + MIN_YOUNG_SPAN_MS) }
    }
    return { start: at - spanMs.value, end: at }
  }

  const clampSpan = (ms: number): number => Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, ms))

  function setFollow(on: boolean): void {
    if (on) {
      follow.value = true
      pinned.value = null
    } else if (follow.value) {
      pinned.value = windowAt()
      follow.value = false
    }
  }

  /**
   * The user moved the window (chart drag, wheel, slider). Still reaching "now" keeps
   * following with the new span; anything else (scrolling back) stops following.
   */
  function userWindow(w: TimeWindow): void {
    const at = now()
    const span = clampSpan(w.end - w.start)
    const tolerance = Math.max(600, span * 0.02)
    // The live edge is now, or a little ahead while a young timeline fills its first seconds.
    const edge = Math.max(at, liveWindow(at).end)
    if (w.end >= edge - tolerance) {
      spanMs.value = span
      follow.value = true
      pinned.value = null
    } else {
      spanMs.value = span
      follow.value = false
      pinned.value = { start: w.end - span, end: w.end }
    }
  }

  /** Zoom by `factor` (< 1 in, > 1 out) around the window's centre; following, around now. */
  function zoom(factor: number): void {
    const w = windowAt()
    const span = clampSpan((w.end - w.start) * factor)
    spanMs.value = span
    if (follow.value) return
    const mid = (w.start + w.end) / 2
    pinned.value = { start: mid - span / 2, end: mid + span / 2 }
  }

  /** Pan by a fraction of the window (negative: back in time). Panning into now follows again. */
  function pan(fraction: number): void {
    const w = windowAt()
    const span = w.end - w.start
    const end = w.end + span * fraction
    userWindow({ start: end - span, end })
  }

  function setSpan(ms: number): void {
    spanMs.value = clampSpan(ms)
    if (!follow.value && pinned.value) {
      const end = pinned.value.end
      pinned.value = { start: end - spanMs.value, end }
    }
  }

  /** Back to the first screen: follow live, the default span. */
  function resetZoom(): void {
    spanMs.value = DEFAULT_SPAN_MS
    follow.value = true
    pinned.value = null
  }

  /** Show one leaderless gap, with some context on each side. */
  function focus(from: number, to: number): void {
    const span = clampSpan(Math.max((to - from) * 4, 2_000))
    const mid = (from + to) / 2
    spanMs.value = span
    follow.value = false
    pinned.value = { start: mid - span / 2, end: mid + span / 2 }
  }

  function toggleFamily(f: MessageFamily): void {
    families.value = { ...families.value, [f]: !families.value[f] }
  }

  onScopeDispose(() => {
    for (const c of cleanups.splice(0)) c()
  })

  return {
    model,
    version,
    leader,
    leaderTerm,
    leaderlessSince,
    gaps,
    sampled,
    dropped,
    follow,
    spanMs,
    pinned,
    families,
    init,
    now,
    windowAt,
    setFollow,
    userWindow,
    zoom,
    pan,
    setSpan,
    resetZoom,
    focus,
    toggleFamily,
    onEvents,
    onReset
  }
})
