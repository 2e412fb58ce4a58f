import { randomInt } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import type { ClusterConfMember } from '../conf/cluster-conf'
import { decodeCommand, StateMachine } from '../fsm'
import { nodeIdOf } from '../protocol/node-id'
import { createRng, type Rng } from '../raft/rand'
import type { TraceEvent } from '../raft/trace'
import type { Message, NodeId } from '../raft/types'
import { NodeMetrics, PROMETHEUS_PATH } from '../observe/metrics'
import { DiskStorage } from '../storage'
import { Authenticator, authRoutes, type AuthSettings } from './auth'
import { coreRoutes, createNodeHttpServer, type NodeHttpServer, type RouteTable } from './http-server'
import { adminRoutes } from './admin-api'
import { compactingGc, startIdleGc } from '../observe/idle-gc'
import { logApplied } from './apply-log'
import { NacosApi } from './nacos-api'
import { RaftHost } from './raft-host'
import { TraceRing } from './trace-ring'

/**
 * One node's service: durable storage, the Raft host, the state machines and the HTTP API,
 * assembled. main.ts adds the process concerns (signals, the peer transport, logs); tests
 * run several of these in one process with an in-memory network.
 */

/** Raft timing in wall-clock terms (the seed's §5.1: heartbeat 100 ms, election 150–300 ms). */
export interface RaftTiming {
  tickMs: number
  heartbeatTick: number
  electionTick: number
}

export const SEED_TIMING: RaftTiming = { tickMs: 10, heartbeatTick: 10, electionTick: 15 }

export interface NacosNodeOptions {
  dataDir: string
  members: readonly ClusterConfMember[]
  self: ClusterConfMember
  bindAddress: string
  httpPort: number
  logger: Logger
  startedAt: number
  /** Hand a Raft message to the peer transport. */
  send: (m: Message) => void
  timing?: RaftTiming
  preVote?: boolean
  checkQuorum?: boolean
  snapshotEvery?: number
  catchUpEntries?: number
  noLeaderWaitMs?: number
  rng?: Rng
  /** The known leader changed (address, or undefined for none). */
  onLeaderChange?: (leader: string | undefined, role: string, term: number) => void
  /** naming-server.log and config-server.log (what the state machines did). */
  namingLog?: Logger
  configLog?: Logger
  /** Join a running cluster (scale out) instead of bootstrapping from `members`. */
  join?: boolean
  onTrace?: (e: TraceEvent) => void
  onFatal?: (err: Error) => void
  /** Authentication (conf: `authSettings()` in ./auth); absent means off. */
  auth?: AuthSettings
}

export interface NacosNode {
  id: NodeId
  host: RaftHost
  fsm: StateMachine
  api: NacosApi
  trace: TraceRing
  http: NodeHttpServer
  storage: DiskStorage
  address: AddressInfo
  /** This node's Prometheus registry (served at `/nacos/actuator/prometheus`). */
  metrics: NodeMetrics
  /** Stop serving (open requests get `graceMs`), fail pending work, close the storage. */
  close(graceMs?: number): Promise<void>
}

export async function startNacosNode(o: NacosNodeOptions): Promise<NacosNode> {
  const timing = o.timing ?? SEED_TIMING
  const byId = new Map<NodeId, string>(o.members.map((m) => [nodeIdOf(m.address), m.address]))
  const id = nodeIdOf(o.self.address)
  const log = o.logger
  const metrics = new NodeMetrics()
  const storage = await DiskStorage.open(o.dataDir, {
    logger: (r) => log[r.level]({ ...r.fields }, r.msg),
    metrics: { onFsync: (ms) => metrics.onFsync(ms), onSnapshotSaved: (bytes, ms) => metrics.onSnapshotSaved(bytes, ms) }
  })
  const fsm = new StateMachine()
  const trace = new TraceRing()
  // The API exists only after the host; applied entries before that wake nobody.
  const late: { api?: NacosApi } = {}
  const host = await RaftHost.start({
    id,
    storage,
    fsm,
    initialVoters: o.join ? [] : [...byId.keys()],
    send: o.send,
    tickMs: timing.tickMs,
    heartbeatTick: timing.heartbeatTick,
    electionTick: timing.electionTick,
    preVote: o.preVote,
    checkQuorum: o.checkQuorum,
    snapshotEvery: o.snapshotEvery,
    catchUpEntries: o.catchUpEntries,
    noLeaderWaitMs: o.noLeaderWaitMs,
    // A fresh seed per process: the core's default (its id) would replay the same election
    // timeouts after every restart, and two nodes could keep colliding the same way.
    rng: o.rng ?? createRng(randomInt(2 ** 32 - 1)),
    logger: (level, msg, fields) => log[level]({ ...fields }, msg),
    onTrace: (e) => {
      trace.push(e)
      metrics.onTrace(e)
      o.onTrace?.(e)
    },
    onApply: (r, command) => {
      metrics.onApplied()
      late.api?.onApply(r)
      // Health and expiry results name only outcomes; the command has the instances.
      const cmd = r.op === 'naming.setHealth' || r.op === 'naming.expire' ? decodeCommand(command) : undefined
      logApplied(r, cmd, { naming: o.namingLog, config: o.configLog })
    },
    onRestore: () => late.api?.onRestore(),
    onFatal: o.onFatal,
    onSoftState: (lead, role, term) => o.onLeaderChange?.(lead === 0 ? undefined : (byId.get(lead) ?? String(lead)), role, term),
    metrics: { onLeader: (lead) => metrics.onLeader(lead), onProposalFailed: (code) => metrics.onProposalFailed(code) }
  })
  const api = new NacosApi({ host, fsm, memberAddress: (nid) => byId.get(nid), log: (level, msg, fields) => log[level]({ ...fields }, msg), configLog: o.configLog, namingLog: o.namingLog })
  late.api = api
  api.start()
  metrics.bind({
    naming: () => fsm.naming.counts(),
    configCount: () => fsm.config.count(),
    longPollListeners: () => api.listenerCount(),
    raft: () => {
      const s = host.status()
      return { term: s.term, lead: s.lead, isLeader: s.role === 'leader', commit: s.commit, applied: fsm.applied, pendingProposals: host.pendingProposals }
    }
  })
  const auth = new Authenticator(o.auth ?? { enabled: false, secret: '', tokenTtlSeconds: 18_000, users: new Map(), defaultUsers: false })
  const routes: RouteTable = new Map([
    ...coreRoutes({ members: o.members, self: o.self, logger: log, startedAt: o.startedAt }),
    ...api.routes(),
    ...adminRoutes({ host, fsm, api, trace, members: o.members, self: o.self, addressOf: (nid) => byId.get(nid), startedAt: o.startedAt }),
    ...authRoutes(auth),
    [PROMETHEUS_PATH, { GET: async () => metrics.reply() }]
  ])
  const http = createNodeHttpServer({ members: o.members, self: o.self, logger: log, startedAt: o.startedAt }, routes, {
    observe: (method, uri, status, seconds) => metrics.onHttp(method, uri, status, seconds),
    auth
  })
  let address: AddressInfo
  try {
    address = await http.listen(o.bindAddress, o.httpPort)
  } catch (err) {
    await host.stop()
    await storage.close()
    throw err
  }
  const stopIdleGc = startIdleGc({
    progress: () => fsm.applied,
    gc: compactingGc((globalThis as { gc?: () => void }).gc),
    onCollected: (ms) => log.debug({ ms: Math.round(ms) }, 'full GC after a burst of writes')
  })
  let closing: Promise<void> | undefined
  return {
    id,
    host,
    fsm,
    api,
    trace,
    http,
    storage,
    address,
    metrics,
    close: (graceMs = 1000) =>
      (closing ??= (async () => {
        stopIdleGc()
        api.close()
        await http.close(graceMs)
        await host.stop()
        await storage.close()
      })())
  }
}
