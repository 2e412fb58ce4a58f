import { describe, expect, it } from 'vitest'
import { allLinks, bridge, cutBetween, defaultSplit, isolate, linkKey, majoritiesRing, oneWay, type DirectedLink } from './topology'
import { decideFrame, normalizeFault, seededRandom } from './link-fault'

const keys = (ls: DirectedLink[]): string[] => ls.map(([a, b]) => linkKey(a, b)).sort()
const ids = [1, 2, 3, 4, 5]

/** Who each node can still reach in both directions (itself included). */
function reachable(cut: DirectedLink[], nodes: number[]): Map<number, Set<number>> {
  const cutSet = new Set(keys(cut))
  return new Map(nodes.map((a) => [a, new Set(nodes.filter((b) => a === b || (!cutSet.has(linkKey(a, b)) && !cutSet.has(linkKey(b, a)))))]))
}

describe('partition shapes', () => {
  it('isolates a node both ways and nothing else', () => {
    expect(keys(isolate([1, 2, 3], 2))).toEqual(['1->2', '2->1', '2->3', '3->2'])
  })

  it('splits majority first with no link crossing inside a side', () => {
    expect(defaultSplit(ids)).toEqual([
      [1, 2, 3],
      [4, 5]
    ])
    const cut = cutBetween(defaultSplit(ids))
    expect(cut).toHaveLength(12)
    const r = reachable(cut, ids)
    expect([...r.get(1)!].sort()).toEqual([1, 2, 3])
    expect([...r.get(5)!].sort()).toEqual([4, 5])
  })

  it('bridge: only the middle node sees both halves, so both halves can reach a majority through it', () => {
    const r = reachable(bridge(ids), ids)
    expect([...r.get(3)!].sort()).toEqual([1, 2, 3, 4, 5])
    expect([...r.get(1)!].sort()).toEqual([1, 2, 3])
    expect([...r.get(5)!].sort()).toEqual([3, 4, 5])
  })

  it('majorities ring: every node sees a majority, and no two see the same one', () => {
    for (const n of [3, 5, 7]) {
      const nodes = Array.from({ length: n }, (_, i) => i + 1)
      const r = reachable(majoritiesRing(nodes), nodes)
      const views = [...r.values()].map((s) => [...s].sort().join(','))
      for (const s of r.values()) expect(s.size).toBeGreaterThanOrEqual(Math.floor(n / 2) + 1)
      if (n > 3) expect(new Set(views).size).toBe(n)
    }
  })

  it('one-way cuts a single direction; allLinks lists n(n-1) links', () => {
    expect(keys(oneWay(1, 2))).toEqual(['1->2'])
    expect(allLinks(ids)).toHaveLength(20)
  })
})

describe('decideFrame', () => {
  it('holds everything in a black hole, never drops a hello, and follows the drop/dup odds', () => {
    const rand = seededRandom(1)
    expect(decideFrame(normalizeFault({ cut: 'blackhole' }), rand, false).action).toBe('hold')
    expect(decideFrame(normalizeFault({ dropPct: 100 }), rand, true).action).toBe('pass')
    let dropped = 0
    let duplicated = 0
    const f = normalizeFault({ dropPct: 30, dupPct: 20, delayMs: 10, jitterMs: 5 })
    for (let i = 0; i < 10_000; i++) {
      const d = decideFrame(f, rand, false)
      if (d.action === 'drop') dropped++
      else {
        if (d.copies === 2) duplicated++
        expect(d.delayMs).toBeGreaterThanOrEqual(10)
        expect(d.delayMs).toBeLessThan(15)
      }
    }
    expect(dropped / 10_000).toBeGreaterThan(0.27)
    expect(dropped / 10_000).toBeLessThan(0.33)
    expect(duplicated / 7_000).toBeGreaterThan(0.17)
    expect(duplicated / 7_000).toBeLessThan(0.23)
  })
})
