/**
 * CRC-32 (IEEE 802.3, the one zlib, gzip and PNG use). Node has a native `zlib.crc32` since
 * 20.15 and 22.2; the product runs on Node ≥ 20.19 and Electron's Node 22, but a table
 * implementation stays as a fallback so an older embedded runtime still works, just slower.
 */
import * as zlib from 'node:zlib'

type Crc32Fn = (data: Uint8Array, value?: number) => number

// A namespace import plus a property check: a named import of a missing export from a builtin
// would fail at link time, before any fallback could run.
const native = (zlib as unknown as { crc32?: Crc32Fn }).crc32

let table: Uint32Array | undefined

function makeTable(): Uint32Array {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
}

/**
 * The portable implementation. `value` continues a running checksum, so
 * `crc32Portable(b, crc32Portable(a)) === crc32Portable(a ++ b)`, exactly like `zlib.crc32`.
 */
export function crc32Portable(data: Uint8Array, value = 0): number {
  const t = (table ??= makeTable())
  let c = ~value >>> 0
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** True when the native zlib.crc32 is in use. */
export const crc32IsNative = typeof native === 'function'

/** CRC-32 of `data`, continuing from `value` (0 for a fresh checksum). Unsigned 32-bit result. */
export const crc32: Crc32Fn = crc32IsNative ? (data, value = 0) => native!(data, value) >>> 0 : crc32Portable
