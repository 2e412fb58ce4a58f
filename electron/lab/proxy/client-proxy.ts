/**
 * The proxy in front of one node's HTTP port, for clients (the workload, your own SDK). It
 * cannot see messages inside an HTTP stream, so faults act per connection and per chunk:
 * black hole (bytes held, connection open), reset (connections closed, new ones refused),
 * delay with jitter per chunk in both directions (order kept), and drop % meaning a new
 * connection is reset at once (dropping bytes inside a stream would only corrupt it).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { HEALTHY_LINK, type LinkFault, type LinkStats } from '../api'
import { DelayedWriter } from './delayed-writer'
import { seededRandom } from './link-fault'
import { MAX_HELD_BYTES } from './peer-proxy'

interface Conn {
  client: Socket
  node: Socket
  up: DelayedWriter
  down: DelayedWriter
  held: { toNode: boolean; bytes: Uint8Array }[]
  heldBytes: number
}

export class ClientProxy {
  private server: Server | null = null
  private readonly conns = new Set<Conn>()
  private fault: LinkFault = HEALTHY_LINK
  private readonly rand: () => number
  private port = 0
  private readonly counters = { passed: 0, bytes: 0, dropped: 0, delayed: 0, connections: 0 }

  constructor(
    nodeId: number,
    private readonly target: { host: string; port: number }
  ) {
    this.rand = seededRandom(nodeId * 7919)
  }

  async listen(host = '127.0.0.1', port = 0): Promise<number> {
    const server = createServer((s) => this.accept(s))
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host, port }, () => resolve())
    })
    this.port = (server.address() as { port: number }).port
    return this.port
  }

  get listenPort(): number {
    return this.port
  }

  get currentFault(): LinkFault {
    return this.fault
  }

  setFault(f: LinkFault): void {
    const was = this.fault
    this.fault = f
    if (f.cut === 'reset') {
      for (const c of [...this.conns]) this.drop(c)
      return
    }
    if (was.cut === 'blackhole' && f.cut !== 'blackhole') {
      for (const c of this.conns) {
        const held = c.held
        c.held = []
        c.heldBytes = 0
        for (const h of held) this.pass(c, h.toNode, h.bytes)
      }
    }
  }

  stats(): LinkStats {
    let held = 0
    for (const c of this.conns) held += c.held.length
    return { passed: this.counters.passed, bytes: this.counters.bytes, dropped: this.counters.dropped, duplicated: 0, held, delayed: this.counters.delayed, connections: this.conns.size }
  }

  async close(): Promise<void> {
    for (const c of [...this.conns]) this.drop(c)
    const s = this.server
    this.server = null
    if (s) await new Promise<void>((r) => s.close(() => r()))
  }

  private accept(client: Socket): void {
    if (this.fault.cut === 'reset' || (this.fault.dropPct > 0 && this.rand() * 100 < this.fault.dropPct)) {
      this.counters.dropped++
      client.resetAndDestroy()
      return
    }
    this.counters.connections++
    client.setNoDelay(true)
    const node = createConnection({ host: this.target.host, port: this.target.port })
    node.setNoDelay(true)
    const c: Conn = { client, node, up: new DelayedWriter(node, client), down: new DelayedWriter(client, node), held: [], heldBytes: 0 }
    this.conns.add(c)
    const end = (): void => this.drop(c)
    for (const s of [client, node]) {
      s.on('error', end)
      s.on('close', end)
    }
    client.on('data', (d: Buffer) => this.chunk(c, true, d))
    node.on('data', (d: Buffer) => this.chunk(c, false, d))
  }

  private chunk(c: Conn, toNode: boolean, bytes: Uint8Array): void {
    if (this.fault.cut === 'blackhole') {
      if (c.heldBytes + bytes.length > MAX_HELD_BYTES) {
        this.counters.dropped++
        return
      }
      c.held.push({ toNode, bytes })
      c.heldBytes += bytes.length
      return
    }
    this.pass(c, toNode, bytes)
  }

  private pass(c: Conn, toNode: boolean, bytes: Uint8Array): void {
    const delay = this.fault.delayMs + (this.fault.jitterMs > 0 ? this.rand() * this.fault.jitterMs : 0)
    if (delay > 0) this.counters.delayed++
    ;(toNode ? c.up : c.down).write(bytes, delay)
    this.counters.passed++
    this.counters.bytes += bytes.length
  }

  private drop(c: Conn): void {
    if (!this.conns.delete(c)) return
    c.up.close()
    c.down.close()
    c.client.destroy()
    c.node.destroy()
  }
}
