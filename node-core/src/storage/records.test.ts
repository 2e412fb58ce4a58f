import { describe, expect, it } from 'vitest'
import type { Entry } from '../raft/types'
import { FRAME_HEADER_BYTES, readFrame } from './frame'
import {
  ENTRY_OVERHEAD_BYTES,
  RECORD_ENTRIES,
  RecordDecodeError,
  WAL_VERSION,
  decodeRecord,
  encodeEntries,
  encodeHardState,
  encodeSegmentHeader,
  encodeSnapshotMarker,
  type WalRecord
} from './records'

const ent = (index: number, term: number, data: string | Uint8Array = '', type: Entry['type'] = 'normal'): Entry => ({
  index,
  term,
  type,
  data: typeof data === 'string' ? new TextEncoder().encode(data) : data
})

function decodeFrame(f: Buffer): WalRecord {
  const r = readFrame(f, 0)
  if (!r.ok) throw new Error(r.detail)
  return decodeRecord(r.type, r.payload)
}

describe('entry encoding', () => {
  it('is compact binary: index u64, term u64, type u8, length u32, data', () => {
    const [f] = encodeEntries([ent(5, 2, 'ab', 'confChange')])
    const p = f!.subarray(FRAME_HEADER_BYTES)
    expect(f![8]).toBe(RECORD_ENTRIES)
    expect(p.length).toBe(4 + ENTRY_OVERHEAD_BYTES + 2)
    expect(p.readUInt32LE(0)).toBe(1)
    expect(p.readUInt32LE(4)).toBe(5)
    expect(p.readUInt32LE(12)).toBe(2)
    expect(p[20]).toBe(1)
    expect(p.readUInt32LE(21)).toBe(2)
    expect(p.subarray(25).toString()).toBe('ab')
  })

  it('round-trips entries of both types, empty data and large indexes', () => {
    const ents = [ent(2 ** 40, 7, ''), ent(2 ** 40 + 1, 7, 'x'.repeat(1000), 'confChange'), ent(2 ** 40 + 2, 8, new Uint8Array([0, 255, 1]))]
    const frames = encodeEntries(ents)
    expect(frames).toHaveLength(1)
    expect(decodeFrame(frames[0]!)).toEqual({ type: 'entries', entries: ents })
  })

  it('decoded data is a copy, not a view into the segment buffer', () => {
    const [f] = encodeEntries([ent(1, 1, 'abc')])
    const rec = decodeFrame(f!)
    if (rec.type !== 'entries') throw new Error('unreachable')
    expect(rec.entries[0]!.data.buffer).not.toBe(f!.buffer)
  })

  it('splits a big batch into records of about the target size, at least one entry each', () => {
    const ents = Array.from({ length: 10 }, (_, i) => ent(i + 1, 1, 'y'.repeat(100)))
    const frames = encodeEntries(ents, 300)
    expect(frames.length).toBe(5)
    const back = frames.flatMap((f) => {
      const r = decodeFrame(f)
      return r.type === 'entries' ? r.entries : []
    })
    expect(back).toEqual(ents)
    expect(encodeEntries([ent(1, 1, 'z'.repeat(500))], 10)).toHaveLength(1)
  })

  it('refuses records that pass the CRC but make no sense', () => {
    const payload = (f: Buffer): Buffer => Buffer.from(f.subarray(FRAME_HEADER_BYTES))
    const two = payload(encodeEntries([ent(1, 1, 'a'), ent(2, 1, 'b')])[0]!)
    const gap = Buffer.from(two)
    gap.writeUInt32LE(3, 4 + ENTRY_OVERHEAD_BYTES + 1) // second entry's index 2 → 3
    expect(() => decodeRecord(RECORD_ENTRIES, gap)).toThrow(/not contiguous: 1 is followed by 3/)
    expect(() => decodeRecord(RECORD_ENTRIES, Buffer.concat([two, Buffer.from([0])]))).toThrow(/1 trailing bytes/)
    const badType = Buffer.from(two)
    badType[4 + 16] = 7
    expect(() => decodeRecord(RECORD_ENTRIES, badType)).toThrow(/unknown type 7/)
    const longData = Buffer.from(two)
    longData.writeUInt32LE(9999, 4 + 17)
    expect(() => decodeRecord(RECORD_ENTRIES, longData)).toThrow(/past the record's end/)
    expect(() => decodeRecord(RECORD_ENTRIES, Buffer.alloc(4))).toThrow(/zero entries/)
    expect(() => decodeRecord(99, Buffer.alloc(0))).toThrow(RecordDecodeError)
  })
})

describe('other records', () => {
  it('round-trip hard state, snapshot markers and the segment header', () => {
    expect(decodeFrame(encodeHardState({ term: 9, vote: 3, commit: 2 ** 35 }))).toEqual({
      type: 'hardState',
      hardState: { term: 9, vote: 3, commit: 2 ** 35 }
    })
    for (const marker of [
      { index: 100, term: 4, kind: 'created', carried: false },
      { index: 7, term: 2, kind: 'installed', carried: true }
    ] as const) {
      expect(decodeFrame(encodeSnapshotMarker(marker))).toEqual({ type: 'snapshotMarker', marker })
    }
    expect(decodeFrame(encodeSegmentHeader({ seq: 3, firstIndex: 501 }))).toEqual({
      type: 'segmentHeader',
      header: { version: WAL_VERSION, seq: 3, firstIndex: 501 }
    })
  })

  it('refuses a header with another magic or a newer version', () => {
    const h = Buffer.from(encodeSegmentHeader({ seq: 1, firstIndex: 1 }).subarray(FRAME_HEADER_BYTES))
    const magic = Buffer.from(h)
    magic.write('XXXX', 0, 'latin1')
    expect(() => decodeRecord(1, magic)).toThrow(/magic "XXXX"/)
    const v2 = Buffer.from(h)
    v2.writeUInt16LE(2, 4)
    expect(() => decodeRecord(1, v2)).toThrow(/version 2 is not supported/)
    expect(() => decodeRecord(3, Buffer.alloc(23))).toThrow(/expected 24/)
  })
})
