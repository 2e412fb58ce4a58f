import { describe, expect, it } from 'vitest'
import { History, historyProblems, type HistoryOp } from './history'

describe('History', () => {
  const clock = (): { now: () => number; advance: (ms: number) => void } => {
    let t = 1000
    return { now: () => t, advance: (ms) => (t += ms) }
  }

  it('records invoke and completion, and sinks one NDJSON line per op when it completes', () => {
    const c = clock()
    const lines: string[] = []
    const h = new History({ now: c.now, sink: (l) => lines.push(l) })
    const v = h.nextValue(3)
    const w = h.invoke({ client: 3, node: '1', kind: 'write', key: 'k', value: v })
    expect(w).toMatchObject({ id: 1, outcome: 'unknown', invokeAt: 1000 })
    expect(w.completeAt).toBeUndefined()
    expect(lines).toEqual([])
    c.advance(5)
    h.complete(w, 'ok')
    h.complete(w, 'fail') // a second completion is ignored
    const r = h.invoke({ client: 4, node: '2', kind: 'read', key: 'k' })
    h.complete(r, 'ok', { result: null })
    expect(lines.map((l) => JSON.parse(l) as HistoryOp)).toEqual([
      { id: 1, client: 3, node: '1', kind: 'write', key: 'k', value: 'c3-1', invokeAt: 1000, completeAt: 1005, outcome: 'ok' },
      { id: 2, client: 4, node: '2', kind: 'read', key: 'k', invokeAt: 1005, completeAt: 1005, outcome: 'ok', result: null }
    ])
  })

  it('gives unique values per client and writes open ops out as unknown at the end', () => {
    const lines: string[] = []
    const h = new History({ sink: (l) => lines.push(l) })
    expect([h.nextValue(1), h.nextValue(1), h.nextValue(2)]).toEqual(['c1-1', 'c1-2', 'c2-1'])
    h.invoke({ client: 1, node: '1', kind: 'write', key: 'k', value: 'c1-3' })
    expect(h.pending).toBe(1)
    expect(h.closeOpen()).toBe(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ outcome: 'unknown' })
    expect(JSON.parse(lines[0]!).completeAt).toBeUndefined()
  })

  it('keeps at most capacity ops in memory, counting the dropped', () => {
    const h = new History({ capacity: 3 })
    for (let i = 0; i < 5; i++) h.complete(h.invoke({ client: 1, node: '1', kind: 'read', key: 'k' }), 'ok')
    expect(h.ops().map((o) => o.id)).toEqual([3, 4, 5])
    expect(h.dropped).toBe(2)
  })

  it('survives a sink that throws', () => {
    const h = new History({
      sink: () => {
        throw new Error('disk full')
      }
    })
    expect(() => h.complete(h.invoke({ client: 1, node: '1', kind: 'read', key: 'k' }), 'ok')).not.toThrow()
  })
})

describe('historyProblems', () => {
  const op = (o: Partial<HistoryOp>): HistoryOp => ({ id: 1, client: 1, node: '1', kind: 'write', key: 'k', value: 'c1-1', invokeAt: 10, completeAt: 20, outcome: 'ok', ...o })

  it('accepts a well-formed history and names each kind of problem', () => {
    expect(historyProblems([op({}), op({ id: 2, value: 'c1-2' }), op({ id: 3, key: 'j' })])).toEqual([])
    expect(historyProblems([op({ completeAt: 5 })])).toEqual(['op 1 completes before it was invoked'])
    expect(historyProblems([op({ completeAt: undefined })])).toEqual(['op 1 is ok without completeAt'])
    expect(historyProblems([op({}), op({ id: 2 })])).toEqual(['write 2 repeats value c1-1 of op 1 on k'])
    expect(historyProblems([op({ value: undefined })])).toEqual(['write 1 has no value'])
  })
})
