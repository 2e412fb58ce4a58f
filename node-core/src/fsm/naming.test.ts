import { describe, expect, it } from 'vitest'
import { expireCommand, setHealthCommand, type RegisterCommand } from './commands'
import { md5Hex } from './md5'
import { NamingState, leaseTiming, registerCommandFromBeat, type InstanceListQuery } from './naming'
import { dereg, inst, reg, TS } from './testing/builders'
import { validateBeat } from './validate'

/** The spec's §2.4 example reply, verbatim. */
const SPEC_EXAMPLE = `{
  "name": "DEFAULT_GROUP@@orders",
  "groupName": "DEFAULT_GROUP",
  "clusters": "",
  "cacheMillis": 3000,
  "lastRefTime": 1732400000000,
  "checksum": "",
  "allIPs": false,
  "reachProtectionThreshold": false,
  "valid": true,
  "hosts": [
    {
      "instanceId": "10.0.0.5#8080#DEFAULT#DEFAULT_GROUP@@orders",
      "ip": "10.0.0.5", "port": 8080, "weight": 1.0,
      "healthy": true, "enabled": true, "ephemeral": true,
      "clusterName": "DEFAULT", "serviceName": "DEFAULT_GROUP@@orders",
      "metadata": { "version": "1" },
      "instanceHeartBeatInterval": 5000, "instanceHeartBeatTimeOut": 15000,
      "ipDeleteTimeout": 30000, "instanceIdGenerator": "simple"
    }
  ]
}`

const query = (over: Partial<InstanceListQuery> = {}): InstanceListQuery => ({
  namespace: 'public',
  service: 'DEFAULT_GROUP@@orders',
  clusters: '',
  cacheMillis: 3000,
  lastRefTime: 1_732_400_000_000,
  ...over
})

/** A state with the given registers applied at indexes 1, 2, ... */
function stateWith(...cmds: RegisterCommand[]): NamingState {
  const s = new NamingState()
  cmds.forEach((c, i) => s.register(c, i + 1))
  return s
}

const hostsOf = (s: NamingState, over: Partial<InstanceListQuery> = {}) => s.listInstances(query(over)).hosts.map((h) => `${h.clusterName}/${h.ip}:${h.port}`)

describe('instance list (spec §2.4)', () => {
  it('has exactly the shape, key order and types of the spec example', () => {
    const s = stateWith(reg({ metadata: { version: '1' } }))
    const reply = s.listInstances(query())
    const expected = JSON.parse(SPEC_EXAMPLE) as Record<string, unknown>
    // The checksum is ours to choose (the SDK stores it, never reads it): an md5 of the host list.
    expect(reply.checksum).toMatch(/^[0-9a-f]{32}$/)
    expected.checksum = reply.checksum
    expect(JSON.stringify(reply)).toBe(JSON.stringify(expected))
    // Types the SDK checks strictly.
    const host = reply.hosts[0]!
    expect(typeof host.port).toBe('number')
    expect(typeof host.healthy).toBe('boolean')
    expect(typeof host.enabled).toBe('boolean')
    expect(typeof host.weight).toBe('number')
  })

  it('answers an unknown service with 200-style hosts: [] and the name and clusters echoed', () => {
    const s = new NamingState()
    const reply = s.listInstances(query({ service: 'G2@@nothing', clusters: 'DEFAULT' }))
    expect(reply).toMatchObject({ name: 'G2@@nothing', groupName: 'G2', clusters: 'DEFAULT', hosts: [], checksum: '', valid: true })
  })

  it('echoes clusters exactly (order, empties) and filters by them; "" means all', () => {
    const s = stateWith(reg({ cluster: 'A' }), reg({ cluster: 'B', ip: '10.0.0.6' }), reg({ cluster: 'DEFAULT', ip: '10.0.0.7' }))
    expect(hostsOf(s)).toEqual(['A/10.0.0.5:8080', 'B/10.0.0.6:8080', 'DEFAULT/10.0.0.7:8080'])
    expect(hostsOf(s, { clusters: 'DEFAULT' })).toEqual(['DEFAULT/10.0.0.7:8080'])
    expect(hostsOf(s, { clusters: 'B,A' })).toEqual(['A/10.0.0.5:8080', 'B/10.0.0.6:8080'])
    expect(hostsOf(s, { clusters: 'B,,NOPE' })).toEqual(['B/10.0.0.6:8080'])
    expect(hostsOf(s, { clusters: 'NOPE' })).toEqual([])
    expect(s.listInstances(query({ clusters: 'B,,NOPE' })).clusters).toBe('B,,NOPE')
  })

  it('sorts hosts by cluster, ip, port (numerically), whatever the register order', () => {
    const s = stateWith(reg({ port: 10 }), reg({ port: 9 }), reg({ ip: '10.0.0.1', port: 100 }), reg({ cluster: 'A', ip: '10.9.9.9' }))
    expect(hostsOf(s)).toEqual(['A/10.9.9.9:8080', 'DEFAULT/10.0.0.1:100', 'DEFAULT/10.0.0.5:9', 'DEFAULT/10.0.0.5:10'])
  })

  it('leaves out disabled instances (as Nacos), unless asked; healthyOnly filters unhealthy', () => {
    const s = stateWith(reg({ ip: '10.0.0.1' }), reg({ ip: '10.0.0.2', enabled: false }), reg({ ip: '10.0.0.3', healthy: false }))
    expect(hostsOf(s)).toEqual(['DEFAULT/10.0.0.1:8080', 'DEFAULT/10.0.0.3:8080'])
    expect(hostsOf(s, { includeDisabled: true })).toEqual(['DEFAULT/10.0.0.1:8080', 'DEFAULT/10.0.0.2:8080', 'DEFAULT/10.0.0.3:8080'])
    expect(hostsOf(s, { healthyOnly: true })).toEqual(['DEFAULT/10.0.0.1:8080'])
  })

  it('reports per-instance lease timing from Nacos preserved metadata', () => {
    const s = stateWith(reg({ metadata: { 'preserved.heart.beat.interval': '1000', 'preserved.heart.beat.timeout': '3000', 'preserved.ip.delete.timeout': 'junk' } }))
    expect(s.listInstances(query()).hosts[0]).toMatchObject({ instanceHeartBeatInterval: 1000, instanceHeartBeatTimeOut: 3000, ipDeleteTimeout: 30000 })
    expect(leaseTiming({})).toEqual({ heartBeatInterval: 5000, heartBeatTimeout: 15000, ipDeleteTimeout: 30000 })
    expect(leaseTiming({ 'preserved.heart.beat.timeout': '0' }).heartBeatTimeout).toBe(15000)
  })

  it('computes the checksum over the whole service, the same for the same hosts', () => {
    const a = stateWith(reg({ ip: '10.0.0.1' }), reg({ ip: '10.0.0.2' }))
    const b = stateWith(reg({ ip: '10.0.0.2' }), reg({ ip: '10.0.0.1' }))
    const ca = a.listInstances(query()).checksum
    expect(b.listInstances(query()).checksum).toBe(ca)
    expect(a.listInstances(query({ clusters: 'X' })).checksum).toBe(ca) // not per filter
    expect(ca).toBe(md5Hex(JSON.stringify(a.listInstances(query({ includeDisabled: true })).hosts)))
    a.register(reg({ ip: '10.0.0.1', weight: 2 }), 3)
    expect(a.listInstances(query()).checksum).not.toBe(ca)
  })

  it('keeps host objects identical across polls while nothing changes, even through a re-register', () => {
    const s = stateWith(reg({ metadata: { v: '1' } }))
    const first = JSON.stringify(s.listInstances(query()).hosts)
    expect(s.register(reg({ ts: TS + 5000, metadata: { v: '1' } }), 2)).toBe('unchanged')
    expect(JSON.stringify(s.listInstances(query()).hosts)).toBe(first)
    expect(s.getInstance(inst())).toMatchObject({ registeredAt: TS + 5000, updatedAt: TS, revision: 2 })
  })

  it('passes the caller cacheMillis and lastRefTime through', () => {
    const reply = new NamingState().listInstances(query({ cacheMillis: 1000, lastRefTime: 42 }))
    expect(reply).toMatchObject({ cacheMillis: 1000, lastRefTime: 42 })
  })
})

describe('serialized instance list', () => {
  it('is byte for byte the JSON of the list, for every filter, and follows changes', () => {
    const s = stateWith(
      reg({ ip: '10.0.0.1' }),
      reg({ ip: '10.0.0.2', cluster: 'B', healthy: false }),
      reg({ ip: '10.0.0.3', enabled: false }),
      reg({ ip: '10.0.0.4', cluster: 'B', metadata: { zone: 'a"b' } })
    )
    const variants: Partial<InstanceListQuery>[] = [{}, { clusters: 'B' }, { clusters: 'B,DEFAULT' }, { healthyOnly: true }, { includeDisabled: true }, { service: 'DEFAULT_GROUP@@none' }]
    const same = (): void => {
      for (const v of variants) expect(s.listInstancesJson(query(v))).toBe(JSON.stringify(s.listInstances(query(v))))
    }
    same()
    same() // from the cache
    s.register(reg({ ip: '10.0.0.9', cluster: 'B' }), 10)
    same()
    expect(s.listInstancesJson(query({ clusters: 'B' }))).toContain('10.0.0.9')
    s.deregister(dereg({ ip: '10.0.0.9', cluster: 'B' }))
    same()
    expect(s.listInstancesJson(query({ clusters: 'B' }))).not.toContain('10.0.0.9')
  })
})

describe('register / update / deregister', () => {
  it('identifies an instance by namespace, service, ip, port and cluster', () => {
    const s = new NamingState()
    expect(s.register(reg(), 1)).toBe('created')
    expect(s.register(reg({ port: 8081 }), 2)).toBe('created')
    expect(s.register(reg({ cluster: 'B' }), 3)).toBe('created')
    expect(s.register(reg({ ip: '10.0.0.6' }), 4)).toBe('created')
    expect(s.register(reg({ service: 'G2@@orders' }), 5)).toBe('created')
    expect(s.register(reg({ namespace: 'ns1' }), 6)).toBe('created')
    expect(s.counts()).toEqual({ services: 3, instances: 6, healthyInstances: 6 })
  })

  it('treats a second register as an update of every field, keeping createdAt', () => {
    const s = stateWith(reg({ metadata: { a: '1' } }))
    expect(s.register(reg({ ts: TS + 1, weight: 3, healthy: false, enabled: false, ephemeral: false, metadata: { b: '2' } }), 2)).toBe('updated')
    expect(s.getInstance(inst())).toMatchObject({ weight: 3, healthy: false, enabled: false, ephemeral: false, metadata: { b: '2' }, createdAt: TS, updatedAt: TS + 1, revision: 2 })
    expect(s.counts().instances).toBe(1)
  })

  it('stores metadata values as strings with sorted keys, frozen', () => {
    const s = stateWith(reg({ metadata: { z: '1', a: '2' } }))
    const r = s.getInstance(inst())!
    expect(Object.keys(r.metadata)).toEqual(['a', 'z'])
    expect(Object.isFrozen(r.metadata)).toBe(true)
    expect(Object.isFrozen(r)).toBe(true)
  })

  it('deregisters, and drops empty services and namespaces', () => {
    const s = stateWith(reg({ namespace: 'ns1' }), reg({ namespace: 'ns1', port: 2 }))
    expect(s.namespaces()).toEqual(['ns1'])
    expect(s.deregister(dereg({ namespace: 'ns1' }))).toBe('removed')
    expect(s.deregister(dereg({ namespace: 'ns1' }))).toBe('absent')
    expect(s.hasService({ namespace: 'ns1', service: 'DEFAULT_GROUP@@orders' })).toBe(true)
    expect(s.deregister(dereg({ namespace: 'ns1', port: 2 }))).toBe('removed')
    expect(s.hasService({ namespace: 'ns1', service: 'DEFAULT_GROUP@@orders' })).toBe(false)
    expect(s.namespaces()).toEqual([])
    expect(s.deregister(dereg({ namespace: 'nope' }))).toBe('absent')
  })

  it('deregister matches the cluster too', () => {
    const s = stateWith(reg({ cluster: 'A' }))
    expect(s.deregister(dereg({ cluster: 'DEFAULT' }))).toBe('absent')
    expect(s.deregister(dereg({ cluster: 'A' }))).toBe('removed')
  })

  it('isolates namespaces', () => {
    const s = stateWith(reg({ namespace: 'ns1', ip: '10.0.0.1' }), reg({ ip: '10.0.0.2' }))
    expect(hostsOf(s)).toEqual(['DEFAULT/10.0.0.2:8080'])
    expect(hostsOf(s, { namespace: 'ns1' })).toEqual(['DEFAULT/10.0.0.1:8080'])
    expect(s.counts('ns1')).toEqual({ services: 1, instances: 1, healthyInstances: 1 })
    expect(s.counts('nope')).toEqual({ services: 0, instances: 0, healthyInstances: 0 })
    expect([...s.instances('ns1')].map((r) => r.ip)).toEqual(['10.0.0.1'])
  })
})

describe('health and expiry', () => {
  it('applies health transitions and reports each outcome', () => {
    const s = stateWith(reg(), reg({ port: 2 }))
    const out = s.setHealth(setHealthCommand([{ ...inst(), healthy: false }, { ...inst({ port: 2 }), healthy: true }, { ...inst({ port: 3 }), healthy: false }], TS + 15_000))
    expect(out).toEqual(['changed', 'unchanged', 'absent'])
    expect(s.getInstance(inst())).toMatchObject({ healthy: false, updatedAt: TS + 15_000, revision: 1 })
    expect(s.counts()).toEqual({ services: 1, instances: 2, healthyInstances: 1 })
    expect(s.listInstances(query()).hosts.find((h) => h.port === 8080)!.healthy).toBe(false)
  })

  it('skips a guarded decision when the instance was registered again since (stale)', () => {
    const s = stateWith(reg())
    s.register(reg(), 2) // re-registered at index 2 after the leader looked at revision 1
    expect(s.setHealth(setHealthCommand([{ ...inst(), healthy: false, revision: 1 }], TS))).toEqual(['stale'])
    expect(s.expire(expireCommand([{ ...inst(), revision: 1 }], TS))).toEqual(['stale'])
    expect(s.getInstance(inst())).toMatchObject({ healthy: true })
    expect(s.setHealth(setHealthCommand([{ ...inst(), healthy: false, revision: 2 }], TS))).toEqual(['changed'])
    expect(s.expire(expireCommand([{ ...inst(), revision: 2 }], TS))).toEqual(['removed'])
    expect(s.counts().instances).toBe(0)
  })

  it('expiry removes ephemeral instances only, and reports absent ones', () => {
    const s = stateWith(reg(), reg({ port: 2, ephemeral: false }))
    expect(s.expire(expireCommand([inst(), inst({ port: 2 }), inst({ port: 3 })], TS))).toEqual(['removed', 'persistent', 'absent'])
    expect(hostsOf(s)).toEqual(['DEFAULT/10.0.0.5:2'])
  })
})

describe('service list', () => {
  it('lists ungrouped names of one group, sorted, paged, with the total count', () => {
    const names = ['e', 'a', 'd', 'c', 'b']
    const s = stateWith(...names.map((n) => reg({ service: `DEFAULT_GROUP@@${n}` })), reg({ service: 'G2@@x' }), reg({ namespace: 'ns1', service: 'DEFAULT_GROUP@@z' }))
    expect(s.listServices({ namespace: 'public', group: 'DEFAULT_GROUP', pageNo: 1, pageSize: 2 })).toEqual({ count: 5, doms: ['a', 'b'] })
    expect(s.listServices({ namespace: 'public', group: 'DEFAULT_GROUP', pageNo: 3, pageSize: 2 })).toEqual({ count: 5, doms: ['e'] })
    expect(s.listServices({ namespace: 'public', group: 'DEFAULT_GROUP', pageNo: 4, pageSize: 2 })).toEqual({ count: 5, doms: [] })
    expect(s.listServices({ namespace: 'public', group: 'G2', pageNo: 1, pageSize: 10 })).toEqual({ count: 1, doms: ['x'] })
    expect(s.listServices({ namespace: 'ns1', group: 'DEFAULT_GROUP', pageNo: 1, pageSize: 10 })).toEqual({ count: 1, doms: ['z'] })
    expect(s.listServices({ namespace: 'none', group: 'DEFAULT_GROUP', pageNo: 1, pageSize: 10 })).toEqual({ count: 0, doms: [] })
  })
})

describe('registerCommandFromBeat', () => {
  it('re-creates an unknown instance from the SDK beat: ephemeral, healthy, enabled', () => {
    const beat = validateBeat({
      namespaceId: 'public',
      serviceName: 'DEFAULT_GROUP@@orders',
      beat: JSON.stringify({ serviceName: 'DEFAULT_GROUP@@orders', ip: '10.0.0.5', port: 8080, cluster: 'DEFAULT', weight: 2, metadata: { version: '1' }, scheduled: true })
    })
    if (!beat.ok) throw new Error(beat.error.message)
    const cmd = registerCommandFromBeat(beat.value, TS)
    expect(cmd).toEqual(reg({ weight: 2, metadata: { version: '1' } }))
    const s = new NamingState()
    expect(s.register(cmd, 1)).toBe('created')
    expect(s.listInstances(query()).hosts).toHaveLength(1)
  })
})
