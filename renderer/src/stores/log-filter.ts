/**
 * Client-side log filtering: by node, file, level and text, over the rows the renderer keeps,
 * so a filter change is instant and never refetches. Pure.
 */
import type { LogChannel, LogLevel, NodeId } from '../../../electron/lab/api'
import type { LogRow } from './log-ring'

export interface LogViewFilter {
  /** Empty: any node. */
  nodes: readonly NodeId[]
  /** Empty: any file. */
  files: readonly LogChannel[]
  /** Empty: any level. */
  levels: readonly LogLevel[]
  /** Case-insensitive substring of the message or the raw line; '' matches all. */
  text: string
}

export const EMPTY_FILTER: LogViewFilter = { nodes: [], files: [], levels: [], text: '' }

/** Severity thresholds the level picker offers ("this and above"). */
export type MinLevel = 'debug' | 'info' | 'warn' | 'error'
export const MIN_LEVELS: readonly MinLevel[] = ['debug', 'info', 'warn', 'error']

const SEVERITY: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']

/**
 * The levels at or above `min`. Lines that are not JSON ('unknown': a crash trace, a torn
 * write) stay in from 'warn' up: they are most often the output of a failure.
 */
export function levelsAtLeast(min: MinLevel | null): LogLevel[] {
  if (min === null) return []
  const out = SEVERITY.slice(SEVERITY.indexOf(min))
  return min === 'warn' || min === 'error' ? [...out, 'unknown'] : out
}

export function isFilterEmpty(f: LogViewFilter): boolean {
  return f.nodes.length === 0 && f.files.length === 0 && f.levels.length === 0 && f.text === ''
}

/** A matcher for one filter; the needle is lower-cased once, rows' text once per row. */
export function rowMatcher(f: LogViewFilter): (row: LogRow) => boolean {
  const nodes = f.nodes.length > 0 ? new Set(f.nodes) : null
  const files = f.files.length > 0 ? new Set(f.files) : null
  const levels = f.levels.length > 0 ? new Set(f.levels) : null
  const needle = f.text.toLowerCase()
  return (row) => {
    if (nodes && !nodes.has(row.nodeId)) return false
    if (files && !files.has(row.file)) return false
    if (levels && !levels.has(row.level)) return false
    if (needle) {
      // msg first: for a non-JSON line msg is the raw text, and raw repeats msg otherwise.
      row.lower ??= row.msg === row.raw ? row.raw.toLowerCase() : `${row.msg}\n${row.raw}`.toLowerCase()
      if (!row.lower.includes(needle)) return false
    }
    return true
  }
}

export function filterRows(rows: readonly LogRow[], f: LogViewFilter): LogRow[] {
  if (isFilterEmpty(f)) return rows.slice()
  const match = rowMatcher(f)
  const out: LogRow[] = []
  for (const row of rows) if (match(row)) out.push(row)
  return out
}

/**
 * Bring a filtered list up to date with the ring after a poll, without filtering it all
 * again: drop what fell out of the ring (rows older than `firstSeq`), append the matches
 * among `added`.
 */
export function updateFiltered(filtered: readonly LogRow[], firstSeq: number, added: readonly LogRow[], f: LogViewFilter): LogRow[] {
  let cut = 0
  // Rows are in seq order: binary search for the first row still in the ring.
  let hi = filtered.length
  while (cut < hi) {
    const mid = (cut + hi) >>> 1
    if (filtered[mid]!.seq < firstSeq) cut = mid + 1
    else hi = mid
  }
  const kept = cut > 0 ? filtered.slice(cut) : filtered
  const fresh = filterRows(added, f)
  return fresh.length > 0 ? kept.concat(fresh) : (kept as LogRow[])
}

/** How many of `rows` pass the filter (for "+N new" while paused). */
export function countMatching(rows: readonly LogRow[], f: LogViewFilter): number {
  if (isFilterEmpty(f)) return rows.length
  const match = rowMatcher(f)
  let n = 0
  for (const row of rows) if (match(row)) n++
  return n
}
