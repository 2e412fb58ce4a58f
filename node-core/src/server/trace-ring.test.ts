import { describe, expect, it } from 'vitest'
import { TraceRing } from './trace-ring'

const ev = (n: number) => ({ type: 'commitAdvanced' as const, node: 1, from: n - 1, to: n, term: 1 })

describe('TraceRing', () => {
  it('numbers events and returns those after a sequence number', () => {
    let t = 100
    const ring = new TraceRing(10, () => t++)
    for (let i = 1; i <= 5; i++) ring.push(ev(i))
    const b = ring.read(2)
    expect(b.events.map((e) => [e.seq, e.ts])).toEqual([
      [3, 102],
      [4, 103],
      [5, 104]
    ])
    expect(b).toMatchObject({ dropped: 0, lastSeq: 5 })
    expect(ring.read(5).events).toEqual([])
  })

  it('reports the events a slow reader lost when the ring wrapped', () => {
    const ring = new TraceRing(3)
    for (let i = 1; i <= 10; i++) ring.push(ev(i))
    const b = ring.read(2)
    expect(b.dropped).toBe(5)
    expect(b.events.map((e) => e.seq)).toEqual([8, 9, 10])
    expect(ring.read(7).dropped).toBe(0)
  })

  it('keeps exactly the newest events at every point while it wraps many times', () => {
    const ring = new TraceRing(4)
    for (let n = 1; n <= 25; n++) {
      ring.push(ev(n))
      const b = ring.read(0)
      const kept = Math.min(n, 4)
      expect(b.events.map((e) => e.seq)).toEqual(Array.from({ length: kept }, (_, i) => n - kept + 1 + i))
      expect(b.dropped).toBe(n - kept)
      expect(ring.read(n - 1).events.map((e) => e.seq)).toEqual([n])
    }
  })

  it('wakes a waiting reader on the next event', async () => {
    const ring = new TraceRing()
    const waited = ring.wait(0, 10_000)
    ring.push(ev(1))
    await waited
    expect(ring.read(0).events).toHaveLength(1)
  })
})
