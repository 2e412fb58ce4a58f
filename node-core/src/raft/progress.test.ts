import { describe, expect, it } from 'vitest'
import { Inflights, Progress } from './progress'
import { RaftInvariantError } from './types'

/** A progress in a given state with given match/next, built through the public transitions. */
function progress(opts: { state?: 'probe' | 'replicate' | 'snapshot'; match?: number; next?: number; inflight?: number; pending?: number }): Progress {
  const pr = new Progress(opts.next ?? 1, opts.inflight ?? 256, false)
  pr.match = opts.match ?? 0
  if (opts.next !== undefined) pr.next = opts.next
  if (opts.state === 'replicate') {
    pr.becomeReplicate()
    if (opts.next !== undefined) pr.next = opts.next
  } else if (opts.state === 'snapshot') {
    pr.becomeSnapshot(opts.pending ?? 0)
  }
  return pr
}

describe('Inflights', () => {
  it('fills up to its size and refuses more', () => {
    const in3 = new Inflights(3)
    expect(in3.full()).toBe(false)
    in3.add(5)
    in3.add(7)
    expect(in3.count()).toBe(2)
    expect(in3.full()).toBe(false)
    in3.add(9)
    expect(in3.full()).toBe(true)
    expect(() => in3.add(10)).toThrow(RaftInvariantError)
  })

  it('freeLE frees every append up to and including the index', () => {
    const inf = new Inflights(10)
    for (const i of [3, 5, 8, 12, 20]) inf.add(i)
    inf.freeLE(2)
    expect(inf.count()).toBe(5)
    inf.freeLE(5)
    expect(inf.count()).toBe(3)
    inf.freeLE(11) // between 8 and 12: frees 8 only
    expect(inf.count()).toBe(2)
    inf.freeLE(100)
    expect(inf.count()).toBe(0)
    // Freeing more than is there is harmless.
    inf.freeLE(200)
    expect(inf.count()).toBe(0)
  })

  it('freeFirstOne frees only the oldest append (the heartbeat-response escape from a full window)', () => {
    const inf = new Inflights(3)
    for (const i of [4, 6, 9]) inf.add(i)
    inf.freeFirstOne()
    expect(inf.count()).toBe(2)
    expect(inf.full()).toBe(false)
    // what is left is still 6 and 9: freeing up to 6 leaves one
    inf.freeLE(6)
    expect(inf.count()).toBe(1)
    inf.freeFirstOne()
    inf.freeFirstOne() // on an empty window: harmless
    expect(inf.count()).toBe(0)
  })

  it('freeing makes room again, and reset empties it', () => {
    const inf = new Inflights(2)
    inf.add(1)
    inf.add(2)
    expect(inf.full()).toBe(true)
    inf.freeLE(1)
    expect(inf.full()).toBe(false)
    inf.add(3)
    expect(inf.full()).toBe(true)
    inf.reset()
    expect(inf.count()).toBe(0)
    expect(inf.full()).toBe(false)
  })
})

describe('Progress state transitions', () => {
  it('starts in probe, unpaused, with next as given', () => {
    const pr = new Progress(11, 4, true)
    expect(pr.status()).toEqual({
      match: 0,
      next: 11,
      state: 'probe',
      inflight: 0,
      paused: false,
      pendingSnapshot: 0,
      recentActive: false,
      isLearner: true
    })
  })

  it('becomeReplicate sets next to match+1 and clears inflights and the pause', () => {
    const pr = progress({ match: 4, next: 9 })
    pr.msgAppFlowPaused = true
    pr.becomeReplicate()
    expect(pr.state).toBe('replicate')
    expect(pr.next).toBe(5)
    expect(pr.msgAppFlowPaused).toBe(false)
    expect(pr.isPaused()).toBe(false)
  })

  it('becomeProbe from replicate goes back to match+1 and drops inflights', () => {
    const pr = progress({ state: 'replicate', match: 3 })
    pr.sentEntries(2)
    pr.sentEntries(3)
    expect(pr.next).toBe(9)
    expect(pr.inflights.count()).toBe(2)
    pr.becomeProbe()
    expect(pr.state).toBe('probe')
    expect(pr.next).toBe(4)
    expect(pr.inflights.count()).toBe(0)
  })

  it('becomeProbe from snapshot resumes after the pending snapshot (or match, if higher)', () => {
    const a = progress({ match: 1, next: 2 })
    a.becomeSnapshot(10)
    expect(a.state).toBe('snapshot')
    expect(a.pendingSnapshot).toBe(10)
    a.becomeProbe()
    expect(a.next).toBe(11)
    expect(a.pendingSnapshot).toBe(0)

    const b = progress({ match: 15, next: 16 })
    b.becomeSnapshot(10)
    b.becomeProbe()
    expect(b.next).toBe(16)

    // A failed snapshot (pendingSnapshot reset to 0 first, as MsgSnapStatus reject does) probes after match.
    const c = progress({ match: 1, next: 2 })
    c.becomeSnapshot(10)
    c.pendingSnapshot = 0
    c.becomeProbe()
    expect(c.next).toBe(2)
  })

  it('snapshot state is always paused and refuses to send appends', () => {
    const pr = progress({ match: 1, next: 2 })
    pr.becomeSnapshot(5)
    expect(pr.isPaused()).toBe(true)
    expect(() => pr.sentEntries(1)).toThrow(RaftInvariantError)
  })
})

describe('Progress.sentEntries and isPaused', () => {
  it('probe: one non-empty append pauses until an answer; empty ones do not', () => {
    const pr = progress({ match: 0, next: 1 })
    pr.sentEntries(0)
    expect(pr.isPaused()).toBe(false)
    pr.sentEntries(3)
    expect(pr.isPaused()).toBe(true)
    // probe does not move next optimistically
    expect(pr.next).toBe(1)
    // an ack unpauses
    expect(pr.maybeUpdate(2)).toBe(true)
    expect(pr.isPaused()).toBe(false)
  })

  it('replicate: pipelines appends (next moves optimistically) until inflights are full', () => {
    const pr = progress({ state: 'replicate', match: 0, inflight: 3 })
    expect(pr.next).toBe(1)
    pr.sentEntries(2) // 1..2
    pr.sentEntries(0) // an empty append does not take a slot
    pr.sentEntries(1) // 3
    expect(pr.next).toBe(4)
    expect(pr.isPaused()).toBe(false)
    pr.sentEntries(5) // 4..8
    expect(pr.next).toBe(9)
    expect(pr.isPaused()).toBe(true)
    expect(pr.status().inflight).toBe(3)
    // msgAppFlowPaused is a probe-only flag: clearing it does not unpause a full window
    pr.msgAppFlowPaused = false
    expect(pr.isPaused()).toBe(true)
    pr.inflights.freeLE(3)
    expect(pr.isPaused()).toBe(false)
  })
})

describe('Progress.maybeUpdate', () => {
  it('moves match (and next, keeping match < next) only forward', () => {
    const pr = progress({ match: 5, next: 6 })
    expect(pr.maybeUpdate(4)).toBe(false)
    expect(pr.match).toBe(5)
    expect(pr.maybeUpdate(5)).toBe(false)
    expect(pr.maybeUpdate(9)).toBe(true)
    expect(pr.match).toBe(9)
    expect(pr.next).toBe(10)
  })

  it('does not pull next back when next is already ahead (replicate pipelining)', () => {
    const pr = progress({ state: 'replicate', match: 2 })
    pr.sentEntries(10) // next = 13
    expect(pr.maybeUpdate(5)).toBe(true)
    expect(pr.match).toBe(5)
    expect(pr.next).toBe(13)
  })
})

describe('Progress.maybeDecrTo', () => {
  it('replicate: a rejection at or below match is stale; otherwise next falls back to match+1', () => {
    const pr = progress({ state: 'replicate', match: 5, next: 10 })
    expect(pr.maybeDecrTo(5, 5)).toBe(false)
    expect(pr.maybeDecrTo(4, 0)).toBe(false)
    expect(pr.next).toBe(10)
    // the hint is ignored in replicate: the leader goes to probe and starts after match
    expect(pr.maybeDecrTo(9, 2)).toBe(true)
    expect(pr.next).toBe(6)
  })

  it('probe: only a rejection of the append at next-1 counts', () => {
    const pr = progress({ match: 0, next: 10 })
    expect(pr.maybeDecrTo(8, 8)).toBe(false) // not next-1: an old probe
    expect(pr.maybeDecrTo(10, 8)).toBe(false)
    expect(pr.next).toBe(10)
  })

  it('probe: uses the follower hint to jump back, never below match+1, and unpauses', () => {
    const pr = progress({ match: 0, next: 10 })
    pr.sentEntries(1)
    expect(pr.isPaused()).toBe(true)
    expect(pr.maybeDecrTo(9, 3)).toBe(true)
    expect(pr.next).toBe(4) // hint+1
    expect(pr.isPaused()).toBe(false)

    // a hint above the rejected index cannot move next forward past `rejected`
    const up = progress({ match: 0, next: 10 })
    expect(up.maybeDecrTo(9, 50)).toBe(true)
    expect(up.next).toBe(9)

    // never below match+1
    const floor = progress({ match: 5, next: 10 })
    expect(floor.maybeDecrTo(9, 1)).toBe(true)
    expect(floor.next).toBe(6)

    // hint 0 (an empty follower log) goes back to 1
    const empty = progress({ match: 0, next: 3 })
    expect(empty.maybeDecrTo(2, 0)).toBe(true)
    expect(empty.next).toBe(1)
  })
})

describe('Progress.status', () => {
  it('reports the paused flag and inflight count as seen by the leader', () => {
    const pr = progress({ state: 'replicate', match: 0, inflight: 1 })
    pr.recentActive = true
    pr.sentEntries(4)
    expect(pr.status()).toEqual({
      match: 0,
      next: 5,
      state: 'replicate',
      inflight: 1,
      paused: true,
      pendingSnapshot: 0,
      recentActive: true,
      isLearner: false
    })
  })
})
