import { describe, expect, it } from 'vitest'
import type { Entry } from '../raft/types'
import { encodeEntries, encodeHardState, encodeSegmentHeader } from './records'
import { scanSegment, type SegmentScan } from './segment-scan'

const ent = (index: number, data = 'data'): Entry => ({ index, term: 1, type: 'normal', data: new TextEncoder().encode(data) })
const expect1 = { seq: 1, firstIndex: 1 }

/** A segment: header, then one entries record per index, then a hard state. Returns record offsets. */
function segment(n: number): { buf: Buffer; offsets: number[] } {
  const frames = [encodeSegmentHeader(expect1)]
  for (let i = 1; i <= n; i++) frames.push(...encodeEntries([ent(i, `entry-${i}`)]))
  frames.push(encodeHardState({ term: 1, vote: 1, commit: n }))
  const offsets: number[] = []
  let o = 0
  for (const f of frames) {
    offsets.push(o)
    o += f.length
  }
  return { buf: Buffer.concat(frames), offsets }
}

const indexes = (s: SegmentScan): number[] =>
  s.status === 'corrupt' ? [] : s.records.flatMap((r) => (r.record.type === 'entries' ? r.record.entries.map((e) => e.index) : []))

describe('scanSegment', () => {
  it('reads a clean segment', () => {
    const { buf } = segment(3)
    const s = scanSegment(buf, { isLast: true, expect: expect1 })
    expect(s).toMatchObject({ status: 'clean', validBytes: buf.length, header: { seq: 1, firstIndex: 1 } })
    expect(indexes(s)).toEqual([1, 2, 3])
  })

  it('calls a cut at every byte of the last record a torn tail, keeping everything before it', () => {
    const { buf, offsets } = segment(3)
    const lastStart = offsets[offsets.length - 1]!
    for (let cut = lastStart + 1; cut < buf.length; cut++) {
      const s = scanSegment(buf.subarray(0, cut), { isLast: true, expect: expect1 })
      expect(s, `cut at ${cut}`).toMatchObject({ status: 'torn', validBytes: lastStart })
      expect(indexes(s)).toEqual([1, 2, 3])
    }
  })

  it('calls a CRC-bad last record, or a zero-filled tail, torn', () => {
    const { buf, offsets } = segment(3)
    const bad = Buffer.from(buf)
    bad[bad.length - 2]! ^= 0xff
    expect(scanSegment(bad, { isLast: true, expect: expect1 })).toMatchObject({ status: 'torn', validBytes: offsets[4], problem: 'crc-mismatch' })
    const zeros = Buffer.concat([buf, Buffer.alloc(4096)])
    expect(scanSegment(zeros, { isLast: true, expect: expect1 })).toMatchObject({ status: 'torn', validBytes: buf.length })
  })

  it('refuses damage followed by a valid record, naming the offset', () => {
    const { buf, offsets } = segment(3)
    const bad = Buffer.from(buf)
    bad[offsets[1]! + 12]! ^= 0x01 // inside entry 1's record
    expect(scanSegment(bad, { isLast: true, expect: expect1 })).toMatchObject({ status: 'corrupt', offset: offsets[1], problem: 'crc-mismatch' })
  })

  it('refuses a damaged length that points past the end when valid records follow', () => {
    const { buf, offsets } = segment(3)
    const bad = Buffer.from(buf)
    bad.writeUInt32LE(buf.length, offsets[2]!) // entry 2's length now runs past the end of the file
    const s = scanSegment(bad, { isLast: true, expect: expect1 })
    expect(s).toMatchObject({ status: 'corrupt', offset: offsets[2], problem: 'short-payload' })
    if (s.status === 'corrupt') expect(s.detail).toMatch(new RegExp(`valid record follows at byte ${offsets[3]}`))
    const huge = Buffer.from(buf)
    huge.writeUInt32LE(0xffff_ffff, offsets[2]!)
    expect(scanSegment(huge, { isLast: true, expect: expect1 })).toMatchObject({ status: 'corrupt', problem: 'impossible-length' })
  })

  it('refuses any damage in a segment that is not the last', () => {
    const { buf } = segment(3)
    expect(scanSegment(buf.subarray(0, buf.length - 1), { isLast: false, expect: expect1 })).toMatchObject({
      status: 'corrupt',
      offset: segment(3).offsets[4],
      problem: 'short-payload'
    })
    expect(scanSegment(Buffer.alloc(0), { isLast: false, expect: expect1 })).toMatchObject({ status: 'corrupt' })
  })

  it('treats a last segment whose header is torn as holding nothing', () => {
    const { buf } = segment(1)
    for (const cut of [0, 3, 20]) {
      expect(scanSegment(buf.subarray(0, cut), { isLast: true, expect: expect1 })).toMatchObject({ status: 'torn', validBytes: 0, header: undefined })
    }
  })

  it('refuses a header that disagrees with the file name, or a record before the header', () => {
    const { buf } = segment(1)
    expect(scanSegment(buf, { isLast: true, expect: { seq: 2, firstIndex: 1 } })).toMatchObject({ status: 'corrupt', problem: 'bad-header', offset: 0 })
    const noHeader = Buffer.concat(encodeEntries([ent(1)]))
    expect(scanSegment(noHeader, { isLast: true, expect: expect1 })).toMatchObject({ status: 'corrupt', problem: 'bad-header' })
  })

  it('refuses a record that passes its CRC but does not decode', () => {
    const { buf } = segment(1)
    const f = encodeHardState({ term: 1, vote: 1, commit: 1 })
    const weird = Buffer.concat([buf, Buffer.from([0, 0, 0, 0]), f]) // junk then valid: corrupt by CRC search
    expect(scanSegment(weird, { isLast: true, expect: expect1 }).status).toBe('corrupt')
  })
})
