import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LabEvent } from '../api'
import { EventBus } from './event-bus'

afterEach(() => {
  vi.useRealTimers()
})

describe('EventBus', () => {
  it('stamps increasing sequence numbers and delivers in order, batched', () => {
    vi.useFakeTimers()
    let t = 1000
    const bus = new EventBus(() => t++)
    const got: LabEvent[][] = []
    bus.subscribe((b) => got.push(b), { flushMs: 50 })
    bus.publish({ type: 'cluster.state', state: 'starting' })
    bus.publish({ type: 'node.spawned', nodeId: 1, pid: 10 })
    expect(got).toEqual([])
    vi.advanceTimersByTime(50)
    expect(got).toHaveLength(1)
    expect(got[0]!.map((e) => [e.seq, e.type, e.ts])).toEqual([
      [1, 'cluster.state', 1000],
      [2, 'node.spawned', 1001]
    ])
  })

  it('drops the oldest events of a slow subscriber and says how many', () => {
    const bus = new EventBus()
    const got: LabEvent[][] = []
    bus.subscribe((b) => got.push(b), { flushMs: 60_000, maxQueue: 3 })
    for (let i = 1; i <= 5; i++) bus.publish({ type: 'node.spawned', nodeId: 1, pid: i })
    expect(bus.droppedCount()).toBe(2)
    bus.flushAll()
    const batch = got[0]!
    expect(batch[0]).toMatchObject({ type: 'events.dropped', count: 2 })
    expect(batch.slice(1).map((e) => e.seq)).toEqual([3, 4, 5])
    expect(bus.droppedCount()).toBe(0)
  })

  it('keeps delivering to others when one subscriber throws', () => {
    const bus = new EventBus()
    const good: LabEvent[] = []
    bus.subscribe(() => {
      throw new Error('bad subscriber')
    })
    bus.subscribe((b) => good.push(...b))
    bus.publish({ type: 'cluster.state', state: 'running' })
    bus.flushAll()
    expect(good).toHaveLength(1)
  })

  it('flushes pending events on unsubscribe and then stops', () => {
    const bus = new EventBus()
    const got: LabEvent[] = []
    const off = bus.subscribe((b) => got.push(...b), { flushMs: 60_000 })
    bus.publish({ type: 'cluster.state', state: 'running' })
    off()
    bus.publish({ type: 'cluster.state', state: 'stopped' })
    bus.flushAll()
    expect(got.map((e) => e.type === 'cluster.state' && e.state)).toEqual(['running'])
  })
})
