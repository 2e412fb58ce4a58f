import { describe, expect, it } from 'vitest'
import { UsageError } from './args'
import { parseFaultArgs } from './fault-args'

describe('parseFaultArgs', () => {
  it('parses node actions with ids, leader and follower', () => {
    expect(parseFaultArgs(['crash', 'leader'])).toEqual({ kind: 'node', action: 'crash', node: { kind: 'leader' } })
    expect(parseFaultArgs(['pause', '2'])).toEqual({ kind: 'node', action: 'pause', node: { kind: 'id', id: 2 } })
    expect(parseFaultArgs(['wipe', 'follower'])).toEqual({ kind: 'node', action: 'wipe', node: { kind: 'follower' } })
    expect(parseFaultArgs(['transfer', '3'])).toEqual({ kind: 'node', action: 'transfer', node: { kind: 'id', id: 3 } })
  })

  it('parses partition shapes', () => {
    expect(parseFaultArgs(['partition', 'isolate', 'leader'])).toEqual({ kind: 'isolate', node: { kind: 'leader' }, cut: 'blackhole' })
    expect(parseFaultArgs(['partition', 'split', '3+2', '--cut', 'reset'])).toEqual({ kind: 'split', sizes: [3, 2], cut: 'reset' })
    expect(parseFaultArgs(['partition', 'split', '1,2,3/4,5'])).toEqual({ kind: 'split', groups: [[1, 2, 3], [4, 5]], cut: 'blackhole' })
    expect(parseFaultArgs(['partition', 'split'])).toEqual({ kind: 'split', cut: 'blackhole' })
    expect(parseFaultArgs(['partition', 'ring'])).toEqual({ kind: 'ring', cut: 'blackhole' })
    expect(parseFaultArgs(['partition', 'one-way', '1', '2'])).toEqual({ kind: 'oneWay', from: 1, to: 2, cut: 'blackhole' })
  })

  it('parses link and client faults', () => {
    expect(parseFaultArgs(['link', '1', '2', '--delay', '100', '--jitter', '20', '--drop', '10'])).toEqual({
      kind: 'link',
      from: 1,
      to: 2,
      fault: { cut: 'none', delayMs: 100, jitterMs: 20, dropPct: 10 }
    })
    expect(parseFaultArgs(['client', 'leader', '--cut', 'blackhole'])).toEqual({ kind: 'client', node: { kind: 'leader' }, fault: { cut: 'blackhole' } })
  })

  it('parses heal', () => {
    expect(parseFaultArgs(['heal'])).toEqual({ kind: 'heal' })
    expect(parseFaultArgs(['heal', 'all'])).toEqual({ kind: 'heal' })
    expect(parseFaultArgs(['heal', '1', '3'])).toEqual({ kind: 'heal', from: 1, to: 3 })
  })

  it('refuses bad input with a message that names the problem', () => {
    const cases: [string[], RegExp][] = [
      [[], /needs an action/],
      [['explode', '1'], /unknown fault action "explode"/],
      [['crash'], /missing <node>/],
      [['crash', 'x'], /node id, "leader" or "follower", got "x"/],
      [['crash', '1', '2'], /unexpected argument "2"/],
      [['partition', 'donut'], /partition shape must be/],
      [['partition', 'split', '3-2'], /3\+2/],
      [['partition', 'one-way', '1', '1'], /two different nodes/],
      [['link', '1', '2', '--cut', 'maybe'], /--cut must be one of none, blackhole, reset/],
      [['link', '1', '2', '--drop', '150'], /--drop must be a whole number from 0 to 100/],
      [['client', '1', '--dup', '5'], /--dup does not apply to client links/],
      [['heal', '1'], /<to> must be a node id/]
    ]
    for (const [argv, msg] of cases) {
      expect(() => parseFaultArgs(argv), argv.join(' ')).toThrow(UsageError)
      expect(() => parseFaultArgs(argv), argv.join(' ')).toThrow(msg)
    }
  })
})

describe('splitGroups and resolveSelector', () => {
  it('splits lowest ids first and refuses sizes that do not add up', async () => {
    const { splitGroups } = await import('./fault-args')
    expect(splitGroups([5, 4, 3, 2, 1], [3, 2])).toEqual([[1, 2, 3], [4, 5]])
    expect(() => splitGroups([1, 2, 3], [3, 2])).toThrow(/does not fit a 3-node cluster/)
  })

  it('picks the leader with the highest term, a follower, or checks an id', async () => {
    const { resolveSelector } = await import('./fault-args')
    const views = [
      { nodeId: 1, role: 'leader', term: 2 },
      { nodeId: 2, role: 'leader', term: 5 },
      { nodeId: 3, role: 'follower', term: 5 },
      { nodeId: 4, role: null, term: 0 }
    ]
    expect(resolveSelector({ kind: 'leader' }, views)).toBe(2)
    expect(resolveSelector({ kind: 'follower' }, views)).toBe(3)
    expect(resolveSelector({ kind: 'id', id: 4 }, views)).toBe(4)
    expect(() => resolveSelector({ kind: 'id', id: 9 }, views)).toThrow(/no node 9/)
    expect(() => resolveSelector({ kind: 'leader' }, [{ nodeId: 1, role: 'candidate', term: 3 }])).toThrow(/no node is leader/)
  })
})
