import { createServer } from 'node:net'

/** Lowest HTTP port handed out, so that its Raft port (HTTP − 1000) stays unprivileged. */
const MIN_HTTP_PORT = 20_000

/** Resolve true when `port` can be bound on `host` right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', () => resolve(false))
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)))
  })
}

/** A port the OS considers free on `host` (bind to 0, read it, release it). */
export function ephemeralPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
}

/**
 * Allocate `count` HTTP ports whose Raft partner (port − 1000) is free too, distinct from
 * each other and from `avoid`. Ports come from the OS's ephemeral range, so parallel labs
 * and tests rarely collide; a collision still shows up as a clear bind error at spawn.
 */
export async function allocateNodePorts(
  count: number,
  { host = '127.0.0.1', avoid = new Set<number>(), attempts = 200 } = {}
): Promise<number[]> {
  const picked: number[] = []
  const taken = new Set(avoid)
  for (let i = 0; picked.length < count; i++) {
    if (i >= attempts) throw new Error(`could not find ${count} free port pairs on ${host} after ${attempts} tries`)
    const p = await ephemeralPort(host)
    const raft = p - 1000
    if (p < MIN_HTTP_PORT || taken.has(p) || taken.has(raft)) continue
    if (!(await isPortFree(raft, host))) continue
    taken.add(p).add(raft)
    picked.push(p)
  }
  return picked
}
