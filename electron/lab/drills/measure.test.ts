import { describe, expect, it } from 'vitest'
import type { HistoryOp } from '../workload/history'
import { countByPhase, leaderChanges, leaderlessWindows, longestWriteGap, timeToFirstAck } from './measure'

const w = (invokeAt: number, completeAt: number, outcome: HistoryOp['outcome'] = 'ok'): HistoryOp => ({ id: invokeAt, client: 1, node: '1', kind: 'write', key: 'k', value: `v${invokeAt}`, invokeAt, completeAt, outcome })

describe('drill measurements', () => {
  const samples = [
    { at: 0, leader: 1, term: 2 },
    { at: 100, leader: 1, term: 2 },
    { at: 150, leader: null, term: 2 },
    { at: 200, leader: null, term: 3 },
    { at: 380, leader: 2, term: 3 },
    { at: 500, leader: 2, term: 3 }
  ]

  it('finds leaderless windows and leader changes with their gaps', () => {
    expect(leaderlessWindows(samples, 600)).toEqual([{ from: 150, to: 380, ms: 230 }])
    expect(leaderlessWindows([...samples, { at: 550, leader: null, term: 3 }], 600)).toEqual([
      { from: 150, to: 380, ms: 230 },
      { from: 550, to: 600, ms: 50 }
    ])
    expect(leaderChanges(samples)).toEqual([{ at: 380, from: 1, to: 2, term: 3, gapMs: 280 }])
  })

  it('times the first acknowledged write after a fault and the longest write gap', () => {
    const h = [w(0, 10), w(90, 110), w(120, 900, 'unknown'), w(130, 400, 'fail'), w(300, 420), w(430, 450)]
    expect(timeToFirstAck(h, 115)).toBe(305)
    expect(timeToFirstAck(h, 1000)).toBeNull()
    expect(longestWriteGap(h, 0, 500)).toEqual({ from: 110, to: 420, ms: 310 })
    expect(longestWriteGap([], 0, 500)).toEqual({ from: 0, to: 500, ms: 500 })
  })

  it('counts outcomes by phase', () => {
    const h = [w(0, 10), w(90, 110), w(120, 900, 'unknown'), w(130, 400, 'fail'), w(300, 420)]
    expect(countByPhase(h, [{ phase: 'before', from: 0, to: 115 }, { phase: 'fault', from: 115, to: 1000 }]).map((p) => [p.phase, p.ok, p.fail, p.unknown])).toEqual([
      ['before', 2, 0, 0],
      ['fault', 1, 1, 1]
    ])
  })
})
