/**
 * Load a node's configuration from its home directory, the way a Nacos node reads
 * `${nacos.home}/conf`: cluster.conf for the membership, application.properties for itself.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ApplicationProperties, parseApplicationProperties, PROPERTY_KEYS, type LogLevelName } from './application-properties'
import { parseClusterConf, type ClusterConfMember } from './cluster-conf'
import { ConfError } from './conf-error'

/** Everything node-core needs from its conf files, validated. */
export interface NodeConfig {
  /** Absolute home directory; conf/ and logs/ live under it. */
  home: string
  /** Absolute paths of the files read, for messages and logs. */
  files: { clusterConf: string; properties: string }
  /** Members in cluster.conf order. Invariant: non-empty, no duplicates, includes `self`. */
  members: ClusterConfMember[]
  /** This node: the member whose address is `<advertisedIp>:<httpPort>`. */
  self: ClusterConfMember
  /** Where the HTTP server binds (`server.address`). */
  bindAddress: string
  /** The ip other members know this node by (`nacos.inetutils.ip-address`). */
  advertisedIp: string
  /** HTTP port (`server.port`). */
  httpPort: number
  /** Raft peer port: `httpPort − 1000`. */
  raftPort: number
  /** Root log level (`logging.level.root`). */
  logLevel: LogLevelName
  /** All properties, unknown keys included, for later features. */
  properties: ApplicationProperties
  /** Legal but suspicious settings, for the startup log. */
  warnings: string[]
}

/** Paths of the two conf files under `home`. */
export function confFiles(home: string): { clusterConf: string; properties: string } {
  const dir = join(resolve(home), 'conf')
  return { clusterConf: join(dir, 'cluster.conf'), properties: join(dir, 'application.properties') }
}

/**
 * Read and validate `home/conf/cluster.conf` and `home/conf/application.properties`.
 * Throws {@link ConfError} naming the full path (and line) of the first problem.
 */
export function loadNodeConfig(home: string): NodeConfig {
  const absHome = resolve(home)
  const files = confFiles(absHome)
  const clusterText = readConfFile(files.clusterConf)
  const propertiesText = readConfFile(files.properties)

  const cluster = parseClusterConf(clusterText, { file: files.clusterConf })
  const properties = parseApplicationProperties(propertiesText, { file: files.properties })
  const httpPort = properties.serverPort
  const advertisedIp = properties.advertisedIp
  const bindAddress = properties.serverAddress
  const logLevel = properties.logLevel

  const selfAddress = `${advertisedIp}:${httpPort}`
  const self = cluster.members.find((m) => m.address === selfAddress)
  if (!self) {
    throw new ConfError(
      'CONF_SELF_NOT_MEMBER',
      files.clusterConf,
      `this node's address ${selfAddress} (${PROPERTY_KEYS.advertisedIp}:${PROPERTY_KEYS.serverPort} in ${files.properties}) ` +
        `is not a member; members are ${cluster.members.map((m) => m.address).join(', ')}`
    )
  }

  const warnings: string[] = []
  if (isLoopback(bindAddress) && !isLoopback(advertisedIp)) {
    warnings.push(
      `${PROPERTY_KEYS.serverAddress} ${bindAddress} is loopback but this node is advertised as ${advertisedIp}; ` +
        'members on other hosts cannot reach it'
    )
  }

  return {
    home: absHome,
    files,
    members: cluster.members,
    self,
    bindAddress,
    advertisedIp,
    httpPort,
    raftPort: self.raftPort,
    logLevel,
    properties,
    warnings
  }
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === 'localhost' || host === '::1'
}

function readConfFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ConfError('CONF_MISSING', path, 'file not found', { cause: err })
    const why = code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message)
    throw new ConfError('CONF_UNREADABLE', path, `cannot read: ${why}`, { cause: err })
  }
}
