/**
 * The peer handshake: the dialer's first frame is a `hello` that proves it knows the cluster
 * secret. Links are one-way (nothing ever flows back on an inbound connection), so there is no
 * challenge the listener could send; instead the dialer signs a fresh, unique statement:
 *
 *   hello payload (big-endian)
 *     0        u8    hello version (1)
 *     1        u8    reserved (0)
 *     2        u64   sender's wall clock, ms since the epoch
 *     10       16B   random nonce
 *     26       u16   n = length of the sender's member address
 *     28       n     sender's member address, UTF-8 (`ip:port` as in cluster.conf; for logs)
 *     28+n     32B   HMAC-SHA256(key, "QLHELLO1" ‖ from u64 ‖ to u64 ‖ payload[0, 28+n))
 *
 *   key = HMAC-SHA256(secret, "quorum-lab/peer-transport/v1")
 *
 * The listener accepts it only when the MAC verifies (constant-time compare), the frame's
 * `to` is itself, the timestamp is within ±window of its own clock, and the nonce was not seen
 * inside the window. So:
 * - a dialer without the secret (another cluster, a misconfigured node, a port scanner) is
 *   refused: it cannot produce the MAC;
 * - a captured hello cannot be replayed later (timestamp) nor within the window (nonce cache);
 * - `from` and `to` are bound into the MAC, so a hello for one link cannot open another.
 * The key is derived from the secret so that the raw secret, which the server may use for
 * other things, never keys this MAC directly (domain separation).
 *
 * What it is not: the secret authenticates the peer at connection time; it does not encrypt
 * or sign every frame. Raft frames after the hello are plain, so the lab's link proxy can read
 * their headers (and on a real network one would add TLS underneath).
 *
 * The cost of the timestamp is that clocks must agree within the window (default 60 s); a
 * refused hello says "stale" with the measured skew, so the cause is obvious.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { NodeId } from '../raft/types'
import type { ProtocolViolation } from './errors'

export const HELLO_VERSION = 1
const HELLO_FIXED_BYTES = 28
const MAC_BYTES = 32
const NONCE_BYTES = 16
/** Longest member address a hello may carry (a hostname is ≤ 253 characters, plus `:port`). */
export const MAX_HELLO_ADDRESS_BYTES = 300
/** Largest legal hello payload; the listener refuses a longer one before reading it. */
export const MAX_HELLO_PAYLOAD = HELLO_FIXED_BYTES + MAX_HELLO_ADDRESS_BYTES + MAC_BYTES
export const DEFAULT_HELLO_WINDOW_MS = 60_000
/** Nonces remembered for replay detection; beyond this the oldest are forgotten first. */
export const DEFAULT_REPLAY_CACHE_SIZE = 8_192

const MAC_PREFIX = Buffer.from('QLHELLO1', 'ascii')
const KEY_LABEL = 'quorum-lab/peer-transport/v1'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The MAC key for a cluster secret. */
export function deriveHelloKey(secret: string | Uint8Array): Buffer {
  return createHmac('sha256', typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret)
    .update(KEY_LABEL)
    .digest()
}

function u64(v: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeUInt32BE(Math.floor(v / 2 ** 32), 0)
  b.writeUInt32BE(v >>> 0, 4)
  return b
}

function mac(key: Uint8Array, from: NodeId, to: NodeId, signed: Uint8Array): Buffer {
  return createHmac('sha256', key).update(MAC_PREFIX).update(u64(from)).update(u64(to)).update(signed).digest()
}

export interface HelloInput {
  key: Uint8Array
  from: NodeId
  to: NodeId
  /** The sender's member address, for the listener's logs. */
  address: string
  nowMs: number
  /** 16 bytes; random unless a test fixes it. */
  nonce?: Uint8Array
}

/** The payload of a hello frame from `from` to `to`. */
export function encodeHello(input: HelloInput): Uint8Array {
  const addr = encoder.encode(input.address)
  if (addr.length > MAX_HELLO_ADDRESS_BYTES) throw new RangeError(`member address is longer than ${MAX_HELLO_ADDRESS_BYTES} bytes`)
  const nonce = input.nonce ?? randomBytes(NONCE_BYTES)
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`hello nonce must be ${NONCE_BYTES} bytes`)
  if (!Number.isSafeInteger(input.nowMs) || input.nowMs < 0) throw new RangeError(`bad hello timestamp ${input.nowMs}`)
  const out = Buffer.alloc(HELLO_FIXED_BYTES + addr.length + MAC_BYTES)
  out.writeUInt8(HELLO_VERSION, 0)
  out.writeUInt8(0, 1)
  u64(input.nowMs).copy(out, 2)
  out.set(nonce, 10)
  out.writeUInt16BE(addr.length, 26)
  out.set(addr, HELLO_FIXED_BYTES)
  const signedEnd = HELLO_FIXED_BYTES + addr.length
  mac(input.key, input.from, input.to, out.subarray(0, signedEnd)).copy(out, signedEnd)
  return new Uint8Array(out.buffer, out.byteOffset, out.length)
}

/** An accepted hello. */
export interface Hello {
  from: NodeId
  to: NodeId
  address: string
  timestampMs: number
}

export type HelloVerdict = ({ ok: true } & Hello) | ({ ok: false } & ProtocolViolation)

export interface HelloVerifierOptions {
  key: Uint8Array
  selfId: NodeId
  windowMs?: number
  replayCacheSize?: number
  /** Wall clock in ms; injected for tests. */
  now?: () => number
}

/**
 * Checks hellos for one listener. Stateful only in its replay cache (nonce → expiry), which is
 * bounded; only hellos whose MAC verifies reach it, so a stranger cannot fill it.
 */
export class HelloVerifier {
  private readonly key: Uint8Array
  private readonly windowMs: number
  private readonly cacheSize: number
  private readonly now: () => number
  private readonly seen = new Map<string, number>()

  constructor(private readonly opts: HelloVerifierOptions) {
    this.key = opts.key
    this.windowMs = opts.windowMs ?? DEFAULT_HELLO_WINDOW_MS
    this.cacheSize = opts.replayCacheSize ?? DEFAULT_REPLAY_CACHE_SIZE
    this.now = opts.now ?? Date.now
  }

  /** Verify a hello frame's header ids and payload. */
  verify(from: NodeId, to: NodeId, payload: Uint8Array): HelloVerdict {
    if (payload.length < HELLO_FIXED_BYTES + MAC_BYTES || payload.length > MAX_HELLO_PAYLOAD) {
      return { ok: false, code: 'HELLO_MALFORMED', detail: `hello payload of ${payload.length} bytes` }
    }
    const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.length)
    const version = buf.readUInt8(0)
    if (version !== HELLO_VERSION) return { ok: false, code: 'HELLO_MALFORMED', detail: `unsupported hello version ${version}` }
    const addrLen = buf.readUInt16BE(26)
    const signedEnd = HELLO_FIXED_BYTES + addrLen
    if (signedEnd + MAC_BYTES !== buf.length) {
      return { ok: false, code: 'HELLO_MALFORMED', detail: `hello address length ${addrLen} does not match a payload of ${buf.length} bytes` }
    }
    const expected = mac(this.key, from, to, buf.subarray(0, signedEnd))
    if (!timingSafeEqual(expected, buf.subarray(signedEnd))) {
      return { ok: false, code: 'BAD_SECRET', detail: 'hello signature does not verify: the dialer does not have this cluster secret' }
    }
    // From here on the dialer knows the secret; what is left is addressing and freshness.
    if (to !== this.opts.selfId) {
      return { ok: false, code: 'WRONG_TARGET', detail: `hello addressed to node ${to}, but this is node ${this.opts.selfId}` }
    }
    const hi = buf.readUInt32BE(2)
    const timestampMs = hi * 2 ** 32 + buf.readUInt32BE(6)
    const now = this.now()
    const skew = timestampMs - now
    if (hi >= 2 ** 21 || Math.abs(skew) > this.windowMs) {
      return {
        ok: false,
        code: 'STALE_HELLO',
        detail: `hello timestamp is ${skew} ms from this node's clock (window ±${this.windowMs} ms): clock skew or a replayed hello`
      }
    }
    let address: string
    try {
      address = decoder.decode(buf.subarray(HELLO_FIXED_BYTES, signedEnd))
    } catch {
      return { ok: false, code: 'HELLO_MALFORMED', detail: 'hello member address is not valid UTF-8' }
    }
    const nonce = buf.subarray(10, 26).toString('hex')
    this.prune(now)
    if (this.seen.has(nonce)) return { ok: false, code: 'REPLAYED_HELLO', detail: 'hello nonce was already used' }
    if (this.seen.size >= this.cacheSize) {
      const oldest = this.seen.keys().next().value
      if (oldest !== undefined) this.seen.delete(oldest)
    }
    // Remember the nonce for as long as its timestamp could still pass the window check.
    this.seen.set(nonce, timestampMs + this.windowMs)
    return { ok: true, from, to, address, timestampMs }
  }

  /** Nonces currently remembered (for tests). */
  get remembered(): number {
    return this.seen.size
  }

  private prune(now: number): void {
    // Entries expire in roughly insertion order (timestamps are near `now`), so stop early.
    for (const [nonce, expiry] of this.seen) {
      if (expiry >= now) break
      this.seen.delete(nonce)
    }
  }
}
