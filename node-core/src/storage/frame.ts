/**
 * The CRC-checked frame both the WAL and snapshot files are made of:
 *
 *     offset 0   length   u32 LE   bytes of payload (the type byte is not counted)
 *     offset 4   crc32    u32 LE   CRC-32 of the type byte and the payload
 *     offset 8   type     u8
 *     offset 9   payload  `length` bytes
 *
 * Why the CRC covers the type: a flipped type byte would otherwise decode a valid payload as the
 * wrong record. Why the length is not covered: a wrong length makes the CRC window wrong, which
 * fails the check anyway (except with probability 2^-32).
 *
 * Integers wider than 32 bits (indexes, terms) are u64 LE, limited to JavaScript's safe integers.
 */
import { crc32 } from './crc32'

export const FRAME_HEADER_BYTES = 9

/**
 * The largest payload a frame may declare. Anything longer is an "impossible length": not
 * something we ever write, so it can only be damage. Kept well below what a Buffer can hold,
 * and small enough that a damaged length is recognised as such.
 */
export const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024

/** Allocate a frame for `payloadBytes` bytes; write the payload at FRAME_HEADER_BYTES, then seal it. */
export function allocFrame(payloadBytes: number): Buffer {
  if (!Number.isInteger(payloadBytes) || payloadBytes < 0 || payloadBytes > MAX_FRAME_PAYLOAD) {
    throw new RangeError(`frame payload of ${payloadBytes} bytes is out of range [0, ${MAX_FRAME_PAYLOAD}]`)
  }
  return Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadBytes)
}

/** Fill in length, type and CRC of a frame whose payload is already in place. */
export function sealFrame(frame: Buffer, type: number): Buffer {
  frame.writeUInt32LE(frame.length - FRAME_HEADER_BYTES, 0)
  frame[8] = type
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4)
  return frame
}

/** A frame holding a copy of `payload`. */
export function encodeFrame(type: number, payload: Uint8Array): Buffer {
  const f = allocFrame(payload.length)
  f.set(payload, FRAME_HEADER_BYTES)
  return sealFrame(f, type)
}

/**
 * Why a frame could not be read:
 * - `short-header`: fewer than 9 bytes are left;
 * - `impossible-length`: the declared length exceeds MAX_FRAME_PAYLOAD;
 * - `short-payload`: the declared payload runs past the end of the data;
 * - `crc-mismatch`: the checksum does not match.
 */
export type FrameProblem = 'short-header' | 'impossible-length' | 'short-payload' | 'crc-mismatch'

export type FrameRead =
  | { ok: true; type: number; payload: Buffer; offset: number; end: number }
  | { ok: false; offset: number; problem: FrameProblem; detail: string }

/** Read the frame at `offset` of `buf`. Never throws. `payload` is a view into `buf`. */
export function readFrame(buf: Buffer, offset: number, maxPayload = MAX_FRAME_PAYLOAD): FrameRead {
  const left = buf.length - offset
  if (left < FRAME_HEADER_BYTES) {
    return { ok: false, offset, problem: 'short-header', detail: `only ${left} of the ${FRAME_HEADER_BYTES} header bytes are present` }
  }
  const length = buf.readUInt32LE(offset)
  if (length > maxPayload) {
    return { ok: false, offset, problem: 'impossible-length', detail: `declared length ${length} exceeds the maximum ${maxPayload}` }
  }
  if (length > left - FRAME_HEADER_BYTES) {
    return {
      ok: false,
      offset,
      problem: 'short-payload',
      detail: `declared length ${length} but only ${left - FRAME_HEADER_BYTES} payload bytes are present`
    }
  }
  const end = offset + FRAME_HEADER_BYTES + length
  const stored = buf.readUInt32LE(offset + 4)
  const actual = crc32(buf.subarray(offset + 8, end))
  if (stored !== actual) {
    return { ok: false, offset, problem: 'crc-mismatch', detail: `CRC mismatch (stored ${hex32(stored)}, computed ${hex32(actual)})` }
  }
  return { ok: true, type: buf[offset + 8]!, payload: buf.subarray(offset + FRAME_HEADER_BYTES, end), offset, end }
}

export type ValidFrameSearch = { found: true; offset: number } | { found: false; exhausted: boolean }

/**
 * Look for any valid frame (known type, plausible length, matching CRC) starting after `from`.
 *
 * Why: a bad frame followed by nothing valid is a torn write (the process died mid-write); a
 * bad frame followed by a valid one is damage in the middle, and truncating there would throw
 * away acknowledged records. A random match needs a 32-bit CRC collision. `budgetBytes` bounds
 * the CRC work; when exhausted we cannot prove the tail is torn and report `exhausted`.
 */
export function findValidFrameAfter(
  buf: Buffer,
  from: number,
  isKnownType: (type: number) => boolean,
  { maxPayload = MAX_FRAME_PAYLOAD, budgetBytes = 1024 * 1024 * 1024 }: { maxPayload?: number; budgetBytes?: number } = {}
): ValidFrameSearch {
  let budget = budgetBytes
  for (let p = from; p + FRAME_HEADER_BYTES <= buf.length; p++) {
    if (!isKnownType(buf[p + 8]!)) continue
    const length = buf.readUInt32LE(p)
    if (length > maxPayload || length > buf.length - p - FRAME_HEADER_BYTES) continue
    budget -= length + 1
    if (budget < 0) return { found: false, exhausted: true }
    if (buf.readUInt32LE(p + 4) === crc32(buf.subarray(p + 8, p + FRAME_HEADER_BYTES + length))) return { found: true, offset: p }
  }
  return { found: false, exhausted: false }
}

const TWO_32 = 0x1_0000_0000
/** The largest high word of a u64 that is still a safe integer. */
const MAX_SAFE_HIGH = 0x1f_ffff

/** Write a non-negative safe integer as u64 LE. The caller has validated `value`. */
export function writeU64(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32LE(value % TWO_32, offset)
  buf.writeUInt32LE(Math.floor(value / TWO_32), offset + 4)
}

/** Read a u64 LE; a value beyond Number.MAX_SAFE_INTEGER is damage (we never write one). */
export function readU64(buf: Buffer, offset: number): number {
  const lo = buf.readUInt32LE(offset)
  const hi = buf.readUInt32LE(offset + 4)
  if (hi > MAX_SAFE_HIGH) throw new RangeError(`u64 at payload byte ${offset} exceeds Number.MAX_SAFE_INTEGER`)
  return hi * TWO_32 + lo
}

export const isU64 = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

const hex32 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`
