import { describe, expect, it } from 'vitest'
import type { TraceRecord } from '../../../node-core/src/protocol/admin'
import { MessageSampler, TraceMerger } from './trace-merger'

const rec = (seq: number, ts: number, type = 'roleChanged'): TraceRecord => ({ seq, ts, event: { type, node: 1 } })

describe('TraceMerger', () => {
  it('orders events of different nodes by time once the window has passed', () => {
    const m = new TraceMerger(100)
    m.push(2, [rec(1, 1005), rec(2, 1020)], 0, 1030)
    m.push(1, [rec(1, 1000), rec(2, 1010)], 0, 1030)
    expect(m.drain(1050)).toEqual([])
    const out = m.drain(1200)
    expect(out.map((e) => (e.type === 'raft' ? `${e.nodeId}:${e.nodeSeq}` : e.type))).toEqual(['1:1', '2:1', '1:2', '2:2'])
  })

  it('keeps late events in order if they arrive within the window', () => {
    const m = new TraceMerger(100)
    m.push(1, [rec(1, 1000)], 0, 1000)
    m.push(2, [rec(1, 990)], 0, 1050)
    expect(m.drain(1100).map((e) => e.nodeId)).toEqual([2, 1])
  })

  it('reports a jump in sequence numbers and events lost from a ring as gaps', () => {
    const m = new TraceMerger(0)
    m.push(1, [rec(1, 1), rec(2, 2)], 0, 10)
    m.push(1, [rec(6, 6)], 3, 10)
    m.push(1, [rec(7, 7), rec(9, 9)], 0, 10)
    const gaps = m.drain(100).filter((e) => e.type === 'trace.gap')
    expect(gaps.map((g) => (g.type === 'trace.gap' ? [g.fromSeq, g.toSeq, g.missing] : []))).toEqual([
      [3, 5, 3],
      [8, 8, 1]
    ])
  })

  it('does not call a restart a gap, and ignores repeats', () => {
    const m = new TraceMerger(0)
    m.push(1, [rec(1, 1), rec(2, 2)], 0, 10)
    m.push(1, [rec(2, 2)], 0, 10)
    m.reset(1, 20)
    m.push(1, [rec(1, 30)], 0, 40)
    const out = m.drain(100)
    expect(out.map((e) => e.type)).toEqual(['raft', 'raft', 'trace.reset', 'raft'])
  })

  it('is bounded and counts what it drops', () => {
    const m = new TraceMerger(1000, 10)
    m.push(1, Array.from({ length: 25 }, (_, i) => rec(i + 1, i)), 0, 0)
    expect(m.buffered).toBe(10)
    expect(m.dropped).toBe(15)
  })
})

describe('MessageSampler', () => {
  it('passes every non-message event and at most N message events per node per second, reporting the rest', () => {
    const s = new MessageSampler(3)
    const reports: number[][] = []
    const report = (n: number, k: number, sk: number): void => void reports.push([n, k, sk])
    let kept = 0
    for (let i = 0; i < 10; i++) if (s.keep({ type: 'raft', nodeId: 1, nodeSeq: i, nodeTs: i, event: { type: 'msgSent', node: 1 }, at: i }, report)) kept++
    expect(kept).toBe(3)
    expect(s.keep({ type: 'raft', nodeId: 1, nodeSeq: 99, nodeTs: 5, event: { type: 'roleChanged', node: 1 }, at: 5 }, report)).toBe(true)
    s.keep({ type: 'raft', nodeId: 1, nodeSeq: 100, nodeTs: 2000, event: { type: 'msgSent', node: 1 }, at: 2000 }, report)
    expect(reports).toEqual([[1, 3, 7]])
  })
})

describe('TraceMerger watermark', () => {
  it('holds events until every node has been read past them, but never longer than maxHold', () => {
    const m = new TraceMerger(100, 1000, 1500)
    m.push(1, [rec(1, 1000)], 0, 1000)
    // Node 2 has only been read up to 900: node 1's event at 1000 must wait for it.
    expect(m.drain(1300, false, 900)).toEqual([])
    m.push(2, [rec(1, 950)], 0, 1400)
    expect(m.drain(1400, false, 1300).map((e) => e.nodeId)).toEqual([2, 1])
    m.push(1, [rec(2, 2000)], 0, 2000)
    expect(m.drain(3600, false, 1000).map((e) => e.nodeId)).toEqual([1])
  })
})
