/**
 * The pure parts of replay: the clock, the queue of loaded events waiting for their time,
 * when to load the next page, and how a seek goes. The store (replay.ts) adds the timer, the
 * LabApi calls and the feed.
 */
import type { LabEvent } from '../../../electron/lab/api'

export const SPEEDS = [0.5, 1, 2, 5, 10, 60] as const
export type ReplaySpeed = (typeof SPEEDS)[number]

/** ← / → move this far. */
export const SEEK_STEP_MS = 5000
/** Events asked for per page. */
export const PAGE_SIZE = 2000
/** Load the next page when fewer events than this wait ahead of the clock. */
export const LOW_WATER = 2 * PAGE_SIZE
/** Events held ahead of the clock at most (a visible bound: the queue never holds a whole run). */
export const MAX_AHEAD = 6 * PAGE_SIZE
/** A seek hands the feed at most this many events per batch. */
export const SEEK_BATCH = 50_000
/** The clock ticks this often while playing. */
export const TICK_MS = 50

export function isSpeed(v: number): v is ReplaySpeed {
  return (SPEEDS as readonly number[]).includes(v)
}

/** The next speed up (+1) or down (−1), staying at the ends. */
export function stepSpeed(s: ReplaySpeed, dir: 1 | -1): ReplaySpeed {
  const i = SPEEDS.indexOf(s)
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, i + dir))]!
}

export interface Span {
  startedAt: number
  endedAt: number
}

export function clampTime(t: number, span: Span): number {
  return Math.min(span.endedAt, Math.max(span.startedAt, t))
}

/**
 * Where the clock goes after `elapsedMs` of real time at `speed`. While pages remain to load,
 * it never passes the last loaded event (`horizon`): the replay waits for its data rather
 * than skip events; `horizon` is null once everything is loaded.
 */
export function advanceClock(at: number, elapsedMs: number, speed: number, span: Span, horizon: number | null): number {
  const next = clampTime(at + Math.max(0, elapsedMs) * speed, span)
  return horizon === null ? next : Math.max(at, Math.min(next, horizon))
}

export type SeekDirection = 'forward' | 'backward' | 'none'

/** Going back means starting again from the beginning (stores only move forward). */
export function seekDirection(at: number, target: number): SeekDirection {
  return target > at ? 'forward' : target < at ? 'backward' : 'none'
}

/** Whether to ask for the next page now. */
export function shouldLoad(ahead: number, nextSeq: number | null, loading: boolean): boolean {
  return nextSeq !== null && !loading && ahead < LOW_WATER
}

/** Whether a seek to `target` must load more first: the loaded events stop before it. */
export function needsMoreFor(target: number, lastLoadedTs: number | null, nextSeq: number | null): boolean {
  return nextSeq !== null && (lastLoadedTs === null || lastLoadedTs <= target)
}

/** Replay offset as m:ss.s (h:mm:ss past an hour). */
export function formatOffset(ms: number): string {
  const total = Math.max(0, ms)
  const h = Math.floor(total / 3_600_000)
  const m = Math.floor((total % 3_600_000) / 60_000)
  const s = (total % 60_000) / 1000
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${String(Math.floor(s)).padStart(2, '0')}`
  return `${m}:${s.toFixed(1).padStart(4, '0')}`
}

/**
 * A copy of a recorded event for the feed. Stores may adopt what an event carries and change
 * it (the cluster store keeps `cluster.created`'s cluster and updates its nodes), and a seek
 * back pushes the same recorded events again: each push must start from the recording.
 * Raft events, the bulk of a run, carry nothing a store adopts and go as they are.
 */
export function freshEvent(e: LabEvent): LabEvent {
  return e.type === 'raft' ? e : structuredClone(e)
}

/** Events loaded and waiting for their time, in order. */
export class EventQueue {
  private items: LabEvent[] = []
  private head = 0

  get size(): number {
    return this.items.length - this.head
  }

  /** Time of the last loaded event, or null when none waits. */
  get lastTs(): number | null {
    return this.size > 0 ? this.items[this.items.length - 1]!.ts : null
  }

  push(events: readonly LabEvent[]): void {
    if (this.head > 0 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    for (const e of events) this.items.push(e)
  }

  /** Take the waiting events whose time has come (ts ≤ at), at most `max`. */
  takeUpTo(at: number, max = Number.POSITIVE_INFINITY): LabEvent[] {
    const limit = Math.min(this.items.length, this.head + max)
    // Binary search: the queue is in time order.
    let lo = this.head
    let hi = limit
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.items[mid]!.ts <= at) lo = mid + 1
      else hi = mid
    }
    const out = this.items.slice(this.head, lo)
    this.head = lo
    return out
  }

  clear(): void {
    this.items = []
    this.head = 0
  }
}

/** A recording's size for people: 812 B, 48.2 KB, 3.1 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`
}
