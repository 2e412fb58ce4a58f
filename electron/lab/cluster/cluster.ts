import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { METRICS_PATH, raftPortFor, type OperatorMetrics } from '../../../node-core/src/protocol/admin'
import type { ClusterInfo, ClusterState, NodeId, NodeInfo, NodeRunState } from '../api'
import { LabServiceError } from '../errors'
import type { EventBus } from '../events/event-bus'
import { memberAddress, renderApplicationProperties, renderClusterConf } from './conf-files'
import { getJson } from './http-probe'
import { exitOf, spawnNodeScript, TextTail, type ExitInfo } from './node-process'
import { allocateNodePorts } from './ports'

export interface ClusterOptions {
  runId: string
  /** The run's directory; node n lives in `<dataDir>/node-<n>`. */
  dataDir: string
  size: number
  /** The standalone node-core bundle to spawn. */
  nodeCoreScript: string
  bus: EventBus
  host?: string
  /** How long a node may take to answer after spawn before start fails. */
  readyTimeoutMs?: number
  /** How long a SIGTERMed node may take to exit before it is SIGKILLed. */
  stopTimeoutMs?: number
}

interface NodeSlot {
  info: NodeInfo
  child: ChildProcess | null
  exited: Promise<ExitInfo> | null
  stopping: boolean
  output: TextTail
}

const READY_POLL_MS = 50

/**
 * A cluster of real node-core processes on loopback. Owns their homes, conf files and
 * processes; reports every spawn, readiness and exit on the bus.
 */
export class Cluster {
  private readonly slots: NodeSlot[]
  /** The run's cluster secret, written into every node's application.properties. */
  private readonly secret = randomBytes(24).toString('hex')
  private state: ClusterState = 'created'
  private readonly host: string
  private readonly readyTimeoutMs: number
  private readonly stopTimeoutMs: number

  private constructor(
    private readonly opts: ClusterOptions,
    ports: number[]
  ) {
    this.host = opts.host ?? '127.0.0.1'
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 20_000
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 5_000
    this.slots = ports.map((httpPort, i) => ({
      info: {
        id: i + 1,
        address: memberAddress({ host: this.host, httpPort }),
        host: this.host,
        httpPort,
        raftPort: raftPortFor(httpPort),
        home: join(opts.dataDir, `node-${i + 1}`),
        pid: null,
        state: 'stopped',
        startedAt: null,
        lastExit: null
      },
      child: null,
      exited: null,
      stopping: false,
      output: new TextTail()
    }))
  }

  /** Allocate free port pairs and write every node's conf files; spawns nothing. */
  static async create(opts: ClusterOptions): Promise<Cluster> {
    const ports = await allocateNodePorts(opts.size, { host: opts.host })
    const cluster = new Cluster(opts, ports)
    await cluster.writeConf()
    return cluster
  }

  get runId(): string {
    return this.opts.runId
  }

  info(): ClusterInfo {
    return {
      runId: this.opts.runId,
      dataDir: this.opts.dataDir,
      size: this.slots.length,
      state: this.state,
      nodes: this.slots.map((s) => ({ ...s.info, lastExit: s.info.lastExit && { ...s.info.lastExit } }))
    }
  }

  node(id: NodeId): NodeInfo {
    return { ...this.slot(id).info }
  }

  /** Spawn every node that is not running and wait until each answers. */
  async start(): Promise<ClusterInfo> {
    if (this.state === 'starting' || this.state === 'stopping') {
      throw new LabServiceError('CLUSTER_BUSY', `the cluster is ${this.state}`)
    }
    this.setState('starting')
    try {
      await Promise.all(this.slots.filter((s) => s.child === null).map((s) => this.launch(s)))
      this.setState('running')
    } catch (err) {
      // Leave nothing half-started: a failed start stops what did come up.
      await this.stopAll()
      this.setState('stopped')
      throw err
    }
    return this.info()
  }

  /** SIGKILL one node: a real crash, with no chance to flush or say goodbye. */
  async crash(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    const child = s.child
    if (!child || !s.exited) throw new LabServiceError('NODE_NOT_RUNNING', `node ${id} is not running`)
    this.opts.bus.publish({ type: 'fault.injected', kind: 'crash', nodeId: id })
    child.kill('SIGKILL')
    await s.exited
    return this.node(id)
  }

  /** Start one node again (after a crash or stop) and wait until it answers. */
  async restart(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is stopping')
    if (s.child) await this.stopNode(s)
    await this.launch(s)
    if (this.state !== 'running' && this.slots.every((x) => x.info.state === 'up')) this.setState('running')
    return this.node(id)
  }

  /** SIGTERM every node, SIGKILL any that outstays the stop timeout, and wait for all exits. */
  async stop(): Promise<ClusterInfo> {
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is already stopping')
    this.setState('stopping')
    await this.stopAll()
    this.setState('stopped')
    return this.info()
  }

  /**
   * Kill every child at once, synchronously. For the host's last moments (process exit),
   * where nothing async can run; node-core's own parent watch covers a lab killed by SIGKILL.
   */
  killAllSync(): void {
    for (const s of this.slots) {
      if (s.child && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
    }
  }

  private slot(id: NodeId): NodeSlot {
    const s = Number.isInteger(id) ? this.slots[id - 1] : undefined
    if (!s) throw new LabServiceError('NODE_NOT_FOUND', `no node ${id} in this ${this.slots.length}-node cluster`)
    return s
  }

  private setState(state: ClusterState): void {
    if (this.state === state) return
    this.state = state
    this.opts.bus.publish({ type: 'cluster.state', state })
  }

  private setNodeState(s: NodeSlot, state: NodeRunState): void {
    s.info.state = state
  }

  private async writeConf(): Promise<void> {
    const members = this.slots.map((s) => s.info)
    const header = `Quorum Lab run ${this.opts.runId}, written ${new Date().toISOString()}`
    const clusterConf = renderClusterConf(members, header)
    await Promise.all(
      this.slots.map(async (s) => {
        const conf = join(s.info.home, 'conf')
        await mkdir(conf, { recursive: true })
        await writeFile(join(conf, 'cluster.conf'), clusterConf)
        await writeFile(join(conf, 'application.properties'), renderApplicationProperties(s.info, header, this.secret))
      })
    )
  }

  private async launch(s: NodeSlot): Promise<void> {
    const id = s.info.id
    const child = spawnNodeScript(this.opts.nodeCoreScript, { args: ['--home', s.info.home], cwd: s.info.home })
    const spawned = Date.now()
    s.child = child
    s.stopping = false
    s.output = new TextTail()
    s.exited = exitOf(child)
    const pid = child.pid
    if (pid === undefined) {
      // fork reports ENOENT/EACCES asynchronously; wait for it to say why.
      const why = await new Promise<string>((r) => child.once('error', (e) => r(e.message)))
      s.child = null
      throw new LabServiceError('SPAWN_FAILED', `node ${id}: could not start ${this.opts.nodeCoreScript}: ${why}`)
    }
    s.info.pid = pid
    s.info.startedAt = spawned
    this.setNodeState(s, 'starting')
    child.on('error', () => {
      // Errors after spawn (a failed kill, an IPC send to a dead child) end in 'exit' anyway.
    })
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.setEncoding('utf8')
      child[stream]?.on('data', (text: string) => {
        s.output.push(text)
        this.opts.bus.publish({ type: 'node.output', nodeId: id, stream, text })
      })
    }
    this.opts.bus.publish({ type: 'node.spawned', nodeId: id, pid })
    void s.exited.then((exit) => this.onExit(s, child, exit))

    const deadline = spawned + this.readyTimeoutMs
    for (;;) {
      if (s.child !== child || child.exitCode !== null || child.signalCode !== null) {
        await s.exited
        const how = child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`
        const tail = s.output.toString().trim()
        throw new LabServiceError(
          'SPAWN_FAILED',
          `node ${id} exited during start (${how})${tail ? `: ${tail.split('\n').slice(-3).join(' | ')}` : ''}`
        )
      }
      try {
        const m = await getJson<OperatorMetrics>(s.info.host, s.info.httpPort, METRICS_PATH, 500)
        if (m.status === 'UP') break
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        await s.exited
        throw new LabServiceError('TIMEOUT', `node ${id} did not answer on ${s.info.address} within ${this.readyTimeoutMs} ms`)
      }
      await new Promise((r) => setTimeout(r, READY_POLL_MS))
    }
    this.setNodeState(s, 'up')
    this.opts.bus.publish({ type: 'node.ready', nodeId: id, pid, readyMs: Date.now() - spawned })
  }

  private onExit(s: NodeSlot, child: ChildProcess, exit: ExitInfo): void {
    if (s.child !== child) return
    const expected = s.stopping
    s.child = null
    s.exited = null
    s.info.lastExit = { code: exit.code, signal: exit.signal, at: Date.now(), expected }
    s.info.pid = null
    this.setNodeState(s, expected ? 'stopped' : 'down')
    this.opts.bus.publish({
      type: 'node.exited',
      nodeId: s.info.id,
      pid: child.pid ?? 0,
      code: exit.code,
      signal: exit.signal,
      expected
    })
  }

  private async stopNode(s: NodeSlot): Promise<void> {
    const child = s.child
    const exited = s.exited
    if (!child || !exited) return
    s.stopping = true
    this.setNodeState(s, 'stopping')
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), this.stopTimeoutMs)
    await exited
    clearTimeout(timer)
  }

  private async stopAll(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.stopNode(s)))
  }
}
