import { describe, expect, it } from 'vitest'
import type { HistoryOp } from '../workload/history'
import { checkDurability, possibleFinalValues } from './durability'
import { checkHistory } from './linearizability'
import { syntheticHistory } from './synthetic'

const op = (p: Partial<HistoryOp> & Pick<HistoryOp, 'kind' | 'invokeAt'>): HistoryOp => ({ id: 0, client: 0, node: '1', key: 'k', outcome: 'ok', ...p })

describe('checkDurability', () => {
  const h = [
    op({ kind: 'write', value: 'a', invokeAt: 0, completeAt: 10 }),
    op({ kind: 'write', value: 'b', invokeAt: 20, completeAt: 30 }),
    op({ kind: 'write', value: 'c', invokeAt: 25, completeAt: 40 }),
    op({ kind: 'write', value: 'd', invokeAt: 50, outcome: 'unknown' })
  ]

  it('knows which writes may be last', () => {
    // a was followed by b; b and c overlap; d may or may not have been applied.
    expect(possibleFinalValues('k', h).sort()).toEqual(['b', 'c', 'd'])
  })

  it('passes when every node holds a possible last value, and flags a lost or divergent key', () => {
    const at = (node: string, v: string | null): { node: string; values: Map<string, string | null> } => ({ node, values: new Map([['k', v]]) })
    expect(checkDurability(h, [at('1', 'c'), at('2', 'c'), at('3', 'c')]).ok).toBe(true)
    const lost = checkDurability(h, [at('1', 'c'), at('2', 'a'), at('3', 'c')])
    expect(lost.ok).toBe(false)
    expect(lost.lost).toEqual([{ key: 'k', node: '2', found: 'a', expectedOneOf: ['b', 'c', 'd'] }])
    expect(lost.divergent).toHaveLength(1)
    expect(checkDurability(h, [at('1', null)]).lost[0]?.found).toBeNull()
  })
})

describe('synthetic histories', () => {
  it('are linearizable and durable by construction (seed 7)', () => {
    const h = syntheticHistory({ ops: 2000, keys: 5, clients: 16, seed: 7 })
    expect(checkHistory(h).verdict).toBe('ok')
  })

  it('become a violation when one read is made stale', () => {
    const h = syntheticHistory({ ops: 400, keys: 2, clients: 8, seed: 11 })
    // Find a read preceded by two completed writes to its key, and make it return the older one.
    const reads = h.filter((o) => o.kind === 'read')
    for (const r of reads) {
      const before = h.filter((o) => o.kind === 'write' && o.key === r.key && o.completeAt! < r.invokeAt)
      const older = before.find((a) => before.some((b) => b.invokeAt > a.completeAt!))
      if (!older) continue
      r.result = older.value
      const res = checkHistory(h)
      expect(res.verdict).toBe('violation')
      expect(res.anomaly?.summary).toBe('stale-read')
      return
    }
    throw new Error('seed 11 gave no read to make stale')
  })
})
