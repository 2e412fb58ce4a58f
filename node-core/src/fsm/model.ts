/**
 * Names, keys and defaults shared by the naming and config state machines, as Nacos spells
 * them. Everything here is canonical: a key built by the validators is the same string on every
 * node, so it can index maps and be compared with `===`.
 */

/** The default namespace. `""`, `public` and `null` (any case) all mean it (spec §5.6). */
export const DEFAULT_NAMESPACE = 'public'
/** The default group, for services and configs alike. */
export const DEFAULT_GROUP = 'DEFAULT_GROUP'
/** The default cluster of an instance. */
export const DEFAULT_CLUSTER = 'DEFAULT'
/** Separator of a grouped service name: `group@@name`. */
export const GROUP_SEPARATOR = '@@'

/**
 * Nacos's per-instance lease defaults (ms), reported in every host of an instance list and used
 * by the leader's health planner. An instance may override them with the metadata keys in
 * {@link PRESERVED_METADATA}, as in Nacos.
 */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 15_000
export const DEFAULT_IP_DELETE_TIMEOUT_MS = 30_000

/** Metadata keys Nacos reserves for per-instance lease timing. */
export const PRESERVED_METADATA = {
  heartBeatInterval: 'preserved.heart.beat.interval',
  heartBeatTimeout: 'preserved.heart.beat.timeout',
  ipDeleteTimeout: 'preserved.ip.delete.timeout'
} as const

/** A service: namespace plus the grouped name (`DEFAULT_GROUP@@orders`). */
export interface ServiceKey {
  readonly namespace: string
  /** Always grouped: `group@@name`. */
  readonly service: string
}

/** An instance's identity (spec §2.2): namespace, grouped service, ip, port, cluster. */
export interface InstanceKey extends ServiceKey {
  readonly ip: string
  readonly port: number
  readonly cluster: string
}

/** A config's identity: namespace (Nacos's tenant), group, dataId. */
export interface ConfigKey {
  readonly namespace: string
  readonly group: string
  readonly dataId: string
}

/** Config types Nacos knows (ConfigType); anything else is stored as `text`, as Nacos does. */
export const CONFIG_TYPES = ['text', 'json', 'xml', 'yaml', 'html', 'properties', 'toml', 'unset'] as const
export type ConfigType = (typeof CONFIG_TYPES)[number]
export const DEFAULT_CONFIG_TYPE: ConfigType = 'text'

export const isConfigType = (value: string): value is ConfigType => (CONFIG_TYPES as readonly string[]).includes(value)

/**
 * One string per service, for maps and sets (wake-up registries in the server). U+0002 cannot
 * occur in a namespace or a service name, so the join is unambiguous.
 */
export const serviceKeyId = (k: ServiceKey): string => `${k.namespace}\u0002${k.service}`

/** One string per config key, for maps and sets; unambiguous for the same reason. */
export const configKeyId = (k: ConfigKey): string => `${k.namespace}\u0002${k.group}\u0002${k.dataId}`

/** Nacos's instanceId: `ip#port#cluster#group@@service` (the "simple" generator). */
export const instanceIdOf = (k: InstanceKey): string => `${k.ip}#${k.port}#${k.cluster}#${k.service}`

/** Split a grouped name at its (single) `@@`. Callers pass names that were validated. */
export function splitGroupedName(grouped: string): { group: string; name: string } {
  const at = grouped.indexOf(GROUP_SEPARATOR)
  if (at < 0) return { group: DEFAULT_GROUP, name: grouped }
  return { group: grouped.slice(0, at), name: grouped.slice(at + GROUP_SEPARATOR.length) }
}

/**
 * Code-unit order for strings. Used for every sort that reaches a snapshot or a reply, because
 * `localeCompare` depends on the host's ICU data and locale: two nodes could sort differently.
 */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
