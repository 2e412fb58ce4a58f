/**
 * The naming state machine: namespaces → grouped services → clusters → instances.
 *
 * An instance's identity is (namespace, grouped service, ip, port, cluster) (spec §2.2); a second
 * register with the same identity updates it. Services, clusters and namespaces exist while they
 * hold an instance: the last deregister or expiry removes them too (Nacos keeps empty services
 * for a while and cleans them later; removing at once keeps replicas and snapshots simple, and
 * an unknown service lists as 200 with `hosts: []` anyway).
 *
 * Mutations are called only by the dispatcher in `apply.ts`, with the log index of the entry.
 * Queries are what the HTTP layer reads: the instance list in the exact shape of spec §2.4, the
 * service list, counts.
 */
import type { DeregisterCommand, ExpireCommand, RegisterCommand, SetHealthCommand } from './commands'
import { md5Hex } from './md5'
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_IP_DELETE_TIMEOUT_MS,
  PRESERVED_METADATA,
  compareStrings,
  instanceIdOf,
  splitGroupedName,
  type InstanceKey,
  type ServiceKey
} from './model'
import { parseClusterFilter, type BeatRequest, type Metadata } from './validate'

/** One instance as stored. Records are immutable: a change replaces the record. */
export interface InstanceRecord extends InstanceKey {
  readonly weight: number
  readonly healthy: boolean
  readonly enabled: boolean
  readonly ephemeral: boolean
  /** Keys in code-unit order, values strings; frozen. */
  readonly metadata: Metadata
  /** `ts` of the register that created it. */
  readonly createdAt: number
  /** `ts` of the latest register (a sign of life: the health planner counts it like a beat). */
  readonly registeredAt: number
  /** `ts` of the latest change a client can see (any field of the host object). */
  readonly updatedAt: number
  /** Log index of the latest register: what a guarded setHealth/expire compares against. */
  readonly revision: number
}

/** One host of an instance list, exactly as the SDK reads it (spec §2.4); key order as the spec's example. */
export interface HostJson {
  readonly instanceId: string
  readonly ip: string
  readonly port: number
  readonly weight: number
  readonly healthy: boolean
  readonly enabled: boolean
  readonly ephemeral: boolean
  readonly clusterName: string
  /** Grouped. */
  readonly serviceName: string
  readonly metadata: Metadata
  readonly instanceHeartBeatInterval: number
  readonly instanceHeartBeatTimeOut: number
  readonly ipDeleteTimeout: number
  readonly instanceIdGenerator: 'simple'
}

/** The instance list reply (spec §2.4), key order as the spec's example. */
export interface InstanceListJson {
  /** Exactly the grouped service name asked for. */
  readonly name: string
  readonly groupName: string
  /** Exactly the `clusters` value of the request (the SDK keys its cache on it). */
  readonly clusters: string
  readonly cacheMillis: number
  readonly lastRefTime: number
  /** MD5 of the service's full host list ("" for an unknown service): same state, same checksum on every node. */
  readonly checksum: string
  readonly allIPs: false
  readonly reachProtectionThreshold: false
  readonly valid: true
  readonly hosts: readonly HostJson[]
}

/** What the HTTP layer passes to {@link NamingView.listInstances}. */
export interface InstanceListQuery extends ServiceKey {
  /** The request's `clusters` exactly as sent (`""` = all clusters); echoed in the reply. */
  readonly clusters: string
  /** Only healthy hosts. Default false (the SDK always sends false and filters itself). */
  readonly healthyOnly?: boolean
  /** The refresh period the client should use, ms (server configuration). */
  readonly cacheMillis: number
  /** The server's wall clock now, ms: the state machine has no clock. */
  readonly lastRefTime: number
  /**
   * Include disabled instances. Default false: Nacos leaves disabled instances out of the
   * list it serves to clients. Admin views may want them.
   */
  readonly includeDisabled?: boolean
}

/** `GET /nacos/v1/ns/service/list` reply: names are not grouped (spec §2.7, §6). */
export interface ServiceListJson {
  readonly count: number
  readonly doms: readonly string[]
}

export interface ServiceListQuery {
  readonly namespace: string
  readonly group: string
  readonly pageNo: number
  readonly pageSize: number
}

export interface NamingCounts {
  readonly services: number
  readonly instances: number
  readonly healthyInstances: number
}

/** Per-instance lease timing, from Nacos's preserved metadata keys or the defaults. */
export interface LeaseTiming {
  readonly heartBeatInterval: number
  readonly heartBeatTimeout: number
  readonly ipDeleteTimeout: number
}

/** The read side of the naming state, as the façade exposes it. */
export interface NamingView {
  getInstance(key: InstanceKey): InstanceRecord | undefined
  hasService(key: ServiceKey): boolean
  listInstances(query: InstanceListQuery): InstanceListJson
  /** The same reply, serialized (hosts cached per service and filter). */
  listInstancesJson(query: InstanceListQuery): string
  listServices(query: ServiceListQuery): ServiceListJson
  /** Counts over one namespace, or all of them. */
  counts(namespace?: string): NamingCounts
  /** Namespaces holding at least one service, sorted. */
  namespaces(): string[]
  /** Every instance (in one namespace, or all). Order unspecified; sort if it matters. */
  instances(namespace?: string): IterableIterator<InstanceRecord>
}

export type RegisterOutcome = 'created' | 'updated' | 'unchanged'
export type DeregisterOutcome = 'removed' | 'absent'
/** `stale`: the instance was registered again after the leader decided (revision guard). */
export type HealthOutcome = 'changed' | 'unchanged' | 'absent' | 'stale'
/** `persistent`: expiry never removes a persistent instance; skipped. */
export type ExpireOutcome = 'removed' | 'absent' | 'stale' | 'persistent'

const POSITIVE_MS = /^[0-9]{1,12}$/

function metadataMs(metadata: Metadata, key: string, fallback: number): number {
  const raw = Object.prototype.hasOwnProperty.call(metadata, key) ? metadata[key] : undefined
  if (raw === undefined || !POSITIVE_MS.test(raw)) return fallback
  const n = Number(raw)
  return n > 0 ? n : fallback
}

/** Lease timing of an instance: Nacos lets metadata override the 5 s / 15 s / 30 s defaults. */
export function leaseTiming(metadata: Metadata): LeaseTiming {
  return {
    heartBeatInterval: metadataMs(metadata, PRESERVED_METADATA.heartBeatInterval, DEFAULT_HEARTBEAT_INTERVAL_MS),
    heartBeatTimeout: metadataMs(metadata, PRESERVED_METADATA.heartBeatTimeout, DEFAULT_HEARTBEAT_TIMEOUT_MS),
    ipDeleteTimeout: metadataMs(metadata, PRESERVED_METADATA.ipDeleteTimeout, DEFAULT_IP_DELETE_TIMEOUT_MS)
  }
}

/** Metadata in canonical form: keys sorted, frozen; built with fromEntries so `__proto__` stays a key. */
export function canonicalMetadata(metadata: Metadata): Metadata {
  const entries = Object.entries(metadata).sort((a, b) => compareStrings(a[0], b[0]))
  return Object.freeze(Object.fromEntries(entries))
}

function sameMetadata(a: Metadata, b: Metadata): boolean {
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || a[ka[i]!] !== b[kb[i]!]) return false
  }
  return true
}

/** Host order in lists and snapshots: cluster, then ip, then port. */
export function compareInstances(a: InstanceKey, b: InstanceKey): number {
  return compareStrings(a.cluster, b.cluster) || compareStrings(a.ip, b.ip) || a.port - b.port
}

function toHost(r: InstanceRecord): HostJson {
  const t = leaseTiming(r.metadata)
  return Object.freeze({
    instanceId: instanceIdOf(r),
    ip: r.ip,
    port: r.port,
    weight: r.weight,
    healthy: r.healthy,
    enabled: r.enabled,
    ephemeral: r.ephemeral,
    clusterName: r.cluster,
    serviceName: r.service,
    metadata: r.metadata,
    instanceHeartBeatInterval: t.heartBeatInterval,
    instanceHeartBeatTimeOut: t.heartBeatTimeout,
    ipDeleteTimeout: t.ipDeleteTimeout,
    instanceIdGenerator: 'simple'
  })
}

/**
 * Build a frozen record with one fixed key order, whichever path made it (register, health
 * change, restore), so records look the same on every replica, also to JSON.stringify.
 */
function makeRecord(r: InstanceRecord): InstanceRecord {
  return Object.freeze({
    namespace: r.namespace,
    service: r.service,
    ip: r.ip,
    port: r.port,
    cluster: r.cluster,
    weight: r.weight,
    healthy: r.healthy,
    enabled: r.enabled,
    ephemeral: r.ephemeral,
    metadata: r.metadata,
    createdAt: r.createdAt,
    registeredAt: r.registeredAt,
    updatedAt: r.updatedAt,
    revision: r.revision
  })
}

const memberKey = (ip: string, port: number): string => `${ip}#${port}`

/** One service: clusters → (ip#port → instance), plus a cached host view. */
class ServiceEntry {
  readonly clusters = new Map<string, Map<string, InstanceRecord>>()
  size = 0
  /** Sorted host objects of every instance and their checksum; dropped on any change. */
  private view: HostView | undefined

  get(cluster: string, ip: string, port: number): InstanceRecord | undefined {
    return this.clusters.get(cluster)?.get(memberKey(ip, port))
  }

  put(r: InstanceRecord): void {
    let members = this.clusters.get(r.cluster)
    if (!members) {
      members = new Map()
      this.clusters.set(r.cluster, members)
    }
    const key = memberKey(r.ip, r.port)
    if (!members.has(key)) this.size++
    members.set(key, r)
    this.view = undefined
  }

  /** Replace a record without invalidating the view (for changes no host field shows). */
  putQuiet(r: InstanceRecord): void {
    this.clusters.get(r.cluster)!.set(memberKey(r.ip, r.port), r)
  }

  remove(cluster: string, ip: string, port: number): boolean {
    const members = this.clusters.get(cluster)
    if (!members || !members.delete(memberKey(ip, port))) return false
    if (members.size === 0) this.clusters.delete(cluster)
    this.size--
    this.view = undefined
    return true
  }

  *records(): IterableIterator<InstanceRecord> {
    for (const members of this.clusters.values()) yield* members.values()
  }

  hostView(): HostView {
    if (!this.view) {
      const hosts = [...this.records()].sort(compareInstances).map(toHost)
      this.view = { hosts, checksum: md5Hex(JSON.stringify(hosts)), json: new Map() }
    }
    return this.view
  }

  /** The hosts a list query selects, as JSON; cached with the view (a few filter variants). */
  hostsJson(q: Pick<InstanceListQuery, 'clusters' | 'healthyOnly' | 'includeDisabled'>): string {
    const view = this.hostView()
    const key = `${q.healthyOnly === true ? 1 : 0}${q.includeDisabled === true ? 1 : 0}${q.clusters}`
    let text = view.json.get(key)
    if (text === undefined) {
      text = JSON.stringify(filterHosts(view.hosts, q))
      if (view.json.size >= MAX_CACHED_HOST_LISTS) view.json.clear()
      view.json.set(key, text)
    }
    return text
  }
}

/** Sorted host objects of a service, their checksum, and serialized lists by filter. */
interface HostView {
  readonly hosts: readonly HostJson[]
  readonly checksum: string
  readonly json: Map<string, string>
}

/** Filter variants kept per service: clients ask with few distinct `clusters` values. */
const MAX_CACHED_HOST_LISTS = 8

function filterHosts(hosts: readonly HostJson[], q: Pick<InstanceListQuery, 'clusters' | 'healthyOnly' | 'includeDisabled'>): HostJson[] {
  const filter = new Set(parseClusterFilter(q.clusters))
  return hosts.filter((h) => (filter.size === 0 || filter.has(h.clusterName)) && (q.includeDisabled === true || h.enabled) && (q.healthyOnly !== true || h.healthy))
}

/** Every field of an instance list reply but `hosts`, in the reply's key order. */
function listHead(q: InstanceListQuery, view: HostView | undefined): Omit<InstanceListJson, 'hosts'> {
  return {
    name: q.service,
    groupName: splitGroupedName(q.service).group,
    clusters: q.clusters,
    cacheMillis: q.cacheMillis,
    lastRefTime: q.lastRefTime,
    checksum: view?.checksum ?? '',
    allIPs: false,
    reachProtectionThreshold: false,
    valid: true
  }
}

/** The naming state machine. */
export class NamingState implements NamingView {
  private readonly spaces = new Map<string, Map<string, ServiceEntry>>()

  // --- queries --------------------------------------------------------------------------------

  getInstance(key: InstanceKey): InstanceRecord | undefined {
    return this.spaces.get(key.namespace)?.get(key.service)?.get(key.cluster, key.ip, key.port)
  }

  hasService(key: ServiceKey): boolean {
    return this.spaces.get(key.namespace)?.has(key.service) ?? false
  }

  listInstances(q: InstanceListQuery): InstanceListJson {
    const view = this.spaces.get(q.namespace)?.get(q.service)?.hostView()
    return { ...listHead(q, view), hosts: view ? filterHosts(view.hosts, q) : [] }
  }

  /**
   * `JSON.stringify(listInstances(q))`, with the hosts part serialized once per service change
   * and filter rather than on every request: SDK clients poll these lists, and stringifying
   * a hundred hosts was most of a list request's cost.
   */
  listInstancesJson(q: InstanceListQuery): string {
    const entry = this.spaces.get(q.namespace)?.get(q.service)
    const head = JSON.stringify(listHead(q, entry?.hostView()))
    return `${head.slice(0, -1)},"hosts":${entry ? entry.hostsJson(q) : '[]'}}`
  }

  listServices(q: ServiceListQuery): ServiceListJson {
    const names: string[] = []
    for (const service of this.spaces.get(q.namespace)?.keys() ?? []) {
      const { group, name } = splitGroupedName(service)
      if (group === q.group) names.push(name)
    }
    names.sort(compareStrings)
    const start = Math.max(0, (q.pageNo - 1) * q.pageSize)
    return { count: names.length, doms: names.slice(start, start + q.pageSize) }
  }

  counts(namespace?: string): NamingCounts {
    let services = 0
    let instances = 0
    let healthyInstances = 0
    const spaces = namespace === undefined ? [...this.spaces.values()] : [this.spaces.get(namespace)].filter((s) => s !== undefined)
    for (const space of spaces) {
      services += space.size
      for (const entry of space.values()) {
        instances += entry.size
        for (const r of entry.records()) if (r.healthy) healthyInstances++
      }
    }
    return { services, instances, healthyInstances }
  }

  namespaces(): string[] {
    return [...this.spaces.keys()].sort(compareStrings)
  }

  *instances(namespace?: string): IterableIterator<InstanceRecord> {
    const spaces = namespace === undefined ? [...this.spaces.values()] : [this.spaces.get(namespace)].filter((s) => s !== undefined)
    for (const space of spaces) for (const entry of space.values()) yield* entry.records()
  }

  /**
   * Every service with its instances, unsorted: references to the (immutable) records only, so
   * a snapshot can take it in O(n) at one applied index and encode it later (snapshot.ts).
   */
  capture(): Array<{ key: ServiceKey; instances: InstanceRecord[] }> {
    const out: Array<{ key: ServiceKey; instances: InstanceRecord[] }> = []
    for (const [namespace, space] of this.spaces) {
      for (const [service, entry] of space) out.push({ key: { namespace, service }, instances: [...entry.records()] })
    }
    return out
  }

  // --- mutations (apply.ts and snapshot.ts only) -----------------------------------------------

  private entry(key: ServiceKey, create: true): ServiceEntry
  private entry(key: ServiceKey, create: false): ServiceEntry | undefined
  private entry(key: ServiceKey, create: boolean): ServiceEntry | undefined {
    let space = this.spaces.get(key.namespace)
    if (!space) {
      if (!create) return undefined
      space = new Map()
      this.spaces.set(key.namespace, space)
    }
    let entry = space.get(key.service)
    if (!entry && create) {
      entry = new ServiceEntry()
      space.set(key.service, entry)
    }
    return entry
  }

  /** Drop a service (and its namespace) once it holds nothing. */
  private prune(key: ServiceKey): void {
    const space = this.spaces.get(key.namespace)
    if (!space) return
    if (space.get(key.service)?.size === 0) space.delete(key.service)
    if (space.size === 0) this.spaces.delete(key.namespace)
  }

  register(cmd: RegisterCommand, index: number): RegisterOutcome {
    const entry = this.entry(cmd, true)
    const old = entry.get(cmd.cluster, cmd.ip, cmd.port)
    const metadata = canonicalMetadata(cmd.metadata)
    const same =
      old !== undefined &&
      old.weight === cmd.weight &&
      old.healthy === cmd.healthy &&
      old.enabled === cmd.enabled &&
      old.ephemeral === cmd.ephemeral &&
      sameMetadata(old.metadata, metadata)
    const record = makeRecord({
      namespace: cmd.namespace,
      service: cmd.service,
      ip: cmd.ip,
      port: cmd.port,
      cluster: cmd.cluster,
      weight: cmd.weight,
      healthy: cmd.healthy,
      enabled: cmd.enabled,
      ephemeral: cmd.ephemeral,
      metadata: same ? old.metadata : metadata,
      createdAt: old?.createdAt ?? cmd.ts,
      registeredAt: cmd.ts,
      updatedAt: same ? old.updatedAt : cmd.ts,
      revision: index
    })
    if (same) {
      // A re-register with nothing new still renews the lease and the revision, but the host
      // object clients see must not change (spec §2.4: volatile host fields cause spurious events).
      entry.putQuiet(record)
      return 'unchanged'
    }
    entry.put(record)
    return old ? 'updated' : 'created'
  }

  deregister(cmd: DeregisterCommand): DeregisterOutcome {
    const entry = this.entry(cmd, false)
    if (!entry || !entry.remove(cmd.cluster, cmd.ip, cmd.port)) return 'absent'
    this.prune(cmd)
    return 'removed'
  }

  setHealth(cmd: SetHealthCommand): HealthOutcome[] {
    return cmd.changes.map((change) => {
      const entry = this.entry(change, false)
      const old = entry?.get(change.cluster, change.ip, change.port)
      if (!entry || !old) return 'absent'
      if (change.revision !== undefined && change.revision !== old.revision) return 'stale'
      if (old.healthy === change.healthy) return 'unchanged'
      entry.put(makeRecord({ ...old, healthy: change.healthy, updatedAt: cmd.ts }))
      return 'changed'
    })
  }

  expire(cmd: ExpireCommand): ExpireOutcome[] {
    return cmd.targets.map((target) => {
      const entry = this.entry(target, false)
      const old = entry?.get(target.cluster, target.ip, target.port)
      if (!entry || !old) return 'absent'
      if (target.revision !== undefined && target.revision !== old.revision) return 'stale'
      if (!old.ephemeral) return 'persistent'
      entry.remove(target.cluster, target.ip, target.port)
      this.prune(target)
      return 'removed'
    })
  }

  /** Put a record read from a snapshot. Returns false when that identity is already present. */
  restoreRecord(record: InstanceRecord): boolean {
    const entry = this.entry(record, true)
    if (entry.get(record.cluster, record.ip, record.port)) return false
    entry.put(makeRecord({ ...record, metadata: canonicalMetadata(record.metadata) }))
    return true
  }
}

/**
 * The register command a beat for an unknown instance turns into (spec §2.5: "a beat re-creates
 * an unknown instance"), as Nacos 1.x builds it from the beat: ip, port, cluster, weight and
 * metadata from the beat; ephemeral, healthy and enabled. The server proposes it; only a beat
 * with its `beat` JSON can do this (`beat.canRecreate`).
 */
export function registerCommandFromBeat(beat: BeatRequest, ts: number): RegisterCommand {
  return {
    op: 'naming.register',
    ts,
    namespace: beat.namespace,
    service: beat.service,
    ip: beat.ip,
    port: beat.port,
    cluster: beat.cluster,
    weight: beat.weight,
    healthy: true,
    enabled: true,
    ephemeral: true,
    metadata: beat.metadata
  }
}
