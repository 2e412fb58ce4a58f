import { describe, expect, it } from 'vitest'
import { MAX_BATCH } from './commands'
import { planHealth, type HealthPlanInput } from './health'
import { instanceIdOf, type InstanceKey } from './model'
import { NamingState } from './naming'
import { inst, reg, TS } from './testing/builders'

const beats = (m: Record<string, number>) => (k: InstanceKey) => m[instanceIdOf(k)]
const id = (over: Partial<InstanceKey> = {}) => instanceIdOf(inst(over))
const plan = (s: NamingState, over: Partial<HealthPlanInput>) => planHealth(s, { now: TS, lastBeat: () => undefined, graceStart: 0, ...over })

describe('planHealth', () => {
  it('does nothing while beats are fresh', () => {
    const s = new NamingState()
    s.register(reg(), 1)
    expect(plan(s, { now: TS + 60_000, lastBeat: beats({ [id()]: TS + 50_000 }) })).toEqual({})
  })

  it('marks unhealthy after more than 15 s without a beat (strictly more, as Nacos)', () => {
    const s = new NamingState()
    s.register(reg(), 1)
    expect(plan(s, { now: TS + 15_000 })).toEqual({})
    expect(plan(s, { now: TS + 15_001 })).toEqual({
      setHealth: { op: 'naming.setHealth', ts: TS + 15_001, changes: [{ ...inst(), healthy: false, revision: 1 }] }
    })
  })

  it('does not re-mark an instance that is already unhealthy', () => {
    const s = new NamingState()
    s.register(reg({ healthy: false }), 1)
    expect(plan(s, { now: TS + 20_000 })).toEqual({})
  })

  it('expires after more than 30 s, guarded by the revision', () => {
    const s = new NamingState()
    s.register(reg(), 4)
    expect(plan(s, { now: TS + 30_001 })).toEqual({ expire: { op: 'naming.expire', ts: TS + 30_001, targets: [{ ...inst(), revision: 4 }] } })
  })

  it('brings an unhealthy instance back on a beat after it went unhealthy', () => {
    const s = new NamingState()
    s.register(reg(), 1)
    s.setHealth({ op: 'naming.setHealth', ts: TS + 16_000, changes: [{ ...inst(), healthy: false }] })
    expect(plan(s, { now: TS + 17_000, lastBeat: beats({ [id()]: TS + 5_000 }) })).toEqual({}) // old beat
    expect(plan(s, { now: TS + 17_000, lastBeat: beats({ [id()]: TS + 16_500 }) })).toEqual({
      setHealth: { op: 'naming.setHealth', ts: TS + 17_000, changes: [{ ...inst(), healthy: true, revision: 1 }] }
    })
  })

  it('counts a register as a sign of life, and gives a new leader a grace period', () => {
    const s = new NamingState()
    s.register(reg({ ts: TS + 20_000 }), 1)
    expect(plan(s, { now: TS + 30_000, lastBeat: beats({ [id()]: TS }) })).toEqual({})
    const old = new NamingState()
    old.register(reg(), 1)
    expect(plan(old, { now: TS + 60_000, graceStart: TS + 50_000 })).toEqual({})
    expect(plan(old, { now: TS + 60_000, graceStart: TS + 40_000 }).setHealth?.changes).toHaveLength(1)
  })

  it('never judges persistent instances', () => {
    const s = new NamingState()
    s.register(reg({ ephemeral: false }), 1)
    expect(plan(s, { now: TS + 1_000_000 })).toEqual({})
  })

  it('uses per-instance timeouts from preserved metadata', () => {
    const s = new NamingState()
    s.register(reg({ metadata: { 'preserved.heart.beat.timeout': '3000', 'preserved.ip.delete.timeout': '6000' } }), 1)
    expect(plan(s, { now: TS + 3_001 }).setHealth?.changes).toHaveLength(1)
    expect(plan(s, { now: TS + 6_001 }).expire?.targets).toHaveLength(1)
  })

  it('is sorted by identity and capped per command', () => {
    const s = new NamingState()
    ;[5, 3, 9, 1].forEach((port, i) => s.register(reg({ port }), i + 1))
    s.register(reg({ namespace: 'a-ns', port: 7 }), 5)
    const p = plan(s, { now: TS + 20_000, maxBatch: 3 })
    expect(p.setHealth!.changes.map((c) => `${c.namespace}:${c.port}`)).toEqual(['a-ns:7', 'public:1', 'public:3'])
    expect(plan(s, { now: TS + 20_000, maxBatch: 10 * MAX_BATCH }).setHealth!.changes).toHaveLength(5)
  })
})
