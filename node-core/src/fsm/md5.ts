/**
 * MD5 (RFC 1321) in plain TypeScript.
 *
 * Why here and not node:crypto: the state machines are pure (no node:* imports, ARCHITECTURE.md
 * rule 2), yet the md5 of a config is part of the replicated state — every replica must compute
 * it the same way while applying a publish. MD5 is tiny and fully specified, so a pure version
 * is the honest fix; the tests check it against the RFC vectors and against node:crypto.
 *
 * The Nacos SDK compares the server's md5 with `md5(utf8(content))` in lowercase hex
 * (spec §3.7, "MD5 rule"), which is exactly {@link md5Hex} of a string.
 */
import { utf8Encode } from './utf8'

/** K[i] = floor(|sin(i + 1)| · 2^32), written out (not computed) so no engine's Math.sin can differ. */
const K = new Int32Array([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
])

/** Per-step left-rotation amounts (four per round, repeated four times). */
const S = new Uint8Array([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21
])

/** Message-word index used at each step. */
const G = new Uint8Array(64)
for (let i = 0; i < 64; i++) G[i] = i < 16 ? i : i < 32 ? (5 * i + 1) & 15 : i < 48 ? (3 * i + 5) & 15 : (7 * i) & 15

/** The running digest state (A, B, C, D) plus a reusable word buffer. */
interface Md5State {
  h: Int32Array
  m: Int32Array
}

/** Fold one 64-byte block starting at `offset` into the state. */
function compress(st: Md5State, bytes: Uint8Array, offset: number): void {
  const m = st.m
  for (let w = 0, p = offset; w < 16; w++, p += 4) {
    m[w] = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)
  }
  const h = st.h
  let a = h[0]!
  let b = h[1]!
  let c = h[2]!
  let d = h[3]!
  for (let i = 0; i < 64; i++) {
    let f: number
    if (i < 16) f = (b & c) | (~b & d)
    else if (i < 32) f = (d & b) | (~d & c)
    else if (i < 48) f = b ^ c ^ d
    else f = c ^ (b | ~d)
    const x = (a + f + K[i]! + m[G[i]!]!) | 0
    const s = S[i]!
    a = d
    d = c
    c = b
    b = (b + ((x << s) | (x >>> (32 - s)))) | 0
  }
  h[0] = (h[0]! + a) | 0
  h[1] = (h[1]! + b) | 0
  h[2] = (h[2]! + c) | 0
  h[3] = (h[3]! + d) | 0
}

/** The 16-byte MD5 digest of `bytes`. */
export function md5Bytes(bytes: Uint8Array): Uint8Array {
  const st: Md5State = { h: new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]), m: new Int32Array(16) }
  const length = bytes.length
  const whole = length - (length % 64)
  // Whole blocks straight from the input: no copy of a 100 KB config.
  for (let off = 0; off < whole; off += 64) compress(st, bytes, off)

  // The tail: remaining bytes, the 0x80 marker, zero padding, then the bit length (64-bit LE).
  const rest = length - whole
  const tail = new Uint8Array(rest < 56 ? 64 : 128)
  tail.set(bytes.subarray(whole))
  tail[rest] = 0x80
  const bitsLow = (length * 8) % 0x1_0000_0000
  const bitsHigh = Math.floor((length * 8) / 0x1_0000_0000)
  const at = tail.length - 8
  for (let i = 0; i < 4; i++) {
    tail[at + i] = (bitsLow >>> (8 * i)) & 0xff
    tail[at + 4 + i] = (bitsHigh >>> (8 * i)) & 0xff
  }
  for (let off = 0; off < tail.length; off += 64) compress(st, tail, off)

  const out = new Uint8Array(16)
  for (let w = 0; w < 4; w++) {
    const v = st.h[w]!
    out[4 * w] = v & 0xff
    out[4 * w + 1] = (v >>> 8) & 0xff
    out[4 * w + 2] = (v >>> 16) & 0xff
    out[4 * w + 3] = (v >>> 24) & 0xff
  }
  return out
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * Lowercase hex MD5. A string is hashed as its UTF-8 bytes — what the Nacos SDK does with its
 * default `utf8` encoding, so `md5Hex(content)` is the md5 a client expects for that content.
 */
export function md5Hex(input: string | Uint8Array): string {
  const digest = md5Bytes(typeof input === 'string' ? utf8Encode(input) : input)
  let hex = ''
  for (const byte of digest) hex += HEX[byte]
  return hex
}
