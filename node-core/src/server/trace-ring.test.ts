import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../raft/trace'
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

  it('gives back every kind of event as it was pushed, across wraps of the columnar store', () => {
    const events: TraceEvent[] = [
      { type: 'msgSent', node: 2130706433008848, to: 2130706433008849, msg: 'MsgApp', term: 7, index: 45012, entries: 12, reject: false },
      { type: 'msgReceived', node: 2130706433008848, from: 2130706433008850, msg: 'MsgAppResp', term: 7, index: 45000, entries: 0, reject: true },
      { type: 'commitAdvanced', node: 1, from: 44999, to: 45012, term: 7 },
      { type: 'roleChanged', node: 1, from: 'candidate', to: 'leader', term: 7, lead: 1 },
      { type: 'msgSent', node: 1, to: 3, msg: 'MsgHeartbeat', term: 7, index: 0, entries: 0, reject: false }
    ]
    const ring = new TraceRing(4)
    for (let round = 0; round < 3; round++) {
      for (const e of events) ring.push(e)
      const b = ring.read(ring.lastSeq - 4)
      expect(b.events.map((r) => r.event)).toEqual(events.slice(1))
      expect(b.events.map((r) => Object.keys(r.event))).toEqual(events.slice(1).map((e) => Object.keys(e)))
    }
  })

  it('reads at most `limit` events and an empty batch past the end', () => {
    const ring = new TraceRing(100)
    for (let i = 1; i <= 30; i++) ring.push(ev(i))
    expect(ring.read(0, 10).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(ring.read(30)).toEqual({ events: [], dropped: 0, lastSeq: 30 })
    expect(ring.read(99)).toEqual({ events: [], dropped: 0, lastSeq: 30 })
    expect(new TraceRing(5).read(0)).toEqual({ events: [], dropped: 0, lastSeq: 0 })
  })

  it('wakes a waiting reader on the next event', async () => {
    const ring = new TraceRing()
    const waited = ring.wait(0, 10_000)
    ring.push(ev(1))
    await waited
    expect(ring.read(0).events).toHaveLength(1)
  })
})
