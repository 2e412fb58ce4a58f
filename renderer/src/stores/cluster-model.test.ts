import { describe, expect, it } from 'vitest'
import { makeCluster, makeNode, stamp } from '../testing/fake-lab'
import { applyEvent, countUp, majorityOf, mergeCluster, mergeNode, toleratedFailures } from './cluster-model'

describe('quorum arithmetic', () => {
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [7, 4, 3],
    [9, 5, 4]
  ])('%i nodes: majority %i, tolerates %i failures', (size, majority, tolerated) => {
    expect(majorityOf(size)).toBe(majority)
    expect(toleratedFailures(size)).toBe(tolerated)
  })

  it('counts nodes that are up, and none without a cluster', () => {
    const c = makeCluster(3, { nodes: [makeNode(1, { state: 'up' }), makeNode(2, { state: 'starting' }), makeNode(3, { state: 'up' })] })
    expect(countUp(c)).toBe(2)
    expect(countUp(null)).toBe(0)
  })
})

describe('applyEvent', () => {
  it('ignores node events before any cluster and for unknown nodes', () => {
    expect(applyEvent(null, stamp({ type: 'node.ready', nodeId: 1, pid: 1, readyMs: 1 }))).toBeNull()
    const c = makeCluster(1)
    const before = JSON.stringify(c)
    expect(applyEvent(c, stamp({ type: 'node.ready', nodeId: 7, pid: 1, readyMs: 1 }))).toBe(c)
    expect(JSON.stringify(c)).toBe(before)
  })

  it('pauses and resumes a node (the same process only), and follows settings', () => {
    const c = makeCluster(2, { nodes: [makeNode(1, { state: 'up', pid: 11 }), makeNode(2, { state: 'up', pid: 12 })] })
    applyEvent(c, stamp({ type: 'node.paused', nodeId: 1, pid: 11 }))
    expect(c.nodes[0]!.state).toBe('paused')
    applyEvent(c, stamp({ type: 'node.paused', nodeId: 2, pid: 99 }))
    expect(c.nodes[1]!.state).toBe('up')
    applyEvent(c, stamp({ type: 'node.resumed', nodeId: 1, pid: 11, pausedMs: 900 }))
    expect(c.nodes[0]!.state).toBe('up')
    applyEvent(c, stamp({ type: 'cluster.settings', settings: { profile: 'teaching', preVote: false, checkQuorum: true } }))
    expect(c.settings).toEqual({ profile: 'teaching', preVote: false, checkQuorum: true })
  })

  it('drops a removed member and shrinks the cluster', () => {
    const c = makeCluster(3)
    applyEvent(c, stamp({ type: 'member.removed', nodeId: 2, address: c.nodes[1]!.address }))
    expect(c.nodes.map((n) => n.id)).toEqual([1, 3])
    expect(c.size).toBe(2)
  })

  it('returns a copy of the announced cluster on cluster.created, leaving the event as it was', () => {
    const next = makeCluster(5, { runId: 'other' })
    const event = stamp({ type: 'cluster.created', cluster: next })
    const kept = applyEvent(makeCluster(3), event)!
    expect(kept).toEqual(next)
    // Later events change what the store keeps, never the event other subscribers (and a replay) see.
    applyEvent(kept, stamp({ type: 'node.spawned', nodeId: 2, pid: 42 }))
    expect(kept.nodes[1]!.pid).toBe(42)
    expect(next.nodes[1]!.pid).toBeNull()
  })
})

describe('mergeNode / mergeCluster', () => {
  it('keeps what events said when they saw a later transition than the snapshot', () => {
    const current = makeNode(1, { state: 'down', pid: null, startedAt: 100, lastExit: { code: null, signal: 'SIGKILL', at: 200, expected: false } })
    const stale = makeNode(1, { state: 'up', pid: 9, startedAt: 100 })
    expect(mergeNode(current, stale)).toMatchObject({ state: 'down', pid: null })
  })

  it('takes the snapshot when it is as new or newer', () => {
    const current = makeNode(1, { state: 'starting', pid: 9, startedAt: 100 })
    const fresh = makeNode(1, { state: 'up', pid: 9, startedAt: 100 })
    expect(mergeNode(current, fresh)).toBe(fresh)
    expect(mergeNode(undefined, fresh)).toBe(fresh)
  })

  it('replaces a different run wholesale and merges the same run node by node', () => {
    const current = makeCluster(2, { runId: 'a', nodes: [makeNode(1, { state: 'down', lastExit: { code: 1, signal: null, at: 500, expected: false } }), makeNode(2)] })
    const other = makeCluster(2, { runId: 'b', state: 'running' })
    expect(mergeCluster(current, other)).toBe(other)
    const same = makeCluster(2, { runId: 'a', state: 'running', nodes: [makeNode(1, { state: 'up', startedAt: 100 }), makeNode(2, { state: 'up', startedAt: 100 })] })
    const merged = mergeCluster(current, same)
    expect(merged.state).toBe('running')
    expect(merged.nodes.map((n) => n.state)).toEqual(['down', 'up'])
  })
})

describe('isLogWorthy', () => {
  it('keeps lifecycle and role changes, leaves streams to their views', async () => {
    const { isLogWorthy } = await import('./cluster')
    const base = { seq: 1, ts: 1 }
    expect(isLogWorthy({ ...base, type: 'node.exited', nodeId: 1, pid: 2, code: null, signal: 'SIGKILL', expected: false })).toBe(true)
    expect(isLogWorthy({ ...base, type: 'raft', nodeId: 1, nodeSeq: 1, nodeTs: 1, event: { type: 'roleChanged', node: 1 } })).toBe(true)
    expect(isLogWorthy({ ...base, type: 'raft', nodeId: 1, nodeSeq: 2, nodeTs: 1, event: { type: 'msgSent', node: 1 } })).toBe(false)
    expect(isLogWorthy({ ...base, type: 'trace.sampled', nodeId: 1, kept: 1, skipped: 2 })).toBe(false)
  })
})
