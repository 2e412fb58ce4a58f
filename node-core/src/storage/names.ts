/**
 * File names of the data directory:
 *
 *     <dir>/LOCK                                      the pid of the process that has it open
 *     <dir>/wal/<seq>-<firstIndex>.wal                WAL segments, 16 zero-padded decimal digits each
 *     <dir>/snap/<term>-<index>.snap                  snapshot files, same padding
 *
 * Why decimal and padded: a person reading `ls` sees the index at once, and the names sort in
 * numeric order as plain strings. (etcd uses hex; readability matters more in a teaching lab.)
 */

const DIGITS = 16
const MAX = 10 ** DIGITS - 1

const pad = (n: number, what: string): string => {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX) throw new RangeError(`${what} ${n} cannot be written in a file name`)
  return String(n).padStart(DIGITS, '0')
}

export const WAL_DIR = 'wal'
export const SNAP_DIR = 'snap'
export const LOCK_FILE = 'LOCK'
export const SEGMENT_SUFFIX = '.wal'
export const SNAPSHOT_SUFFIX = '.snap'
/** A snapshot being written; never read, removed on open. */
export const TEMP_SUFFIX = '.tmp'
/** A snapshot file found corrupt and set aside (kept for a person to inspect). */
export const BROKEN_SUFFIX = '.broken'

export function segmentFileName(seq: number, firstIndex: number): string {
  if (seq < 1) throw new RangeError(`segment sequence ${seq} must be at least 1`)
  return `${pad(seq, 'segment sequence')}-${pad(firstIndex, 'first index')}${SEGMENT_SUFFIX}`
}

const SEGMENT_RE = /^(\d{16})-(\d{16})\.wal$/
const SNAPSHOT_RE = /^(\d{16})-(\d{16})\.snap$/

export function parseSegmentFileName(name: string): { seq: number; firstIndex: number } | undefined {
  const m = SEGMENT_RE.exec(name)
  if (!m) return undefined
  const seq = Number(m[1])
  return seq >= 1 ? { seq, firstIndex: Number(m[2]) } : undefined
}

export function snapshotFileName(term: number, index: number): string {
  return `${pad(term, 'snapshot term')}-${pad(index, 'snapshot index')}${SNAPSHOT_SUFFIX}`
}

export function parseSnapshotFileName(name: string): { term: number; index: number } | undefined {
  const m = SNAPSHOT_RE.exec(name)
  return m ? { term: Number(m[1]), index: Number(m[2]) } : undefined
}
