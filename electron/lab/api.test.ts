import { describe, expect, it, vi } from 'vitest'
import { buildLabApi, dispatchLab, fail, LAB_METHODS, labNodeOfAddress, labNodeOfRaftId, labValidators, ok, type LabHandler } from './api'

describe('labValidators', () => {
  it('accepts a cluster size from 1 to 9 and names the field otherwise', () => {
    expect(labValidators['cluster.create']({ size: 3 })).toEqual(ok({ size: 3 }))
    expect(labValidators['cluster.create']({ size: 1 })).toEqual(ok({ size: 1 }))
    for (const bad of [{ size: 0 }, { size: 10 }, { size: 2.5 }, { size: '3' }, {}, null, [3], 'x']) {
      const r = labValidators['cluster.create'](bad)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_ARGUMENT')
        expect(r.error.message).toMatch(/size/)
      }
    }
  })

  it('refuses unknown fields instead of ignoring them', () => {
    const r = labValidators['cluster.create']({ size: 3, evil: true })
    expect(r).toEqual(fail('INVALID_ARGUMENT', 'unknown field "evil"'))
  })

  it('takes no payload where none is expected', () => {
    expect(labValidators['cluster.start'](undefined).ok).toBe(true)
    expect(labValidators['cluster.start']({ size: 3 }).ok).toBe(false)
  })

  it('checks node ids', () => {
    expect(labValidators['node.crash']({ nodeId: 2 })).toEqual(ok({ nodeId: 2 }))
    expect(labValidators['node.crash']({ nodeId: 0 }).ok).toBe(false)
    expect(labValidators['node.crash']({ node: 2 }).ok).toBe(false)
  })
})

describe('dispatchLab', () => {
  it('validates before calling the handler', async () => {
    const handler = vi.fn<LabHandler>(async () => ok(null as never))
    const r = await dispatchLab(handler, 'cluster.create', { size: 99 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/^cluster\.create: "size" must be an integer from 1 to 9/)
    expect(handler).not.toHaveBeenCalled()
  })

  it('refuses unknown and inherited method names', async () => {
    const handler = vi.fn<LabHandler>()
    for (const m of ['cluster.nuke', 'toString', '__proto__', 42]) {
      const r = await dispatchLab(handler, m, undefined)
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    }
    expect(handler).not.toHaveBeenCalled()
  })

  it('turns a throwing handler into an INTERNAL result', async () => {
    const r = await dispatchLab(async () => {
      throw new Error('boom')
    }, 'cluster.get', undefined)
    expect(r).toEqual(fail('INTERNAL', 'cluster.get: boom'))
  })
})

describe('buildLabApi', () => {
  it('maps every method of the contract to one transport call', async () => {
    const invoke = vi.fn(async () => ok('x'))
    const api = buildLabApi(invoke, () => () => {})
    for (const m of LAB_METHODS) {
      const [g, n] = m.split('.') as [string, string]
      await ((api as unknown as Record<string, Record<string, (r?: unknown) => Promise<unknown>>>)[g]![n]!)({ probe: m })
    }
    expect(invoke.mock.calls.map((c) => (c as unknown[])[0]).sort()).toEqual([...LAB_METHODS].sort())
    await api.cluster.create({ size: 5 })
    expect(invoke).toHaveBeenLastCalledWith('cluster.create', { size: 5 })
  })
})

describe('validators of the lab engine methods', () => {
  it('check link faults, presets, workload specs and log filters, naming the field', () => {
    expect(labValidators['link.set']({ from: 1, to: 2, fault: { delayMs: 100, dropPct: 5 } })).toEqual(ok({ from: 1, to: 2, fault: { delayMs: 100, dropPct: 5 } }))
    const cases: [keyof typeof labValidators, unknown, RegExp][] = [
      ['link.set', { from: 1, to: 1, fault: {} }, /"to" must differ from "from"/],
      ['link.set', { from: 1, to: 2, fault: { dropPct: 120 } }, /"fault\.dropPct" must be a number from 0 to 100/],
      ['link.set', { from: 1, to: 2, fault: { cut: 'maybe' } }, /"fault\.cut" must be one of/],
      ['link.preset', { preset: 'isolate' }, /"nodeId" is required for the "isolate" preset/],
      ['link.preset', { preset: 'split', groups: [[1, 2], [2, 3]] }, /names node 2 twice/],
      ['link.preset', { preset: 'donut' }, /"preset" must be one of/],
      ['workload.start', { ratePerSec: -1 }, /"ratePerSec" must be an integer from 0 to 100000/],
      ['workload.start', { mix: { publish: 'lots' } }, /"mix\.publish" must be a number/],
      ['workload.start', { readRouting: 'nearest' }, /"readRouting" must be one of "any", "leader", "linearizable"/],
      ['logs.query', { filter: { levels: ['loud'] } }, /filter\.levels/],
      ['cluster.create', { size: 3, profile: 'fast' }, /"profile" must be one of "seed", "teaching"/],
      ['node.log', { nodeId: 1, from: 10, to: 5000 }, /"to" must be from "from" to "from" \+ 1000/],
      ['alerts.configure', { rules: [{ id: 'latency-high', threshold: -1 }] }, /threshold/]
    ]
    for (const [m, payload, msg] of cases) {
      const r = (labValidators[m] as (p: unknown) => { ok: boolean; error?: { message: string } })(payload)
      expect(r.ok, `${m} ${JSON.stringify(payload)}`).toBe(false)
      expect(r.error?.message, m).toMatch(msg)
    }
  })
})

describe('labNodeOfRaftId / labNodeOfAddress', () => {
  const nodes = [
    { id: 1, address: '127.0.0.1:18848' },
    { id: 2, address: '127.0.0.1:18858' }
  ]
  it('finds the lab node of a Raft id derived from its address', () => {
    // 127.0.0.1 = 0x7f000001; the id is ip × 65536 + port (node-core/src/protocol/node-id.ts).
    expect(labNodeOfRaftId(nodes, 0x7f000001 * 65536 + 18858)).toBe(2)
    expect(labNodeOfRaftId(nodes, 0x7f000001 * 65536 + 9999)).toBeNull()
  })
  it('finds the lab node of a member address', () => {
    expect(labNodeOfAddress(nodes, '127.0.0.1:18848')).toBe(1)
    expect(labNodeOfAddress(nodes, '127.0.0.1:1')).toBeNull()
    expect(labNodeOfAddress(nodes, null)).toBeNull()
  })
})

// feat/drills: report and host-action methods.
describe('validators of the report and host-action methods', () => {
  it('take a report folder path, naming the field when it is wrong', () => {
    expect(labValidators['report.get']({ dir: '/data/reports/leader-crash-1' })).toEqual(ok({ dir: '/data/reports/leader-crash-1' }))
    expect(labValidators['report.pdf']({ dir: '/data/reports/leader-crash-1' }).ok).toBe(true)
    for (const bad of [{}, { dir: '' }, { dir: 7 }, { dir: 'x'.repeat(5000) }, { dir: '/a\0b' }, { dir: '/a', extra: 1 }]) {
      const r = labValidators['report.get'](bad)
      expect(r.ok, JSON.stringify(bad)).toBe(false)
      if (!r.ok) expect(r.error.message).toMatch(/"dir"|"extra"/)
    }
    expect(labValidators['report.list'](undefined).ok).toBe(true)
    expect(labValidators['lab.openDataDir']({ path: '/' }).ok).toBe(false)
    expect(LAB_METHODS).toEqual(expect.arrayContaining(['report.list', 'report.get', 'report.pdf', 'lab.openDataDir']))
  })
})
