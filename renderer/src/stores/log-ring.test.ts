import { describe, expect, it } from 'vitest'
import { logLines, logSource } from '../testing/logsdata-fixtures'
import { appendBounded, newLinesOf, nextLimit, toRow, type LogRow } from './log-ring'

const rows = (from: number, n: number): LogRow[] => logLines(from, n).map((l, k) => toRow(l, from + k))

describe('appendBounded', () => {
  it('appends while there is room', () => {
    const r = appendBounded(rows(1, 3), rows(4, 2), 10)
    expect(r.rows.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5])
    expect(r.dropped).toBe(0)
  })

  it('drops the oldest rows past the capacity and counts them', () => {
    const r = appendBounded(rows(1, 8), rows(9, 4), 10)
    expect(r.rows.map((x) => x.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(r.dropped).toBe(2)
  })

  it('keeps only the newest rows of a batch larger than the ring', () => {
    const r = appendBounded(rows(1, 3), rows(4, 15), 10)
    expect(r.rows.map((x) => x.seq)).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
    expect(r.dropped).toBe(8)
  })

  it('never mutates its inputs', () => {
    const before = rows(1, 10)
    const copy = before.slice()
    appendBounded(before, rows(11, 5), 10)
    expect(before).toEqual(copy)
  })
})

describe('newLinesOf', () => {
  it('takes the lines past the total already seen', () => {
    const src = logSource()
    src.add(logLines(1, 5))
    const first = newLinesOf(src.answer(100), 0)
    expect(first.fresh.map((l) => l.msg)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5'])
    src.add(logLines(6, 2))
    const second = newLinesOf(src.answer(100), 5)
    expect(second.fresh.map((l) => l.msg)).toEqual(['line 6', 'line 7'])
    expect(second.missed).toBe(0)
    expect(newLinesOf(src.answer(100), 7).fresh).toEqual([])
  })

  it('counts what did not fit in the answer as missed', () => {
    const src = logSource()
    src.add(logLines(1, 50))
    const r = newLinesOf(src.answer(20), 10)
    expect(r.fresh).toHaveLength(20)
    expect(r.fresh[0]!.msg).toBe('line 31')
    expect(r.missed).toBe(20)
  })

  it('sees a total that went back as a restarted counter', () => {
    const src = logSource()
    src.add(logLines(1, 3))
    const r = newLinesOf(src.answer(100), 500)
    expect(r.restarted).toBe(true)
    expect(r.fresh).toHaveLength(3)
  })
})

describe('nextLimit', () => {
  it('doubles what arrived, within bounds', () => {
    expect(nextLimit(0)).toBe(10)
    expect(nextLimit(500)).toBe(1000)
    expect(nextLimit(50_000)).toBe(20_000)
  })
})
