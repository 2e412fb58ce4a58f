/**
 * What the transport reports to its host: log lines and metrics. Plain callbacks, so the
 * transport depends on neither pino nor prom-client; the server adapts them (its
 * nacos-cluster.log logger, prom-client counters). Same shape as the storage's hooks.
 */
import type { FrameType } from '../protocol/frame'
import type { NodeId } from '../raft/types'

export type TransportLogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface TransportLogRecord {
  level: TransportLogLevel
  msg: string
  fields: Record<string, unknown>
}

/** Receives every log line of the transport. It must not throw (a throw is swallowed). */
export type TransportLogger = (record: TransportLogRecord) => void

/**
 * Why a message (or a snapshot) was not sent.
 * - `queue-full`: the peer was not connected and its queue was full; the oldest was dropped.
 * - `backpressure`: the peer was connected but not draining (its socket buffer stayed above
 *   the bound), so the queue filled up; the oldest was dropped.
 * - `unknown-peer`: no peer with that id is configured.
 * - `not-running`: the transport is not started, or already closed.
 * - `invalid`: a message that must never be sent (to self, a local-only type) or that cannot
 *   be encoded (a codec error, a frame above the size limit).
 * - `superseded`: a pending snapshot replaced by a newer one for the same peer.
 * - `disconnected`: a snapshot in flight or pending when the connection was lost or the dial
 *   failed, or messages still queued for a peer that was removed.
 */
export type DropReason = 'queue-full' | 'backpressure' | 'unknown-peer' | 'not-running' | 'invalid' | 'superseded' | 'disconnected'

/**
 * Metric callbacks. Each is optional and must be cheap: they run on the send and receive paths.
 * A throw is swallowed so a metrics bug can never break a link. There is no round-trip time:
 * with one-way links a node never sees its own message answered on the same connection.
 */
export interface TransportMetrics {
  /** A frame was handed to the socket of the outbound link to `peer`. */
  onFrameSent?(peer: NodeId, type: FrameType, bytes: number): void
  /** A whole frame arrived from an authenticated `peer`. */
  onFrameReceived?(peer: NodeId, type: FrameType, bytes: number): void
  /** `count` messages to `peer` (undefined when there is no such peer) were dropped. */
  onDrop?(peer: NodeId | undefined, reason: DropReason, count: number): void
  /** The outbound link to `peer` connected; `reconnect` is false for its first connection. */
  onConnect?(peer: NodeId, reconnect: boolean): void
  /** A dial to `peer` failed, or its connection was lost. */
  onDisconnect?(peer: NodeId): void
  /** A snapshot stream to `peer` ended: written to the socket in full (`ok`), or abandoned. */
  onSnapshotSent?(peer: NodeId, ok: boolean, bytes: number, durationMs: number): void
  /** A snapshot from `peer` was reassembled and delivered. */
  onSnapshotReceived?(peer: NodeId, bytes: number, durationMs: number): void
  /** An inbound connection was refused (handshake) or closed for breaking the protocol. */
  onInboundClosed?(code: string): void
}

export const noopLogger: TransportLogger = () => {}

/** Call a host callback without letting its failure reach the transport. */
export function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // A logger or metrics bug must never break a peer link.
  }
}
