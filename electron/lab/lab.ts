import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ok,
  type LabEvent,
  type LabHandler,
  type LabHost,
  type LabInfo,
  type LabMethod,
  type LabMethodMap,
  type Result
} from './api'
import { Cluster } from './cluster/cluster'
import { LabServiceError, toLabError } from './errors'
import { EventBus } from './events/event-bus'

export interface LabOptions {
  /** Where runs go: each cluster gets `<dataRoot>/runs/<runId>/`. */
  dataRoot: string
  /** The standalone node-core bundle (out/node-core/index.cjs, or its asar-unpacked copy). */
  nodeCoreScript: string
  host: LabHost
  version: string
  readyTimeoutMs?: number
}

/** `20261124-223512-3fa9`: sortable by time, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0')
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`
  return `${stamp}-${randomBytes(2).toString('hex')}`
}

type Impl = { [M in LabMethod]: (req: LabMethodMap[M]['req']) => Promise<LabMethodMap[M]['res']> }

/**
 * The lab engine behind every host. Holds at most one cluster at a time; every method is
 * reachable through `handle` (validated payloads only) and every change is an event on `bus`.
 */
export class Lab {
  readonly bus = new EventBus()
  private cluster: Cluster | null = null
  /** Serialises cluster-wide operations so two clicks cannot interleave a create and a stop. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly opts: LabOptions) {}

  /** The one dispatch point hosts call after `dispatchLab` validated the payload. */
  readonly handle: LabHandler = async (method, req) => {
    try {
      const fn = this.impl[method] as (r: typeof req) => Promise<LabMethodMap[typeof method]['res']>
      return ok(await fn(req)) as Result<LabMethodMap[typeof method]['res']>
    } catch (err) {
      return { ok: false, error: toLabError(err) }
    }
  }

  subscribe(listener: (events: LabEvent[]) => void): () => void {
    return this.bus.subscribe(listener)
  }

  /** Stop the cluster (SIGTERM, then SIGKILL) before the host exits. */
  async shutdown(): Promise<void> {
    const c = this.cluster
    if (c && c.info().state !== 'stopped') await c.stop().catch(() => c.killAllSync())
  }

  /** Last resort for `process.on('exit')`: synchronous SIGKILL of every child. */
  killAllSync(): void {
    this.cluster?.killAllSync()
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  private requireCluster(): Cluster {
    if (!this.cluster) throw new LabServiceError('NO_CLUSTER', 'no cluster yet: create one first')
    return this.cluster
  }

  private readonly impl: Impl = {
    'lab.info': async (): Promise<LabInfo> => ({
      version: this.opts.version,
      host: this.opts.host,
      platform: process.platform,
      nodeVersion: process.versions.node,
      dataRoot: this.opts.dataRoot
    }),
    'cluster.get': async () => this.cluster?.info() ?? null,
    'cluster.create': ({ size }) =>
      this.serial(async () => {
        const old = this.cluster
        if (old && old.info().state !== 'stopped' && old.info().state !== 'created') {
          throw new LabServiceError('CLUSTER_BUSY', `stop the running cluster (${old.runId}) before creating another`)
        }
        const runId = newRunId()
        const dataDir = join(this.opts.dataRoot, 'runs', runId)
        await mkdir(dataDir, { recursive: true })
        this.cluster = await Cluster.create({
          runId,
          dataDir,
          size,
          nodeCoreScript: this.opts.nodeCoreScript,
          bus: this.bus,
          readyTimeoutMs: this.opts.readyTimeoutMs
        })
        const info = this.cluster.info()
        this.bus.publish({ type: 'cluster.created', cluster: info })
        return info
      }),
    'cluster.start': () => this.serial(() => this.requireCluster().start()),
    'cluster.stop': () => this.serial(() => this.requireCluster().stop()),
    'node.crash': ({ nodeId }) => this.requireCluster().crash(nodeId),
    'node.restart': ({ nodeId }) => this.serial(() => this.requireCluster().restart(nodeId))
  }
}
