/**
 * The one error type of node-core's durable storage. Every failure a person may have to act on
 * carries a stable `code` (for programs and tests) and a message written for people: which
 * file, which byte, what it means, and what to do.
 */

/**
 * - `WAL_CORRUPT`: a WAL segment is damaged somewhere other than a torn tail (or a record that
 *   passed its CRC does not decode). Opening is refused: truncating would lose acknowledged writes.
 * - `WAL_SEGMENT_MISSING`: the segment sequence has a hole, or wal/ is empty while snapshots exist.
 * - `WAL_ENTRIES_MISSING`: replay found a gap between the snapshot and the entries that follow.
 * - `SNAPSHOT_CORRUPT`: the newest snapshot file is damaged and no older valid one exists.
 * - `SNAPSHOT_MISSING`: the WAL says the log was replaced by a snapshot that no file provides.
 * - `LOCKED`: another live process (or this one) has the data directory open.
 * - `CLOSED`: the storage was closed.
 * - `FAILED`: an earlier write or fsync failed; the storage refuses all further writes (an fsync
 *   error cannot be retried safely: the kernel may already have dropped the dirty pages).
 * - `INVALID_ARGUMENT`: the caller passed something that cannot be stored (a bug in the caller).
 * - `ENTRY_TOO_LARGE`: one entry exceeds the largest record a WAL frame can hold.
 */
export type StorageErrorCode =
  | 'WAL_CORRUPT'
  | 'WAL_SEGMENT_MISSING'
  | 'WAL_ENTRIES_MISSING'
  | 'SNAPSHOT_CORRUPT'
  | 'SNAPSHOT_MISSING'
  | 'LOCKED'
  | 'CLOSED'
  | 'FAILED'
  | 'INVALID_ARGUMENT'
  | 'ENTRY_TOO_LARGE'

export interface StorageErrorDetails {
  /** The file the problem is in, when there is one. */
  file?: string
  /** Byte offset in `file` where the problem starts. */
  offset?: number
  cause?: unknown
}

export class StorageError extends Error {
  readonly code: StorageErrorCode
  readonly file: string | undefined
  readonly offset: number | undefined

  constructor(code: StorageErrorCode, message: string, details: StorageErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'StorageError'
    this.code = code
    this.file = details.file
    this.offset = details.offset
  }
}

export const isStorageError = (e: unknown, code?: StorageErrorCode): e is StorageError =>
  e instanceof StorageError && (code === undefined || e.code === code)

/** The message of any thrown value, for wrapping low-level I/O errors. */
export const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e))
