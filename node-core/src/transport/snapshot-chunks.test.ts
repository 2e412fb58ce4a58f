import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encodeMessage } from '../protocol/raft-codec'
import { emptyMessage, type Message } from '../raft/types'
import {
  CHUNK_HEADER_BYTES,
  SnapshotAssembler,
  chunkFrameCount,
  decodeChunkHeader,
  encodeSnapshotChunks,
  type ChunkResult
} from './snapshot-chunks'

const A = 11
const B = 22

function snapMsg(size: number, index = 100, term = 3): Message {
  return {
    ...emptyMessage('MsgSnap', A, B, term),
    snapshot: { metadata: { index, term, confState: { voters: [A, B, 33], learners: [44] } }, data: new Uint8Array(randomBytes(size)) }
  }
}

function feedAll(asm: SnapshotAssembler, chunks: Uint8Array[]): ChunkResult[] {
  return chunks.map((c) => asm.accept(c))
}

function setU32(chunk: Uint8Array, offset: number, v: number): Uint8Array {
  const out = Uint8Array.from(chunk)
  new DataView(out.buffer).setUint32(offset, v)
  return out
}

describe('snapshot chunking and reassembly', () => {
  for (const [size, chunk] of [
    [0, 16],
    [1, 16],
    [16, 16],
    [17, 16],
    [56, 16],
    [100_000, 4096]
  ] as const) {
    it(`round-trips ${size} bytes in chunks of ${chunk}`, () => {
      const m = snapMsg(size)
      const chunks = [...encodeSnapshotChunks(m, 7, chunk)]
      expect(chunks.length).toBe(chunkFrameCount(size, chunk))
      for (const c of chunks.slice(1)) expect(c.length - CHUNK_HEADER_BYTES).toBeLessThanOrEqual(chunk)
      const results = feedAll(new SnapshotAssembler(A, B), chunks)
      const last = results.at(-1)!
      expect(last.kind).toBe('complete')
      if (last.kind !== 'complete') return
      expect(last.bytes).toBe(size)
      expect(encodeMessage(last.message)).toEqual(encodeMessage(m))
      expect(results.slice(0, -1).every((r) => r.kind === 'started' || r.kind === 'progress')).toBe(true)
    })
  }

  it('puts the metadata first, with total and count on every chunk', () => {
    const chunks = [...encodeSnapshotChunks(snapMsg(40), 9, 16)]
    const headers = chunks.map((c) => decodeChunkHeader(c))
    expect(headers).toEqual([
      { kind: 'meta', streamId: 9, index: 0, total: 40, count: 3 },
      { kind: 'data', streamId: 9, index: 1, total: 40, count: 3 },
      { kind: 'data', streamId: 9, index: 2, total: 40, count: 3 },
      { kind: 'data', streamId: 9, index: 3, total: 40, count: 3 }
    ])
  })

  it('ignores duplicated chunks (the proxy may duplicate frames)', () => {
    const m = snapMsg(50)
    const chunks = [...encodeSnapshotChunks(m, 1, 16)]
    const asm = new SnapshotAssembler(A, B)
    const dup = [chunks[0]!, chunks[0]!, chunks[1]!, chunks[1]!, chunks[2]!, chunks[3]!, chunks[4]!]
    const results = feedAll(asm, dup)
    expect(results.map((r) => r.kind)).toEqual(['started', 'ignored', 'progress', 'ignored', 'progress', 'progress', 'complete'])
    // A duplicate of the final chunk or the meta after completion changes nothing.
    expect(asm.accept(chunks[4]!)).toMatchObject({ kind: 'ignored', reason: 'orphan' })
    expect(asm.accept(chunks[0]!)).toMatchObject({ kind: 'ignored', reason: 'duplicate' })
  })

  it('abandons a stream with a missing chunk, then ignores its remaining chunks', () => {
    const chunks = [...encodeSnapshotChunks(snapMsg(50), 1, 16)]
    const asm = new SnapshotAssembler(A, B)
    expect(asm.accept(chunks[0]!).kind).toBe('started')
    expect(asm.accept(chunks[1]!).kind).toBe('progress')
    expect(asm.accept(chunks[3]!)).toMatchObject({ kind: 'aborted', reason: expect.stringContaining('chunk 2 of 4') })
    expect(asm.accept(chunks[4]!)).toMatchObject({ kind: 'ignored', reason: 'orphan' })
    expect(asm.pendingBytes).toBe(0)
  })

  it('ignores data whose meta was lost, and lets a newer stream supersede an unfinished one', () => {
    const s1 = [...encodeSnapshotChunks(snapMsg(50), 1, 16)]
    const m2 = snapMsg(20, 200)
    const s2 = [...encodeSnapshotChunks(m2, 2, 16)]
    const asm = new SnapshotAssembler(A, B)
    expect(asm.accept(s1[1]!)).toMatchObject({ kind: 'ignored', reason: 'orphan' })
    expect(asm.accept(s1[0]!).kind).toBe('started')
    expect(asm.accept(s1[1]!).kind).toBe('progress')
    expect(asm.accept(s2[0]!)).toMatchObject({ kind: 'started', streamId: 2, superseded: 1 })
    expect(asm.accept(s1[2]!)).toMatchObject({ kind: 'ignored', reason: 'orphan' })
    const r = feedAll(asm, s2.slice(1)).at(-1)!
    expect(r.kind).toBe('complete')
    if (r.kind === 'complete') expect(r.message.snapshot!.data).toEqual(m2.snapshot!.data)
    // An old stream id cannot start again.
    expect(asm.accept(s1[0]!)).toMatchObject({ kind: 'ignored', reason: 'duplicate' })
  })

  it('refuses a snapshot larger than the limit before holding any of it', () => {
    const chunks = [...encodeSnapshotChunks(snapMsg(1000), 1, 100)]
    expect(new SnapshotAssembler(A, B, 999).accept(chunks[0]!)).toMatchObject({ kind: 'error', code: 'SNAPSHOT_TOO_LARGE' })
    expect(new SnapshotAssembler(A, B, 1000).accept(chunks[0]!).kind).toBe('started')
  })

  it('refuses a meta for another link, or that is not a MsgSnap', () => {
    const chunks = [...encodeSnapshotChunks(snapMsg(10), 1, 16)]
    expect(new SnapshotAssembler(A, 99).accept(chunks[0]!)).toMatchObject({ kind: 'error', code: 'WRONG_SENDER' })
    expect(new SnapshotAssembler(99, B).accept(chunks[0]!)).toMatchObject({ kind: 'error', code: 'WRONG_SENDER' })
    const appMeta = Uint8Array.from([...chunks[0]!.subarray(0, CHUNK_HEADER_BYTES), ...encodeMessage(emptyMessage('MsgApp', A, B, 1))])
    expect(new SnapshotAssembler(A, B).accept(appMeta)).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    const garbageMeta = Uint8Array.from([...chunks[0]!.subarray(0, CHUNK_HEADER_BYTES), 1, 2, 3])
    expect(new SnapshotAssembler(A, B).accept(garbageMeta)).toMatchObject({ kind: 'error', code: 'CODEC' })
  })

  it('refuses inconsistent streams', () => {
    const chunks = [...encodeSnapshotChunks(snapMsg(40), 1, 16)]
    const start = (): SnapshotAssembler => {
      const a = new SnapshotAssembler(A, B)
      expect(a.accept(chunks[0]!).kind).toBe('started')
      return a
    }
    // Short header, bad version, bad kind.
    expect(start().accept(chunks[1]!.subarray(0, 10))).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    const v = Uint8Array.from(chunks[1]!)
    v[0] = 2
    expect(start().accept(v)).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    const k = Uint8Array.from(chunks[1]!)
    k[1] = 5
    expect(start().accept(k)).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    // A data chunk whose count disagrees with the meta.
    expect(start().accept(setU32(chunks[1]!, 18, 4))).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    // Too many bytes in a chunk for what is left.
    const fat = Uint8Array.from([...chunks[1]!, ...new Uint8Array(30)])
    expect(start().accept(fat)).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    // An empty data chunk.
    expect(start().accept(chunks[1]!.subarray(0, CHUNK_HEADER_BYTES))).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    // A last chunk that leaves the total short.
    const a = start()
    a.accept(chunks[1]!)
    a.accept(chunks[2]!)
    expect(a.accept(chunks[3]!.subarray(0, CHUNK_HEADER_BYTES + 2))).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    // A meta whose count cannot carry its total, and a meta with a nonzero index.
    expect(new SnapshotAssembler(A, B).accept(setU32(chunks[0]!, 18, 0))).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    expect(new SnapshotAssembler(A, B).accept(setU32(chunks[0]!, 18, 41))).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
    expect(new SnapshotAssembler(A, B).accept(setU32(chunks[0]!, 6, 1))).toMatchObject({ kind: 'error', code: 'SNAPSHOT_MALFORMED' })
  })

  it('will not stream a message without a snapshot, or with an impossible chunk size', () => {
    expect(() => [...encodeSnapshotChunks(emptyMessage('MsgSnap', A, B, 1), 1)]).toThrow(/no snapshot/)
    expect(() => [...encodeSnapshotChunks(snapMsg(10), 1, 0)]).toThrow(RangeError)
  })
})
