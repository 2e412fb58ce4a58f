/**
 * Validation shared by cluster.conf and application.properties: what counts as a host and a
 * port. Each check returns the problem as text (or undefined when the value is fine) so the
 * caller can wrap it in a ConfError carrying the file and line.
 */
import { isIPv4, isIPv6 } from 'node:net'

/** Lowest and highest TCP port. */
export const MIN_PORT = 1
export const MAX_PORT = 65_535

const HOSTNAME_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** Options for {@link checkHost}. */
export interface HostCheckOptions {
  /**
   * Accept `0.0.0.0` and IPv6 literals: right for a bind address, wrong for an address other
   * members dial.
   */
  bindable?: boolean
}

/**
 * Why `host` is not an IPv4 address or an RFC 1123 hostname, or undefined when it is one.
 * All-numeric dotted text must be a valid IPv4 address, so `256.1.1.1` is refused rather than
 * taken for a hostname.
 */
export function checkHost(host: string, { bindable = false }: HostCheckOptions = {}): string | undefined {
  if (host === '') return 'host is empty'
  if (isIPv4(host)) {
    if (host === '0.0.0.0' && !bindable) return '0.0.0.0 is not an address other members can reach'
    return undefined
  }
  if (host.includes(':') || host.startsWith('[')) {
    if (bindable && isIPv6(host)) return undefined
    return 'IPv6 addresses are not supported; use an IPv4 address or a hostname'
  }
  if (/^[0-9.]+$/.test(host)) return `"${host}" is not a valid IPv4 address`
  if (host.length > 253) return 'hostname is longer than 253 characters'
  const labels = host.endsWith('.') ? host.slice(0, -1).split('.') : host.split('.')
  for (const label of labels) {
    if (!HOSTNAME_LABEL.test(label)) return `"${host}" is not a valid IPv4 address or hostname`
  }
  return undefined
}

/** A port parsed from text, or why it is not one. */
export type PortParse = { ok: true; port: number } | { ok: false; problem: string }

/** Parse a decimal TCP port (1-65535). Signs, blanks inside, hex and fractions are refused. */
export function parsePort(text: string): PortParse {
  if (text === '') return { ok: false, problem: 'port is empty' }
  if (!/^[0-9]+$/.test(text)) return { ok: false, problem: `port must be a number, got "${text}"` }
  const port = Number(text)
  if (port < MIN_PORT || port > MAX_PORT) return { ok: false, problem: `port must be ${MIN_PORT}-${MAX_PORT}` }
  return { ok: true, port }
}
