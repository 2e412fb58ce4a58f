import { describe, expect, it } from 'vitest'
import type { HistoryOp } from '../workload/history'
import { checkHistory } from './linearizability'

let id = 0
const w = (client: number, key: string, value: string, invokeAt: number, completeAt: number | undefined, outcome: HistoryOp['outcome'] = 'ok'): HistoryOp => ({
  id: ++id,
  client,
  node: String(client),
  kind: 'write',
  key,
  value,
  invokeAt,
  ...(completeAt === undefined ? {} : { completeAt }),
  outcome
})
const r = (client: number, key: string, result: string | null, invokeAt: number, completeAt: number, outcome: HistoryOp['outcome'] = 'ok'): HistoryOp => ({
  id: ++id,
  client,
  node: String(client),
  kind: 'read',
  key,
  result,
  invokeAt,
  completeAt,
  outcome
})

describe('checkHistory', () => {
  it('accepts a sequential history and concurrent ops in either order', () => {
    expect(checkHistory([w(1, 'k', 'a', 0, 10), r(2, 'k', 'a', 20, 30), w(1, 'k', 'b', 40, 50), r(2, 'k', 'b', 60, 70)]).verdict).toBe('ok')
    // The read overlaps the write: old or new value are both fine.
    expect(checkHistory([w(1, 'k', 'a', 0, 10), w(1, 'k', 'b', 20, 40), r(2, 'k', 'a', 25, 30)]).verdict).toBe('ok')
    expect(checkHistory([w(1, 'k', 'a', 0, 10), w(1, 'k', 'b', 20, 40), r(2, 'k', 'b', 25, 30)]).verdict).toBe('ok')
    // Nothing written yet reads as null.
    expect(checkHistory([r(1, 'k', null, 0, 5), w(2, 'k', 'a', 10, 20)]).verdict).toBe('ok')
  })

  it('finds a stale read and explains it with the three ops involved', () => {
    const h = [w(1, 'k', 'a', 0, 10), w(1, 'k', 'b', 20, 30), r(2, 'k', 'a', 40, 50)]
    const res = checkHistory(h)
    expect(res.verdict).toBe('violation')
    expect(res.anomaly?.summary).toBe('stale-read')
    expect(res.anomaly?.ops.map((o) => o.value ?? o.result)).toEqual(['a', 'b', 'a'])
    expect(res.anomaly?.explanation.join('\n')).toMatch(/wrote "b"[\s\S]*read "a"/)
  })

  it('finds reads that see writes in different orders (no single stale read)', () => {
    // Two writes overlap; one reader sees a then b, another sees b then a, after both completed.
    const h = [w(1, 'k', 'a', 0, 100), w(2, 'k', 'b', 0, 100), r(3, 'k', 'a', 110, 120), r(3, 'k', 'b', 130, 140), r(4, 'k', 'b', 150, 160), r(4, 'k', 'a', 170, 180)]
    expect(checkHistory(h).verdict).toBe('violation')
  })

  it('reports a phantom value and a lost write', () => {
    expect(checkHistory([w(1, 'k', 'a', 0, 10), r(2, 'k', 'zzz', 20, 30)]).anomaly?.summary).toBe('phantom-read')
    expect(checkHistory([w(1, 'k', 'a', 0, 10), r(2, 'k', null, 20, 30)]).anomaly?.summary).toBe('lost-write')
  })

  it('lets an unknown write take effect late or never, and ignores failed ops', () => {
    // Timed out, then seen by a later read: it took effect after all.
    expect(checkHistory([w(1, 'k', 'a', 0, 10), w(2, 'k', 'b', 20, undefined, 'unknown'), r(3, 'k', 'b', 500, 510), r(3, 'k', 'b', 600, 610)]).verdict).toBe('ok')
    // Never seen: it may never have been applied.
    expect(checkHistory([w(1, 'k', 'a', 0, 10), w(2, 'k', 'b', 20, undefined, 'unknown'), r(3, 'k', 'a', 500, 510)]).verdict).toBe('ok')
    // Seen, then unseen: once applied it cannot un-apply.
    expect(checkHistory([w(1, 'k', 'a', 0, 10), w(2, 'k', 'b', 20, undefined, 'unknown'), r(3, 'k', 'b', 500, 510), r(3, 'k', 'a', 600, 610)]).verdict).toBe('violation')
    // A failed write was not applied, so reading its value is a phantom.
    expect(checkHistory([w(1, 'k', 'a', 0, 10), w(2, 'k', 'b', 20, 30, 'fail'), r(3, 'k', 'b', 40, 50)]).verdict).toBe('violation')
  })

  it('checks keys independently and names the failing one', () => {
    const res = checkHistory([w(1, 'x', '1', 0, 10), r(2, 'x', '1', 20, 30), w(1, 'y', '2', 0, 10), w(1, 'y', '3', 20, 30), r(2, 'y', '2', 40, 50)])
    expect(res.keys.map((k) => [k.key, k.verdict])).toEqual([
      ['x', 'ok'],
      ['y', 'violation']
    ])
    expect(res.anomaly?.key).toBe('y')
  })

  it('says unknown when the budget runs out', () => {
    let t = 0
    // 16 overlapping writes and a read of a value none of them wrote: proving that takes every
    // subset of the writes (2^16 states), far more than the budget allows.
    const h: HistoryOp[] = []
    for (let i = 0; i < 16; i++) h.push(w(i, 'k', `v${i}`, 0, 1000))
    h.push(r(99, 'k', 'never-written', 0, 1000))
    const res = checkHistory(h, { budgetMs: 5, now: () => (t += 1) })
    expect(res.verdict).toBe('unknown')
    expect(res.keys[0]!.verdict).toBe('unknown')
    // With time enough, the same history is a violation.
    expect(checkHistory(h).verdict).toBe('violation')
  })
})

describe('unknown writes nobody read', () => {
  it('are left out, so a crash with many of them stays fast', () => {
    const h: HistoryOp[] = [w(1, 'k', 'a', 0, 10)]
    // 40 writes in flight when every node died: none of them was ever read.
    for (let i = 0; i < 40; i++) h.push(w(100 + i, 'k', `lost${i}`, 20, undefined, 'unknown'))
    h.push(r(200, 'k', 'a', 500, 510))
    const res = checkHistory(h, { budgetMs: 2000 })
    expect(res.verdict).toBe('ok')
    expect(res.keys[0]!.ops).toBe(2)
  })
})
