/**
 * The lab's side of the proxy host: starts the host process (the standalone bundle
 * out/proxy-host/index.cjs) and offers the ProxySet's operations as async calls. Client
 * addresses are cached here, since the workload asks for them often.
 */
import type { ChildProcess } from 'node:child_process'
import type { LinkFault, LinkInfo, NodeId } from '../api'
import { spawnNodeScript } from '../cluster/node-process'
import { LabServiceError } from '../errors'
import type { FromHost, HostCalls, HostMethod } from './host-protocol'
import type { LinkEvent, ProxiedNode } from './proxy-set'
import type { DirectedLink } from './topology'

export interface ProxyHostOptions {
  script: string
  onEvent: (e: LinkEvent) => void
  onProblem: (what: string) => void
}

export class ProxyHost {
  private child: ChildProcess | null = null
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private readonly clients = new Map<NodeId, string>()

  private constructor(private readonly opts: ProxyHostOptions) {}

  static async start(opts: ProxyHostOptions): Promise<ProxyHost> {
    const host = new ProxyHost(opts)
    await host.spawn()
    return host
  }

  get pid(): number | null {
    return this.child?.pid ?? null
  }

  private spawn(): Promise<void> {
    const child = spawnNodeScript(this.opts.script, { args: [] })
    this.child = child
    child.stdout?.resume()
    child.stderr?.on('data', (d: Buffer) => this.opts.onProblem(`proxy host: ${d.toString().trim()}`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new LabServiceError('SPAWN_FAILED', 'the proxy host did not start within 10 s')), 10_000)
      child.once('error', (err) => {
        clearTimeout(timer)
        reject(new LabServiceError('SPAWN_FAILED', `cannot start the proxy host (${this.opts.script}): ${err.message}`))
      })
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        for (const p of this.pending.values()) p.reject(new LabServiceError('INTERNAL', `the proxy host exited (${signal ?? `code ${code}`})`))
        this.pending.clear()
        this.child = null
        reject(new LabServiceError('SPAWN_FAILED', `the proxy host exited at start (${signal ?? `code ${code}`})`))
      })
      child.on('message', (m: FromHost) => {
        if (m.type === 'ready') {
          clearTimeout(timer)
          resolve()
        } else if (m.type === 'event') this.opts.onEvent(m.event)
        else if (m.type === 'problem') this.opts.onProblem(m.what)
        else {
          const p = this.pending.get(m.id)
          this.pending.delete(m.id)
          if (!p) return
          if (m.ok) p.resolve(m.value)
          else p.reject(new LabServiceError('INVALID_ARGUMENT', m.error))
        }
      })
    })
  }

  private call<M extends HostMethod>(method: M, ...args: HostCalls[M]['args']): Promise<HostCalls[M]['result']> {
    const child = this.child
    if (!child || !child.connected) return Promise.reject(new LabServiceError('INTERNAL', 'the proxy host is not running'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      child.send({ id, method, args })
    })
  }

  async addNodes(nodes: ProxiedNode[]): Promise<void> {
    const addresses = await this.call('addNodes', nodes)
    for (const [id, a] of Object.entries(addresses)) this.clients.set(Number(id), a)
  }

  async removeNode(id: NodeId): Promise<void> {
    await this.call('removeNode', id)
    this.clients.delete(id)
  }

  clientAddress(id: NodeId): string | undefined {
    return this.clients.get(id)
  }

  setLink(from: NodeId, to: NodeId, fault: Partial<LinkFault>): Promise<null> {
    return this.call('setLink', from, to, fault)
  }

  setClientLink(id: NodeId, fault: Partial<LinkFault>): Promise<null> {
    return this.call('setClientLink', id, fault)
  }

  cut(links: DirectedLink[], mode: 'blackhole' | 'reset'): Promise<null> {
    return this.call('cut', links, mode)
  }

  heal(from: NodeId, to: NodeId): Promise<null> {
    return this.call('heal', from, to)
  }

  healAll(): Promise<null> {
    return this.call('healAll')
  }

  links(): Promise<LinkInfo[]> {
    return this.call('links')
  }

  async close(): Promise<void> {
    const child = this.child
    if (!child) return
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    await Promise.race([this.call('close').catch(() => null), new Promise((r) => setTimeout(r, 2000))])
    const t = setTimeout(() => child.kill('SIGKILL'), 2000)
    await exited
    clearTimeout(t)
  }

  /** Last resort (process exit): no waiting. */
  killSync(): void {
    try {
      this.child?.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
}
