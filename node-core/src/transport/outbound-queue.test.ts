import { describe, expect, it } from 'vitest'
import { OutboundQueue } from './outbound-queue'

const item = (n: number, size = 10): { bytes: Uint8Array; n: number } => ({ bytes: new Uint8Array(size), n })

describe('OutboundQueue', () => {
  it('is FIFO', () => {
    const q = new OutboundQueue<ReturnType<typeof item>>({ maxMessages: 10, maxBytes: 1000 })
    for (let i = 0; i < 5; i++) expect(q.push(item(i))).toBe(0)
    expect(q.length).toBe(5)
    expect(q.bytes).toBe(50)
    expect([0, 1, 2, 3, 4].map(() => q.shift()!.n)).toEqual([0, 1, 2, 3, 4])
    expect(q.shift()).toBeUndefined()
    expect(q.bytes).toBe(0)
  })

  it('drops the oldest when the message bound is reached, and says how many', () => {
    const q = new OutboundQueue<ReturnType<typeof item>>({ maxMessages: 3, maxBytes: 1000 })
    const dropped = [0, 1, 2, 3, 4].map((i) => q.push(item(i)))
    expect(dropped).toEqual([0, 0, 0, 1, 1])
    expect([q.shift()!.n, q.shift()!.n, q.shift()!.n]).toEqual([2, 3, 4])
  })

  it('drops the oldest when the byte bound is reached', () => {
    const q = new OutboundQueue<ReturnType<typeof item>>({ maxMessages: 100, maxBytes: 100 })
    for (let i = 0; i < 5; i++) q.push(item(i, 20))
    expect(q.push(item(5, 50))).toBe(3)
    expect(q.bytes).toBe(90)
    expect(q.shift()!.n).toBe(3)
  })

  it('still takes one item larger than the byte bound, alone', () => {
    const q = new OutboundQueue<ReturnType<typeof item>>({ maxMessages: 100, maxBytes: 100 })
    q.push(item(0, 20))
    expect(q.push(item(1, 500))).toBe(1)
    expect(q.length).toBe(1)
    expect(q.shift()!.n).toBe(1)
  })

  it('keeps order across internal compaction', () => {
    const q = new OutboundQueue<ReturnType<typeof item>>({ maxMessages: 10_000, maxBytes: 1e9 })
    let next = 0
    for (let i = 0; i < 5000; i++) q.push(item(i, 1))
    for (let i = 0; i < 4000; i++) expect(q.shift()!.n).toBe(next++)
    for (let i = 5000; i < 6000; i++) q.push(item(i, 1))
    while (q.length > 0) expect(q.shift()!.n).toBe(next++)
    expect(next).toBe(6000)
  })

  it('clear() empties and counts', () => {
    const q = new OutboundQueue({ maxMessages: 10, maxBytes: 1000 })
    q.push(item(1))
    q.push(item(2))
    expect(q.clear()).toBe(2)
    expect(q.length).toBe(0)
    expect(q.bytes).toBe(0)
  })
})
