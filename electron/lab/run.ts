import { dirname, join } from 'node:path'
import { ADMIN_DATA_PATH, ADMIN_LOG_PATH } from '../../node-core/src/protocol/admin'
import type { ClusterInfo, ClusterSettings, DataView, LinkFault, LinkInfo, LogQuery, LogQueryResult, LogWindow, LogWindowRequest, NodeId, NodeInfo, NodeRaftView, PresetRequest } from './api'
import { Cluster, type ClusterOptions } from './cluster/cluster'
import { getJson } from './cluster/http-probe'
import { LabServiceError } from './errors'
import type { EventBus } from './events/event-bus'
import { Recorder } from './events/recorder'
import { TraceFollower } from './events/trace-follower'
import { MessageSampler, TraceMerger } from './events/trace-merger'
import { LogTails } from './logs/log-tails'
import { MetricsScraper } from './metrics/scraper'
import { ProxyHost } from './proxy/proxy-host'
import type { ProxiedNode } from './proxy/proxy-set'
import { bridge, cutBetween, defaultSplit, isolate, majoritiesRing, oneWay, type DirectedLink } from './proxy/topology'

export interface RunOptions extends Omit<ClusterOptions, 'bus'> {
  bus: EventBus
  labVersion: string
  /** The proxy host bundle (default: out/proxy-host/index.cjs beside the node-core bundle). */
  proxyHostScript?: string
}

/** Message events the UI gets per node per second at the seed profile (all of them when teaching). */
const UI_MESSAGE_EVENTS_PER_SECOND = 150

/**
 * One lab run: a cluster and everything that watches or breaks it (log tails, and, wired in
 * the same place, link proxies, trace followers, metrics and the recorder). The Lab holds one
 * run at a time; a new cluster is a new run with its own directory.
 */
export class LabRun {
  readonly logs: LogTails
  proxies!: ProxyHost
  readonly metrics: MetricsScraper
  readonly recorder: Recorder
  private readonly merger = new TraceMerger(100)
  private readonly sampler: MessageSampler
  private readonly followers = new Map<NodeId, TraceFollower>()
  /** The pid each follower's stream belongs to. */
  private readonly pids = new Map<NodeId, number>()
  private readonly pump: ReturnType<typeof setInterval>
  private readonly unsubscribe: () => void

  private constructor(
    readonly cluster: Cluster,
    private readonly bus: EventBus,
    labVersion: string
  ) {
    const info = cluster.info()
    this.recorder = new Recorder(info.dataDir, { runId: info.runId, startedAt: Date.now(), labVersion, nodeVersion: process.version, cluster: info })
    this.sampler = new MessageSampler(info.settings.profile === 'teaching' ? Number.POSITIVE_INFINITY : UI_MESSAGE_EVENTS_PER_SECOND)
    this.logs = new LogTails({
      capacity: 100_000,
      onLines: (lines) => this.recorder.writeMany('logs-index', lines.map((l) => ({ nodeId: l.nodeId, file: l.file, time: l.time, level: l.level })))
    })
    // Lab events to the recording (Raft events come unsampled from the merger instead).
    this.unsubscribe = bus.subscribe(
      (events) => {
        const rec: unknown[] = []
        for (const e of events) {
          if (e.type === 'metrics.sample') this.recorder.write('metrics', e.sample)
          else if (e.type !== 'raft' && e.type !== 'trace.sampled' && e.type !== 'trace.gap' && e.type !== 'trace.reset') rec.push(e)
          // A new process (another pid) starts its trace sequence again.
          if (e.type === 'node.ready') {
            if (this.pids.has(e.nodeId) && this.pids.get(e.nodeId) !== e.pid) this.followers.get(e.nodeId)?.reset()
            this.pids.set(e.nodeId, e.pid)
          }
          if (e.type === 'node.ready' || e.type === 'member.added' || e.type === 'member.removed') this.syncFollowers()
          if (e.type === 'cluster.settings') this.sampler.setBudget(e.settings.profile === 'teaching' ? Number.POSITIVE_INFINITY : UI_MESSAGE_EVENTS_PER_SECOND)
        }
        this.recorder.writeMany('events', rec)
      },
      { flushMs: 50, maxQueue: 50_000 }
    )
    this.pump = setInterval(() => this.pumpTrace(false), 50)
    this.pump.unref?.()
    this.metrics = new MetricsScraper({
      size: () => cluster.info().size,
      targets: () =>
        cluster
          .info()
          .nodes.filter((n) => n.state === 'up' || n.state === 'paused')
          .map((n) => ({ id: n.id, host: n.host, port: n.httpPort, pid: n.pid })),
      onSample: (sample) => bus.publish({ type: 'metrics.sample', sample }),
      onAlert: (t) => bus.publish({ type: 'alert', rule: t.rule, state: t.state, value: t.value, threshold: t.threshold })
    })
  }

  static async create(opts: RunOptions): Promise<LabRun> {
    const cluster = await Cluster.create(opts)
    const run = new LabRun(cluster, opts.bus, opts.labVersion)
    const bus = opts.bus
    try {
      run.proxies = await ProxyHost.start({
        script: opts.proxyHostScript ?? join(dirname(opts.nodeCoreScript), '..', 'proxy-host', 'index.cjs'),
        onEvent: (e) => bus.publish(e),
        onProblem: (what) => bus.publish({ type: 'node.output', nodeId: 0, stream: 'stderr', text: `lab proxy: ${what}` })
      })
    } catch (err) {
      await run.close().catch(() => undefined)
      throw err
    }
    // Routing files exist before any node starts: every peer byte goes through a proxy.
    await run.proxies.addNodes(cluster.info().nodes.map(proxied))
    await run.syncNodes()
    return run
  }

  get runId(): string {
    return this.cluster.runId
  }

  info(): ClusterInfo {
    return this.cluster.info()
  }

  /** After membership changes: follow the logs of exactly the current nodes. */
  private async syncNodes(): Promise<void> {
    await this.logs.setNodes(this.cluster.info().nodes.map((n) => ({ id: n.id, home: n.home })))
  }

  async start(): Promise<ClusterInfo> {
    const info = await this.cluster.start()
    this.metrics.start()
    this.syncFollowers()
    return info
  }

  async stop(): Promise<ClusterInfo> {
    this.metrics.stop()
    const info = await this.cluster.stop()
    await this.stopFollowers()
    this.pumpTrace(true)
    return info
  }

  /** One trace follower per member, started once (they ride out restarts and pauses). */
  private syncFollowers(): void {
    const nodes = this.cluster.info().nodes
    for (const n of nodes) {
      if (this.followers.has(n.id)) continue
      if (n.pid !== null && !this.pids.has(n.id)) this.pids.set(n.id, n.pid)
      const f = new TraceFollower({
        nodeId: n.id,
        host: n.host,
        port: n.httpPort,
        onRecords: (id, records, dropped) => this.merger.push(id, records, dropped, Date.now()),
        onReset: (id) => this.merger.reset(id, Date.now())
      })
      this.followers.set(n.id, f)
      f.start()
    }
    for (const [id, f] of this.followers) {
      if (nodes.some((n) => n.id === id)) continue
      this.followers.delete(id)
      void f.stop()
    }
  }

  private async stopFollowers(): Promise<void> {
    const fs = [...this.followers.values()]
    this.followers.clear()
    await Promise.all(fs.map((f) => f.stop()))
  }

  /** Ordered trace events: all of them to the recording, a sample of message events to the UI. */
  private pumpTrace(all: boolean): void {
    const now = Date.now()
    // Hold events until every live node has been read past them: one time order. A node that
    // is starting or running counts even while its follower cannot reach it (it may hold events
    // nobody has read yet; the merger's hold limit bounds the wait); a node that is down or
    // frozen makes no events, so it holds nobody up.
    let watermark = now
    const nodes = this.cluster.info().nodes
    for (const [id, f] of this.followers) {
      const state = nodes.find((n) => n.id === id)?.state
      if (state === 'starting' || state === 'up' || state === 'stopping') watermark = Math.min(watermark, f.syncedTo)
    }
    const out = this.merger.drain(now, all, watermark)
    if (out.length === 0) return
    this.recorder.writeMany('events', out)
    const report = (nodeId: NodeId, kept: number, skipped: number): void => void this.bus.publish({ type: 'trace.sampled', nodeId, kept, skipped })
    for (const e of out) {
      if (!this.sampler.keep(e, report)) continue
      const { at: _at, ...body } = e
      this.bus.publish(body)
    }
  }

  setSettings(patch: Partial<ClusterSettings>): Promise<ClusterInfo> {
    return this.cluster.setSettings(patch)
  }

  status(): Promise<NodeRaftView[]> {
    return this.cluster.raftStatus()
  }

  async addNode(): Promise<NodeInfo> {
    const n = await this.cluster.addNode()
    // The new node dialed its peers directly until now; its routing file switches it (and the
    // others' routes to it) to proxies live.
    await this.proxies.addNodes([proxied(n)])
    await this.syncNodes()
    return n
  }

  async removeNode(id: NodeId): Promise<ClusterInfo> {
    const c = await this.cluster.removeNode(id)
    await this.proxies.removeNode(id)
    await this.syncNodes()
    return c
  }

  // ---- links ----

  links(): Promise<LinkInfo[]> {
    return this.proxies.links()
  }

  async setLink(from: NodeId, to: NodeId, fault: Partial<LinkFault>): Promise<LinkInfo[]> {
    this.nodeIdCheck(from)
    this.nodeIdCheck(to)
    await this.proxies.setLink(from, to, fault)
    return this.links()
  }

  async setClientLink(nodeId: NodeId, fault: Partial<LinkFault>): Promise<LinkInfo[]> {
    this.nodeIdCheck(nodeId)
    await this.proxies.setClientLink(nodeId, fault)
    return this.links()
  }

  async heal(from: NodeId, to: NodeId): Promise<LinkInfo[]> {
    this.nodeIdCheck(from)
    this.nodeIdCheck(to)
    await this.proxies.heal(from, to)
    return this.links()
  }

  async healAll(): Promise<LinkInfo[]> {
    await this.proxies.healAll()
    return this.links()
  }

  /**
   * A partition preset replaces the current peer partition (links heal first), so presets
   * never stack into a shape nobody asked for. Client links are left as they are.
   */
  async preset(req: PresetRequest): Promise<LinkInfo[]> {
    const ids = this.cluster.info().nodes.map((n) => n.id)
    let links: DirectedLink[]
    switch (req.preset) {
      case 'isolate':
        this.nodeIdCheck(req.nodeId!)
        links = isolate(ids, req.nodeId!)
        break
      case 'isolateLeader': {
        const views = await this.status()
        const leader = views.filter((v) => v.status?.role === 'leader').sort((a, b) => b.status!.term - a.status!.term)[0]
        if (!leader) throw new LabServiceError('NO_LEADER', 'there is no leader to isolate right now')
        links = isolate(ids, leader.nodeId)
        break
      }
      case 'split': {
        const groups = req.groups ?? defaultSplit(ids)
        for (const g of groups) for (const id of g) this.nodeIdCheck(id)
        const named = new Set(groups.flat())
        // Nodes nobody named form one more group, cut off from the named ones.
        const rest = ids.filter((i) => !named.has(i))
        links = cutBetween(rest.length ? [...groups, rest] : groups)
        break
      }
      case 'bridge':
        links = bridge(ids)
        break
      case 'majoritiesRing':
        links = majoritiesRing(ids)
        break
      case 'oneWay':
        this.nodeIdCheck(req.from!)
        this.nodeIdCheck(req.to!)
        links = oneWay(req.from!, req.to!)
        break
    }
    for (const l of await this.proxies.links()) if (l.kind === 'peer' && l.fault.cut !== 'none') await this.proxies.heal(l.from, l.to)
    await this.proxies.cut(links, req.cut ?? 'blackhole')
    return this.links()
  }

  /** host:port through which clients reach node `id` (its client proxy). */
  clientAddress(id: NodeId): string | undefined {
    return this.proxies.clientAddress(id)
  }

  private nodeIdCheck(id: NodeId): void {
    this.cluster.node(id)
  }

  /** A window of one node's Raft log, read from the node itself. */
  async nodeLog(req: LogWindowRequest): Promise<LogWindow> {
    const n = this.runningNode(req.nodeId)
    const qs = new URLSearchParams()
    if (req.from !== undefined) qs.set('from', String(req.from))
    if (req.to !== undefined) qs.set('to', String(req.to))
    return this.ask(n, `${ADMIN_LOG_PATH}?${qs.toString()}`)
  }

  /** One node's own copy of the registry and configs. */
  async nodeData(id: NodeId): Promise<DataView> {
    return this.ask(this.runningNode(id), ADMIN_DATA_PATH)
  }

  private runningNode(id: NodeId): NodeInfo {
    const n = this.cluster.node(id)
    if (n.state !== 'up') throw new LabServiceError('NODE_NOT_RUNNING', `node ${id} is ${n.state}: it cannot answer`)
    return n
  }

  private async ask<T>(n: NodeInfo, path: string): Promise<T> {
    try {
      return await getJson<T>(n.host, n.httpPort, path, 2000)
    } catch (err) {
      throw new LabServiceError('TIMEOUT', `node ${n.id} did not answer: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  queryLogs(q: LogQuery): LogQueryResult {
    const lines = this.logs.query(q.filter ?? {}, q.limit ?? 1000)
    const st = this.logs.stats()
    return { lines, total: st.total, evicted: st.evicted }
  }

  /** Stop watching; the cluster itself is stopped by `stop()`. */
  async close(): Promise<void> {
    this.metrics.stop()
    await this.stopFollowers()
    clearInterval(this.pump)
    this.pumpTrace(true)
    this.unsubscribe()
    await this.recorder.close()
    await this.logs.close()
    await this.proxies?.close()
  }

  killAllSync(): void {
    this.cluster.killAllSync()
    this.proxies?.killSync()
  }
}

const proxied = (n: NodeInfo): ProxiedNode => ({ id: n.id, address: n.address, host: n.host, httpPort: n.httpPort, raftPort: n.raftPort, home: n.home })
