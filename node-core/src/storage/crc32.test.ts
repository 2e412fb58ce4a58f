import { randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { crc32, crc32IsNative, crc32Portable } from './crc32'

describe('crc32', () => {
  it('gives the IEEE check value for "123456789"', () => {
    const data = Buffer.from('123456789')
    expect(crc32(data)).toBe(0xcbf43926)
    expect(crc32Portable(data)).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
  })

  it('uses the native zlib.crc32 on this Node, and the fallback agrees with it', () => {
    expect(crc32IsNative).toBe(typeof (zlib as { crc32?: unknown }).crc32 === 'function')
    for (const n of [1, 7, 64, 1000, 65_537]) {
      const data = randomBytes(n)
      expect(crc32Portable(data)).toBe(crc32(data))
    }
  })

  it('continues a running checksum like zlib does', () => {
    const a = randomBytes(333)
    const b = randomBytes(77)
    const whole = crc32(Buffer.concat([a, b]))
    expect(crc32(b, crc32(a))).toBe(whole)
    expect(crc32Portable(b, crc32Portable(a))).toBe(whole)
  })
})

describe('crc32 without a native zlib.crc32 (Node < 20.15)', () => {
  it('falls back to the table implementation', async () => {
    vi.resetModules()
    // (vitest's mock proxy throws on a missing export, so declare it undefined)
    vi.doMock('node:zlib', () => ({ crc32: undefined }))
    try {
      const mod = await import('./crc32')
      expect(mod.crc32IsNative).toBe(false)
      expect(mod.crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    } finally {
      vi.doUnmock('node:zlib')
      vi.resetModules()
    }
  })
})
