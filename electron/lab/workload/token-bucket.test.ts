import { describe, expect, it } from 'vitest'
import { TokenBucket } from './token-bucket'

describe('TokenBucket', () => {
  it('accrues tokens at the rate, capped by the burst', () => {
    const b = new TokenBucket(100, 0)
    expect(b.refill(0)).toBe(0)
    expect(b.refill(50)).toBe(5)
    b.take(5)
    expect(b.refill(60)).toBe(1)
    b.take()
    // A long pause does not build a backlog: at most rate/10 tokens wait.
    expect(b.refill(60_000)).toBe(10)
  })

  it('delivers the asked rate over time', () => {
    const b = new TokenBucket(200, 0)
    let started = 0
    for (let t = 10; t <= 3000; t += 10) {
      const n = b.refill(t)
      b.take(n)
      started += n
    }
    expect(started).toBeGreaterThanOrEqual(595)
    expect(started).toBeLessThanOrEqual(600)
  })

  it('changes rate live', () => {
    const b = new TokenBucket(10, 0)
    b.setRate(1000, 0)
    expect(b.refill(100)).toBe(100)
    b.setRate(0, 100)
    expect(b.refill(10_000)).toBe(0)
  })
})
