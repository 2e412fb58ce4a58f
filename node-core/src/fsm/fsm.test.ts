import { describe, expect, it } from 'vitest'
import { encodeCommand, expireCommand, setHealthCommand, type Command } from './commands'
import { FsmError, type FsmErrorCode } from './errors'
import { StateMachine } from './fsm'
import { ConfigState } from './config'
import { NamingState } from './naming'
import { SNAPSHOT_FORMAT_VERSION, decodeSnapshot, encodeSnapshot, joinSnapshot, snapshotPieces } from './snapshot'
import { dereg, inst, pub, reg, rm, TS } from './testing/builders'

function fsmCode(f: () => unknown): FsmErrorCode {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(FsmError)
    return (e as FsmError).code
  }
  throw new Error('expected an FsmError')
}

/** A state machine with `cmds` applied at 1, 2, ... */
function fsmWith(cmds: Command[]): StateMachine {
  const m = new StateMachine()
  cmds.forEach((c, i) => m.apply(encodeCommand(c), i + 1))
  return m
}

const listQuery = { namespace: 'public', service: 'DEFAULT_GROUP@@orders', clusters: '', cacheMillis: 3000, lastRefTime: 0 }

describe('StateMachine.apply', () => {
  it('applies in order, tracks applied, and reports what changed', () => {
    const m = new StateMachine()
    expect(m.applied).toBe(0)
    expect(m.apply(encodeCommand(reg()), 1)).toEqual({
      op: 'naming.register',
      index: 1,
      outcome: 'created',
      instance: inst(),
      servicesChanged: [{ namespace: 'public', service: 'DEFAULT_GROUP@@orders' }],
      configsChanged: []
    })
    expect(m.apply(encodeCommand(reg()), 2)).toMatchObject({ outcome: 'unchanged', servicesChanged: [] })
    expect(m.apply(encodeCommand(pub()), 3)).toMatchObject({
      op: 'config.publish',
      outcome: 'created',
      key: { namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' },
      configsChanged: [{ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' }]
    })
    expect(m.apply(encodeCommand(pub()), 4)).toMatchObject({ outcome: 'content-unchanged', configsChanged: [] })
    expect(m.apply(encodeCommand(rm()), 5)).toMatchObject({ outcome: 'removed', configsChanged: [{ dataId: 'app.yaml' }] })
    expect(m.apply(encodeCommand(rm()), 6)).toMatchObject({ outcome: 'absent', configsChanged: [] })
    expect(m.apply(encodeCommand(dereg()), 7)).toMatchObject({ outcome: 'removed', servicesChanged: [{ service: 'DEFAULT_GROUP@@orders' }] })
    expect(m.apply(new Uint8Array(0), 8)).toEqual({ op: 'noop', index: 8, servicesChanged: [], configsChanged: [] })
    expect(m.applied).toBe(8)
  })

  it('reports each changed service once for batched health and expiry', () => {
    const m = fsmWith([reg(), reg({ port: 2 }), reg({ service: 'G@@x' })])
    const r = m.apply(
      encodeCommand(setHealthCommand([{ ...inst(), healthy: false }, { ...inst({ port: 2 }), healthy: false }, { ...inst({ service: 'G@@x' }), healthy: true }], TS)),
      4
    )
    expect(r).toMatchObject({ op: 'naming.setHealth', outcomes: ['changed', 'changed', 'unchanged'], servicesChanged: [{ namespace: 'public', service: 'DEFAULT_GROUP@@orders' }] })
    const e = m.apply(encodeCommand(expireCommand([inst({ service: 'G@@x' }), inst({ port: 99 })], TS)), 5)
    expect(e).toMatchObject({ op: 'naming.expire', outcomes: ['removed', 'absent'], servicesChanged: [{ namespace: 'public', service: 'G@@x' }] })
  })

  it('refuses replays and gaps with clear errors, changing nothing', () => {
    const m = fsmWith([reg()])
    const before = m.snapshot()
    expect(fsmCode(() => m.apply(encodeCommand(dereg()), 1))).toBe('ALREADY_APPLIED')
    expect(fsmCode(() => m.apply(encodeCommand(dereg()), 3))).toBe('INDEX_GAP')
    expect(() => m.apply(encodeCommand(dereg()), 3)).toThrow('entries 2..2 are missing')
    expect(fsmCode(() => m.apply(encodeCommand(dereg()), 0))).toBe('INVALID_INDEX')
    expect(fsmCode(() => m.apply(encodeCommand(dereg()), 2.5))).toBe('INVALID_INDEX')
    expect(m.applied).toBe(1)
    expect(m.snapshot()).toEqual(before)
  })

  it('refuses a malformed entry without applying any of it or moving applied', () => {
    const m = fsmWith([reg()])
    const before = m.snapshot()
    const bad = encodeCommand(dereg())
    bad[bad.length - 3] = 0x7b // corrupt the payload
    expect(fsmCode(() => m.apply(bad, 2))).toBe('INVALID_COMMAND')
    expect(fsmCode(() => m.apply(new Uint8Array([9, 1]), 2))).toBe('UNSUPPORTED_COMMAND_VERSION')
    expect(m.applied).toBe(1)
    expect(m.snapshot()).toEqual(before)
    expect(m.apply(encodeCommand(dereg()), 2)).toMatchObject({ outcome: 'removed' })
  })

  it('applyEntry consumes conf-change indexes and applies normal entries', () => {
    const m = new StateMachine()
    expect(m.applyEntry({ index: 1, type: 'normal', data: new Uint8Array(0) })).toMatchObject({ op: 'noop' })
    expect(m.applyEntry({ index: 2, type: 'confChange', data: new Uint8Array([1, 2, 3]) })).toEqual({ op: 'conf-change', index: 2, servicesChanged: [], configsChanged: [] })
    expect(m.applyEntry({ index: 3, type: 'normal', data: encodeCommand(reg()) })).toMatchObject({ op: 'naming.register' })
    expect(fsmCode(() => m.applyEntry({ index: 3, type: 'confChange', data: new Uint8Array(0) }))).toBe('ALREADY_APPLIED')
    expect(m.applied).toBe(3)
  })

  it('serves reads through the views', () => {
    const m = fsmWith([reg(), pub({ content: 'hello' })])
    expect(m.naming.listInstances(listQuery).hosts).toHaveLength(1)
    expect(m.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' })!.content).toBe('hello')
    expect(m.naming.counts()).toEqual({ services: 1, instances: 1, healthyInstances: 1 })
    expect(m.config.count()).toBe(1)
  })
})

describe('snapshot / restore', () => {
  const history: Command[] = [
    reg({ metadata: { version: '1', zone: 'a' } }),
    reg({ namespace: 'ns1', service: 'G2@@pay', ip: 'fe80::1', port: 0, cluster: 'B', weight: 0.25, ephemeral: false }),
    reg({ port: 9, enabled: false }),
    setHealthCommand([{ ...inst({ port: 9 }), healthy: false }], TS + 1),
    pub({ content: '中文 "quoted" \\ \r\n' }),
    pub({ namespace: 'ns1', group: 'G:2', dataId: 'b', content: 'x', type: 'json', appName: 'shop', ts: TS + 2 }),
    pub({ content: 'v2', ts: TS + 3 }),
    // Re-registers: createdAt, registeredAt and updatedAt now all differ.
    reg({ ts: TS + 4, metadata: { version: '2', zone: 'a' } }),
    reg({ ts: TS + 5, metadata: { version: '2', zone: 'a' } })
  ]

  it('round-trips: restore(snapshot) has the same state, reads and bytes', () => {
    const a = fsmWith(history)
    const bytes = a.snapshot()
    expect(bytes[0]).toBe(SNAPSHOT_FORMAT_VERSION)
    const b = new StateMachine()
    b.restore(bytes)
    expect(b.applied).toBe(history.length)
    expect(b.snapshot()).toEqual(bytes)
    expect(b.naming.listInstances({ ...listQuery, includeDisabled: true })).toEqual(a.naming.listInstances({ ...listQuery, includeDisabled: true }))
    const byPort = (x: { port: number }, y: { port: number }) => x.port - y.port
    expect([...b.naming.instances()].sort(byPort)).toEqual([...a.naming.instances()].sort(byPort))
    expect(b.naming.getInstance(inst())).toMatchObject({ createdAt: TS, updatedAt: TS + 4, registeredAt: TS + 5, revision: 9 })
    expect(b.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' })).toMatchObject({ createdAt: TS, lastModified: TS + 3, revision: 7 })
    expect([...b.config.configs()]).toEqual(expect.arrayContaining([...a.config.configs()]))
    expect(b.config.count()).toBe(a.config.count())
    // And it keeps going from there.
    expect(b.apply(encodeCommand(dereg()), history.length + 1)).toMatchObject({ outcome: 'removed' })
  })

  it('gives byte-identical snapshots for the same state built in different orders', () => {
    // Same records (same revisions and times), inserted in opposite orders and through
    // different maps: the bytes must not depend on insertion order.
    const build = (order: 'forward' | 'backward') => {
      const naming = new NamingState()
      const config = new ConfigState()
      const regs = [
        [reg({ ip: '10.0.0.1' }), 3],
        [reg({ ip: '10.0.0.2', metadata: { b: '2', a: '1' } }), 5],
        [reg({ namespace: 'ns1', service: 'G@@x' }), 7],
        [reg({ cluster: 'A' }), 9],
        [reg({ service: 'DEFAULT_GROUP@@a' }), 11],
        [reg({ service: 'G@@z', port: 1 }), 12],
        [reg({ namespace: 'ns0', service: 'G@@y' }), 13]
      ] as const
      const pubs = [
        [pub({ dataId: 'a' }), 4],
        [pub({ dataId: 'b', namespace: 'ns1' }), 6],
        [pub({ dataId: 'c', group: 'G' }), 8]
      ] as const
      const r = order === 'forward' ? regs : [...regs].reverse()
      const p = order === 'forward' ? pubs : [...pubs].reverse()
      for (const [cmd, index] of r) naming.register(cmd, index)
      for (const [cmd, index] of p) config.publish(cmd, index)
      return encodeSnapshot({ applied: 20, naming, config })
    }
    const forward = build('forward')
    expect(build('backward')).toEqual(forward)
    // Through the façade: two different histories that end in the same records (same
    // revisions, same times) give the same bytes; the churn leaves no trace.
    const a = fsmWith([reg({ service: 'G@@tmp' }), reg(), reg({ ip: '10.0.0.9' }), pub({ dataId: 'a' }), pub({ dataId: 'b' }), dereg({ service: 'G@@tmp' })])
    const b = fsmWith([pub({ dataId: 'tmp' }), reg(), reg({ ip: '10.0.0.9' }), pub({ dataId: 'a' }), pub({ dataId: 'b' }), rm({ dataId: 'tmp' })])
    expect(b.snapshot()).toEqual(a.snapshot())
    expect(fsmWith([reg(), reg({ ip: '10.0.0.9' })]).snapshot()).not.toEqual(a.snapshot()) // and the bytes do see differences
  })

  it('sorts metadata keys, so key order at registration does not matter', () => {
    const a = fsmWith([reg({ metadata: { a: '1', b: '2' } })]).snapshot()
    const b = fsmWith([reg({ metadata: { b: '2', a: '1' } })]).snapshot()
    expect(b).toEqual(a)
  })

  it('a snapshot view is frozen at its applied index: later applies do not show in its bytes', () => {
    const m = fsmWith([reg(), pub(), reg({ ip: '10.0.0.9', service: 'DEFAULT_GROUP@@b' })])
    const before = m.snapshot()
    const view = m.snapshotView()
    m.apply(encodeCommand(pub({ content: 'changed' })), m.applied + 1)
    m.apply(encodeCommand(dereg()), m.applied + 1)
    m.apply(encodeCommand(reg({ ip: '10.0.0.7' })), m.applied + 1)
    expect(joinSnapshot([...snapshotPieces(view)])).toEqual(before)
    expect(m.snapshot()).not.toEqual(before)
  })

  it('encodes a state of many pieces (namespaces, services, hundreds of configs) as one canonical JSON', () => {
    const cmds: Command[] = []
    for (const ns of ['public', 'dev']) {
      for (let i = 0; i < 300; i++) cmds.push(pub({ namespace: ns, dataId: `c${i}`, content: `v${i}` }))
      for (let i = 0; i < 5; i++) cmds.push(reg({ namespace: ns, service: `DEFAULT_GROUP@@s${i}`, ip: `10.0.0.${i + 1}` }))
    }
    const m = fsmWith(cmds)
    const bytes = m.snapshot()
    const text = new TextDecoder().decode(bytes.subarray(1))
    expect(JSON.stringify(JSON.parse(text))).toBe(text)
    const copy = new StateMachine()
    copy.restore(bytes)
    expect(copy.config.count()).toBe(600)
    expect(copy.naming.counts().instances).toBe(10)
    expect(copy.snapshot()).toEqual(bytes)
  })

  it('an empty state snapshots and restores', () => {
    const bytes = new StateMachine().snapshot()
    expect(new TextDecoder().decode(bytes.subarray(1))).toBe('{"applied":0,"naming":[],"config":[]}')
    const m = fsmWith([reg()])
    m.restore(bytes)
    expect(m.applied).toBe(0)
    expect(m.naming.counts().instances).toBe(0)
  })

  it('refuses an unknown version and leaves the current state alone', () => {
    const m = fsmWith(history)
    const before = m.snapshot()
    const other = before.slice()
    other[0] = 2
    expect(fsmCode(() => m.restore(other))).toBe('UNSUPPORTED_SNAPSHOT_VERSION')
    expect(m.snapshot()).toEqual(before)
  })

  const enc = (o: unknown) => new Uint8Array([1, ...new TextEncoder().encode(JSON.stringify(o))])
  const goodInstance = ['DEFAULT', '10.0.0.5', 8080, 1, true, true, true, {}, TS, TS, TS, 1]
  const goodConfig = ['public', 'DEFAULT_GROUP', 'a', 'x', '9dd4e461268c8034f5c8564e155c67a6', 'text', '', TS, TS, 1]

  it('accepts the hand-built snapshot these cases mutate', () => {
    const parts = decodeSnapshot(enc({ applied: 1, naming: [['public', [['DEFAULT_GROUP@@orders', [goodInstance]]]]], config: [goodConfig] }))
    expect(parts.naming.counts().instances).toBe(1)
    expect(parts.config.md5Of({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'a' })).toBe('9dd4e461268c8034f5c8564e155c67a6')
  })

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['not JSON', new Uint8Array([1, 0x7b])],
    ['not UTF-8', new Uint8Array([1, 0xff])],
    ['a list payload', enc([])],
    ['applied missing', enc({ naming: [], config: [] })],
    ['negative applied', enc({ applied: -1, naming: [], config: [] })],
    ['naming not a list', enc({ applied: 1, naming: {}, config: [] })],
    ['a non-canonical namespace', enc({ applied: 1, naming: [['', [['DEFAULT_GROUP@@orders', [goodInstance]]]]], config: [] })],
    ['an ungrouped service', enc({ applied: 1, naming: [['public', [['orders', [goodInstance]]]]], config: [] })],
    ['a service without instances', enc({ applied: 1, naming: [['public', [['DEFAULT_GROUP@@orders', []]]]], config: [] })],
    ['an instance with 11 fields', enc({ applied: 1, naming: [['public', [['DEFAULT_GROUP@@orders', [goodInstance.slice(1)]]]]], config: [] })],
    ['a bad port', enc({ applied: 1, naming: [['public', [['DEFAULT_GROUP@@orders', [goodInstance.map((v, i) => (i === 2 ? 'x' : v))]]]]], config: [] })],
    ['a revision beyond applied', enc({ applied: 1, naming: [['public', [['DEFAULT_GROUP@@orders', [goodInstance.map((v, i) => (i === 11 ? 2 : v))]]]]], config: [] })],
    ['a duplicate instance', enc({ applied: 1, naming: [['public', [['DEFAULT_GROUP@@orders', [goodInstance, goodInstance]]]]], config: [] })],
    ['metadata with a number', enc({ applied: 1, naming: [['public', [['DEFAULT_GROUP@@orders', [goodInstance.map((v, i) => (i === 7 ? { a: 1 } : v))]]]]], config: [] })],
    ['a config with a bad md5', enc({ applied: 1, naming: [], config: [goodConfig.map((v, i) => (i === 4 ? 'zz' : v))] })],
    ['a config with an unknown type', enc({ applied: 1, naming: [], config: [goodConfig.map((v, i) => (i === 5 ? 'exotic' : v))] })],
    ['a config with a bad dataId', enc({ applied: 1, naming: [], config: [goodConfig.map((v, i) => (i === 2 ? 'a b' : v))] })],
    ['a duplicate config', enc({ applied: 1, naming: [], config: [goodConfig, goodConfig] })]
  ])('refuses %s with INVALID_SNAPSHOT, leaving the state alone', (_what, bytes) => {
    const m = fsmWith([reg()])
    const before = m.snapshot()
    expect(fsmCode(() => m.restore(bytes))).toBe('INVALID_SNAPSHOT')
    expect(m.snapshot()).toEqual(before)
    expect(m.applied).toBe(1)
  })
})
