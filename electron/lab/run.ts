import { ADMIN_DATA_PATH, ADMIN_LOG_PATH } from '../../node-core/src/protocol/admin'
import type { ClusterInfo, ClusterSettings, DataView, LogQuery, LogQueryResult, LogWindow, LogWindowRequest, NodeId, NodeInfo, NodeRaftView } from './api'
import { Cluster, type ClusterOptions } from './cluster/cluster'
import { getJson } from './cluster/http-probe'
import { LabServiceError } from './errors'
import type { EventBus } from './events/event-bus'
import { LogTails } from './logs/log-tails'

export interface RunOptions extends Omit<ClusterOptions, 'bus'> {
  bus: EventBus
}

/**
 * One lab run: a cluster and everything that watches or breaks it (log tails, and, wired in
 * the same place, link proxies, trace followers, metrics and the recorder). The Lab holds one
 * run at a time; a new cluster is a new run with its own directory.
 */
export class LabRun {
  readonly logs = new LogTails({ capacity: 100_000 })

  private constructor(readonly cluster: Cluster) {}

  static async create(opts: RunOptions): Promise<LabRun> {
    const cluster = await Cluster.create(opts)
    const run = new LabRun(cluster)
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

  start(): Promise<ClusterInfo> {
    return this.cluster.start()
  }

  stop(): Promise<ClusterInfo> {
    return this.cluster.stop()
  }

  setSettings(patch: Partial<ClusterSettings>): Promise<ClusterInfo> {
    return this.cluster.setSettings(patch)
  }

  status(): Promise<NodeRaftView[]> {
    return this.cluster.raftStatus()
  }

  async addNode(): Promise<NodeInfo> {
    const n = await this.cluster.addNode()
    await this.syncNodes()
    return n
  }

  async removeNode(id: NodeId): Promise<ClusterInfo> {
    const c = await this.cluster.removeNode(id)
    await this.syncNodes()
    return c
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
    await this.logs.close()
  }

  killAllSync(): void {
    this.cluster.killAllSync()
  }
}
