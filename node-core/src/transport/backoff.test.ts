import { describe, expect, it } from 'vitest'
import { DEFAULT_BACKOFF, backoffDelay, checkBackoffPolicy } from './backoff'

describe('backoffDelay', () => {
  it('doubles from 50 ms to a 2 s ceiling, each delay within [ceiling/2, ceiling]', () => {
    const ceilings = [50, 100, 200, 400, 800, 1600, 2000, 2000, 2000]
    ceilings.forEach((c, attempt) => {
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0)).toBe(c / 2)
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999999)).toBe(c)
      const mid = backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.5)
      expect(mid).toBe(Math.round(c * 0.75))
    })
  })

  it('stays bounded for huge attempts and bad random values', () => {
    expect(backoffDelay(10_000, DEFAULT_BACKOFF, () => 0.5)).toBe(1500)
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 7)).toBe(400)
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => -1)).toBe(200)
    expect(backoffDelay(-5, DEFAULT_BACKOFF, () => 0)).toBe(25)
  })

  it('spreads delays with the real random source (jitter)', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(6)))
    expect(seen.size).toBeGreaterThan(10)
    for (const d of seen) {
      expect(d).toBeGreaterThanOrEqual(1000)
      expect(d).toBeLessThanOrEqual(2000)
    }
  })

  it('refuses unusable policies, naming the field', () => {
    expect(() => checkBackoffPolicy({ initialMs: 0, maxMs: 10 })).toThrow(/backoff\.initialMs/)
    expect(() => checkBackoffPolicy({ initialMs: 100, maxMs: 10 })).toThrow(/backoff\.maxMs/)
    expect(() => checkBackoffPolicy(DEFAULT_BACKOFF)).not.toThrow()
  })
})
