import { describe, expect, it } from 'vitest'
import { FRAME_HEADER_BYTES, MAX_FRAME_PAYLOAD, encodeFrame, findValidFrameAfter, isU64, readFrame, readU64, writeU64 } from './frame'

const known = (t: number): boolean => t === 2 || t === 3

describe('frame codec', () => {
  it('lays out [length u32][crc32 u32][type u8][payload] little-endian', () => {
    const f = encodeFrame(3, Buffer.from([0xaa, 0xbb]))
    expect(f.length).toBe(FRAME_HEADER_BYTES + 2)
    expect(f.readUInt32LE(0)).toBe(2)
    expect(f[8]).toBe(3)
    expect([...f.subarray(9)]).toEqual([0xaa, 0xbb])
    // The CRC covers the type byte too: CRC-32 of 03 aa bb.
    expect(f.readUInt32LE(4)).toBe(0xf55c592c) // python: zlib.crc32(bytes([3, 0xaa, 0xbb]))
  })

  it('reads back frames in sequence, including an empty payload', () => {
    const buf = Buffer.concat([encodeFrame(2, Buffer.from('hello')), encodeFrame(3, new Uint8Array())])
    const a = readFrame(buf, 0)
    expect(a).toMatchObject({ ok: true, type: 2, offset: 0, end: 14 })
    if (!a.ok) throw new Error('unreachable')
    expect(a.payload.toString()).toBe('hello')
    expect(readFrame(buf, a.end)).toMatchObject({ ok: true, type: 3, end: buf.length })
  })

  it('names each problem: short header, impossible length, short payload, CRC mismatch', () => {
    const f = encodeFrame(2, Buffer.from('payload'))
    expect(readFrame(f.subarray(0, 5), 0)).toMatchObject({ ok: false, problem: 'short-header' })
    expect(readFrame(f.subarray(0, f.length - 1), 0)).toMatchObject({ ok: false, problem: 'short-payload' })
    const huge = Buffer.from(f)
    huge.writeUInt32LE(MAX_FRAME_PAYLOAD + 1, 0)
    expect(readFrame(huge, 0)).toMatchObject({ ok: false, problem: 'impossible-length' })
    for (const at of [4, 8, 9, f.length - 1]) {
      const bad = Buffer.from(f)
      bad[at]! ^= 0x01
      expect(readFrame(bad, 0)).toMatchObject({ ok: false, problem: 'crc-mismatch', offset: 0 })
    }
  })

  it('finds a valid frame hidden after damage, byte by byte', () => {
    const good = encodeFrame(2, Buffer.from('second'))
    const buf = Buffer.concat([Buffer.from([1, 2, 3, 4, 5, 6, 7]), good])
    expect(findValidFrameAfter(buf, 0, known)).toEqual({ found: true, offset: 7 })
    expect(findValidFrameAfter(buf, 8, known)).toEqual({ found: false, exhausted: false })
    expect(findValidFrameAfter(Buffer.alloc(4096), 0, known)).toEqual({ found: false, exhausted: false })
    // Unknown types are not candidates.
    expect(findValidFrameAfter(buf, 0, (t) => t === 9)).toEqual({ found: false, exhausted: false })
    expect(findValidFrameAfter(buf, 0, known, { budgetBytes: 2 })).toEqual({ found: false, exhausted: true })
  })

  it('stores u64 values up to Number.MAX_SAFE_INTEGER and refuses larger ones on read', () => {
    const b = Buffer.alloc(8)
    for (const v of [0, 1, 0xffff_ffff, 0x1_0000_0000, 123_456_789_012, Number.MAX_SAFE_INTEGER]) {
      writeU64(b, v, 0)
      expect(readU64(b, 0)).toBe(v)
    }
    b.writeUInt32LE(0x0020_0000, 4)
    expect(() => readU64(b, 0)).toThrow(/MAX_SAFE_INTEGER/)
    expect(isU64(3)).toBe(true)
    expect([-1, 1.5, NaN, 2 ** 53, '1'].some(isU64)).toBe(false)
  })
})
