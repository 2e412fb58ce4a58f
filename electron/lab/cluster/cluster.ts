import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ADMIN_STATUS_PATH, METRICS_PATH, NODE_CORE_ENV, NODE_CORE_NODE_FLAGS, raftPortFor, type NodeStatus, type OperatorMetrics } from '../../../node-core/src/protocol/admin'
import {
  MAX_CLUSTER_SIZE,
  type ClusterInfo,
  type ClusterSettings,
  type ClusterState,
  type NodeId,
  type NodeInfo,
  type NodeRaftView,
  type NodeRunState
} from '../api'
import { LabServiceError } from '../errors'
import type { EventBus } from '../events/event-bus'
import { memberAddress, renderApplicationProperties, renderClusterConf } from './conf-files'
import { Guardian } from './guardian'
import { getJson, postForm } from './http-probe'
import { caughtUp, excludes, hasVoter, opsError, pickLeader } from './membership'
import { exitOf, spawnNodeScript, TextTail, type ExitInfo } from './node-process'
import { allocateNodePorts } from './ports'
import { DEFAULT_SETTINGS, mergeSettings, raftWaitMs } from './profiles'

export interface ClusterOptions {
  runId: string
  /** The run's directory; node n lives in `<dataDir>/node-<n>`. */
  dataDir: string
  size: number
  /** The standalone node-core bundle to spawn. */
  nodeCoreScript: string
  bus: EventBus
  host?: string
  /** Raft timing profile (default 'seed': heartbeat 100 ms, election 150–300 ms). */
  profile?: ClusterSettings['profile']
  /** Raft PreVote (default true, node-core's default). */
  preVote?: boolean
  /** Raft CheckQuorum (default true, node-core's default). */
  checkQuorum?: boolean
  /** How long a node may take to answer after spawn before start fails. */
  readyTimeoutMs?: number
  /** How long a SIGTERMed node may take to exit before it is SIGKILLed. */
  stopTimeoutMs?: number
  /** How long a new learner may take to catch up with the leader before addNode fails. */
  catchUpTimeoutMs?: number
}

/** The run states this module reports; api.ts's NodeRunState already includes 'paused'. */
export type ClusterNodeState = NodeRunState

interface NodeSlot {
  info: NodeInfo
  child: ChildProcess | null
  exited: Promise<ExitInfo> | null
  stopping: boolean
  output: TextTail
  /** Start empty and learn from the leader (an added node, or one whose data was wiped). */
  join: boolean
  /** Wall-clock ms of the SIGSTOP, while paused. */
  pausedAt: number | null
}

const READY_POLL_MS = 50
const RAFT_POLL_MS = 50
const OPS_PATH = '/nacos/v1/core/ops/raft'
/** node-core's ops handler waits up to 5 s for a change to show; give it room to answer. */
const OPS_TIMEOUT_MS = 15_000
const STATUS_TIMEOUT_MS = 1_000

/**
 * A cluster of real node-core processes on loopback. Owns their homes, conf files and
 * processes; reports every spawn, readiness, exit, fault and membership change on the bus.
 * Callers serialise operations (the Lab does); two concurrent membership changes would be
 * refused by Raft anyway (one change at a time).
 */
export class Cluster {
  private readonly slots: NodeSlot[]
  /** The run's cluster secret, written into every node's application.properties. */
  private readonly secret = randomBytes(24).toString('hex')
  private state: ClusterState = 'created'
  private readonly host: string
  private readonly readyTimeoutMs: number
  private readonly stopTimeoutMs: number
  private readonly catchUpTimeoutMs: number
  private settings: ClusterSettings
  /** Ids only grow, so a node added after a removal never reuses an old home. */
  private nextId: number
  private guardian: Guardian | null = null

  private constructor(
    private readonly opts: ClusterOptions,
    ports: number[]
  ) {
    this.host = opts.host ?? '127.0.0.1'
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 20_000
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 5_000
    this.catchUpTimeoutMs = opts.catchUpTimeoutMs ?? 30_000
    this.settings = mergeSettings(DEFAULT_SETTINGS, { profile: opts.profile, preVote: opts.preVote, checkQuorum: opts.checkQuorum })
    this.slots = ports.map((httpPort, i) => this.newSlot(i + 1, httpPort, false))
    this.nextId = ports.length + 1
  }

  /** Allocate free port pairs and write every node's conf files; spawns nothing. */
  static async create(opts: ClusterOptions): Promise<Cluster> {
    const ports = await allocateNodePorts(opts.size, { host: opts.host })
    const cluster = new Cluster(opts, ports)
    await cluster.writeAllConf()
    return cluster
  }

  get runId(): string {
    return this.opts.runId
  }

  /** The orphan guardian's pid while one runs (diagnostics and tests). */
  get guardianPid(): number | null {
    return this.guardian?.alive ? (this.guardian.pid ?? null) : null
  }

  info(): ClusterInfo {
    return {
      runId: this.opts.runId,
      dataDir: this.opts.dataDir,
      size: this.slots.length,
      state: this.state,
      settings: { ...this.settings },
      nodes: this.slots.map((s) => this.copy(s))
    }
  }

  node(id: NodeId): NodeInfo {
    return this.copy(this.slot(id))
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

  /** SIGTERM every node, SIGKILL any that outstays the stop timeout, and wait for all exits. */
  async stop(): Promise<ClusterInfo> {
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is already stopping')
    this.setState('stopping')
    await this.stopAll()
    this.guardian?.close()
    this.guardian = null
    this.setState('stopped')
    return this.info()
  }

  /**
   * Change the Raft timing profile, PreVote or CheckQuorum. The conf files of every node are
   * rewritten now; a node reads them only when it starts, so each running node keeps its old
   * settings until its next (re)start (restart the nodes, or stop and start the cluster).
   */
  async setSettings(patch: Partial<ClusterSettings>): Promise<ClusterInfo> {
    this.settings = mergeSettings(this.settings, patch)
    await Promise.all(this.slots.map((s) => this.writeProperties(s)))
    this.opts.bus.publish({ type: 'cluster.settings', settings: { ...this.settings } })
    return this.info()
  }

  // ---- one node's process ------------------------------------------------------------------

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

  /** Stop one node cleanly: SIGTERM, then SIGKILL after the stop timeout. */
  async stopNode(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    if (!s.child) throw new LabServiceError('NODE_NOT_RUNNING', `node ${id} is not running`)
    this.opts.bus.publish({ type: 'fault.injected', kind: 'stop', nodeId: id })
    await this.terminate(s)
    return this.node(id)
  }

  /** Start one stopped or crashed node and wait until it answers. */
  async startNode(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is stopping')
    if (s.child) throw new LabServiceError('INVALID_ARGUMENT', `node ${id} is already running (${s.info.state}); "nodeId" must name a stopped or down node`)
    await this.launch(s)
    this.markRunningIfAllUp()
    return this.node(id)
  }

  /** Start one node again (after a crash or stop, or stopping it first) and wait until it answers. */
  async restart(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is stopping')
    if (s.child) await this.terminate(s)
    await this.launch(s)
    this.markRunningIfAllUp()
    return this.node(id)
  }

  /**
   * Freeze a node with SIGSTOP: it keeps its sockets and memory but runs no code, like a long
   * GC pause or a VM stall. Not available on Windows (no SIGSTOP).
   */
  async pause(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    if (process.platform === 'win32') {
      throw new LabServiceError('UNSUPPORTED', 'pausing a node needs SIGSTOP/SIGCONT, which Windows does not have; use stop or crash instead')
    }
    if (!s.child || s.info.pid === null) throw new LabServiceError('NODE_NOT_RUNNING', `node ${id} is not running`)
    if (s.info.state === 'paused') throw new LabServiceError('INVALID_ARGUMENT', `node ${id} is already paused`)
    if (s.info.state !== 'up') throw new LabServiceError('NODE_NOT_RUNNING', `node ${id} is ${s.info.state}, not up`)
    this.opts.bus.publish({ type: 'fault.injected', kind: 'pause', nodeId: id })
    s.child.kill('SIGSTOP')
    s.pausedAt = Date.now()
    this.setNodeState(s, 'paused')
    this.opts.bus.publish({ type: 'node.paused', nodeId: id, pid: s.info.pid })
    return this.node(id)
  }

  /** Let a paused node run again (SIGCONT). */
  async resume(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    if (process.platform === 'win32') {
      throw new LabServiceError('UNSUPPORTED', 'resuming a node needs SIGCONT, which Windows does not have')
    }
    if (!s.child || s.info.pid === null) throw new LabServiceError('NODE_NOT_RUNNING', `node ${id} is not running`)
    if (s.info.state !== 'paused' || s.pausedAt === null) throw new LabServiceError('INVALID_ARGUMENT', `node ${id} is not paused (${s.info.state})`)
    s.child.kill('SIGCONT')
    const pausedMs = Date.now() - s.pausedAt
    s.pausedAt = null
    this.setNodeState(s, 'up')
    this.opts.bus.publish({ type: 'node.resumed', nodeId: id, pid: s.info.pid, pausedMs })
    return this.node(id)
  }

  /**
   * Lose a node's disk: stop it if it runs, delete `<home>/data`, start it again. It restarts
   * as a joining node (no bootstrap of its own), so everything it has comes from the leader:
   * the log, or a snapshot when the leader has compacted past it.
   */
  async wipe(id: NodeId): Promise<NodeInfo> {
    const s = this.slot(id)
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is stopping')
    if (s.child) await this.terminate(s)
    await rm(join(s.info.home, 'data'), { recursive: true, force: true })
    s.join = true
    await this.writeProperties(s)
    this.opts.bus.publish({ type: 'node.wiped', nodeId: id })
    await this.launch(s)
    this.markRunningIfAllUp()
    return this.node(id)
  }

  // ---- Raft: leadership and membership -----------------------------------------------------

  /** Every node's own Raft view (null status when it does not answer: stopped, paused). */
  async raftStatus(): Promise<NodeRaftView[]> {
    return Promise.all(
      this.slots.map(async (s): Promise<NodeRaftView> => {
        const nodeId = s.info.id
        if (s.info.state !== 'up') return { nodeId, status: null, error: s.info.state === 'paused' ? 'paused (SIGSTOP)' : `not running (${s.info.state})` }
        try {
          return { nodeId, status: await this.statusOf(s), error: null }
        } catch (err) {
          return { nodeId, status: null, error: err instanceof Error ? err.message : String(err) }
        }
      })
    )
  }

  /**
   * Ask the current leader to hand leadership to node `toId` and wait until that node leads.
   * Returns every node's view afterwards.
   */
  async transferLeader(toId: NodeId): Promise<NodeRaftView[]> {
    const target = this.slot(toId)
    if (target.info.state !== 'up') throw new LabServiceError('NODE_NOT_RUNNING', `node ${toId} is ${target.info.state}; only a running node can take over`)
    const started = Date.now()
    const leader = await this.awaitLeader()
    if (leader.nodeId === toId) return this.raftStatus()
    const address = target.info.address
    if (!hasVoter(leader.status, address)) throw new LabServiceError('INVALID_ARGUMENT', `node ${toId} (${address}) is not a voter, so it cannot lead`)
    const err = await this.raftOpOn(this.slot(leader.nodeId), 'transferLeader', address)
    // node-core gives up waiting after 5 s; the transfer may still complete (slow profiles), so a
    // timeout there is not the last word: our own wait below decides.
    if (err && err.code !== 'TIMEOUT') throw err
    const wait = raftWaitMs(this.settings)
    await this.until(`node ${toId} to lead after a transfer from node ${leader.nodeId}`, wait, async () => {
      const st = await this.statusOf(target).catch(() => null)
      return st?.role === 'leader'
    })
    this.opts.bus.publish({ type: 'leader.transferred', from: leader.nodeId, to: toId, ms: Date.now() - started })
    return this.raftStatus()
  }

  /**
   * Scale out by one: a new node on fresh ports joins as a learner, catches up with the
   * leader's commit, and is then promoted to voter. Every node's cluster.conf is rewritten to
   * the new membership at the end.
   */
  async addNode(): Promise<NodeInfo> {
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is stopping')
    if (this.slots.length >= MAX_CLUSTER_SIZE) {
      throw new LabServiceError('INVALID_ARGUMENT', `the cluster already has ${this.slots.length} nodes, the most the lab runs (${MAX_CLUSTER_SIZE})`)
    }
    await this.awaitLeader()
    const avoid = new Set(this.slots.flatMap((s) => [s.info.httpPort, s.info.raftPort]))
    const [httpPort] = await allocateNodePorts(1, { host: this.host, avoid })
    const s = this.newSlot(this.nextId++, httpPort!, true)
    this.slots.push(s)
    const address = s.info.address
    let added = false
    try {
      await this.writeNodeConf(s, this.header())
      await this.launch(s)
      await this.raftOp('addLearner', address)
      added = true
      this.opts.bus.publish({ type: 'member.added', nodeId: s.info.id, address, as: 'learner' })
      await this.until(`node ${s.info.id} (${address}) to catch up with the leader's commit`, this.catchUpTimeoutMs, async () => {
        const leader = pickLeader(await this.raftStatus())
        return leader !== null && caughtUp(leader.status, address)
      })
      await this.raftOp('promote', address)
      this.opts.bus.publish({ type: 'member.added', nodeId: s.info.id, address, as: 'voter' })
    } catch (err) {
      // Leave the cluster as it was: take the half-added member out again and drop the node.
      if (added) await this.raftOp('removePeer', address).catch(() => undefined)
      await this.terminate(s)
      this.slots.splice(this.slots.indexOf(s), 1)
      throw err
    }
    await this.writeAllClusterConf()
    this.markRunningIfAllUp()
    return this.node(s.info.id)
  }

  /**
   * Scale in by one: the leader removes the member (this works for the leader itself: it
   * hands over once the removal applies), we wait until every other running node's
   * configuration has dropped it, then stop it and rewrite cluster.conf everywhere.
   */
  async removeNode(id: NodeId): Promise<ClusterInfo> {
    const s = this.slot(id)
    if (this.state === 'stopping') throw new LabServiceError('CLUSTER_BUSY', 'the cluster is stopping')
    if (this.slots.length <= 1) throw new LabServiceError('INVALID_ARGUMENT', `node ${id} is the last member; stop the cluster instead`)
    const address = s.info.address
    await this.raftOp('removePeer', address)
    const rest = this.slots.filter((x) => x !== s)
    await this.until(`every remaining running node to drop ${address} from its configuration`, raftWaitMs(this.settings), async () => {
      const live = rest.filter((x) => x.info.state === 'up')
      const seen = await Promise.all(live.map((x) => this.statusOf(x).catch(() => null)))
      return seen.every((st) => st !== null && excludes(st, address))
    })
    this.opts.bus.publish({ type: 'member.removed', nodeId: id, address })
    await this.terminate(s)
    this.slots.splice(this.slots.indexOf(s), 1)
    await this.writeAllClusterConf()
    this.markRunningIfAllUp()
    return this.info()
  }

  /**
   * Kill every child at once, synchronously. For the host's last moments (process exit),
   * where nothing async can run; SIGKILL ends a paused (SIGSTOPped) process too. A lab killed
   * by SIGKILL is covered by node-core's own parent watch and, for paused nodes, the guardian.
   */
  killAllSync(): void {
    for (const s of this.slots) {
      if (s.child && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
    }
  }

  // ---- internals ---------------------------------------------------------------------------

  private newSlot(id: NodeId, httpPort: number, joining: boolean): NodeSlot {
    return {
      info: {
        id,
        address: memberAddress({ host: this.host, httpPort }),
        host: this.host,
        httpPort,
        raftPort: raftPortFor(httpPort),
        home: join(this.opts.dataDir, `node-${id}`),
        pid: null,
        state: 'stopped',
        startedAt: null,
        lastExit: null
      },
      child: null,
      exited: null,
      stopping: false,
      output: new TextTail(),
      join: joining,
      pausedAt: null
    }
  }

  private copy(s: NodeSlot): NodeInfo {
    return { ...s.info, lastExit: s.info.lastExit && { ...s.info.lastExit } }
  }

  private slot(id: NodeId): NodeSlot {
    const s = Number.isInteger(id) ? this.slots.find((x) => x.info.id === id) : undefined
    if (!s) {
      throw new LabServiceError('NODE_NOT_FOUND', `no node ${id} in this ${this.slots.length}-node cluster (nodes ${this.slots.map((x) => x.info.id).join(', ')})`)
    }
    return s
  }

  private setState(state: ClusterState): void {
    if (this.state === state) return
    this.state = state
    this.opts.bus.publish({ type: 'cluster.state', state })
  }

  private setNodeState(s: NodeSlot, state: ClusterNodeState): void {
    s.info.state = state
  }

  private markRunningIfAllUp(): void {
    if (this.state !== 'running' && this.slots.every((x) => x.info.state === 'up')) this.setState('running')
  }

  private header(): string {
    return `Quorum Lab run ${this.opts.runId}, written ${new Date().toISOString()}`
  }

  private async writeAllConf(): Promise<void> {
    const header = this.header()
    await Promise.all(this.slots.map((s) => this.writeNodeConf(s, header)))
  }

  /** Both conf files of one node; cluster.conf lists every current member. */
  private async writeNodeConf(s: NodeSlot, header: string): Promise<void> {
    const conf = join(s.info.home, 'conf')
    await mkdir(conf, { recursive: true })
    await writeFile(join(conf, 'cluster.conf'), renderClusterConf(this.slots.map((x) => x.info), header))
    await this.writeProperties(s, header)
  }

  private async writeProperties(s: NodeSlot, header = this.header()): Promise<void> {
    const conf = join(s.info.home, 'conf')
    await mkdir(conf, { recursive: true })
    const text = renderApplicationProperties(s.info, header, this.secret, { settings: this.settings, join: s.join })
    await writeFile(join(conf, 'application.properties'), text)
  }

  /** cluster.conf is the canonical membership an operator reads: keep it true after a change. */
  private async writeAllClusterConf(): Promise<void> {
    const text = renderClusterConf(
      this.slots.map((x) => x.info),
      this.header()
    )
    await Promise.all(
      this.slots.map(async (s) => {
        await mkdir(join(s.info.home, 'conf'), { recursive: true })
        await writeFile(join(s.info.home, 'conf', 'cluster.conf'), text)
      })
    )
  }

  private statusOf(s: NodeSlot): Promise<NodeStatus> {
    return getJson<NodeStatus>(s.info.host, s.info.httpPort, ADMIN_STATUS_PATH, STATUS_TIMEOUT_MS)
  }

  /** Poll until some running node leads, up to the profile's wait. */
  private async awaitLeader(): Promise<{ nodeId: NodeId; status: NodeStatus }> {
    const wait = raftWaitMs(this.settings)
    const deadline = Date.now() + wait
    for (;;) {
      const leader = pickLeader(await this.raftStatus())
      if (leader) return leader
      if (Date.now() > deadline) throw new LabServiceError('NO_LEADER', `no running node has been leader within ${wait} ms (is a majority up?)`)
      await new Promise((r) => setTimeout(r, RAFT_POLL_MS))
    }
  }

  /** Run an ops command on whichever node leads now; throws the mapped error on refusal. */
  private async raftOp(command: string, address: string): Promise<void> {
    const leader = await this.awaitLeader()
    const err = await this.raftOpOn(this.slot(leader.nodeId), command, address)
    if (err) throw err
  }

  private async raftOpOn(s: NodeSlot, command: string, address: string): Promise<LabServiceError | null> {
    let res: { status: number; text: string }
    try {
      res = await postForm(s.info.host, s.info.httpPort, OPS_PATH, { command, value: address }, OPS_TIMEOUT_MS)
    } catch (err) {
      return new LabServiceError('TIMEOUT', `${command} ${address} on node ${s.info.id}: ${err instanceof Error ? err.message : String(err)}`)
    }
    return opsError(command, address, res.status, res.text)
  }

  /** Poll `probe` every RAFT_POLL_MS until it is true, or throw TIMEOUT naming `what`. */
  private async until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!(await probe())) {
      if (Date.now() > deadline) throw new LabServiceError('TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}`)
      await new Promise((r) => setTimeout(r, RAFT_POLL_MS))
    }
  }

  private watchPid(pid: number): void {
    if (!this.guardian?.alive) this.guardian = Guardian.start()
    this.guardian.watch(pid)
  }

  private async launch(s: NodeSlot): Promise<void> {
    const id = s.info.id
    const child = spawnNodeCore(this.opts.nodeCoreScript, s.info.home)
    const spawned = Date.now()
    s.child = child
    s.stopping = false
    s.pausedAt = null
    s.output = new TextTail()
    s.exited = exitOf(child)
    const pid = child.pid
    if (pid === undefined) {
      // fork reports ENOENT/EACCES asynchronously; wait for it to say why.
      const why = await new Promise<string>((r) => child.once('error', (e) => r(e.message)))
      s.child = null
      throw new LabServiceError('SPAWN_FAILED', `node ${id}: could not start ${this.opts.nodeCoreScript}: ${why}`)
    }
    this.watchPid(pid)
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
    if (child.pid !== undefined) this.guardian?.forget(child.pid)
    if (s.child !== child) return
    const expected = s.stopping
    s.child = null
    s.exited = null
    s.pausedAt = null
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

  /** SIGTERM one node (waking it first if paused), SIGKILL it after the stop timeout, await its exit. */
  private async terminate(s: NodeSlot): Promise<void> {
    const child = s.child
    const exited = s.exited
    if (!child || !exited) return
    s.stopping = true
    const paused = s.pausedAt !== null
    this.setNodeState(s, 'stopping')
    child.kill('SIGTERM')
    // A stopped process holds SIGTERM until it runs again.
    if (paused) child.kill('SIGCONT')
    const timer = setTimeout(() => child.kill('SIGKILL'), this.stopTimeoutMs)
    await exited
    clearTimeout(timer)
  }

  private async stopAll(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.terminate(s)))
  }
}

/**
 * Start one node-core process on its home, with the flags and environment node-core asks for
 * (NODE_CORE_NODE_FLAGS, NODE_CORE_ENV) and any extra flags from QUORUM_LAB_NODE_FLAGS.
 */
export function spawnNodeCore(script: string, home: string): ChildProcess {
  return spawnNodeScript(script, { args: ['--home', home], cwd: home, env: { ...NODE_CORE_ENV }, nodeFlags: [...NODE_CORE_NODE_FLAGS, ...extraNodeFlags()] })
}

/**
 * Extra V8/Node flags for every node-core process, from QUORUM_LAB_NODE_FLAGS (space-separated),
 * for profiling a live cluster (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`); Node refuses those
 * in NODE_OPTIONS.
 */
function extraNodeFlags(): string[] {
  return (process.env.QUORUM_LAB_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f.startsWith('--'))
}
