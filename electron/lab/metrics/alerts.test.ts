import { describe, expect, it } from 'vitest'
import type { ClusterMetrics, MetricsSample } from '../api'
import { LabServiceError } from '../errors'
import { AlertEngine, DEFAULT_RULES, ELECTIONS_WINDOW_MS } from './alerts'

const sample = (at: number, over: Partial<ClusterMetrics> = {}): MetricsSample => ({
  at,
  intervalMs: 1000,
  nodes: [],
  cluster: { size: 3, nodesUp: 3, quorum: 2, leader: 1, qps: 10, p99Ms: 5, errorRate: 0, leaderChanges: 0, ...over }
})

const brief = (ts: { rule: string; state: string }[]): string[] => ts.map((t) => `${t.rule}:${t.state}`)

describe('alert rules (seed §8.3)', () => {
  it('has the four rules with the seed thresholds', () => {
    expect(DEFAULT_RULES.map((r) => [r.id, r.threshold, r.forMs])).toEqual([
      ['quorum-lost', 0, 0],
      ['latency-high', 100, 5000],
      ['error-rate-high', 0.01, 5000],
      ['elections-frequent', 5, 0]
    ])
  })

  it('fires quorum-lost at once below the cluster quorum and resolves when it is back', () => {
    const a = new AlertEngine()
    expect(a.evaluate(sample(0))).toEqual([])
    expect(a.evaluate(sample(1000, { nodesUp: 2 }))).toEqual([])
    expect(a.evaluate(sample(2000, { nodesUp: 1 }))).toEqual([{ rule: 'quorum-lost', state: 'firing', value: 1, threshold: 2, at: 2000 }])
    expect(a.evaluate(sample(3000, { nodesUp: 0 }))).toEqual([])
    expect(a.status()[0]).toMatchObject({ state: 'firing', value: 0, since: 2000 })
    expect(a.evaluate(sample(4000, { nodesUp: 3 }))).toEqual([{ rule: 'quorum-lost', state: 'resolved', value: 3, threshold: 2, at: 4000 }])
    expect(a.status()[0]).toMatchObject({ state: 'ok', since: 4000 })
  })

  it('holds latency and error rate for their `for` duration: a spike does not fire', () => {
    const a = new AlertEngine()
    expect(a.evaluate(sample(0, { p99Ms: 500, errorRate: 0.5 }))).toEqual([])
    expect(a.status().map((s) => s.state)).toEqual(['ok', 'pending', 'pending', 'ok'])
    expect(a.evaluate(sample(1000))).toEqual([])
    expect(a.status().map((s) => s.state)).toEqual(['ok', 'ok', 'ok', 'ok'])
    for (let t = 2000; t < 7000; t += 1000) expect(a.evaluate(sample(t, { p99Ms: 101, errorRate: 0.02 }))).toEqual([])
    expect(brief(a.evaluate(sample(7000, { p99Ms: 101, errorRate: 0.02 })))).toEqual(['latency-high:firing', 'error-rate-high:firing'])
    expect(a.evaluate(sample(8000, { p99Ms: 101, errorRate: 0.02 }))).toEqual([])
    // At the threshold is not above it; no requests (p99 null) is not slow.
    expect(brief(a.evaluate(sample(9000, { p99Ms: null, errorRate: 0.01 })))).toEqual(['latency-high:resolved', 'error-rate-high:resolved'])
  })

  it('counts elections over a sliding hour', () => {
    const a = new AlertEngine()
    expect(a.evaluate(sample(0, { leaderChanges: 3 }))).toEqual([])
    expect(a.evaluate(sample(60_000, { leaderChanges: 2 }))).toEqual([])
    expect(a.evaluate(sample(120_000, { leaderChanges: 1 }))).toEqual([{ rule: 'elections-frequent', state: 'firing', value: 6, threshold: 5, at: 120_000 }])
    // The first three leave the window an hour after they were seen.
    expect(brief(a.evaluate(sample(ELECTIONS_WINDOW_MS)))).toEqual(['elections-frequent:resolved'])
    expect(a.status()[3]).toMatchObject({ value: 3 })
  })

  it('takes new thresholds, `for` and enabled at the next sample', () => {
    const a = new AlertEngine([{ id: 'latency-high', forMs: 0 }])
    expect(brief(a.evaluate(sample(0, { p99Ms: 150 })))).toEqual(['latency-high:firing'])
    a.configure([{ id: 'latency-high', threshold: 200 }])
    expect(brief(a.evaluate(sample(1000, { p99Ms: 150 })))).toEqual(['latency-high:resolved'])
    a.configure([{ id: 'quorum-lost', threshold: 3 }, { id: 'error-rate-high', enabled: false }])
    expect(brief(a.evaluate(sample(2000, { nodesUp: 2, errorRate: 1 })))).toEqual(['quorum-lost:firing'])
    a.configure([{ id: 'quorum-lost', enabled: false }])
    expect(brief(a.evaluate(sample(3000, { nodesUp: 2 })))).toEqual(['quorum-lost:resolved'])
    expect(a.rule('quorum-lost')).toEqual({ id: 'quorum-lost', enabled: false, threshold: 3, forMs: 0 })
  })

  it('refuses a bad patch naming the field, and applies none of the batch', () => {
    const a = new AlertEngine()
    const err = (f: () => unknown): LabServiceError => {
      try {
        f()
      } catch (e) {
        return e as LabServiceError
      }
      throw new Error('expected a throw')
    }
    const e1 = err(() => a.configure([{ id: 'latency-high', threshold: 50 }, { id: 'error-rate-high', threshold: 5 }]))
    expect(e1).toBeInstanceOf(LabServiceError)
    expect(e1.code).toBe('INVALID_ARGUMENT')
    expect(e1.message).toMatch(/^rules\[1\]\.threshold: /)
    expect(a.rule('latency-high').threshold).toBe(100)
    expect(err(() => a.configure([{ id: 'latency-high', forMs: -1 }])).message).toMatch(/^rules\[0\]\.forMs/)
    expect(err(() => a.configure([{ id: 'quorum-lost', threshold: 1.5 }])).message).toMatch(/^rules\[0\]\.threshold/)
    expect(err(() => a.configure([{ id: 'latency-high', threshold: Number.NaN }])).message).toMatch(/^rules\[0\]\.threshold/)
    expect(err(() => a.configure([{ id: 'nope' as 'quorum-lost' }])).message).toMatch(/^rules\[0\]\.id: unknown rule "nope"/)
  })
})
