import { describe, expect, it } from 'vitest'
import { createRng, randomInt } from '../raft/rand'
import { decodeHeader, encodeFrame, FRAME_HEADER_BYTES, FrameDecoder, FrameError, MAX_FRAME_PAYLOAD } from './frame'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('frame', () => {
  it('round-trips header fields, including ids near 2^53', () => {
    const big = Number.MAX_SAFE_INTEGER
    const f = encodeFrame('raft', 2130706433 * 65536 + 28848, big, bytes('hello'))
    expect(f.length).toBe(FRAME_HEADER_BYTES + 5)
    expect(decodeHeader(f)).toEqual({ version: 1, type: 'raft', flags: 0, from: 2130706433 * 65536 + 28848, to: big, length: 5 })
  })

  it('reassembles frames from a stream split at every possible byte', () => {
    const a = encodeFrame('hello', 1, 2, bytes('secret'))
    const b = encodeFrame('raft', 2, 1, bytes('x'.repeat(300)))
    const c = encodeFrame('helloAck', 2, 1, new Uint8Array())
    const stream = new Uint8Array([...a, ...b, ...c])
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new FrameDecoder()
      const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))]
      expect(frames.map((f) => [f.header.type, f.payload.length])).toEqual([
        ['hello', 6],
        ['raft', 300],
        ['helloAck', 0]
      ])
      expect(d.pending).toBe(0)
    }
  })

  it('reassembles byte-by-byte and random chunkings (seeded)', () => {
    const seed = 42
    const rng = createRng(seed)
    const sent = Array.from({ length: 50 }, (_, i) => encodeFrame('raft', i + 1, 1, bytes('p'.repeat(randomInt(rng, 2000)))))
    const stream = new Uint8Array(sent.reduce((n, f) => n + f.length, 0))
    let off = 0
    for (const f of sent) {
      stream.set(f, off)
      off += f.length
    }
    const d = new FrameDecoder()
    const got = []
    for (let i = 0; i < stream.length; ) {
      const n = 1 + randomInt(rng, 700)
      got.push(...d.push(stream.subarray(i, i + n)))
      i += n
    }
    expect(got.map((f) => f.header.from), `seed ${seed}`).toEqual(sent.map((_, i) => i + 1))
  })

  it('refuses a bad version, an unknown type and an oversized length with a FrameError', () => {
    const f = encodeFrame('raft', 1, 2, bytes('x'))
    const badVersion = f.slice()
    badVersion[0] = 9
    expect(() => decodeHeader(badVersion)).toThrow(/unsupported frame version 9/)
    const badType = f.slice()
    badType[1] = 200
    expect(() => decodeHeader(badType)).toThrow(/unknown frame type 200/)
    const huge = f.slice()
    new DataView(huge.buffer).setUint32(20, MAX_FRAME_PAYLOAD + 1)
    expect(() => new FrameDecoder().push(huge)).toThrow(FrameError)
    const bigId = f.slice()
    new DataView(bigId.buffer).setUint32(4, 2 ** 22)
    expect(() => decodeHeader(bigId)).toThrow(/exceeds 2\^53/)
    expect(() => encodeFrame('raft', -1, 2, bytes(''))).toThrow(FrameError)
  })
})
