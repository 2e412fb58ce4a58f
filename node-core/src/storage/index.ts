/**
 * node-core's durable Raft storage: WAL segments with CRC-checked frames and group commit,
 * hard state, snapshot files, recovery. See README.md in this folder for formats and decisions.
 */
export {
  DEFAULT_KEEP_SNAPSHOTS,
  DiskStorage,
  type DiskStorageOptions,
  type RecoveryInfo,
  type SaveRequest
} from './disk-storage'
export { StorageError, isStorageError, type StorageErrorCode } from './errors'
export type { StorageLogLevel, StorageLogRecord, StorageLogger, StorageMetrics, WalStats } from './hooks'
export { DEFAULT_SEGMENT_BYTES } from './wal'
