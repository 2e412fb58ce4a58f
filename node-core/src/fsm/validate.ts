/**
 * Parameter validation for the Nacos v1 API, run by the HTTP layer before it proposes anything.
 * Pure: in goes a bag of parameters (query and form merged), out comes either a typed,
 * canonical request or the first {@link FieldError}, which names the field so the server can
 * answer 400 with it.
 *
 * Rules follow Nacos where Nacos has one (spec §1, §2.2–2.7, §3.4–3.6, §5.6):
 * - An empty value is absent: the SDK sends unset options as `tenant=`, `type=`, `appName=`.
 * - Namespaces: absent, `public` and `null` (any case) are the default namespace `public`.
 * - dataId, group, tenant/namespace: `[A-Za-z0-9_.:-]`; dataId ≤ 255, group and namespace ≤ 128
 *   (the widths of Nacos's config_info columns and its TENANT_MAX_LEN).
 * - serviceName: grouped or not. `group@@name` keeps its own group (the `groupName` parameter is
 *   ignored, as Nacos's ServiceNameFilter does); a plain name gets `groupName` or DEFAULT_GROUP.
 *   Never double-prefixed.
 * - clusterName: `[A-Za-z0-9-]` (Nacos's CLUSTER_NAME_SYNTAX).
 * - weight 0..10000 (Nacos's MIN/MAX_WEIGHT_VALUE), port 0..65535 (Nacos accepts 0).
 * - `enabled` wins over `enable` (real servers read `enabled` first; the SDK sends `enable`).
 * - metadata: a JSON object whose values are strings (numbers and booleans are turned into
 *   strings, as Jackson does for Map<String,String>); Nacos's legacy `k=v,k2=v2` also accepted.
 * - config content: required, not blank, at most 100 KiB of UTF-8 by default.
 *
 * Stricter than Nacos on purpose (each one is a value Nacos would store and then mishandle):
 * booleans must be `true`/`false` (any case) instead of "anything else is false"; IPv4 must be a
 * real dotted quad; weights must be finite (Nacos lets `NaN` through its range check).
 */
import { invalid, valid, type Validated } from './errors'
import {
  DEFAULT_CLUSTER,
  DEFAULT_CONFIG_TYPE,
  DEFAULT_GROUP,
  DEFAULT_NAMESPACE,
  GROUP_SEPARATOR,
  compareStrings,
  isConfigType,
  type ConfigKey,
  type ConfigType,
  type InstanceKey,
  type ServiceKey
} from './model'
import { utf8ByteLength } from './utf8'

/** Limits on parameters. Content size is a per-node policy (see {@link PublishOptions}). */
export const LIMITS = {
  namespaceLength: 128,
  groupLength: 128,
  dataIdLength: 255,
  serviceNameLength: 255,
  clusterNameLength: 128,
  /** Longest hostname (RFC 1035); every IP literal is shorter. */
  hostLength: 253,
  appNameLength: 128,
  /** Characters of metadata as JSON (register's `metadata` parameter, or the beat's object). */
  metadataLength: 16 * 1024,
  /** The `beat` JSON parameter, in characters. */
  beatLength: 32 * 1024,
  /** The `clusters` filter of an instance list, in characters. */
  clustersLength: 4 * 1024,
  /** Default limit on config content, in UTF-8 bytes. */
  contentBytes: 100 * 1024,
  weightMax: 10_000,
  pageSizeMax: 10_000,
  /** Keys in one `Listening-Configs` probe (Nacos refuses more than 10,000 too). */
  listenKeys: 10_000
} as const

// ---------------------------------------------------------------------------------------------
// Reading parameters
// ---------------------------------------------------------------------------------------------

/**
 * Where parameters come from: a plain record (query and form merged by the HTTP layer) or
 * anything with `get(name)` such as URLSearchParams.
 */
export type ParamSource =
  | { readonly [name: string]: string | null | undefined }
  | { get(name: string): string | null | undefined }

const hasGetter = (p: ParamSource): p is { get(name: string): string | null | undefined } =>
  typeof (p as { get?: unknown }).get === 'function'

/** The value of `name`, with `""` and null read as absent (the SDK sends unset values as `x=`). */
export function readParam(params: ParamSource, name: string): string | undefined {
  let raw: string | null | undefined
  if (hasGetter(params)) raw = params.get(name)
  else raw = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined
  return raw === undefined || raw === null || raw === '' ? undefined : raw
}

/** Quote a value for an error message, cut short so a 100 KB value never lands in a log line. */
export function quote(value: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value
  return JSON.stringify(shown)
}

const required = (field: string) => invalid(field, 'REQUIRED', `${field} is required`)

// ---------------------------------------------------------------------------------------------
// Predicates on canonical values (also used to check decoded log entries and snapshots)
// ---------------------------------------------------------------------------------------------

/** Nacos's ParamUtils.isValid whitelist, ASCII only (the SDK checks `[A-Za-z0-9_.:-]+` too). */
const KEY_CHARS = /^[A-Za-z0-9_.:-]+$/
const CLUSTER_CHARS = /^[A-Za-z0-9-]+$/
const HEX32 = /^[0-9a-f]{32}$/

export const isValidDataId = (s: string): boolean => s.length <= LIMITS.dataIdLength && KEY_CHARS.test(s)
export const isValidGroup = (s: string): boolean => s.length <= LIMITS.groupLength && KEY_CHARS.test(s)
export const isValidClusterName = (s: string): boolean => s.length <= LIMITS.clusterNameLength && CLUSTER_CHARS.test(s)
/** A canonical md5: 32 lowercase hex digits. */
export const isMd5 = (s: string): boolean => HEX32.test(s)

/** True when `s` means the default namespace: blank, `public` or `null`, any case (as Nacos). */
export const isDefaultNamespaceAlias = (s: string): boolean => {
  const lower = s.toLowerCase()
  return s === '' || lower === 'public' || lower === 'null'
}

/** A namespace as stored: `public`, or a valid id that is not an alias of `public`. */
export const isCanonicalNamespace = (s: string): boolean =>
  s === DEFAULT_NAMESPACE || (!isDefaultNamespaceAlias(s) && s.length <= LIMITS.namespaceLength && KEY_CHARS.test(s))

/** A grouped service name as stored: `group@@name`, exactly one `@@`, both parts valid. */
export function isCanonicalService(s: string): boolean {
  const at = s.indexOf(GROUP_SEPARATOR)
  if (at <= 0) return false
  const name = s.slice(at + GROUP_SEPARATOR.length)
  return isValidGroup(s.slice(0, at)) && name.length <= LIMITS.serviceNameLength && KEY_CHARS.test(name)
}

const IPV4 = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/
const HOSTNAME_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/** A dotted-quad IPv4 address; leading zeros are refused (`010` could be read as octal). */
export function isIPv4(s: string): boolean {
  const m = IPV4.exec(s)
  if (!m) return false
  for (let i = 1; i <= 4; i++) if (Number(m[i]) > 255) return false
  return true
}

/** Count the 16-bit groups of one side of `::`, or -1 when malformed. */
function ipv6Groups(side: string, allowIPv4Tail: boolean): number {
  if (side === '') return 0
  const groups = side.split(':')
  let count = 0
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!
    if (allowIPv4Tail && i === groups.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return -1
      count += 2
    } else if (HEX_GROUP.test(g)) count += 1
    else return -1
  }
  return count
}

/** An IPv6 literal without brackets or zone id (`::1`, `fe80::1`, `::ffff:10.0.0.1`). */
export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false
  const halves = s.split('::')
  if (halves.length > 2) return false
  if (halves.length === 1) return ipv6Groups(s, true) === 8
  const left = ipv6Groups(halves[0]!, false)
  const right = ipv6Groups(halves[1]!, true)
  // `::` stands for at least one group of zeros.
  return left >= 0 && right >= 0 && left + right <= 7
}

/** An RFC 1123 hostname (labels of letters, digits and inner hyphens), not an all-numeric dotted string. */
export function isHostname(s: string): boolean {
  if (s.length === 0 || s.length > LIMITS.hostLength) return false
  if (/^[0-9.]+$/.test(s)) return false
  return s.split('.').every((label) => HOSTNAME_LABEL.test(label))
}

/** What an instance's `ip` may be: IPv4, IPv6 or a hostname (Nacos registers all three). */
export const isValidHost = (s: string): boolean => isIPv4(s) || isIPv6(s) || isHostname(s)
export const isValidPort = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 65_535
export const isValidWeight = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= LIMITS.weightMax

// ---------------------------------------------------------------------------------------------
// Field checks: raw text (already `""` → undefined) to a canonical value or a FieldError
// ---------------------------------------------------------------------------------------------

/** A namespace (naming's `namespaceId`, config's `tenant`), folded to `public` when it is an alias. */
export function checkNamespace(raw: string | undefined, field: string): Validated<string> {
  if (raw === undefined || isDefaultNamespaceAlias(raw)) return valid(DEFAULT_NAMESPACE)
  if (raw.length > LIMITS.namespaceLength) {
    return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.namespaceLength} characters`)
  }
  if (!KEY_CHARS.test(raw)) {
    return invalid(field, 'INVALID', `${field} may contain only letters, digits and _ . : -, got ${quote(raw)}`)
  }
  return valid(raw)
}

/** A group; absent means DEFAULT_GROUP. */
export function checkGroup(raw: string | undefined, field: string): Validated<string> {
  if (raw === undefined) return valid(DEFAULT_GROUP)
  if (raw.length > LIMITS.groupLength) return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.groupLength} characters`)
  if (!KEY_CHARS.test(raw)) {
    return invalid(field, 'INVALID', `${field} may contain only letters, digits and _ . : -, got ${quote(raw)}`)
  }
  return valid(raw)
}

/** A config dataId: required. */
export function checkDataId(raw: string | undefined, field = 'dataId'): Validated<string> {
  if (raw === undefined) return required(field)
  if (raw.length > LIMITS.dataIdLength) return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.dataIdLength} characters`)
  if (!KEY_CHARS.test(raw)) {
    return invalid(field, 'INVALID', `${field} may contain only letters, digits and _ . : -, got ${quote(raw)}`)
  }
  return valid(raw)
}

/** A service name resolved against its group. */
export interface ServiceName {
  /** Grouped: `group@@name`. */
  readonly service: string
  readonly group: string
  readonly name: string
}

/**
 * Resolve `serviceName` (+ optional `groupName`) the way Nacos's ServiceNameFilter does: a name
 * containing `@@` is already grouped and keeps its group; otherwise it is prefixed with
 * `groupName`, or DEFAULT_GROUP when that is absent.
 */
export function checkServiceName(
  rawService: string | undefined,
  rawGroup: string | undefined,
  serviceField = 'serviceName',
  groupField = 'groupName'
): Validated<ServiceName> {
  if (rawService === undefined) return required(serviceField)
  let group: string
  let name: string
  let groupFrom: string
  const at = rawService.indexOf(GROUP_SEPARATOR)
  if (at >= 0) {
    group = rawService.slice(0, at)
    name = rawService.slice(at + GROUP_SEPARATOR.length)
    groupFrom = serviceField
    if (group === '') {
      return invalid(serviceField, 'INVALID', `${serviceField} ${quote(rawService)} has an empty group before @@`)
    }
    if (name === '') {
      return invalid(serviceField, 'INVALID', `${serviceField} ${quote(rawService)} has an empty name after @@`)
    }
    if (name.includes(GROUP_SEPARATOR)) {
      return invalid(serviceField, 'INVALID', `${serviceField} ${quote(rawService)} contains @@ more than once`)
    }
  } else {
    const g = checkGroup(rawGroup, groupField)
    if (!g.ok) return g
    group = g.value
    name = rawService
    groupFrom = groupField
  }
  if (group.length > LIMITS.groupLength) {
    return invalid(groupFrom, 'TOO_LONG', `the group of ${serviceField} is longer than ${LIMITS.groupLength} characters`)
  }
  if (!KEY_CHARS.test(group)) {
    const what = groupFrom === serviceField ? `the group of ${serviceField} ${quote(rawService)}` : `${groupField} ${quote(group)}`
    return invalid(groupFrom, 'INVALID', `${what} may contain only letters, digits and _ . : -`)
  }
  if (name.length > LIMITS.serviceNameLength) {
    return invalid(serviceField, 'TOO_LONG', `${serviceField} is longer than ${LIMITS.serviceNameLength} characters`)
  }
  if (!KEY_CHARS.test(name)) {
    return invalid(serviceField, 'INVALID', `${serviceField} may contain only letters, digits and _ . : - (and one @@), got ${quote(rawService)}`)
  }
  return valid({ service: `${group}${GROUP_SEPARATOR}${name}`, group, name })
}

/** A cluster name; absent means DEFAULT. */
export function checkClusterName(raw: string | undefined, field: string): Validated<string> {
  if (raw === undefined) return valid(DEFAULT_CLUSTER)
  if (raw.length > LIMITS.clusterNameLength) {
    return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.clusterNameLength} characters`)
  }
  if (!CLUSTER_CHARS.test(raw)) return invalid(field, 'INVALID', `${field} may contain only letters, digits and -, got ${quote(raw)}`)
  return valid(raw)
}

/** An instance address: IPv4, IPv6 or hostname; required. */
export function checkIp(raw: string | undefined, field: string): Validated<string> {
  if (raw === undefined) return required(field)
  if (raw.length > LIMITS.hostLength) return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.hostLength} characters`)
  if (!isValidHost(raw)) return invalid(field, 'INVALID', `${field} must be an IPv4 address, an IPv6 address or a hostname, got ${quote(raw)}`)
  return valid(raw)
}

/** A port 0..65535 written in decimal; required unless a default is given. */
export function checkPort(raw: string | undefined, field: string, fallback?: number): Validated<number> {
  if (raw === undefined) return fallback === undefined ? required(field) : valid(fallback)
  const n = /^[0-9]{1,5}$/.test(raw) ? Number(raw) : NaN
  if (!isValidPort(n)) return invalid(field, /^[0-9]+$/.test(raw) ? 'OUT_OF_RANGE' : 'INVALID', `${field} must be an integer from 0 to 65535, got ${quote(raw)}`)
  return valid(n)
}

const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/

/** A weight 0..10000, decimal; absent means 1 (Nacos's default). */
export function checkWeight(raw: string | undefined, field: string): Validated<number> {
  if (raw === undefined) return valid(1)
  if (!DECIMAL.test(raw)) return invalid(field, 'INVALID', `${field} must be a number from 0 to ${LIMITS.weightMax}, got ${quote(raw)}`)
  const n = Number(raw)
  if (!isValidWeight(n)) return invalid(field, 'OUT_OF_RANGE', `${field} must be a number from 0 to ${LIMITS.weightMax}, got ${quote(raw)}`)
  return valid(n)
}

/** `true` / `false`, any case; absent means `fallback`. */
export function checkBoolean(raw: string | undefined, field: string, fallback: boolean): Validated<boolean> {
  if (raw === undefined) return valid(fallback)
  const lower = raw.toLowerCase()
  if (lower === 'true') return valid(true)
  if (lower === 'false') return valid(false)
  return invalid(field, 'INVALID', `${field} must be true or false, got ${quote(raw)}`)
}

/** A positive integer (page numbers and sizes). */
function checkPositiveInt(raw: string | undefined, field: string, fallback: number, max: number): Validated<number> {
  if (raw === undefined) return valid(fallback)
  const n = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN
  if (!Number.isInteger(n)) return invalid(field, 'INVALID', `${field} must be a whole number, got ${quote(raw)}`)
  if (n < 1 || n > max) return invalid(field, 'OUT_OF_RANGE', `${field} must be from 1 to ${max}, got ${quote(raw)}`)
  return valid(n)
}

/** Metadata as stored: string values, keys in code-unit order (canonical across nodes). */
export type Metadata = Readonly<Record<string, string>>

/**
 * Metadata from a parsed JSON value: a plain object whose values are strings; numbers and
 * booleans become their text (Jackson's coercion into Map<String,String>); anything else is an
 * error naming the key. Built with Object.fromEntries so a `__proto__` key stays a plain key.
 */
export function metadataFromObject(value: unknown, field: string): Validated<Metadata> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(field, 'INVALID', `${field} must be a JSON object whose values are strings`)
  }
  const entries: Array<[string, string]> = []
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') entries.push([key, v])
    else if (typeof v === 'number' && Number.isFinite(v)) entries.push([key, String(v)])
    else if (typeof v === 'boolean') entries.push([key, String(v)])
    else return invalid(field, 'INVALID', `${field} value of ${quote(key)} must be a string, got ${v === null ? 'null' : typeof v}`)
  }
  entries.sort((a, b) => compareStrings(a[0], b[0]))
  const metadata = Object.fromEntries(entries)
  if (JSON.stringify(metadata).length > LIMITS.metadataLength) {
    return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.metadataLength} characters as JSON`)
  }
  return valid(metadata)
}

/**
 * The register call's `metadata` text: a JSON object (`{"version":"1"}`), or Nacos's legacy
 * `k=v,k2=v2`. Absent means `{}`.
 */
export function checkMetadata(raw: string | undefined, field = 'metadata'): Validated<Metadata> {
  if (raw === undefined) return valid({})
  if (raw.length > LIMITS.metadataLength) {
    return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.metadataLength} characters`)
  }
  const text = raw.trim()
  if (text.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (e) {
      return invalid(field, 'INVALID', `${field} is not valid JSON: ${(e as Error).message}`)
    }
    return metadataFromObject(parsed, field)
  }
  // Legacy form, as Nacos's UtilsAndCommons.parseMetadata falls back to: k=v pairs, comma separated.
  const entries: Array<[string, string]> = []
  for (const pair of text.split(',')) {
    const kv = pair.split('=')
    if (kv.length !== 2 || kv[0] === '' || kv[1] === '') {
      return invalid(field, 'INVALID', `${field} must be a JSON object or k=v pairs separated by commas, got ${quote(raw)}`)
    }
    entries.push([kv[0]!, kv[1]!])
  }
  return metadataFromObject(Object.fromEntries(entries), field)
}

/** How many UTF-8 bytes a config may hold on this node. */
export interface PublishOptions {
  /** Default {@link LIMITS.contentBytes} (100 KiB). Nacos's own default is 10 MiB (`maxContent`). */
  maxContentBytes?: number
}

/** Config content: required, not blank (Nacos refuses blank content), within the byte limit. */
export function checkContent(raw: string | undefined, field: string, maxBytes: number): Validated<string> {
  if (raw === undefined) return required(field)
  if (/^\s*$/.test(raw)) return invalid(field, 'INVALID', `${field} is blank; a config must have non-whitespace content`)
  // Cheap bound first: a string of n UTF-16 units is at least n bytes.
  if (raw.length > maxBytes || utf8ByteLength(raw) > maxBytes) {
    return invalid(field, 'TOO_LARGE', `${field} is ${utf8ByteLength(raw)} bytes of UTF-8; the limit is ${maxBytes} bytes`)
  }
  return valid(raw)
}

/** An optional expected md5 (compare-and-set): 32 hex digits, stored lowercase. */
export function checkMd5(raw: string | undefined, field: string): Validated<string | undefined> {
  if (raw === undefined) return valid(undefined)
  const lower = raw.toLowerCase()
  if (!isMd5(lower)) return invalid(field, 'INVALID', `${field} must be 32 hexadecimal digits, got ${quote(raw)}`)
  return valid(lower)
}

/** An application name: free text without control characters. */
export function checkAppName(raw: string | undefined, field = 'appName'): Validated<string> {
  if (raw === undefined) return valid('')
  if (raw.length > LIMITS.appNameLength) return invalid(field, 'TOO_LONG', `${field} is longer than ${LIMITS.appNameLength} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(raw)) return invalid(field, 'INVALID', `${field} must not contain control characters`)
  return valid(raw)
}

/** A config type: one Nacos knows, or `text` (Nacos folds unknown types to its default too). */
export const normalizeConfigType = (raw: string | undefined): ConfigType =>
  raw !== undefined && isConfigType(raw) ? raw : DEFAULT_CONFIG_TYPE

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** `POST /nacos/v1/ns/instance`, validated. */
export interface RegisterRequest extends InstanceKey {
  readonly group: string
  readonly name: string
  readonly weight: number
  readonly healthy: boolean
  readonly enabled: boolean
  readonly ephemeral: boolean
  readonly metadata: Metadata
}

/** `enabled` first, then `enable` (spec §2.2); the error names whichever was given. */
function checkEnabled(params: ParamSource): Validated<boolean> {
  const enabled = readParam(params, 'enabled')
  if (enabled !== undefined) return checkBoolean(enabled, 'enabled', true)
  return checkBoolean(readParam(params, 'enable'), 'enable', true)
}

/**
 * The instance identity of a register or deregister (namespace, grouped service, ip, port,
 * cluster), checked in that order so the first problem is the one reported.
 */
function checkInstanceIdentity(params: ParamSource): Validated<InstanceKey & { group: string; name: string }> {
  const namespace = checkNamespace(readParam(params, 'namespaceId'), 'namespaceId')
  if (!namespace.ok) return namespace
  const svc = checkServiceName(readParam(params, 'serviceName'), readParam(params, 'groupName'))
  if (!svc.ok) return svc
  const ip = checkIp(readParam(params, 'ip'), 'ip')
  if (!ip.ok) return ip
  const port = checkPort(readParam(params, 'port'), 'port')
  if (!port.ok) return port
  const cluster = checkClusterName(readParam(params, 'clusterName'), 'clusterName')
  if (!cluster.ok) return cluster
  return valid({
    namespace: namespace.value,
    service: svc.value.service,
    group: svc.value.group,
    name: svc.value.name,
    ip: ip.value,
    port: port.value,
    cluster: cluster.value
  })
}

/** Validate a register. Checked in this order; the first problem is reported. */
export function validateRegister(params: ParamSource): Validated<RegisterRequest> {
  const id = checkInstanceIdentity(params)
  if (!id.ok) return id
  const weight = checkWeight(readParam(params, 'weight'), 'weight')
  if (!weight.ok) return weight
  const healthy = checkBoolean(readParam(params, 'healthy'), 'healthy', true)
  if (!healthy.ok) return healthy
  const enabled = checkEnabled(params)
  if (!enabled.ok) return enabled
  const ephemeral = checkBoolean(readParam(params, 'ephemeral'), 'ephemeral', true)
  if (!ephemeral.ok) return ephemeral
  const metadata = checkMetadata(readParam(params, 'metadata'))
  if (!metadata.ok) return metadata
  return valid({
    ...id.value,
    weight: weight.value,
    healthy: healthy.value,
    enabled: enabled.value,
    ephemeral: ephemeral.value,
    metadata: metadata.value
  })
}

/** `DELETE /nacos/v1/ns/instance`, validated. `ephemeral` is parsed but not part of the identity. */
export interface DeregisterRequest extends InstanceKey {
  readonly ephemeral: boolean
}

/** Validate a deregister. The SDK sends no `groupName`: the group comes from the `@@` prefix. */
export function validateDeregister(params: ParamSource): Validated<DeregisterRequest> {
  const id = checkInstanceIdentity(params)
  if (!id.ok) return id
  const ephemeral = checkBoolean(readParam(params, 'ephemeral'), 'ephemeral', true)
  if (!ephemeral.ok) return ephemeral
  const { namespace, service, ip, port, cluster } = id.value
  return valid({ namespace, service, ip, port, cluster, ephemeral: ephemeral.value })
}

/** `GET /nacos/v1/ns/instance/list`, validated. */
export interface InstanceListRequest extends ServiceKey {
  readonly group: string
  readonly name: string
  /** The `clusters` parameter exactly as sent (`""` when absent): the reply must echo it. */
  readonly clusters: string
  /** The cluster names in `clusters`; empty means every cluster. */
  readonly clusterFilter: readonly string[]
  readonly healthyOnly: boolean
  /** The client's UDP port for push; 0 means "do not push". */
  readonly udpPort: number
  /** The client's address for push, when it sent one. */
  readonly clientIP: string | undefined
}

/** Split a `clusters` filter: comma-separated names, empty items ignored. */
export function parseClusterFilter(clusters: string): string[] {
  return clusters.split(',').filter((c) => c !== '')
}

/** Validate an instance list query. */
export function validateInstanceList(params: ParamSource): Validated<InstanceListRequest> {
  const namespace = checkNamespace(readParam(params, 'namespaceId'), 'namespaceId')
  if (!namespace.ok) return namespace
  const svc = checkServiceName(readParam(params, 'serviceName'), readParam(params, 'groupName'))
  if (!svc.ok) return svc
  const clusters = readParam(params, 'clusters') ?? ''
  if (clusters.length > LIMITS.clustersLength) {
    return invalid('clusters', 'TOO_LONG', `clusters is longer than ${LIMITS.clustersLength} characters`)
  }
  const clusterFilter = parseClusterFilter(clusters)
  for (const c of clusterFilter) {
    if (!isValidClusterName(c)) {
      return invalid('clusters', 'INVALID', `clusters must be cluster names (letters, digits and -) separated by commas, got ${quote(clusters)}`)
    }
  }
  const healthyOnly = checkBoolean(readParam(params, 'healthyOnly'), 'healthyOnly', false)
  if (!healthyOnly.ok) return healthyOnly
  const udpPort = checkPort(readParam(params, 'udpPort'), 'udpPort', 0)
  if (!udpPort.ok) return udpPort
  const rawClientIp = readParam(params, 'clientIP')
  if (rawClientIp !== undefined) {
    const clientIp = checkIp(rawClientIp, 'clientIP')
    if (!clientIp.ok) return clientIp
  }
  return valid({
    namespace: namespace.value,
    service: svc.value.service,
    group: svc.value.group,
    name: svc.value.name,
    clusters,
    clusterFilter,
    healthyOnly: healthyOnly.value,
    udpPort: udpPort.value,
    clientIP: rawClientIp
  })
}

/** `PUT /nacos/v1/ns/instance/beat`, validated. */
export interface BeatRequest extends InstanceKey {
  readonly weight: number
  readonly metadata: Metadata
  /**
   * True when the beat carried its `beat` JSON. Only such a beat can re-create an unknown
   * instance (Nacos answers "not found" to a bare ip/port beat for an unknown instance).
   */
  readonly canRecreate: boolean
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Validate a beat. The SDK puts ip, port and `cluster` (not `clusterName`) inside the `beat`
 * JSON (spec §2.5); older clients send `ip`, `port`, `clusterName` as parameters, which are
 * used when there is no `beat`. `serviceName` comes from the query, or from the beat JSON.
 */
export function validateBeat(params: ParamSource): Validated<BeatRequest> {
  const namespace = checkNamespace(readParam(params, 'namespaceId'), 'namespaceId')
  if (!namespace.ok) return namespace
  const beatText = readParam(params, 'beat')
  if (beatText === undefined) {
    const svc = checkServiceName(readParam(params, 'serviceName'), readParam(params, 'groupName'))
    if (!svc.ok) return svc
    const ip = checkIp(readParam(params, 'ip'), 'ip')
    if (!ip.ok) return ip
    const port = checkPort(readParam(params, 'port'), 'port')
    if (!port.ok) return port
    const cluster = checkClusterName(readParam(params, 'clusterName'), 'clusterName')
    if (!cluster.ok) return cluster
    return valid({
      namespace: namespace.value,
      service: svc.value.service,
      ip: ip.value,
      port: port.value,
      cluster: cluster.value,
      weight: 1,
      metadata: {},
      canRecreate: false
    })
  }
  if (beatText.length > LIMITS.beatLength) return invalid('beat', 'TOO_LONG', `beat is longer than ${LIMITS.beatLength} characters`)
  let beat: unknown
  try {
    beat = JSON.parse(beatText)
  } catch (e) {
    return invalid('beat', 'INVALID', `beat is not valid JSON: ${(e as Error).message}`)
  }
  if (!isPlainObject(beat)) return invalid('beat', 'INVALID', 'beat must be a JSON object')

  const beatService = typeof beat.serviceName === 'string' && beat.serviceName !== '' ? beat.serviceName : undefined
  const querySvc = readParam(params, 'serviceName')
  const svc = checkServiceName(querySvc ?? beatService, readParam(params, 'groupName'), querySvc !== undefined ? 'serviceName' : 'beat.serviceName')
  if (!svc.ok) return svc

  if (beat.ip !== undefined && beat.ip !== null && typeof beat.ip !== 'string') {
    return invalid('beat.ip', 'INVALID', 'beat.ip must be a string')
  }
  const ip = checkIp(typeof beat.ip === 'string' && beat.ip !== '' ? beat.ip : undefined, 'beat.ip')
  if (!ip.ok) return ip

  // Jackson reads "8080" into an int too, so a numeric string is accepted.
  let port: Validated<number>
  if (typeof beat.port === 'number') {
    port = isValidPort(beat.port) ? valid(beat.port) : invalid('beat.port', 'OUT_OF_RANGE', `beat.port must be an integer from 0 to 65535, got ${beat.port}`)
  } else if (typeof beat.port === 'string') port = checkPort(beat.port === '' ? undefined : beat.port, 'beat.port')
  else if (beat.port === undefined || beat.port === null) port = required('beat.port')
  else port = invalid('beat.port', 'INVALID', 'beat.port must be a number')
  if (!port.ok) return port

  let cluster: Validated<string>
  if (typeof beat.cluster === 'string' && beat.cluster !== '') cluster = checkClusterName(beat.cluster, 'beat.cluster')
  else if (beat.cluster !== undefined && beat.cluster !== null && beat.cluster !== '') {
    cluster = invalid('beat.cluster', 'INVALID', 'beat.cluster must be a string')
  } else cluster = checkClusterName(readParam(params, 'clusterName'), 'clusterName')
  if (!cluster.ok) return cluster

  let weight: Validated<number> = valid(1)
  if (typeof beat.weight === 'number') {
    weight = isValidWeight(beat.weight) ? valid(beat.weight) : invalid('beat.weight', 'OUT_OF_RANGE', `beat.weight must be a number from 0 to ${LIMITS.weightMax}, got ${beat.weight}`)
  } else if (typeof beat.weight === 'string') weight = checkWeight(beat.weight === '' ? undefined : beat.weight, 'beat.weight')
  else if (beat.weight !== undefined && beat.weight !== null) weight = invalid('beat.weight', 'INVALID', 'beat.weight must be a number')
  if (!weight.ok) return weight

  const metadata = beat.metadata === undefined || beat.metadata === null ? valid<Metadata>({}) : metadataFromObject(beat.metadata, 'beat.metadata')
  if (!metadata.ok) return metadata

  return valid({
    namespace: namespace.value,
    service: svc.value.service,
    ip: ip.value,
    port: port.value,
    cluster: cluster.value,
    weight: weight.value,
    metadata: metadata.value,
    canRecreate: true
  })
}

/** `GET /nacos/v1/ns/service/list`, validated. */
export interface ServiceListRequest {
  readonly namespace: string
  readonly group: string
  /** 1-based. */
  readonly pageNo: number
  readonly pageSize: number
}

/** Validate a service list query. pageNo defaults to 1 and pageSize to 10 (Nacos requires both). */
export function validateServiceList(params: ParamSource): Validated<ServiceListRequest> {
  const namespace = checkNamespace(readParam(params, 'namespaceId'), 'namespaceId')
  if (!namespace.ok) return namespace
  const group = checkGroup(readParam(params, 'groupName'), 'groupName')
  if (!group.ok) return group
  const pageNo = checkPositiveInt(readParam(params, 'pageNo'), 'pageNo', 1, 1_000_000_000)
  if (!pageNo.ok) return pageNo
  const pageSize = checkPositiveInt(readParam(params, 'pageSize'), 'pageSize', 10, LIMITS.pageSizeMax)
  if (!pageSize.ok) return pageSize
  return valid({ namespace: namespace.value, group: group.value, pageNo: pageNo.value, pageSize: pageSize.value })
}

/** Validate the key of `GET` / `DELETE /nacos/v1/cs/configs`: dataId, group, tenant. */
export function validateConfigKey(params: ParamSource): Validated<ConfigKey> {
  const dataId = checkDataId(readParam(params, 'dataId'))
  if (!dataId.ok) return dataId
  const group = checkGroup(readParam(params, 'group'), 'group')
  if (!group.ok) return group
  const namespace = checkNamespace(readParam(params, 'tenant'), 'tenant')
  if (!namespace.ok) return namespace
  return valid({ namespace: namespace.value, group: group.value, dataId: dataId.value })
}

/** `POST /nacos/v1/cs/configs`, validated. */
export interface PublishRequest extends ConfigKey {
  readonly content: string
  readonly type: ConfigType
  readonly appName: string
  /** Nacos 2.x's `casMd5`: publish only if the stored md5 is this one. */
  readonly casMd5: string | undefined
}

/** Validate a publish. */
export function validatePublish(params: ParamSource, options: PublishOptions = {}): Validated<PublishRequest> {
  const key = validateConfigKey(params)
  if (!key.ok) return key
  const content = checkContent(readParam(params, 'content'), 'content', options.maxContentBytes ?? LIMITS.contentBytes)
  if (!content.ok) return content
  const appName = checkAppName(readParam(params, 'appName'))
  if (!appName.ok) return appName
  const casMd5 = checkMd5(readParam(params, 'casMd5'), 'casMd5')
  if (!casMd5.ok) return casMd5
  return valid({
    ...key.value,
    content: content.value,
    type: normalizeConfigType(readParam(params, 'type')),
    appName: appName.value,
    casMd5: casMd5.value
  })
}
