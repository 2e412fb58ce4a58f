import { describe, expect, it } from 'vitest'
import { logLine, logLines } from '../testing/logsdata-fixtures'
import { countMatching, EMPTY_FILTER, filterRows, levelsAtLeast, updateFiltered } from './log-filter'
import { toRow, type LogRow } from './log-ring'

const rowsOf = (from: number, n: number): LogRow[] => logLines(from, n).map((l, k) => toRow(l, from + k))

describe('filterRows', () => {
  it('keeps every row with an empty filter (as a new array)', () => {
    const rows = rowsOf(1, 10)
    const out = filterRows(rows, EMPTY_FILTER)
    expect(out).toEqual(rows)
    expect(out).not.toBe(rows)
  })

  it('filters by node, file and level together', () => {
    const rows = rowsOf(0, 120)
    const out = filterRows(rows, { ...EMPTY_FILTER, nodes: [2], files: ['cluster'], levels: ['info'] })
    expect(out.length).toBeGreaterThan(0)
    for (const r of out) expect([r.nodeId, r.file, r.level]).toEqual([2, 'cluster', 'info'])
    // Exactly the rows that satisfy all three.
    expect(out.length).toBe(rows.filter((r) => r.nodeId === 2 && r.file === 'cluster' && r.level === 'info').length)
  })

  it('matches text case-insensitively in the message or the raw line', () => {
    const rows = [
      toRow(logLine(1, { msg: 'Leader ELECTED for term 3' }), 1),
      toRow(logLine(2, { msg: 'publish config', raw: '{"msg":"publish config","dataId":"App.yaml"}' }), 2),
      toRow(logLine(3, { msg: 'heartbeat ok' }), 3),
      toRow(logLine(4, { msg: 'Exception in thread', raw: 'Exception in thread', level: 'unknown' }), 4)
    ]
    expect(filterRows(rows, { ...EMPTY_FILTER, text: 'elected' }).map((r) => r.seq)).toEqual([1])
    expect(filterRows(rows, { ...EMPTY_FILTER, text: 'app.YAML' }).map((r) => r.seq)).toEqual([2])
    expect(filterRows(rows, { ...EMPTY_FILTER, text: 'exception' }).map((r) => r.seq)).toEqual([4])
    expect(filterRows(rows, { ...EMPTY_FILTER, text: 'no such words' })).toEqual([])
  })

  it('filters 100,000 rows: every match and only matches, in order', () => {
    const rows = rowsOf(0, 100_000)
    const f = { ...EMPTY_FILTER, nodes: [3], files: ['config' as const], text: 'line 9' }
    const out = filterRows(rows, f)
    // i % 3 === 2 (node 3), i % 4 === 2 (config), message "line 9…": i ≡ 2 (mod 12), i starts with 9.
    const expected = rows.filter((r) => r.seq % 12 === 2 && String(r.seq).startsWith('9')).map((r) => r.seq)
    expect(expected.length).toBeGreaterThan(500)
    expect(out.map((r) => r.seq)).toEqual(expected)
    expect(countMatching(rows, f)).toBe(expected.length)
  })
})

describe('levelsAtLeast', () => {
  it('lists the chosen level and the more severe ones', () => {
    expect(levelsAtLeast(null)).toEqual([])
    expect(levelsAtLeast('info')).toEqual(['info', 'warn', 'error', 'fatal'])
    // Non-JSON lines (crash output) stay visible from warn up.
    expect(levelsAtLeast('error')).toEqual(['error', 'fatal', 'unknown'])
  })
})

describe('updateFiltered', () => {
  it('drops rows that left the ring and appends the new matches', () => {
    const f = { ...EMPTY_FILTER, nodes: [1] }
    const first = rowsOf(0, 30)
    const filtered = filterRows(first, f)
    const added = rowsOf(30, 9)
    const next = updateFiltered(filtered, 10, added, f)
    expect(next.map((r) => r.seq)).toEqual(filterRows([...first.slice(10), ...added], f).map((r) => r.seq))
    expect(next.every((r) => r.nodeId === 1 && r.seq >= 10)).toBe(true)
  })
})
