/**
 * Snapshots of both state machines: deterministic bytes, strict restore.
 *
 * Deterministic means two nodes holding the same state produce identical bytes, whatever order
 * their maps were filled in: namespaces, services, instances and configs are written sorted in
 * code-unit order, metadata keys sorted, and every record is a positional array with a fixed
 * field order. That lets the lab (and tests) compare replicas by comparing bytes.
 *
 * ## Format (version 1)
 *
 *     byte 0     format version (1)
 *     bytes 1..  UTF-8 JSON:
 *       {"applied": N,
 *        "naming": [[namespace, [[service, [instance, ...]], ...]], ...],
 *        "config": [config, ...]}
 *     instance = [cluster, ip, port, weight, healthy, enabled, ephemeral, metadata,
 *                 createdAt, registeredAt, updatedAt, revision]
 *     config   = [namespace, group, dataId, content, md5, type, appName,
 *                 createdAt, lastModified, revision]
 *
 * Restore checks everything it reads (shape, types, key syntax, no duplicates, revisions not
 * beyond `applied`) and builds a fresh state; a bad snapshot throws and leaves nothing behind.
 */
import { ConfigState, compareConfigKeys, type ConfigRecord } from './config'
import { FsmError } from './errors'
import { compareStrings, isConfigType, type ConfigType } from './model'
import { NamingState, compareInstances, type InstanceRecord } from './naming'
import { utf8DecodeStrict, utf8Encode } from './utf8'
import {
  LIMITS,
  isCanonicalNamespace,
  isCanonicalService,
  isMd5,
  isValidClusterName,
  isValidDataId,
  isValidGroup,
  isValidHost,
  isValidPort,
  isValidWeight,
  type Metadata
} from './validate'

export const SNAPSHOT_FORMAT_VERSION = 1

/** The whole replicated state at one applied index. */
export interface StateParts {
  readonly applied: number
  readonly naming: NamingState
  readonly config: ConfigState
}

const instanceTuple = (r: InstanceRecord): unknown[] => [
  r.cluster,
  r.ip,
  r.port,
  r.weight,
  r.healthy,
  r.enabled,
  r.ephemeral,
  r.metadata,
  r.createdAt,
  r.registeredAt,
  r.updatedAt,
  r.revision
]

const configTuple = (r: ConfigRecord): unknown[] => [
  r.namespace,
  r.group,
  r.dataId,
  r.content,
  r.md5,
  r.type,
  r.appName,
  r.createdAt,
  r.lastModified,
  r.revision
]

/**
 * The state at one applied index, frozen: references to records, which are immutable (a change
 * replaces its record), so later applies do not show through. Taking it is O(n) and encodes
 * nothing; {@link snapshotPieces} encodes it in bounded steps, so a node can spread a large
 * snapshot over several event-loop turns instead of stalling for all of it.
 */
export interface SnapshotView {
  readonly applied: number
  readonly services: ReadonlyArray<{ readonly key: { readonly namespace: string; readonly service: string }; readonly instances: InstanceRecord[] }>
  readonly configs: ConfigRecord[]
}

export function captureSnapshot(parts: StateParts): SnapshotView {
  return { applied: parts.applied, services: parts.naming.capture(), configs: parts.config.capture() }
}

/** Configs per piece: about 100 µs of encoding at 100-byte contents. */
const CONFIGS_PER_PIECE = 256

/**
 * The snapshot's JSON text in order, one piece per service (or per 256 configs); joined they
 * are exactly `JSON.stringify({applied, naming, config})` of the sorted state. Sorting happens
 * here too, so the capture stays O(n).
 */
export function* snapshotPieces(view: SnapshotView): Generator<string, void, undefined> {
  yield `{"applied":${JSON.stringify(view.applied)},"naming":[`
  const byNamespace = new Map<string, Array<{ service: string; instances: InstanceRecord[] }>>()
  for (const { key, instances } of view.services) {
    let list = byNamespace.get(key.namespace)
    if (!list) byNamespace.set(key.namespace, (list = []))
    list.push({ service: key.service, instances })
  }
  let firstSpace = true
  for (const namespace of [...byNamespace.keys()].sort(compareStrings)) {
    const services = byNamespace.get(namespace)!.sort((a, b) => compareStrings(a.service, b.service))
    yield `${firstSpace ? '' : ','}[${JSON.stringify(namespace)},[`
    firstSpace = false
    for (let i = 0; i < services.length; i++) {
      const { service, instances } = services[i]!
      yield `${i === 0 ? '' : ','}${JSON.stringify([service, [...instances].sort(compareInstances).map(instanceTuple)])}`
    }
    yield ']]'
  }
  yield '],"config":['
  const configs = [...view.configs].sort(compareConfigKeys)
  for (let i = 0; i < configs.length; i += CONFIGS_PER_PIECE) {
    const text = JSON.stringify(configs.slice(i, i + CONFIGS_PER_PIECE).map(configTuple))
    yield `${i === 0 ? '' : ','}${text.slice(1, -1)}`
  }
  yield ']}'
}

/** The snapshot bytes from its JSON pieces: the version byte, then UTF-8. */
export function joinSnapshot(pieces: readonly string[]): Uint8Array {
  // Encode natively, then copy behind the version byte: measuring megabytes of JSON char by char
  // in JS (utf8ByteLength) took ~10x the native encode.
  const body = utf8Encode(pieces.join(''))
  const out = new Uint8Array(1 + body.length)
  out[0] = SNAPSHOT_FORMAT_VERSION
  out.set(body, 1)
  return out
}

/** Encode the state in one go. Same state → same bytes, on every node. */
export function encodeSnapshot(parts: StateParts): Uint8Array {
  return joinSnapshot([...snapshotPieces(captureSnapshot(parts))])
}

const broken = (detail: string): FsmError => new FsmError('INVALID_SNAPSHOT', `invalid snapshot: ${detail}`)

function list(v: unknown, what: string, length?: number): unknown[] {
  if (!Array.isArray(v)) throw broken(`${what} must be a list`)
  if (length !== undefined && v.length !== length) throw broken(`${what} has ${v.length} fields, expected ${length}`)
  return v
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw broken(`${what} must be a string`)
  return v
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw broken(`${what} must be a boolean`)
  return v
}

function time(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw broken(`${what} must be a non-negative integer`)
  return v
}

function revision(v: unknown, what: string, applied: number): number {
  const n = time(v, what)
  if (n < 1 || n > applied) throw broken(`${what} ${n} is outside 1..${applied} (the applied index)`)
  return n
}

function metadata(v: unknown, what: string): Metadata {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw broken(`${what} must be an object`)
  const entries = Object.entries(v)
  for (const [k, value] of entries) if (typeof value !== 'string') throw broken(`${what} value of ${JSON.stringify(k)} must be a string`)
  return Object.fromEntries(entries) as Metadata
}

function readInstance(v: unknown, namespace: string, service: string, applied: number): InstanceRecord {
  const what = `instance of ${namespace}/${service}`
  const t = list(v, what, 12)
  const cluster = str(t[0], `${what} cluster`)
  const ip = str(t[1], `${what} ip`)
  const port = t[2]
  const weight = t[3]
  if (!isValidClusterName(cluster)) throw broken(`${what} has an invalid cluster ${JSON.stringify(cluster)}`)
  if (!isValidHost(ip)) throw broken(`${what} has an invalid ip ${JSON.stringify(ip)}`)
  if (typeof port !== 'number' || !isValidPort(port)) throw broken(`${what} has an invalid port`)
  if (typeof weight !== 'number' || !isValidWeight(weight)) throw broken(`${what} has an invalid weight`)
  return {
    namespace,
    service,
    cluster,
    ip,
    port,
    weight,
    healthy: bool(t[4], `${what} healthy`),
    enabled: bool(t[5], `${what} enabled`),
    ephemeral: bool(t[6], `${what} ephemeral`),
    metadata: metadata(t[7], `${what} metadata`),
    createdAt: time(t[8], `${what} createdAt`),
    registeredAt: time(t[9], `${what} registeredAt`),
    updatedAt: time(t[10], `${what} updatedAt`),
    revision: revision(t[11], `${what} revision`, applied)
  }
}

function readConfig(v: unknown, applied: number): ConfigRecord {
  const t = list(v, 'config', 10)
  const namespace = str(t[0], 'config namespace')
  const group = str(t[1], 'config group')
  const dataId = str(t[2], 'config dataId')
  const what = `config ${namespace}/${group}/${dataId}`
  if (!isCanonicalNamespace(namespace) || !isValidGroup(group) || !isValidDataId(dataId)) throw broken(`${what} has an invalid key`)
  const md5 = str(t[4], `${what} md5`)
  if (!isMd5(md5)) throw broken(`${what} has an invalid md5`)
  const type = str(t[5], `${what} type`)
  if (!isConfigType(type)) throw broken(`${what} has an unknown type ${JSON.stringify(type)}`)
  const appName = str(t[6], `${what} appName`)
  if (appName.length > LIMITS.appNameLength) throw broken(`${what} has an appName longer than ${LIMITS.appNameLength}`)
  return {
    namespace,
    group,
    dataId,
    content: str(t[3], `${what} content`),
    md5,
    type: type as ConfigType,
    appName,
    createdAt: time(t[7], `${what} createdAt`),
    lastModified: time(t[8], `${what} lastModified`),
    revision: revision(t[9], `${what} revision`, applied)
  }
}

/** Decode a snapshot into fresh state. Throws {@link FsmError} on any problem. */
export function decodeSnapshot(bytes: Uint8Array): StateParts {
  if (bytes.length === 0) throw broken('it is empty')
  if (bytes[0] !== SNAPSHOT_FORMAT_VERSION) {
    throw new FsmError(
      'UNSUPPORTED_SNAPSHOT_VERSION',
      `snapshot has format version ${bytes[0]}; this node understands version ${SNAPSHOT_FORMAT_VERSION}`
    )
  }
  let root: unknown
  try {
    root = JSON.parse(utf8DecodeStrict(bytes.subarray(1)))
  } catch (e) {
    throw new FsmError('INVALID_SNAPSHOT', `invalid snapshot: not UTF-8 JSON (${(e as Error).message})`, { cause: e })
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw broken('the payload must be an object')
  const { applied, naming: namingRaw, config: configRaw } = root as Record<string, unknown>
  if (typeof applied !== 'number' || !Number.isSafeInteger(applied) || applied < 0) throw broken('applied must be a non-negative integer')

  const naming = new NamingState()
  for (const spaceRaw of list(namingRaw, 'naming')) {
    const space = list(spaceRaw, 'namespace entry', 2)
    const namespace = str(space[0], 'namespace')
    if (!isCanonicalNamespace(namespace)) throw broken(`namespace ${JSON.stringify(namespace)} is not canonical`)
    for (const serviceRaw of list(space[1], `services of ${namespace}`)) {
      const svc = list(serviceRaw, 'service entry', 2)
      const service = str(svc[0], 'service')
      if (!isCanonicalService(service)) throw broken(`service ${JSON.stringify(service)} is not a valid group@@name`)
      const instances = list(svc[1], `instances of ${namespace}/${service}`)
      if (instances.length === 0) throw broken(`service ${namespace}/${service} has no instances`)
      for (const inst of instances) {
        const record = readInstance(inst, namespace, service, applied)
        if (!naming.restoreRecord(record)) {
          throw broken(`instance ${record.ip}:${record.port}/${record.cluster} of ${namespace}/${service} appears twice`)
        }
      }
    }
  }

  const config = new ConfigState()
  for (const raw of list(configRaw, 'config')) {
    const record = readConfig(raw, applied)
    if (!config.restoreRecord(record)) throw broken(`config ${record.namespace}/${record.group}/${record.dataId} appears twice`)
  }
  return { applied, naming, config }
}
