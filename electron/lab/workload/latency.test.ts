import { describe, expect, it } from 'vitest'
import { LatencyHistogram, StatsWindow } from './latency'
import { createRandom } from './workload-spec'

describe('LatencyHistogram', () => {
  it('gives quantiles within 5 % of the exact ones (random data, seeded)', () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000)
    console.log(`latency histogram seed ${seed}`)
    const rnd = createRandom(seed)
    const h = new LatencyHistogram()
    const xs = Array.from({ length: 5000 }, () => 0.05 + rnd() ** 3 * 2000)
    for (const x of xs) h.record(x)
    xs.sort((a, b) => a - b)
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = xs[Math.ceil(q * xs.length) - 1]!
      const got = h.quantile(q)
      expect(got, `q=${q} seed ${seed}`).toBeGreaterThanOrEqual(exact * 0.999)
      expect(got, `q=${q} seed ${seed}`).toBeLessThanOrEqual(exact * 1.05)
    }
    expect(h.max).toBe(xs[xs.length - 1])
    expect(h.count).toBe(5000)
  })

  it('is 0 when empty, clamps odd input, and resets', () => {
    const h = new LatencyHistogram()
    expect(h.quantile(0.5)).toBe(0)
    h.record(-3)
    h.record(Number.NaN)
    h.record(1e9)
    expect(h.count).toBe(3)
    expect(h.quantile(0.5)).toBe(0.01)
    h.reset()
    expect(h.count).toBe(0)
  })
})

describe('StatsWindow', () => {
  it('sums a window per kind and starts a new one on take', () => {
    const w = new StatsWindow(0)
    w.record('publish', 'ok', 10)
    w.record('publish', 'ok', 20)
    w.record('publish', 'unknown', 3000)
    w.record('get', 'fail', 1)
    w.skip()
    w.beat(true)
    w.beat(false)
    const s = w.take(500, 2)
    expect(s).toMatchObject({ at: 500, intervalMs: 500, ok: 2, fail: 1, unknown: 1, rate: 8, skipped: 1, inFlight: 2, beats: { sent: 2, ok: 1 } })
    expect(s.byKind.publish).toMatchObject({ ok: 2, unknown: 1, max: 3000 })
    expect(s.byKind.publish.p50).toBeGreaterThanOrEqual(20)
    expect(s.byKind.publish.p50).toBeLessThan(21.1)
    expect(s.byKind.list).toEqual({ ok: 0, fail: 0, unknown: 0, p50: 0, p99: 0, max: 0 })
    expect(w.take(1500, 0)).toMatchObject({ ok: 0, skipped: 0, intervalMs: 1000, rate: 0 })
  })
})
