/**
 * What the storage reports to its host: log lines and metrics. Both are plain callbacks so the
 * storage depends on neither pino nor prom-client; the server adapts them (a WAL fsync
 * histogram, a bytes counter, its nacos.log logger).
 */

export type StorageLogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface StorageLogRecord {
  level: StorageLogLevel
  msg: string
  fields: Record<string, unknown>
}

/** Receives every log line of the storage. It must not throw (a throw is swallowed). */
export type StorageLogger = (record: StorageLogRecord) => void

/**
 * Metric callbacks. Each is optional and must be cheap: they run on the write path. A throw is
 * swallowed so a metrics bug can never fail a write.
 */
export interface StorageMetrics {
  /** After every fdatasync of a WAL segment: its duration in milliseconds. */
  onFsync?(durationMs: number): void
  /** After every write to a WAL segment: the bytes written. */
  onWrite?(bytes: number): void
  /** After every group-commit batch: how many save() calls it carried. */
  onBatch?(saves: number): void
  /** After a snapshot file was made durable: its size and how long writing it took. */
  onSnapshotSaved?(bytes: number, durationMs: number): void
}

/** Counters kept by the storage itself, for tests, status endpoints and benchmarks. */
export interface WalStats {
  /** save()/sync() calls accepted by the WAL writer. */
  saves: number
  /** Group-commit batches written (one write, at most one fsync each). */
  batches: number
  fsyncs: number
  fsyncMsTotal: number
  bytesWritten: number
  /** WAL segments currently on disk. */
  segments: number
  firstSegmentSeq: number
  lastSegmentSeq: number
}

export const noopLogger: StorageLogger = () => {}

/** Call a host callback without letting its failure reach the storage. */
export function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // A logger or metrics bug must never fail (or double-fail) a durable write.
  }
}
