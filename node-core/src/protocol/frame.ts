/**
 * The peer wire frame: a fixed 24-byte header the lab's link proxy can read without knowing
 * the payload, then `length` bytes of payload.
 *
 *   offset  size  field
 *   0       1     version   (FRAME_VERSION)
 *   1       1     type      (FrameType, as a code)
 *   2       2     flags     (reserved, 0)
 *   4       8     from      (NodeId, unsigned, < 2^53)
 *   12      8     to        (NodeId)
 *   20      4     length    (payload bytes, ≤ MAX_FRAME_PAYLOAD)
 *
 * Big-endian, like most network formats. Pure (Uint8Array + DataView), so the lab, node-core
 * and tests share it.
 */

export const FRAME_VERSION = 1
export const FRAME_HEADER_BYTES = 24
/** A frame larger than this is a protocol error (snapshots travel in chunks below it). */
export const MAX_FRAME_PAYLOAD = 8 * 1024 * 1024

export type FrameType = 'hello' | 'helloAck' | 'raft' | 'snapshotChunk' | 'forward' | 'forwardReply'

const TYPE_CODES: Record<FrameType, number> = {
  hello: 1,
  helloAck: 2,
  raft: 3,
  snapshotChunk: 4,
  forward: 5,
  forwardReply: 6
}
const TYPES_BY_CODE = new Map(Object.entries(TYPE_CODES).map(([k, v]) => [v, k as FrameType]))

export interface FrameHeader {
  version: number
  type: FrameType
  flags: number
  from: number
  to: number
  length: number
}

export interface Frame {
  header: FrameHeader
  payload: Uint8Array
}

/** A malformed frame: the connection that sent it must be closed. */
export class FrameError extends Error {
  constructor(
    readonly code: 'FRAME_VERSION' | 'FRAME_TYPE' | 'FRAME_TOO_LARGE' | 'FRAME_ID',
    message: string
  ) {
    super(message)
    this.name = 'FrameError'
  }
}

function writeU64(view: DataView, offset: number, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new FrameError('FRAME_ID', `node id ${v} is not an unsigned safe integer`)
  view.setUint32(offset, Math.floor(v / 2 ** 32))
  view.setUint32(offset + 4, v >>> 0)
}

function readU64(view: DataView, offset: number): number {
  const hi = view.getUint32(offset)
  if (hi >= 2 ** 21) throw new FrameError('FRAME_ID', `node id field at byte ${offset} exceeds 2^53`)
  return hi * 2 ** 32 + view.getUint32(offset + 4)
}

export function encodeFrame(type: FrameType, from: number, to: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_FRAME_PAYLOAD) {
    throw new FrameError('FRAME_TOO_LARGE', `payload of ${payload.length} bytes exceeds ${MAX_FRAME_PAYLOAD}`)
  }
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length)
  const view = new DataView(out.buffer)
  view.setUint8(0, FRAME_VERSION)
  view.setUint8(1, TYPE_CODES[type])
  view.setUint16(2, 0)
  writeU64(view, 4, from)
  writeU64(view, 12, to)
  view.setUint32(20, payload.length)
  out.set(payload, FRAME_HEADER_BYTES)
  return out
}

/** Parse a header from the first 24 bytes of `buf`; throws FrameError when it is not ours. */
export function decodeHeader(buf: Uint8Array): FrameHeader {
  if (buf.length < FRAME_HEADER_BYTES) throw new RangeError('need 24 bytes for a frame header')
  const view = new DataView(buf.buffer, buf.byteOffset, FRAME_HEADER_BYTES)
  const version = view.getUint8(0)
  if (version !== FRAME_VERSION) throw new FrameError('FRAME_VERSION', `unsupported frame version ${version}`)
  const code = view.getUint8(1)
  const type = TYPES_BY_CODE.get(code)
  if (!type) throw new FrameError('FRAME_TYPE', `unknown frame type ${code}`)
  const length = view.getUint32(20)
  if (length > MAX_FRAME_PAYLOAD) throw new FrameError('FRAME_TOO_LARGE', `frame of ${length} bytes exceeds ${MAX_FRAME_PAYLOAD}`)
  return { version, type, flags: view.getUint16(2), from: readU64(view, 4), to: readU64(view, 12), length }
}

/**
 * Incremental decoder for a byte stream: push chunks as they arrive, get whole frames back.
 * Throws FrameError on the first malformed header (the caller closes the connection).
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = []
  private buffered = 0

  push(chunk: Uint8Array): Frame[] {
    this.chunks.push(chunk)
    this.buffered += chunk.length
    const frames: Frame[] = []
    for (;;) {
      if (this.buffered < FRAME_HEADER_BYTES) return frames
      const head = this.peek(FRAME_HEADER_BYTES)
      const header = decodeHeader(head)
      const total = FRAME_HEADER_BYTES + header.length
      if (this.buffered < total) return frames
      const whole = this.take(total)
      frames.push({ header, payload: whole.subarray(FRAME_HEADER_BYTES) })
    }
  }

  /** Bytes held for a frame not yet complete. */
  get pending(): number {
    return this.buffered
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!
    if (first.length >= n) return first.subarray(0, n)
    const out = new Uint8Array(n)
    let off = 0
    for (const c of this.chunks) {
      const take = Math.min(c.length, n - off)
      out.set(c.subarray(0, take), off)
      off += take
      if (off === n) break
    }
    return out
  }

  private take(n: number): Uint8Array {
    const out = new Uint8Array(n)
    let off = 0
    while (off < n) {
      const c = this.chunks[0]!
      const take = Math.min(c.length, n - off)
      out.set(c.subarray(0, take), off)
      off += take
      if (take === c.length) this.chunks.shift()
      else this.chunks[0] = c.subarray(take)
    }
    this.buffered -= n
    return out
  }
}
