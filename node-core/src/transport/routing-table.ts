/**
 * Where to dial each peer. By default a member `ip:port` (its HTTP address, as cluster.conf
 * names it) is dialed at `ip:(port − 1000)`, its Raft port. The lab may supply a routing file
 * that sends some or all members through its link proxies instead:
 *
 *     { "127.0.0.1:28848": "127.0.0.1:41001", "127.0.0.1:28849": "127.0.0.1:41002" }
 *
 * Keys are member addresses exactly as in cluster.conf; values are `host:port` to dial.
 * cluster.conf stays the canonical membership: a route for a non-member is simply unused.
 * Pure: parsing and lookup only (routing-watcher.ts reads and watches the file).
 */
import { checkHost, parsePort } from '../conf/address'
import { raftPortFor } from '../protocol/admin'
import { TransportError } from './errors'

export interface DialTarget {
  host: string
  port: number
}

/** Member address → dial target. */
export type RoutingTable = ReadonlyMap<string, DialTarget>

export const EMPTY_ROUTES: RoutingTable = new Map()

export const formatTarget = (t: DialTarget): string => `${t.host}:${t.port}`

export const sameTarget = (a: DialTarget, b: DialTarget): boolean => a.host === b.host && a.port === b.port

/** Split `host:port`, or return why it is not one. */
export function splitHostPort(text: string): DialTarget | string {
  const i = text.lastIndexOf(':')
  if (i <= 0) return `"${text}" is not host:port`
  const host = text.slice(0, i)
  const hostProblem = checkHost(host)
  if (hostProblem) return `"${text}": ${hostProblem}`
  const port = parsePort(text.slice(i + 1))
  if (!port.ok) return `"${text}": ${port.problem}`
  return { host, port: port.port }
}

/** A member's own Raft address: its ip and HTTP port − 1000. Throws INVALID_PEER. */
export function defaultDialTarget(memberAddress: string): DialTarget {
  const t = splitHostPort(memberAddress)
  if (typeof t === 'string') throw new TransportError('INVALID_PEER', `member address ${t}`)
  const port = raftPortFor(t.port)
  if (port < 1) {
    throw new TransportError('INVALID_PEER', `member address "${memberAddress}": HTTP port ${t.port} leaves no Raft port (HTTP port − 1000)`)
  }
  return { host: t.host, port }
}

/** The target for `memberAddress`: its route when there is one, else its own Raft port. */
export function resolveTarget(routes: RoutingTable, memberAddress: string): { target: DialTarget; routed: boolean } {
  const routed = routes.get(memberAddress)
  return routed ? { target: routed, routed: true } : { target: defaultDialTarget(memberAddress), routed: false }
}

/**
 * Parse the routing file's text. Throws TransportError('ROUTING_FILE') naming the file and the
 * field that is wrong, so the lab (or a person editing the file) sees exactly what to fix.
 */
export function parseRoutingTable(text: string, file: string): RoutingTable {
  const fail = (what: string): never => {
    throw new TransportError('ROUTING_FILE', `routing file ${file}: ${what}`)
  }
  if (text.trim() === '') fail('is empty; write {} for no routes')
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    fail(`is not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    fail(`must be a JSON object mapping member addresses to "host:port", got ${Array.isArray(doc) ? 'an array' : JSON.stringify(doc)}`)
  }
  const routes = new Map<string, DialTarget>()
  for (const [member, value] of Object.entries(doc as Record<string, unknown>)) {
    const key = splitHostPort(member)
    if (typeof key === 'string') fail(`key ${JSON.stringify(member)} is not a member address (ip:port as in cluster.conf): ${key}`)
    if (typeof value !== 'string') fail(`"${member}" must map to a "host:port" string, got ${JSON.stringify(value)}`)
    const target = splitHostPort(value as string)
    if (typeof target === 'string') fail(`"${member}" maps to an address that cannot be dialed: ${target}`)
    routes.set(member, target as DialTarget)
  }
  return routes
}

/** True when both tables route every member to the same place. */
export function sameRoutes(a: RoutingTable, b: RoutingTable): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) {
    const w = b.get(k)
    if (!w || !sameTarget(v, w)) return false
  }
  return true
}
