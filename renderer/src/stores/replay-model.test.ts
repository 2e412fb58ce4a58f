import { describe, expect, it } from 'vitest'
import type { LabEvent } from '../../../electron/lab/api'
import { makeCluster } from '../testing/fake-lab'
import { advanceClock, EventQueue, formatBytes, formatOffset, freshEvent, LOW_WATER, needsMoreFor, seekDirection, shouldLoad, stepSpeed, isSpeed } from './replay-model'

const span = { startedAt: 1000, endedAt: 61_000 }
const ev = (seq: number, ts: number): LabEvent => ({ type: 'cluster.state', state: 'running', seq, ts })

describe('the replay clock', () => {
  it('moves by elapsed × speed and stops at the end of the run', () => {
    expect(advanceClock(1000, 100, 1, span, null)).toBe(1100)
    expect(advanceClock(1000, 100, 60, span, null)).toBe(7000)
    expect(advanceClock(1000, 100, 0.5, span, null)).toBe(1050)
    expect(advanceClock(60_900, 1000, 10, span, null)).toBe(61_000)
    expect(advanceClock(5000, -50, 1, span, null)).toBe(5000)
  })

  it('never outruns the loaded events while pages remain, and never goes back', () => {
    expect(advanceClock(1000, 1000, 10, span, 4000)).toBe(4000)
    expect(advanceClock(5000, 1000, 10, span, 4000)).toBe(5000)
    expect(advanceClock(1000, 100, 1, span, 4000)).toBe(1100)
  })

  it('steps through the speeds and knows them', () => {
    expect(stepSpeed(1, 1)).toBe(2)
    expect(stepSpeed(60, 1)).toBe(60)
    expect(stepSpeed(0.5, -1)).toBe(0.5)
    expect(stepSpeed(10, -1)).toBe(5)
    expect(isSpeed(60)).toBe(true)
    expect(isSpeed(3)).toBe(false)
  })

  it('formats offsets as m:ss.s, and h:mm:ss past an hour', () => {
    expect(formatOffset(0)).toBe('0:00.0')
    expect(formatOffset(5_250)).toBe('0:05.3')
    expect(formatOffset(65_000)).toBe('1:05.0')
    expect(formatOffset(3_725_000)).toBe('1:02:05')
    expect(formatOffset(-5)).toBe('0:00.0')
  })

  it('formats sizes', () => {
    expect(formatBytes(812)).toBe('812 B')
    expect(formatBytes(48_213)).toBe('47.1 KB')
    expect(formatBytes(3_250_000)).toBe('3.1 MB')
  })
})

describe('seeking and paging', () => {
  it('goes back by starting over, forward by pushing on', () => {
    expect(seekDirection(5000, 9000)).toBe('forward')
    expect(seekDirection(5000, 1000)).toBe('backward')
    expect(seekDirection(5000, 5000)).toBe('none')
  })

  it('loads the next page when the queue runs low, one at a time, until the last', () => {
    expect(shouldLoad(0, 5, false)).toBe(true)
    expect(shouldLoad(LOW_WATER - 1, 5, false)).toBe(true)
    expect(shouldLoad(LOW_WATER, 5, false)).toBe(false)
    expect(shouldLoad(0, 5, true)).toBe(false)
    expect(shouldLoad(0, null, false)).toBe(false)
  })

  it('a seek loads on while the loaded events stop at or before the target', () => {
    expect(needsMoreFor(5000, 4000, 10)).toBe(true)
    expect(needsMoreFor(5000, 5000, 10)).toBe(true)
    expect(needsMoreFor(5000, 5001, 10)).toBe(false)
    expect(needsMoreFor(5000, null, 10)).toBe(true)
    expect(needsMoreFor(5000, 4000, null)).toBe(false)
  })
})

describe('EventQueue', () => {
  it('hands out events whose time has come, in order, and keeps the rest', () => {
    const q = new EventQueue()
    q.push([ev(1, 10), ev(2, 20), ev(3, 20), ev(4, 30)])
    expect(q.takeUpTo(5)).toEqual([])
    expect(q.takeUpTo(20).map((e) => e.seq)).toEqual([1, 2, 3])
    expect(q.size).toBe(1)
    expect(q.lastTs).toBe(30)
    q.push([ev(5, 40)])
    expect(q.takeUpTo(100, 1).map((e) => e.seq)).toEqual([4])
    expect(q.takeUpTo(100).map((e) => e.seq)).toEqual([5])
    expect(q.size).toBe(0)
    expect(q.lastTs).toBeNull()
  })

  it('stays correct across many pushes and takes (its consumed head is dropped)', () => {
    const q = new EventQueue()
    let seq = 0
    const out: number[] = []
    for (let page = 0; page < 50; page++) {
      q.push(Array.from({ length: 100 }, () => ev(++seq, seq)))
      out.push(...q.takeUpTo(seq - 50).map((e) => e.seq))
    }
    out.push(...q.takeUpTo(Infinity).map((e) => e.seq))
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1))
  })
})

describe('freshEvent', () => {
  it('copies what a store could change, so a seek back starts from the recording', () => {
    const created: LabEvent = { type: 'cluster.created', cluster: makeCluster(3), seq: 1, ts: 1 }
    const copy = freshEvent(created)
    expect(copy).toEqual(created)
    if (copy.type === 'cluster.created') copy.cluster.nodes[1]!.state = 'down'
    if (created.type === 'cluster.created') expect(created.cluster.nodes[1]!.state).toBe('stopped')
    const raft: LabEvent = { type: 'raft', nodeId: 1, nodeSeq: 1, nodeTs: 1, event: { type: 'msgSent', node: 1 }, seq: 2, ts: 1 }
    expect(freshEvent(raft)).toBe(raft)
  })
})
