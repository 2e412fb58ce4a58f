/**
 * Recovery figures from what a drill recorded: leader samples (who led, polled), the
 * workload history and the drill's own step marks. Pure.
 */
import type { HistoryOp } from '../workload/history'

/** One poll of the cluster: the agreed leader, or null when there is none (or no agreement). */
export interface LeaderSample {
  at: number
  leader: number | null
  term: number
}

export interface Window {
  from: number
  to: number
  ms: number
}

/** Windows with no agreed leader, in order (an open window ends at `end`). */
export function leaderlessWindows(samples: readonly LeaderSample[], end: number): Window[] {
  const out: Window[] = []
  let from: number | null = null
  for (const s of samples) {
    if (s.leader === null && from === null) from = s.at
    if (s.leader !== null && from !== null) {
      out.push({ from, to: s.at, ms: s.at - from })
      from = null
    }
  }
  if (from !== null) out.push({ from, to: end, ms: end - from })
  return out
}

/** Leader changes seen by the poller: each with the measured gap without a leader before it. */
export function leaderChanges(samples: readonly LeaderSample[]): { at: number; from: number | null; to: number; term: number; gapMs: number }[] {
  const out: { at: number; from: number | null; to: number; term: number; gapMs: number }[] = []
  let last: number | null = null
  let lastSeenAt: number | null = null
  for (const s of samples) {
    if (s.leader === null) continue
    if (last !== null && s.leader !== last) out.push({ at: s.at, from: last, to: s.leader, term: s.term, gapMs: lastSeenAt === null ? 0 : s.at - lastSeenAt })
    last = s.leader
    lastSeenAt = s.at
  }
  return out
}

const okWrites = (h: readonly HistoryOp[]): HistoryOp[] =>
  h.filter((o) => o.kind === 'write' && o.outcome === 'ok' && o.completeAt !== undefined).sort((a, b) => a.completeAt! - b.completeAt!)

/** Fault at `at` → the first write invoked after it that was acknowledged: its completion − `at`. */
export function timeToFirstAck(history: readonly HistoryOp[], at: number): number | null {
  const first = okWrites(history).find((o) => o.invokeAt >= at)
  return first ? first.completeAt! - at : null
}

/**
 * The longest stretch, between `from` and `to`, with no write acknowledged: what a client saw
 * as "writes unavailable". Measured between acknowledgements (and the window's edges).
 */
export function longestWriteGap(history: readonly HistoryOp[], from: number, to: number): Window | null {
  const acks = okWrites(history)
    .map((o) => o.completeAt!)
    .filter((t) => t >= from && t <= to)
  if (acks.length === 0) return { from, to, ms: to - from }
  let best: Window = { from, to: acks[0]!, ms: acks[0]! - from }
  for (let i = 1; i < acks.length; i++) {
    const ms = acks[i]! - acks[i - 1]!
    if (ms > best.ms) best = { from: acks[i - 1]!, to: acks[i]!, ms }
  }
  return best
}

export interface PhaseCounts {
  phase: string
  from: number
  to: number
  ok: number
  fail: number
  unknown: number
}

/** Ops by outcome in each phase (phases are consecutive [from, to) windows by invoke time). */
export function countByPhase(history: readonly HistoryOp[], phases: readonly { phase: string; from: number; to: number }[]): PhaseCounts[] {
  return phases.map((p) => {
    const ops = history.filter((o) => o.invokeAt >= p.from && o.invokeAt < p.to)
    return { ...p, ok: ops.filter((o) => o.outcome === 'ok').length, fail: ops.filter((o) => o.outcome === 'fail').length, unknown: ops.filter((o) => o.outcome === 'unknown').length }
  })
}
