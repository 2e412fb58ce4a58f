import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/** Lowest HTTP port handed out, so that its Raft port (HTTP − 1000) stays unprivileged. */
export const MIN_HTTP_PORT = 20_000

/** Resolve true when `port` can be bound on `host` right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', () => resolve(false))
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)))
  })
}

/**
 * The first port of the OS's ephemeral (source-port) range. A port picked now and bound later
 * by a child must lie below it: inside the range, any outgoing connection made meanwhile (the
 * workload, a proxy, another test) may take it as its source port and the child's bind fails.
 */
export function ephemeralRangeStart(): number {
  if (process.platform === 'linux') {
    try {
      const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
      if (Number.isInteger(low) && low > 1024) return low
    } catch {
      // No procfs: fall through to the usual default.
    }
    return 32_768
  }
  // macOS, Windows and the IANA suggestion.
  return 49_152
}

/**
 * Allocate `count` HTTP ports whose Raft partner (port − 1000) is free too, distinct from
 * each other and from `avoid`. Both lie below the ephemeral range (see ephemeralRangeStart),
 * picked at random so parallel labs and tests rarely try the same one; each is checked free
 * right before it is handed out, and a collision still shows up as a clear bind error at spawn.
 */
export async function allocateNodePorts(
  count: number,
  { host = '127.0.0.1', avoid = new Set<number>(), attempts = 500 } = {}
): Promise<number[]> {
  const high = Math.max(ephemeralRangeStart(), MIN_HTTP_PORT + 2_000)
  const picked: number[] = []
  const taken = new Set(avoid)
  for (let i = 0; picked.length < count; i++) {
    if (i >= attempts) throw new Error(`could not find ${count} free port pairs on ${host} after ${attempts} tries`)
    const p = MIN_HTTP_PORT + Math.floor(Math.random() * (high - MIN_HTTP_PORT))
    const raft = p - 1000
    if (taken.has(p) || taken.has(raft)) continue
    if (!(await isPortFree(p, host)) || !(await isPortFree(raft, host))) continue
    taken.add(p).add(raft)
    picked.push(p)
  }
  return picked
}
