/**
 * The logs view's client-side buffer: log lines as rows with a local sequence number, kept in
 * a bounded window (oldest fall out first, and are counted), plus the arithmetic that turns
 * the lab's running line total into "which of the answered lines are new".
 *
 * Pure: no Vue, no timers. Arrays are never mutated in place, so a store can hold them in a
 * shallowRef and replace them per poll.
 */
import type { LogChannel, LogLevel, LogLine, NodeId } from '../../../electron/lab/api'

/** Lines kept in the renderer (the engine keeps its own ring of the same size). */
export const LOG_RING_CAPACITY = 100_000

/**
 * One line as the renderer keeps it. `fields` is left out on purpose: it is `raw` parsed
 * again, and 100,000 parsed objects would cost more memory than the rest of the row; the
 * detail panel re-derives it from `raw` for the one row a person opens.
 */
export interface LogRow {
  /** Local, strictly increasing: the row's identity (key) and its place in time of arrival. */
  seq: number
  nodeId: NodeId
  file: LogChannel
  level: LogLevel
  time: number
  msg: string
  raw: string
  /** Lower-cased msg + raw, filled the first time a text filter reads it. */
  lower?: string
}

export function toRow(line: LogLine, seq: number): LogRow {
  return { seq, nodeId: line.nodeId, file: line.file, level: line.level, time: line.time, msg: line.msg, raw: line.raw }
}

export interface RingAppend {
  rows: LogRow[]
  /** How many rows fell out of the front to make room. */
  dropped: number
}

/** Append `added` to `rows`, keeping at most `capacity` (the newest). Returns new arrays only. */
export function appendBounded(rows: readonly LogRow[], added: readonly LogRow[], capacity = LOG_RING_CAPACITY): RingAppend {
  if (added.length === 0) return { rows: rows as LogRow[], dropped: 0 }
  const overflow = rows.length + added.length - capacity
  if (overflow <= 0) return { rows: rows.concat(added), dropped: 0 }
  if (overflow >= rows.length) {
    // Even the batch alone may be more than the ring holds.
    const extra = added.length - capacity
    return { rows: added.slice(Math.max(0, extra)), dropped: rows.length + Math.max(0, extra) }
  }
  return { rows: rows.slice(overflow).concat(added), dropped: overflow }
}

/**
 * What one `logs.query` answer brings that we have not seen.
 *
 * `total` counts every line the lab read since the cluster started, whatever the filter (the
 * engine's `LogTails.stats().total`), and the answer's lines are the newest ones, oldest
 * first. So the new lines are the last `total - seenTotal` of the answer. When more arrived
 * than the answer holds (limit reached, or the engine's own ring dropped them) the rest are
 * `missed`: gone before we could read them, counted rather than hidden.
 * A total below what we saw means the lab's counter started again (a new cluster).
 */
export function newLinesOf(
  answer: { lines: readonly LogLine[]; total: number },
  seenTotal: number
): { fresh: LogLine[]; missed: number; restarted: boolean } {
  const restarted = answer.total < seenTotal
  const base = restarted ? 0 : seenTotal
  const arrived = answer.total - base
  if (arrived <= 0) return { fresh: [], missed: 0, restarted }
  const take = Math.min(arrived, answer.lines.length)
  return { fresh: answer.lines.slice(answer.lines.length - take), missed: arrived - take, restarted }
}

/**
 * The limit for the next poll: enough for what the last poll brought (doubled, so a rising
 * rate is caught up in one round trip), at most the lab's cap of 20,000. An idle tail asks
 * for a handful, so polling in the background costs a few lines per answer; a burst beyond
 * the limit costs one more request (the store asks again before taking any).
 */
export function nextLimit(lastArrived: number, min = 10, max = 20_000): number {
  return Math.max(min, Math.min(max, lastArrived * 2))
}
