/**
 * Every link proxy of a cluster: one per directed peer link (a → b) and one per node for
 * clients. It writes each node's routing file (`<home>/conf/routing.json`: "to reach member
 * b, dial the proxy a → b"), so all peer traffic goes through the lab, and applies faults and
 * partition presets. Every change is reported through `onEvent`.
 */
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HEALTHY_LINK, type LinkFault, type LinkInfo, type LinkKind, type NodeId } from '../api'
import { ClientProxy } from './client-proxy'
import { isHealthy, normalizeFault } from './link-fault'
import { PeerProxy } from './peer-proxy'
import { linkKey, type DirectedLink } from './topology'

export interface ProxiedNode {
  id: NodeId
  /** Member address `ip:httpPort`. */
  address: string
  host: string
  httpPort: number
  raftPort: number
  home: string
}

export type LinkEvent =
  | { type: 'link.fault'; kind: LinkKind; from: NodeId; to: NodeId; fault: LinkFault }
  | { type: 'link.healed'; kind: LinkKind; from: NodeId; to: NodeId }

export interface ProxySetOptions {
  host?: string
  onEvent?: (e: LinkEvent) => void
  onProblem?: (what: string) => void
}

export class ProxySet {
  private readonly nodes = new Map<NodeId, ProxiedNode>()
  private readonly peers = new Map<string, PeerProxy>()
  private readonly clients = new Map<NodeId, ClientProxy>()
  private readonly host: string

  constructor(private readonly opts: ProxySetOptions = {}) {
    this.host = opts.host ?? '127.0.0.1'
  }

  /** Proxies for these nodes (and links between them), routing files written. */
  async addNodes(nodes: readonly ProxiedNode[]): Promise<void> {
    for (const n of nodes) this.nodes.set(n.id, n)
    for (const a of this.nodes.values()) {
      for (const b of this.nodes.values()) {
        if (a.id === b.id || this.peers.has(linkKey(a.id, b.id))) continue
        const p = new PeerProxy({ from: a.id, to: b.id, target: { host: b.host, port: b.raftPort }, onProblem: this.opts.onProblem })
        await p.listen(this.host)
        this.peers.set(linkKey(a.id, b.id), p)
      }
      if (!this.clients.has(a.id)) {
        const c = new ClientProxy(a.id, { host: a.host, port: a.httpPort })
        await c.listen(this.host)
        this.clients.set(a.id, c)
      }
    }
    this.writeRoutingFiles()
  }

  /** Scale in: the node's proxies close and nobody routes to it any more. */
  async removeNode(id: NodeId): Promise<void> {
    this.nodes.delete(id)
    for (const [k, p] of [...this.peers]) {
      if (k.startsWith(`${id}->`) || k.endsWith(`->${id}`)) {
        this.peers.delete(k)
        await p.close()
      }
    }
    await this.clients.get(id)?.close()
    this.clients.delete(id)
    this.writeRoutingFiles()
  }

  /** host:port a client should use to reach node `id` (through its client proxy). */
  clientAddress(id: NodeId): string | undefined {
    const c = this.clients.get(id)
    return c ? `${this.host}:${c.listenPort}` : undefined
  }

  setLink(from: NodeId, to: NodeId, fault: Partial<LinkFault>): void {
    const p = this.peer(from, to)
    const f = normalizeFault(fault)
    p.setFault(f)
    this.opts.onEvent?.(isHealthy(f) ? { type: 'link.healed', kind: 'peer', from, to } : { type: 'link.fault', kind: 'peer', from, to, fault: f })
  }

  setClientLink(nodeId: NodeId, fault: Partial<LinkFault>): void {
    const c = this.clients.get(nodeId)
    if (!c) throw new RangeError(`no client link to node ${nodeId}`)
    const f = normalizeFault(fault)
    c.setFault(f)
    this.opts.onEvent?.(isHealthy(f) ? { type: 'link.healed', kind: 'client', from: 0, to: nodeId } : { type: 'link.fault', kind: 'client', from: 0, to: nodeId, fault: f })
  }

  /** Cut exactly these links (others are left as they are). */
  cut(links: readonly DirectedLink[], mode: 'blackhole' | 'reset'): void {
    for (const [a, b] of links) this.setLink(a, b, { cut: mode })
  }

  heal(from: NodeId, to: NodeId): void {
    this.setLink(from, to, HEALTHY_LINK)
  }

  /** Every faulty link (peer and client) back to healthy; healthy ones are left alone (no event). */
  healAll(): void {
    for (const [k, p] of this.peers) {
      if (isHealthy(p.currentFault)) continue
      const [a, b] = k.split('->').map(Number) as [number, number]
      this.heal(a, b)
    }
    for (const [id, c] of this.clients) if (!isHealthy(c.currentFault)) this.setClientLink(id, HEALTHY_LINK)
  }

  links(): LinkInfo[] {
    const out: LinkInfo[] = []
    for (const [k, p] of this.peers) {
      const [from, to] = k.split('->').map(Number) as [number, number]
      out.push({ kind: 'peer', from, to, listen: `${this.host}:${p.listenPort}`, fault: p.currentFault, stats: p.stats() })
    }
    for (const [id, c] of this.clients) out.push({ kind: 'client', from: 0, to: id, listen: `${this.host}:${c.listenPort}`, fault: c.currentFault, stats: c.stats() })
    return out.sort((x, y) => (x.kind === y.kind ? x.from - y.from || x.to - y.to : x.kind === 'peer' ? -1 : 1))
  }

  async close(): Promise<void> {
    await Promise.all([...this.peers.values(), ...this.clients.values()].map((p) => p.close()))
    this.peers.clear()
    this.clients.clear()
  }

  private peer(from: NodeId, to: NodeId): PeerProxy {
    const p = this.peers.get(linkKey(from, to))
    if (!p) throw new RangeError(`no link ${from} → ${to}`)
    return p
  }

  /** Each node a: member b → proxy a→b. Written atomically (temp + rename): node-core follows it live. */
  private writeRoutingFiles(): void {
    for (const a of this.nodes.values()) {
      const routes: Record<string, string> = {}
      for (const b of this.nodes.values()) {
        const p = this.peers.get(linkKey(a.id, b.id))
        if (p) routes[b.address] = `${this.host}:${p.listenPort}`
      }
      const file = join(a.home, 'conf', 'routing.json')
      const tmp = `${file}.tmp`
      writeFileSync(tmp, `${JSON.stringify(routes, null, 2)}\n`)
      renameSync(tmp, file)
    }
  }
}
