import { describe, expect, it } from 'vitest'
import { parseSegmentFileName, parseSnapshotFileName, segmentFileName, snapshotFileName } from './names'

describe('file names', () => {
  it('formats segments as <seq>-<firstIndex>.wal, 16 zero-padded digits each, and parses them back', () => {
    expect(segmentFileName(1, 1)).toBe('0000000000000001-0000000000000001.wal')
    expect(segmentFileName(12, 34_567)).toBe('0000000000000012-0000000000034567.wal')
    expect(parseSegmentFileName('0000000000000012-0000000000034567.wal')).toEqual({ seq: 12, firstIndex: 34_567 })
  })

  it('formats snapshots as <term>-<index>.snap and parses them back', () => {
    expect(snapshotFileName(3, 1000)).toBe('0000000000000003-0000000000001000.snap')
    expect(parseSnapshotFileName('0000000000000003-0000000000001000.snap')).toEqual({ term: 3, index: 1000 })
  })

  it('sorts in numeric order as plain strings', () => {
    const names = [100, 9, 10, 1].map((s) => segmentFileName(s, s * 7))
    expect([...names].sort()).toEqual([1, 9, 10, 100].map((s) => segmentFileName(s, s * 7)))
  })

  it('ignores other names and refuses values it cannot write', () => {
    for (const n of ['LOCK', '1-1.wal', '0000000000000001-0000000000000001.wal.tmp', '0000000000000000-0000000000000001.wal', 'x.snap']) {
      expect(parseSegmentFileName(n)).toBeUndefined()
    }
    expect(parseSnapshotFileName('0000000000000003-0000000000001000.snap.broken')).toBeUndefined()
    expect(() => segmentFileName(0, 1)).toThrow(RangeError)
    expect(() => segmentFileName(1, -1)).toThrow(RangeError)
    expect(() => snapshotFileName(1, 1e16)).toThrow(RangeError)
  })
})
