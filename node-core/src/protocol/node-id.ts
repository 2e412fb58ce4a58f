/**
 * Raft node ids for cluster members. Nacos names a member by `ip:port` (cluster.conf) and
 * has no numeric id, so we derive one that every node computes the same way and that never
 * changes when members come and go (an id from the line number would):
 *   - IPv4 `a.b.c.d:port` → (a.b.c.d as a 32-bit number) × 65536 + port, readable back;
 *   - anything else (a hostname) → 2^48 + a 48-bit FNV-1a hash of the address.
 * Both are below 2^53, so they are exact JavaScript numbers and fit the frame header.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

export class NodeIdError extends Error {
  readonly code = 'NODE_ID'
  constructor(message: string) {
    super(message)
    this.name = 'NodeIdError'
  }
}

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':')
  const port = i > 0 ? Number(address.slice(i + 1)) : NaN
  if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new NodeIdError(`"${address}" is not a member address (ip:port)`)
  }
  return { host: address.slice(0, i), port }
}

export function nodeIdOf(address: string): number {
  const { host, port } = splitAddress(address)
  const m = IPV4.exec(host)
  if (m) {
    const octets = m.slice(1).map(Number)
    if (octets.some((o) => o > 255)) throw new NodeIdError(`"${address}" has an octet above 255`)
    const ip = ((octets[0]! * 256 + octets[1]!) * 256 + octets[2]!) * 256 + octets[3]!
    return ip * 65536 + port
  }
  // FNV-1a over the UTF-16 code units, folded to 48 bits.
  let h = 0xcbf29ce4
  let l = 0x84222325
  for (let k = 0; k < address.length; k++) {
    l ^= address.charCodeAt(k)
    // Multiply the 64-bit (h, l) by the FNV prime 0x100000001b3, keeping 64 bits.
    const lo = l * 0x1b3
    const hi = h * 0x1b3 + l * 0x100 + Math.floor(lo / 2 ** 32)
    l = lo >>> 0
    h = hi >>> 0
  }
  return 2 ** 48 + (h & 0xffff) * 2 ** 32 + l
}

/** The address of an IPv4-derived id, or undefined for a hashed one. */
export function addressOfNodeId(id: number): string | undefined {
  if (!Number.isSafeInteger(id) || id <= 0 || id >= 2 ** 48) return undefined
  const port = id % 65536
  let ip = Math.floor(id / 65536)
  const octets: number[] = []
  for (let k = 0; k < 4; k++) {
    octets.unshift(ip % 256)
    ip = Math.floor(ip / 256)
  }
  return `${octets.join('.')}:${port}`
}
