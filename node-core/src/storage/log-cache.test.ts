import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../raft/storage'
import type { ConfState, Entry } from '../raft/types'
import { LogCache } from './log-cache'

const conf: ConfState = { voters: [1, 2, 3], learners: [] }

/** A small seeded generator, so a failure replays exactly. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

type Outcome = { ok: true; value?: unknown } | { ok: false; error: string }
const attempt = (fn: () => unknown): Outcome => {
  try {
    return { ok: true, value: fn() }
  } catch (e) {
    return { ok: false, error: `${(e as Error).constructor.name}: ${(e as Error).message}` }
  }
}

describe('LogCache', () => {
  it('behaves exactly like MemoryStorage under random appends, truncations, snapshots and compactions', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed)
      const a = new MemoryStorage()
      const b = new LogCache()
      let term = 1
      for (let step = 0; step < 300; step++) {
        const op = r()
        const last = a.lastIndex()
        const first = a.firstIndex()
        if (op < 0.55) {
          // Append at a random point from a bit below first to just past last (gaps included).
          const start = Math.max(1, first - 2 + Math.floor(r() * (last - first + 5)))
          if (r() < 0.2) term++
          const n = 1 + Math.floor(r() * 4)
          const ents: Entry[] = Array.from({ length: n }, (_, i) => ({ index: start + i, term, type: 'normal', data: new Uint8Array([step]) }))
          expect(attempt(() => b.append(ents)), `seed ${seed} step ${step}`).toEqual(attempt(() => a.append(ents)))
        } else if (op < 0.7) {
          const i = first - 1 + Math.floor(r() * (last - first + 3))
          expect(attempt(() => b.createSnapshot(i, conf, new Uint8Array([i])))).toEqual(attempt(() => a.createSnapshot(i, conf, new Uint8Array([i]))))
        } else if (op < 0.8) {
          const i = first - 1 + Math.floor(r() * (last - first + 3))
          expect(attempt(() => b.compact(i))).toEqual(attempt(() => a.compact(i)))
        } else if (op < 0.85) {
          const idx = last + Math.floor(r() * 3) - 1
          const snap = { metadata: { index: idx, term: term + 1, confState: conf }, data: new Uint8Array([7]) }
          expect(attempt(() => b.applySnapshot(snap))).toEqual(attempt(() => a.applySnapshot(snap)))
        }
        expect([b.firstIndex(), b.lastIndex()]).toEqual([a.firstIndex(), a.lastIndex()])
        const lo = a.firstIndex() - 1 + Math.floor(r() * 3)
        const hi = lo + Math.floor(r() * 5)
        const maxBytes = 1 + Math.floor(r() * 100)
        expect(attempt(() => b.entries(lo, hi, maxBytes))).toEqual(attempt(() => a.entries(lo, hi, maxBytes)))
        expect(attempt(() => b.term(lo))).toEqual(attempt(() => a.term(lo)))
        expect(b.snapshot()).toEqual(a.snapshot())
      }
    }
  })

  it('appends one entry at a time in constant time (a 200,000-entry log builds fast)', () => {
    const c = new LogCache()
    const t0 = performance.now()
    for (let i = 1; i <= 200_000; i++) c.append([{ index: i, term: 1, type: 'normal', data: new Uint8Array() }])
    expect(c.lastIndex()).toBe(200_000)
    expect(performance.now() - t0).toBeLessThan(2_000)
  })
})
