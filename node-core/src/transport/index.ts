/**
 * node-core's Raft peer transport: one-way TCP links with length-prefixed frames, an
 * HMAC-authenticated hello, chunked snapshots, reconnect with backoff, bounded queues and the
 * lab's live routing file. See README.md in this folder for the formats and decisions.
 */
export { PeerTransport, type PeerStats, type PeerTransportOptions, type ReceiveStats, type TransportStats } from './peer-transport'
export type { LinkState, PeerLinkStats } from './peer-link'
export {
  REFUSAL_CODES,
  TransportError,
  isTransportError,
  type ProtocolViolation,
  type ProtocolViolationCode,
  type TransportErrorCode
} from './errors'
export type { DropReason, TransportLogLevel, TransportLogRecord, TransportLogger, TransportMetrics } from './hooks'
export { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff'
export { DEFAULT_HELLO_WINDOW_MS, HelloVerifier, deriveHelloKey, encodeHello } from './handshake'
export { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_SNAPSHOT_BYTES } from './snapshot-chunks'
export { defaultDialTarget, parseRoutingTable, type DialTarget, type RoutingTable } from './routing-table'
