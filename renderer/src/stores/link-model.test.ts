import { describe, expect, it } from 'vitest'
import { HEALTHY_LINK, type LabEvent, type LinkInfo } from '../../../electron/lab/api'
import { applyLinkEvents, cutCount, faultsOf, linkKey, linkState, majoritySplit, pairsOf, pairState } from './link-model'

const ev = (body: object): LabEvent => ({ seq: 1, ts: 0, ...body }) as LabEvent
const link = (from: number, to: number, fault = HEALTHY_LINK, kind: 'peer' | 'client' = 'peer'): LinkInfo =>
  ({ kind, from, to, listen: '', fault, stats: {} as never }) as LinkInfo

describe('linkState and pairState', () => {
  it('names each direction by its worst fault', () => {
    expect(linkState(undefined)).toBe('ok')
    expect(linkState(HEALTHY_LINK)).toBe('ok')
    expect(linkState({ ...HEALTHY_LINK, cut: 'reset', delayMs: 50 })).toBe('cut')
    expect(linkState({ ...HEALTHY_LINK, delayMs: 50 })).toBe('delayed')
    expect(linkState({ ...HEALTHY_LINK, jitterMs: 5 })).toBe('delayed')
    expect(linkState({ ...HEALTHY_LINK, dropPct: 10 })).toBe('lossy')
    expect(linkState({ ...HEALTHY_LINK, delayMs: 10, dropPct: 10 })).toBe('degraded')
  })

  it('tells a one-way cut from a full one', () => {
    expect(pairState('cut', 'cut')).toBe('cut')
    expect(pairState('cut', 'ok')).toBe('oneWay')
    expect(pairState('ok', 'cut')).toBe('oneWay')
    expect(pairState('ok', 'ok')).toBe('ok')
    expect(pairState('delayed', 'ok')).toBe('degraded')
  })
})

describe('faults', () => {
  it('keeps only faulty peer links from a list', () => {
    const m = faultsOf([link(1, 2), link(2, 1, { ...HEALTHY_LINK, cut: 'blackhole' }), link(0, 1, { ...HEALTHY_LINK, cut: 'reset' }, 'client')])
    expect([...m.keys()]).toEqual([linkKey(2, 1)])
  })

  it('folds fault and heal events, and starts clean for a new run', () => {
    const empty = new Map()
    const cut = applyLinkEvents(empty, [
      ev({ type: 'link.fault', kind: 'peer', from: 1, to: 2, fault: { ...HEALTHY_LINK, cut: 'blackhole' } }),
      ev({ type: 'link.fault', kind: 'peer', from: 2, to: 1, fault: { ...HEALTHY_LINK, delayMs: 100 } })
    ])
    expect(cut.get(linkKey(1, 2))?.cut).toBe('blackhole')
    expect(cut.get(linkKey(2, 1))?.delayMs).toBe(100)
    const healed = applyLinkEvents(cut, [ev({ type: 'link.healed', kind: 'peer', from: 1, to: 2 })])
    expect(healed.has(linkKey(1, 2))).toBe(false)
    expect(healed.has(linkKey(2, 1))).toBe(true)
    // Unrelated events leave the very same map.
    expect(applyLinkEvents(healed, [ev({ type: 'node.ready', nodeId: 1, pid: 1, readyMs: 1 })])).toBe(healed)
    expect(applyLinkEvents(healed, [ev({ type: 'link.fault', kind: 'client', from: 0, to: 1, fault: HEALTHY_LINK })])).toBe(healed)
    expect(applyLinkEvents(healed, [ev({ type: 'cluster.created', cluster: {} })]).size).toBe(0)
  })

  it('counts cut links around a node (isolated when all are cut)', () => {
    const m = applyLinkEvents(new Map(), [1, 2].flatMap((p) => [
      ev({ type: 'link.fault', kind: 'peer', from: 3, to: p, fault: { ...HEALTHY_LINK, cut: 'blackhole' } }),
      ev({ type: 'link.fault', kind: 'peer', from: p, to: 3, fault: { ...HEALTHY_LINK, cut: 'blackhole' } })
    ]))
    expect(cutCount(m, 3, [1, 2, 3])).toEqual({ out: 2, in: 2 })
    expect(cutCount(m, 1, [1, 2, 3])).toEqual({ out: 1, in: 1 })
  })
})

describe('pairs and splits', () => {
  it('lists each unordered pair once', () => {
    expect(pairsOf([3, 1, 2])).toEqual([
      [1, 2],
      [1, 3],
      [2, 3]
    ])
    expect(pairsOf([1])).toEqual([])
  })

  it('splits a majority from a minority', () => {
    expect(majoritySplit([1, 2, 3, 4, 5])).toEqual([
      [1, 2, 3],
      [4, 5]
    ])
    expect(majoritySplit([1, 2, 3, 4])).toEqual([[1, 2, 3], [4]])
    expect(majoritySplit([1, 2, 3])).toEqual([[1, 2], [3]])
    expect(majoritySplit([1, 2])).toBeNull()
  })
})
