/**
 * Errors of the peer transport. Two kinds, kept apart on purpose:
 *
 * - {@link TransportError} is THROWN, only to the transport's owner, for mistakes the owner can
 *   fix: bad options, a bad peer address, a routing file that does not parse at start, a port
 *   that cannot be bound. Nothing a remote peer sends can raise one.
 * - {@link ProtocolViolation} describes why an inbound connection was CLOSED. It is logged and
 *   counted, never thrown out of the transport: a bad peer must not be able to crash a node.
 *
 * Both carry a stable `code` for programs, tests and metrics, and a message written for people.
 */

/**
 * - `INVALID_OPTIONS`: a constructor option is missing or out of range.
 * - `INVALID_PEER`: a peer id or member address given to `setPeers` is not usable.
 * - `ROUTING_FILE`: the routing file exists but is not valid (the message names the field).
 * - `LISTEN`: the Raft port could not be bound.
 * - `STATE`: a call that the transport's state does not allow (start twice, start after close).
 */
export type TransportErrorCode = 'INVALID_OPTIONS' | 'INVALID_PEER' | 'ROUTING_FILE' | 'LISTEN' | 'STATE'

export class TransportError extends Error {
  readonly code: TransportErrorCode

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'TransportError'
    this.code = code
  }
}

export const isTransportError = (e: unknown, code?: TransportErrorCode): e is TransportError =>
  e instanceof TransportError && (code === undefined || e.code === code)

/**
 * Why an inbound connection was closed. The first group is the handshake (the dialer is not,
 * or not yet, a trusted peer); the second is a trusted peer breaking the protocol.
 *
 * - `HANDSHAKE_TIMEOUT`: no complete hello within the handshake timeout.
 * - `HELLO_MISSING`: the first frame was not a hello ("frame before hello").
 * - `HELLO_MALFORMED`: the hello payload does not parse, or is too large.
 * - `BAD_SECRET`: the hello's HMAC does not verify: the dialer does not know the cluster secret.
 * - `WRONG_TARGET`: an authentic hello addressed to another node (a routing mistake).
 * - `STALE_HELLO`: the hello's timestamp is outside the freshness window (clock skew or replay).
 * - `REPLAYED_HELLO`: a hello whose nonce was already used inside the window.
 * - `FRAME_VERSION` / `FRAME_TYPE` / `FRAME_TOO_LARGE` / `FRAME_ID`: a bad frame header
 *   (the codes of `FrameError` in protocol/frame.ts).
 * - `UNEXPECTED_FRAME`: a frame type that has no business on a peer link (helloAck, forward...).
 * - `WRONG_SENDER`: a frame (or the message inside it) claims another sender or receiver than
 *   the hello established.
 * - `CODEC`: a raft payload that does not decode (`CodecError`).
 * - `LOCAL_MESSAGE`: a message type that never crosses the wire (MsgHup, MsgBeat...): accepting
 *   one would let a peer drive this node's own timers.
 * - `SNAPSHOT_MALFORMED` / `SNAPSHOT_TOO_LARGE`: a snapshot chunk stream that is inconsistent
 *   or larger than this node accepts.
 * - `SUPERSEDED`: the same peer opened a newer authenticated connection; the old one is
 *   abandoned (typically half-open after a cut) and closed so it cannot leak.
 */
export type ProtocolViolationCode =
  | 'HANDSHAKE_TIMEOUT'
  | 'HELLO_MISSING'
  | 'HELLO_MALFORMED'
  | 'BAD_SECRET'
  | 'WRONG_TARGET'
  | 'STALE_HELLO'
  | 'REPLAYED_HELLO'
  | 'FRAME_VERSION'
  | 'FRAME_TYPE'
  | 'FRAME_TOO_LARGE'
  | 'FRAME_ID'
  | 'UNEXPECTED_FRAME'
  | 'WRONG_SENDER'
  | 'CODEC'
  | 'LOCAL_MESSAGE'
  | 'SNAPSHOT_MALFORMED'
  | 'SNAPSHOT_TOO_LARGE'
  | 'SUPERSEDED'

/** Codes that mean "the dialer was refused as a peer", as opposed to a peer misbehaving later. */
export const REFUSAL_CODES: ReadonlySet<ProtocolViolationCode> = new Set<ProtocolViolationCode>([
  'HANDSHAKE_TIMEOUT',
  'HELLO_MISSING',
  'HELLO_MALFORMED',
  'BAD_SECRET',
  'WRONG_TARGET',
  'STALE_HELLO',
  'REPLAYED_HELLO'
])

export interface ProtocolViolation {
  code: ProtocolViolationCode
  /** For people: what was wrong, with the numbers that show it. */
  detail: string
}

/** The message of any thrown value. */
export const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e))
