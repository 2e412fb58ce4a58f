import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createRng, randomInt } from '../raft/rand'
import { md5Bytes, md5Hex } from './md5'
import { utf8ByteLength, utf8Encode } from './utf8'

const nodeMd5 = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex')

describe('md5Hex', () => {
  // RFC 1321, appendix A.5.
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a']
  ])('RFC 1321 vector md5(%j) = %s', (input, expected) => {
    expect(md5Hex(input)).toBe(expected)
  })

  it('hashes the UTF-8 bytes of Chinese text, as the SDK and node:crypto do', () => {
    const text = '中文配置：数据库地址=127.0.0.1\n服务名=订单服务 🚀'
    expect(md5Hex(text)).toBe(nodeMd5(Buffer.from(text, 'utf8')))
    // A well-known value pins it independently of node:crypto: md5("中文") over UTF-8.
    expect(md5Hex('中文')).toBe('a7bac2239fcdcb3a067903d8077c4a07')
    // And it is not the md5 of some other encoding (the spec's `md5-latin1` breakage).
    expect(md5Hex(text)).not.toBe(nodeMd5(Buffer.from(text, 'latin1')))
  })

  it('agrees with node:crypto on every length around the 64-byte block and 56-byte padding boundaries', () => {
    const rng = createRng(7)
    for (let n = 0; n <= 200; n++) {
      const bytes = Uint8Array.from({ length: n }, () => randomInt(rng, 256))
      expect(md5Hex(bytes), `length ${n}`).toBe(nodeMd5(bytes))
    }
  })

  it('agrees with node:crypto on a 100 KB config (ASCII and Chinese)', () => {
    const ascii = 'x'.repeat(100 * 1024)
    expect(md5Hex(ascii)).toBe(nodeMd5(ascii))
    const chinese = '配置内容'.repeat(8_534) // 34,136 chars, 102,408 bytes
    expect(utf8ByteLength(chinese)).toBe(102_408)
    expect(md5Hex(chinese)).toBe(nodeMd5(Buffer.from(chinese, 'utf8')))
  })

  it('agrees with node:crypto on random binary data of random sizes', () => {
    for (let i = 0; i < 50; i++) {
      const bytes = new Uint8Array(randomBytes(1 + (i * 977) % 5000))
      expect(md5Hex(bytes)).toBe(nodeMd5(bytes))
    }
  })

  it('md5Bytes returns the raw 16-byte digest', () => {
    expect(Buffer.from(md5Bytes(utf8Encode('abc'))).toString('hex')).toBe('900150983cd24fb0d6963f7d28e17f72')
    expect(md5Bytes(new Uint8Array(0))).toHaveLength(16)
  })

  it('does not modify its input', () => {
    const bytes = utf8Encode('hello world, this is longer than one block? no, but padding must not touch it')
    const copy = bytes.slice()
    md5Hex(bytes)
    expect(bytes).toEqual(copy)
  })
})

describe('utf8ByteLength', () => {
  it.each(['', 'abc', 'é', '中文', '🚀', 'a\u0000b', '\ud800', 'x\udc00y', '\ud83d', '\ud83d\ude80\ud83d', 'mixed 中 é 🚀 \n'])(
    'agrees with Buffer.byteLength and the encoder for %j',
    (s) => {
      expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'))
      expect(utf8ByteLength(s)).toBe(utf8Encode(s).length)
    }
  )
})
