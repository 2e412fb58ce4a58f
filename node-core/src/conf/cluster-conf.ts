/**
 * Parser for Nacos's `conf/cluster.conf`: the canonical membership of the cluster.
 *
 * Format (as Nacos's EnvUtil.analyzeClusterConf and MemberUtil.singleParse read it):
 *
 *     # whole-line comment
 *     10.0.0.1:8848            # trailing comment
 *     10.0.0.2                 # port defaults to 8848
 *     10.0.0.3:8848,10.0.0.4:8848
 *     10.0.0.5:8848?raft_port=7848   # Nacos 1.x suffix, recorded only
 *
 * A member's identity is `ip:port` of its HTTP API; its Raft port is always port − 1000
 * (ARCHITECTURE.md), so `?raft_port=` is accepted for old files but does not change it.
 */
import { checkHost, parsePort } from './address'
import { ConfError } from './conf-error'
import { raftPortFor } from '../protocol/admin'

/** Port of a member written without one (`10.0.0.2`), Nacos's default. */
export const DEFAULT_MEMBER_PORT = 8848

/** One member line (or comma-separated item) of cluster.conf. */
export interface ClusterConfMember {
  /** The host as written; hostnames are lower-cased because DNS names ignore case. */
  ip: string
  /** HTTP port: the member's identity together with `ip`. */
  port: number
  /** `ip:port`, the form Nacos uses everywhere to name a member. */
  address: string
  /** Raft peer port, always `port − 1000`. */
  raftPort: number
  /**
   * The Nacos 1.x `?raft_port=N` suffix when the file has one. Recorded so tools can show
   * it; node-core itself always uses {@link raftPort}.
   */
  legacyRaftPort?: number
  /** 1-based line in the file, for error messages that point back at it. */
  line: number
}

/** A parsed cluster.conf. Invariant: `members` is non-empty, in file order, without duplicates. */
export interface ClusterConf {
  file: string
  members: ClusterConfMember[]
}

/** Options for {@link parseClusterConf}. */
export interface ClusterConfParseOptions {
  /** How errors name the file. Default `conf/cluster.conf`. */
  file?: string
  /** Port for members written without one. Default {@link DEFAULT_MEMBER_PORT}. */
  defaultPort?: number
}

/**
 * Parse cluster.conf text. Throws {@link ConfError} (with file and line) on the first
 * problem: a malformed or invalid member, a duplicate, ports that collide, or no members.
 */
export function parseClusterConf(text: string, options: ClusterConfParseOptions = {}): ClusterConf {
  const file = options.file ?? 'conf/cluster.conf'
  const defaultPort = options.defaultPort ?? DEFAULT_MEMBER_PORT
  const members: ClusterConfMember[] = []
  const byAddress = new Map<string, ClusterConfMember>()
  // host:port → the member whose Raft port it is, to catch an HTTP port landing on a Raft port.
  const byRaftAddress = new Map<string, ClusterConfMember>()

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  lines.forEach((raw, index) => {
    const line = index + 1
    const hash = raw.indexOf('#')
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim()
    if (content === '') return

    for (const item of content.split(',')) {
      const token = item.trim()
      if (token === '') {
        throw new ConfError('CONF_MALFORMED', file, `"${content}" has an empty member between commas`, { line })
      }
      const member = parseMember(token, line, file, defaultPort)

      const first = byAddress.get(member.address)
      if (first) {
        const same = token === first.address ? '' : ` (${member.address})`
        throw new ConfError(
          'CONF_DUPLICATE',
          file,
          `"${token}"${same} is listed twice; first on line ${first.line}`,
          { line }
        )
      }
      const raftOwner = byRaftAddress.get(member.address)
      if (raftOwner) {
        throw invalid(file, line, token, `port ${member.port} is the Raft port of ${raftOwner.address} (line ${raftOwner.line})`)
      }
      const httpOwner = byAddress.get(`${member.ip}:${member.raftPort}`)
      if (httpOwner) {
        throw invalid(file, line, token, `its Raft port ${member.raftPort} is the HTTP port of ${httpOwner.address} (line ${httpOwner.line})`)
      }

      members.push(member)
      byAddress.set(member.address, member)
      byRaftAddress.set(`${member.ip}:${member.raftPort}`, member)
    }
  })

  if (members.length === 0) {
    throw new ConfError('CONF_EMPTY', file, 'no members: list each member as ip:port, one per line')
  }
  return { file, members }
}

function invalid(file: string, line: number, token: string, problem: string): ConfError {
  return new ConfError('CONF_INVALID', file, `"${token}" is not a valid member: ${problem}`, { line })
}

function malformed(file: string, line: number, token: string, problem: string): ConfError {
  return new ConfError('CONF_MALFORMED', file, `"${token}" is not a valid member: ${problem}`, { line })
}

/** Parse one `host[:port][?raft_port=N]` token. */
function parseMember(token: string, line: number, file: string, defaultPort: number): ClusterConfMember {
  if (/\s/.test(token)) throw malformed(file, line, token, 'separate members with commas or newlines, not spaces')

  const q = token.indexOf('?')
  const hostPort = q >= 0 ? token.slice(0, q) : token
  const legacyRaftPort = q >= 0 ? parseSuffix(token.slice(q + 1), token, line, file) : undefined

  if (hostPort.startsWith('[') || hostPort.split(':').length > 2) {
    // More than one colon can only be an IPv6 literal (or a typo); Raft peers here are IPv4.
    if (hostPort.startsWith('[') || /^[0-9a-f:.]+$/i.test(hostPort)) {
      throw invalid(file, line, token, 'IPv6 addresses are not supported; use an IPv4 address or a hostname')
    }
    throw malformed(file, line, token, 'expected ip:port')
  }

  const colon = hostPort.indexOf(':')
  const host = colon >= 0 ? hostPort.slice(0, colon) : hostPort
  if (host === '') throw malformed(file, line, token, 'host is empty')
  const hostProblem = checkHost(host)
  if (hostProblem) throw invalid(file, line, token, hostProblem)

  let port = defaultPort
  if (colon >= 0) {
    const parsed = parsePort(hostPort.slice(colon + 1))
    if (!parsed.ok) {
      const shape = parsed.problem === 'port is empty'
      throw (shape ? malformed : invalid)(file, line, token, parsed.problem)
    }
    port = parsed.port
  }
  const raftPort = raftPortFor(port)
  if (raftPort < 1) {
    throw invalid(file, line, token, `port ${port} leaves no Raft port (port - 1000 must be at least 1)`)
  }

  const ip = host.toLowerCase()
  const member: ClusterConfMember = { ip, port, address: `${ip}:${port}`, raftPort, line }
  if (legacyRaftPort !== undefined) member.legacyRaftPort = legacyRaftPort
  return member
}

/** Parse the Nacos 1.x query suffix; only `raft_port` is understood. */
function parseSuffix(query: string, token: string, line: number, file: string): number | undefined {
  if (query === '') throw malformed(file, line, token, 'nothing after "?"')
  let raftPort: number | undefined
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw malformed(file, line, token, `"${pair}" is not key=value`)
    const key = pair.slice(0, eq)
    if (key !== 'raft_port') throw invalid(file, line, token, `unknown parameter "${key}" (only raft_port is understood)`)
    const parsed = parsePort(pair.slice(eq + 1))
    if (!parsed.ok) throw invalid(file, line, token, `raft_port: ${parsed.problem}`)
    raftPort = parsed.port
  }
  return raftPort
}
