/**
 * LabApi: the one contract between every host (Electron IPC, the web-mode WebSocket bridge,
 * the CLI) and the lab engine.
 *
 * This module is pure on purpose: the sandboxed preload and the renderer bundle it, so it
 * imports nothing at run time (no `node:*`, no `electron`, no DOM; type-only imports of the
 * node-core wire shapes, which vanish when compiled). Every method takes one JSON payload
 * and answers a `Result`, because only plain data survives IPC and WebSocket framing and a
 * thrown error would lose its `code` on the way.
 */

import type { DataView, LogWindow, NodeStatus } from '../../node-core/src/protocol/admin'
import { nodeIdOf } from '../../node-core/src/protocol/node-id'

/** A member's Raft id from its address, as every node derives it (node-core's protocol). */
export { nodeIdOf }

export type { ConfigView, DataView, InstanceView, LogEntryView, LogWindow, NodeStatus, PeerProgress, RaftRole } from '../../node-core/src/protocol/admin'

/** Node ids start at 1; 0 means none (as in etcd-io/raft). */
export type NodeId = number

/** What the lab knows of a node's process (not its Raft role). */
export type NodeRunState = 'stopped' | 'starting' | 'up' | 'paused' | 'stopping' | 'down'

export type ClusterState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped'

export interface NodeExit {
  code: number | null
  signal: string | null
  /** Wall-clock ms of the exit. */
  at: number
  /** True when the lab asked for it (stop), false for a crash or an unexpected death. */
  expected: boolean
}

export interface NodeInfo {
  id: NodeId
  /** Member address as cluster.conf names it: `ip:port` of the HTTP API. */
  address: string
  host: string
  httpPort: number
  /** Raft peer port: HTTP port − 1000, as in Nacos 2.x. */
  raftPort: number
  /** The node's home: conf/, data/, logs/ live under it. */
  home: string
  pid: number | null
  state: NodeRunState
  startedAt: number | null
  lastExit: NodeExit | null
}

export interface ClusterInfo {
  /** One id per lab run; names the run's directory. */
  runId: string
  dataDir: string
  size: number
  state: ClusterState
  settings: ClusterSettings
  nodes: NodeInfo[]
}

/**
 * Raft timing: 'seed' is the tutorial's (§5.1: heartbeat 100 ms, election timeout 150–300 ms);
 * 'teaching' is ten times slower, so a person can follow each vote and append.
 */
export type TimingProfile = 'seed' | 'teaching'
export const TIMING_PROFILES: readonly TimingProfile[] = ['seed', 'teaching']

export interface ClusterSettings {
  profile: TimingProfile
  /** Raft PreVote (§9.6 of the thesis): a cut-off node does not inflate its term. */
  preVote: boolean
  /** A leader that cannot reach a majority steps down. */
  checkQuorum: boolean
}

export interface LabInfo {
  version: string
  /** 'electron' | 'web' | 'cli' */
  host: LabHost
  platform: string
  nodeVersion: string
  dataRoot: string
  /** Cluster settings to offer first (the desktop app remembers the last ones used). */
  clusterDefaults: CreateClusterRequest
}

export type LabHost = 'electron' | 'web' | 'cli'

export type LabErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_METHOD'
  | 'NO_CLUSTER'
  | 'CLUSTER_BUSY'
  | 'NODE_NOT_FOUND'
  | 'NODE_NOT_RUNNING'
  | 'NO_LEADER'
  | 'UNSUPPORTED'
  | 'SPAWN_FAILED'
  | 'NODE_REFUSED'
  | 'TIMEOUT'
  | 'UNAUTHORIZED'
  | 'DISCONNECTED'
  | 'INTERNAL'

export interface LabError {
  code: LabErrorCode
  message: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: LabError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = <T = never>(code: LabErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message }
})

/** Every event carries the bus's sequence number and the wall-clock ms it was published. */
export interface EventStamp {
  seq: number
  ts: number
}

// ---- link faults --------------------------------------------------------------------------

/**
 * How a link misbehaves. 'blackhole' holds the bytes with the connection open (a dead network
 * path); 'reset' closes connections and refuses new ones (a host that answers RST).
 */
export type CutMode = 'none' | 'blackhole' | 'reset'

export interface LinkFault {
  cut: CutMode
  /** Added to every message (peer links) or chunk (client links). */
  delayMs: number
  /** Uniform extra delay in [0, jitterMs]; order within a connection is kept. */
  jitterMs: number
  /** Peer links: messages dropped; client links: new connections reset at once. 0–100. */
  dropPct: number
  /** Peer links only: messages sent twice. 0–100. */
  dupPct: number
}

export const HEALTHY_LINK: LinkFault = { cut: 'none', delayMs: 0, jitterMs: 0, dropPct: 0, dupPct: 0 }
export const MAX_LINK_DELAY_MS = 60_000

export type LinkKind = 'peer' | 'client'

export interface LinkStats {
  /** Messages (peer) or chunks (client) forwarded. */
  passed: number
  bytes: number
  dropped: number
  duplicated: number
  /** Held right now by a black hole. */
  held: number
  delayed: number
  connections: number
}

export interface LinkInfo {
  kind: LinkKind
  /** Peer links: the sender; client links: 0 (the workload and your own clients). */
  from: NodeId
  to: NodeId
  /** host:port of the proxy (client links: what a client should dial to reach `to`). */
  listen: string
  fault: LinkFault
  stats: LinkStats
}

export type PartitionPreset = 'isolate' | 'isolateLeader' | 'split' | 'bridge' | 'majoritiesRing' | 'oneWay'
export const PARTITION_PRESETS: readonly PartitionPreset[] = ['isolate', 'isolateLeader', 'split', 'bridge', 'majoritiesRing', 'oneWay']

export interface PresetRequest {
  preset: PartitionPreset
  /** isolate: the node to cut off. */
  nodeId?: NodeId
  /** split: the side that keeps the majority (default: the first ⌈n/2⌉ nodes, as 3 + 2). */
  groups?: NodeId[][]
  /** oneWay: cut from → to only. */
  from?: NodeId
  to?: NodeId
  /** How the cut links fail (default 'blackhole'). */
  cut?: Exclude<CutMode, 'none'>
}

// ---- workload -----------------------------------------------------------------------------

export type OpKind = 'publish' | 'get' | 'register' | 'list'
export const OP_KINDS: readonly OpKind[] = ['publish', 'get', 'register', 'list']
/** Where writes go: any node (a follower forwards to the leader) or the leader only (seed §6.1). */
export type WriteRouting = 'any' | 'leader'
/** Where reads go: any node's local state (eventual), the leader's, or through ReadIndex. */
export type ReadRouting = 'any' | 'leader' | 'linearizable'
export type WorkloadState = 'idle' | 'running' | 'stopping'

export interface WorkloadSpec {
  /** Ops started per second (open loop); 0 = as fast as `concurrency` allows. */
  ratePerSec: number
  concurrency: number
  /** Relative weights of each op kind. */
  mix: Record<OpKind, number>
  keys: number
  services: number
  instancesPerService: number
  writeRouting: WriteRouting
  readRouting: ReadRouting
  timeoutMs: number
  /** Beats for registered instances, as the SDK sends them; 0 = none. */
  beatIntervalMs: number
  keyPrefix: string
  servicePrefix: string
  group: string
}

/** A partial spec: missing fields keep their current (or default) values. */
export type WorkloadSpecInput = Partial<Omit<WorkloadSpec, 'mix'>> & { mix?: Partial<Record<OpKind, number>> }

export interface KindStats {
  ok: number
  fail: number
  unknown: number
  p50: number
  p99: number
  max: number
}

export interface WorkloadStats {
  at: number
  intervalMs: number
  ok: number
  fail: number
  unknown: number
  rate: number
  skipped: number
  inFlight: number
  beats: { sent: number; ok: number }
  byKind: Record<OpKind, KindStats>
}

export interface WorkloadTotals {
  ok: number
  fail: number
  unknown: number
  skipped: number
  byKind: Record<OpKind, { ok: number; fail: number; unknown: number }>
  beats: { sent: number; ok: number; lastClientBeatInterval: number | null }
}

export interface WorkloadInfo {
  state: WorkloadState
  spec: WorkloadSpec | null
  totals: WorkloadTotals
  last: WorkloadStats | null
}

// ---- logs ---------------------------------------------------------------------------------

/** The four Nacos log files of a node (NODE_LOG_FILES in node-core's protocol). */
export type LogChannel = 'main' | 'naming' | 'config' | 'cluster'
export const LOG_CHANNELS: readonly LogChannel[] = ['main', 'naming', 'config', 'cluster']
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'unknown'
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown']

export interface LogLine {
  nodeId: NodeId
  file: LogChannel
  level: LogLevel
  time: number
  msg: string
  fields: Record<string, unknown>
  raw: string
}

export interface LogFilter {
  nodes?: NodeId[]
  files?: LogChannel[]
  levels?: LogLevel[]
  /** Case-insensitive substring of the message or the raw line. */
  text?: string
}

export interface LogQuery {
  filter?: LogFilter
  /** Newest matching lines, returned oldest first (default 1000, at most 20,000). */
  limit?: number
}

export interface LogQueryResult {
  lines: LogLine[]
  /** Lines read since the cluster started, and how many fell out of the ring. */
  total: number
  evicted: number
}

// ---- metrics and alerts -------------------------------------------------------------------

/** The Nacos APIs the metrics group requests into (by the request path). */
export type ApiGroup = 'register' | 'deregister' | 'beat' | 'list' | 'configGet' | 'configPublish' | 'configDelete' | 'listener' | 'other'
export const API_GROUPS: readonly ApiGroup[] = ['register', 'deregister', 'beat', 'list', 'configGet', 'configPublish', 'configDelete', 'listener', 'other']

export interface NodeMetrics {
  nodeId: NodeId
  /** False when the last scrape failed (down, paused, cut off from the lab). */
  up: boolean
  /** Requests per second by API over the last interval. */
  qps: Partial<Record<ApiGroup, number>>
  /** Latency quantiles over the last interval, ms (null: no requests). */
  p50Ms: number | null
  p99Ms: number | null
  /** 5xx / all requests over the last interval, 0–1. */
  errorRate: number
  isLeader: boolean
  term: number | null
  commit: number | null
  applied: number | null
  /** The leader's commit index minus this node's applied index. */
  replicationLag: number | null
  /** Leader changes this node saw in the last interval. */
  leaderChanges: number
  fsyncP99Ms: number | null
  cpuPct: number | null
  rssBytes: number | null
  /** p50/p99 per API over the last interval, ms (long-polls are here, not in the overall p99). */
  latencyByApi?: Partial<Record<ApiGroup, { p50Ms: number | null; p99Ms: number | null }>>
  /** p99 round trip to each peer (leader only), ms, by member address. */
  peerRttMs?: Record<string, number | null>
  /** True on the first sample after the process restarted (its counters started again). */
  restarted?: boolean
}

export interface ClusterMetrics {
  size: number
  nodesUp: number
  /** Votes needed to elect and to commit: ⌊size/2⌋ + 1. */
  quorum: number
  leader: NodeId | null
  qps: number
  p99Ms: number | null
  errorRate: number
  /** Leader changes seen anywhere in the last interval. */
  leaderChanges: number
}

export interface MetricsSample {
  at: number
  intervalMs: number
  nodes: NodeMetrics[]
  cluster: ClusterMetrics
}

/** The seed's §8.3 alert rules. */
export type AlertRuleId = 'quorum-lost' | 'latency-high' | 'error-rate-high' | 'elections-frequent'
export const ALERT_RULE_IDS: readonly AlertRuleId[] = ['quorum-lost', 'latency-high', 'error-rate-high', 'elections-frequent']

export interface AlertRule {
  id: AlertRuleId
  enabled: boolean
  /** quorum-lost: nodes up below this (0 = the cluster's quorum); latency-high: p99 ms; error-rate-high: 0–1; elections-frequent: per hour. */
  threshold: number
  /** How long the condition must hold before the alert fires (Prometheus `for:`). */
  forMs: number
}

export interface AlertStatus {
  rule: AlertRule
  state: 'ok' | 'pending' | 'firing'
  /** The value the rule last saw. */
  value: number | null
  /** When the current state began. */
  since: number | null
}

export interface MetricsQuery {
  /** Samples after this wall ms (default: all kept, about the last hour). */
  since?: number
}

/** Commands the desktop menu sends to the page (views, theme, language, help). */
export type UiCommand =
  | 'view.cluster'
  | 'view.timeline'
  | 'view.replication'
  | 'view.metrics'
  | 'view.logs'
  | 'view.data'
  | 'view.drills'
  | 'view.settings'
  | 'theme.toggle'
  | 'locale.zh-CN'
  | 'locale.en'
  | 'help.shortcuts'

// ---- drills -------------------------------------------------------------------------------

export interface DrillInfo {
  name: string
  title: { 'zh-CN': string; en: string }
  description: { 'zh-CN': string; en: string }
  seed?: string
  /** Set for a plan that does not apply to the embedded store (预案3), with why. */
  notApplicable?: { 'zh-CN': string; en: string }
  nodes: number
}

export interface DrillRunRequest {
  name: string
  /** Overrides the drill's cluster size. */
  nodes?: number
  lang?: 'zh-CN' | 'en'
}

export interface DrillRunResult {
  name: string
  verdict: 'pass' | 'fail' | 'not-applicable'
  checks: { name: string; expected: string; actual: string; pass: boolean }[]
  /** Where report.html, report.json and report.md were written. */
  reportDir: string
}

// ---- events -------------------------------------------------------------------------------

export type LabEventBody =
  | { type: 'cluster.created'; cluster: ClusterInfo }
  | { type: 'cluster.state'; state: ClusterState }
  | { type: 'cluster.settings'; settings: ClusterSettings }
  | { type: 'node.spawned'; nodeId: NodeId; pid: number }
  | { type: 'node.ready'; nodeId: NodeId; pid: number; readyMs: number }
  | {
      type: 'node.exited'
      nodeId: NodeId
      pid: number
      code: number | null
      signal: string | null
      expected: boolean
    }
  | { type: 'node.paused'; nodeId: NodeId; pid: number }
  | { type: 'node.resumed'; nodeId: NodeId; pid: number; pausedMs: number }
  | { type: 'node.wiped'; nodeId: NodeId }
  | { type: 'member.added'; nodeId: NodeId; address: string; as: 'learner' | 'voter' }
  | { type: 'member.removed'; nodeId: NodeId; address: string }
  | { type: 'leader.transferred'; from: NodeId | null; to: NodeId; ms: number }
  | { type: 'fault.injected'; kind: 'crash' | 'stop' | 'pause'; nodeId: NodeId }
  | { type: 'link.fault'; kind: LinkKind; from: NodeId; to: NodeId; fault: LinkFault }
  | { type: 'link.healed'; kind: LinkKind; from: NodeId; to: NodeId }
  | { type: 'node.output'; nodeId: NodeId; stream: 'stdout' | 'stderr'; text: string }
  /** A node's Raft trace event (seq is the node's own sequence; ts its wall clock). */
  | { type: 'raft'; nodeId: NodeId; nodeSeq: number; nodeTs: number; event: { type: string; node: number } & Record<string, unknown> }
  /** Trace events of a node that were lost (its ring overflowed or we fell behind): shown, never hidden. */
  | { type: 'trace.gap'; nodeId: NodeId; fromSeq: number; toSeq: number; missing: number }
  /** The node restarted: its sequence numbers start again. */
  | { type: 'trace.reset'; nodeId: NodeId }
  /** At full speed the UI gets a sample of message events: this many of a node's last second were left out. */
  | { type: 'trace.sampled'; nodeId: NodeId; kept: number; skipped: number }
  | { type: 'metrics.sample'; sample: MetricsSample }
  | { type: 'alert'; rule: AlertRuleId; state: 'firing' | 'resolved'; value: number | null; threshold: number }
  | { type: 'workload.state'; state: WorkloadState; spec: WorkloadSpec | null }
  | { type: 'workload.stats'; stats: WorkloadStats }
  /** A running drill's progress, one line per step. */
  | { type: 'drill.progress'; name: string; line: string }
  /** From the desktop menu (Electron only): the page acts on it like on its own shortcut. */
  | { type: 'ui.command'; command: UiCommand }
  /** Published to a subscriber whose queue overflowed: how many events it missed. */
  | { type: 'events.dropped'; count: number }

export type LabEvent = EventStamp & LabEventBody
export type LabEventType = LabEventBody['type']

// ---- requests -----------------------------------------------------------------------------

export interface CreateClusterRequest {
  /** 1–9 nodes. 2 is allowed on purpose: it shows why two nodes cannot survive one failure. */
  size: number
  profile?: TimingProfile
  preVote?: boolean
  checkQuorum?: boolean
}

export interface NodeRequest {
  nodeId: NodeId
}

export interface LogWindowRequest {
  nodeId: NodeId
  /** Inclusive range of Raft log indexes (default: the last 100); at most 1001 entries. */
  from?: number
  to?: number
}

export interface LinkRequest {
  from: NodeId
  to: NodeId
  /** Fields left out are healthy. */
  fault: Partial<LinkFault>
}

export interface LinkRef {
  from: NodeId
  to: NodeId
}

export interface ClientLinkRequest {
  nodeId: NodeId
  fault: Partial<LinkFault>
}

/** One node's Raft facts as it reports them (null when it does not answer: down, paused, cut). */
export interface NodeRaftView {
  nodeId: NodeId
  status: NodeStatus | null
  error: string | null
}

/** Request payload and answer of every LabApi method, keyed by its wire name. */
export interface LabMethodMap extends ReplayMethodMap {
  'lab.info': { req: undefined; res: LabInfo }
  'cluster.get': { req: undefined; res: ClusterInfo | null }
  'cluster.create': { req: CreateClusterRequest; res: ClusterInfo }
  'cluster.start': { req: undefined; res: ClusterInfo }
  'cluster.stop': { req: undefined; res: ClusterInfo }
  'cluster.settings': { req: Partial<ClusterSettings>; res: ClusterInfo }
  'cluster.status': { req: undefined; res: NodeRaftView[] }
  'cluster.addNode': { req: undefined; res: NodeInfo }
  'node.crash': { req: NodeRequest; res: NodeInfo }
  'node.restart': { req: NodeRequest; res: NodeInfo }
  'node.stop': { req: NodeRequest; res: NodeInfo }
  'node.start': { req: NodeRequest; res: NodeInfo }
  'node.pause': { req: NodeRequest; res: NodeInfo }
  'node.resume': { req: NodeRequest; res: NodeInfo }
  'node.wipe': { req: NodeRequest; res: NodeInfo }
  'node.remove': { req: NodeRequest; res: ClusterInfo }
  'node.transferLeader': { req: NodeRequest; res: NodeRaftView[] }
  /** A window of one node's Raft log (entries by term, commit and applied marks). */
  'node.log': { req: LogWindowRequest; res: LogWindow }
  /** One node's own copy of services, instances and configs (stale on a cut-off follower). */
  'node.data': { req: NodeRequest; res: DataView }
  'link.list': { req: undefined; res: LinkInfo[] }
  'link.set': { req: LinkRequest; res: LinkInfo[] }
  'link.heal': { req: LinkRef; res: LinkInfo[] }
  'link.healAll': { req: undefined; res: LinkInfo[] }
  'link.preset': { req: PresetRequest; res: LinkInfo[] }
  'link.client': { req: ClientLinkRequest; res: LinkInfo[] }
  'workload.start': { req: WorkloadSpecInput; res: WorkloadInfo }
  'workload.update': { req: WorkloadSpecInput; res: WorkloadInfo }
  'workload.stop': { req: undefined; res: WorkloadInfo }
  'workload.get': { req: undefined; res: WorkloadInfo }
  'logs.query': { req: LogQuery; res: LogQueryResult }
  'metrics.get': { req: MetricsQuery; res: MetricsSample[] }
  'alerts.get': { req: undefined; res: AlertStatus[] }
  'alerts.configure': { req: { rules: (Partial<AlertRule> & { id: AlertRuleId })[] }; res: AlertStatus[] }
  'drill.list': { req: undefined; res: DrillInfo[] }
  /** Runs the drill on a fresh cluster (stop the current one first) and writes its reports. */
  'drill.run': { req: DrillRunRequest; res: DrillRunResult }
}

export type LabMethod = keyof LabMethodMap
export type LabRequest<M extends LabMethod> = LabMethodMap[M]['req']
export type LabResponse<M extends LabMethod> = LabMethodMap[M]['res']

type Call<M extends LabMethod> =
  LabRequest<M> extends undefined
    ? () => Promise<Result<LabResponse<M>>>
    : (req: LabRequest<M>) => Promise<Result<LabResponse<M>>>

type GroupOf<M> = M extends `${infer G}.${string}` ? G : never
type NameOf<M> = M extends `${string}.${infer N}` ? N : never

/**
 * The API as the renderer sees it on `window.lab`: one async function per method, grouped by
 * the part of the wire name before the dot (`lab.cluster.create(...)` calls 'cluster.create').
 */
export type LabApi = {
  [G in GroupOf<LabMethod>]: { [M in LabMethod as GroupOf<M> extends G ? NameOf<M> : never]: Call<M> }
} & {
  /** Events arrive in batches (about every 50 ms). Returns the unsubscribe function. */
  onEvents(listener: (events: LabEvent[]) => void): () => void
}

/** What a host implements: a single dispatch point for already-validated payloads. */
export type LabHandler = <M extends LabMethod>(
  method: M,
  req: LabRequest<M>
) => Promise<Result<LabResponse<M>>>

/**
 * The lab node a Raft id names. Raft trace events and peer progress name members by their
 * Raft id (derived from the member address, node-core/src/protocol/node-id.ts), the lab by
 * its small node ids; null when no node of `nodes` has that id (a removed member).
 */
export function labNodeOfRaftId(nodes: readonly Pick<NodeInfo, 'id' | 'address'>[], raftId: number): NodeId | null {
  for (const n of nodes) if (nodeIdOf(n.address) === raftId) return n.id
  return null
}

/** The lab node a member address (`ip:port`, as NodeStatus names peers) belongs to, or null. */
export function labNodeOfAddress(nodes: readonly Pick<NodeInfo, 'id' | 'address'>[], address: string | null): NodeId | null {
  if (!address) return null
  for (const n of nodes) if (n.address === address) return n.id
  return null
}

export const MIN_CLUSTER_SIZE = 1
export const MAX_CLUSTER_SIZE = 9

// ---- validation ---------------------------------------------------------------------------

type Validator<M extends LabMethod> = (payload: unknown) => Result<LabRequest<M>>

const noPayload: Validator<never> = (payload) =>
  payload === undefined || payload === null
    ? ok(undefined as never)
    : fail('INVALID_ARGUMENT', 'this method takes no payload')

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A field check: the value (undefined when absent) → the value, or a message without the name. */
type FieldCheck = (v: unknown) => { value: unknown } | { error: string }

const intIn =
  (min: number, max: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? { value: v } : { error: `must be an integer from ${min} to ${max}` }
const numIn =
  (min: number, max: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? { value: v } : { error: `must be a number from ${min} to ${max}` }
const oneOf =
  (values: readonly string[]): FieldCheck =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? { value: v } : { error: `must be one of ${values.map((x) => `"${x}"`).join(', ')}` }
const bool: FieldCheck = (v) => (typeof v === 'boolean' ? { value: v } : { error: 'must be true or false' })
const nodeId = intIn(1, 4096)

/**
 * Check an object payload against per-field checks: unknown fields are refused (not ignored),
 * required fields must be present, and every message names the field.
 */
function objectOf<T>(payload: unknown, fields: Record<string, FieldCheck>, required: string[] = [], path = ''): Result<T> {
  if (!isRecord(payload)) {
    const names = Object.keys(fields).map((f) => `"${path}${f}"`)
    return fail('INVALID_ARGUMENT', `${path ? `"${path.slice(0, -1)}"` : 'payload'} must be an object${names.length ? ` with ${names.join(', ')}` : ''}`)
  }
  const unknown = Object.keys(payload).filter((k) => !Object.prototype.hasOwnProperty.call(fields, k))
  if (unknown.length > 0) return fail('INVALID_ARGUMENT', `unknown field "${path}${unknown[0]}"`)
  const out: Record<string, unknown> = {}
  for (const [name, check] of Object.entries(fields)) {
    const v = payload[name]
    if (v === undefined) {
      if (required.includes(name)) return fail('INVALID_ARGUMENT', `"${path}${name}" is required`)
      continue
    }
    const r = check(v)
    if ('error' in r) return fail('INVALID_ARGUMENT', `"${path}${name}" ${r.error}`)
    out[name] = r.value
  }
  return ok(out as T)
}

const nodeRequest = (payload: unknown): Result<NodeRequest> => objectOf<NodeRequest>(payload, { nodeId }, ['nodeId'])

const settingsFields: Record<string, FieldCheck> = { profile: oneOf(TIMING_PROFILES), preVote: bool, checkQuorum: bool }

const faultFields: Record<string, FieldCheck> = {
  cut: oneOf(['none', 'blackhole', 'reset']),
  delayMs: intIn(0, MAX_LINK_DELAY_MS),
  jitterMs: intIn(0, MAX_LINK_DELAY_MS),
  dropPct: numIn(0, 100),
  dupPct: numIn(0, 100)
}

const faultCheck = (path: string): FieldCheck => (v) => {
  const r = objectOf<Partial<LinkFault>>(v, faultFields, [], `${path}.`)
  if (!r.ok) return { error: `is invalid: ${r.error.message}` }
  return { value: r.value }
}

const groupsCheck: FieldCheck = (v) => {
  if (!Array.isArray(v) || v.length < 2 || v.length > 9) return { error: 'must be a list of 2 or more groups of node ids' }
  const seen = new Set<number>()
  for (const g of v) {
    if (!Array.isArray(g) || g.length === 0) return { error: 'must hold non-empty lists of node ids' }
    for (const id of g) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 4096) return { error: `holds "${String(id)}", not a node id` }
      if (seen.has(id)) return { error: `names node ${id} twice` }
      seen.add(id)
    }
  }
  return { value: v }
}

const listOf =
  (check: FieldCheck, max: number): FieldCheck =>
  (v) => {
    if (!Array.isArray(v) || v.length > max) return { error: `must be a list of at most ${max} items` }
    for (const x of v) {
      const r = check(x)
      if ('error' in r) return { error: `holds a bad item: ${r.error}` }
    }
    return { value: v }
  }
const text =
  (max: number, pattern?: RegExp): FieldCheck =>
  (v) =>
    typeof v === 'string' && v.length <= max && (!pattern || pattern.test(v))
      ? { value: v }
      : { error: `must be text of at most ${max} characters${pattern ? ' (letters, digits, . _ - : only)' : ''}` }

const workloadFields: Record<string, FieldCheck> = {
  ratePerSec: intIn(0, 100_000),
  concurrency: intIn(1, 1024),
  mix: (v) => {
    const r = objectOf<Record<OpKind, number>>(v, Object.fromEntries(OP_KINDS.map((k) => [k, numIn(0, 1000)])), [], 'mix.')
    return r.ok ? { value: r.value } : { error: `is invalid: ${r.error.message}` }
  },
  keys: intIn(1, 10_000),
  services: intIn(1, 1000),
  instancesPerService: intIn(1, 1000),
  writeRouting: oneOf(['any', 'leader']),
  readRouting: oneOf(['any', 'leader', 'linearizable']),
  timeoutMs: intIn(100, 120_000),
  beatIntervalMs: intIn(0, 60_000),
  keyPrefix: text(64, /^[\w.:-]+$/),
  servicePrefix: text(64, /^[\w.:-]+$/),
  group: text(128, /^[\w.:-]+$/)
}

const logFilterCheck: FieldCheck = (v) => {
  const r = objectOf<LogFilter>(
    v,
    { nodes: listOf(nodeId, 64), files: listOf(oneOf(LOG_CHANNELS), 4), levels: listOf(oneOf(LOG_LEVELS), 7), text: text(500) },
    [],
    'filter.'
  )
  return r.ok ? { value: r.value } : { error: `is invalid: ${r.error.message}` }
}

const alertRuleCheck: FieldCheck = (v) => {
  const r = objectOf<Partial<AlertRule>>(v, { id: oneOf(ALERT_RULE_IDS), enabled: bool, threshold: numIn(0, 1_000_000), forMs: intIn(0, 3_600_000) }, ['id'], 'rules[].')
  return r.ok ? { value: r.value } : { error: r.error.message }
}

// ---- replay of recorded runs (issue 7) ----------------------------------------------------
// Every LabApi addition for replay lives in this block; LabMethodMap extends ReplayMethodMap
// and labValidators spreads replayValidators.

/** A run id as the lab names run directories (`20261124-223512-3fa9`): no dots, no slashes. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/** One recorded run under the lab's data root, as `recording.list` describes it. */
export interface RecordingInfo {
  runId: string
  /** Wall-clock ms the recording started. */
  startedAt: number
  /** When it ended (the recorder closed), or the last write when it never closed cleanly. */
  endedAt: number
  durationMs: number
  /** Lines written: lab and Raft events plus metrics samples. */
  events: number
  /** Lines the recorder dropped because the disk fell behind. */
  dropped: number
  /** Bytes on disk of the recording's files. */
  sizeBytes: number
  /** The drill that ran it, or null for free play. */
  drill: string | null
  clusterSize: number | null
  /** The lab's current run: its recording may still grow. */
  current: boolean
}

export interface RecordingLoadRequest {
  runId: string
  /** First event (1-based position in replay order) to return; default 1. */
  fromSeq?: number
  /** Events per page (default 2,000, at most MAX_RECORDING_PAGE). */
  limit?: number
}

export const MAX_RECORDING_PAGE = 5000
export const DEFAULT_RECORDING_PAGE = 2000

/** A line of a recording that was skipped, and why (a torn last line, bad JSON). */
export interface RecordingProblem {
  file: string
  line: number
  reason: string
}

/**
 * A page of a recorded run in time order. Each event's `seq` is its position in the replay
 * (1-based) and `ts` its recorded time, so pages follow on by `nextSeq`; metrics samples
 * arrive as `metrics.sample` events in the same order. Message events are sampled as the live
 * UI got them (with `trace.sampled` counts).
 */
export interface RecordingPage {
  runId: string
  startedAt: number
  /** The last recorded event's time (at least startedAt). */
  endedAt: number
  /** Events in the whole replay. */
  total: number
  fromSeq: number
  events: LabEvent[]
  /** The next page's fromSeq, or null after the last event. */
  nextSeq: number | null
  problems: RecordingProblem[]
}

export interface ReplayMethodMap {
  /** Recorded runs under the lab's data root, newest first. */
  'recording.list': { req: undefined; res: RecordingInfo[] }
  /** A page of one recorded run's events, in time order. */
  'recording.load': { req: RecordingLoadRequest; res: RecordingPage }
}

const runIdCheck: FieldCheck = (v) =>
  typeof v === 'string' && RUN_ID_PATTERN.test(v) ? { value: v } : { error: 'must be a run id (letters, digits, - and _, at most 64)' }

const replayValidators: { [M in keyof ReplayMethodMap]: Validator<M> } = {
  'recording.list': noPayload,
  'recording.load': (payload) =>
    objectOf<RecordingLoadRequest>(payload, { runId: runIdCheck, fromSeq: intIn(1, Number.MAX_SAFE_INTEGER), limit: intIn(1, MAX_RECORDING_PAGE) }, ['runId'])
}

// ---- end of replay block ------------------------------------------------------------------

// ==== BEGIN feat/drills: drill reports and host actions ====================================
// Added for the Drills and Settings views. Kept in one block (types, methods, validators) so
// it merges cleanly beside other additions to the contract.

/** A drill report folder under `<dataRoot>/reports/`, as `report.list` names it. */
export interface ReportSummary {
  /** Absolute path of the folder (report.html, report.json, report.md, maybe report.pdf). */
  dir: string
  /** The drill's name (`leader-crash`). */
  name: string
  title: { 'zh-CN': string; en: string }
  verdict: DrillRunResult['verdict']
  /** Wall-clock ms the drill started and ended. */
  startedAt: number
  endedAt: number
  /** A PDF was exported into the folder. */
  hasPdf: boolean
}

export interface ReportRequest {
  /** A report folder inside the lab's data root (anything else is refused). */
  dir: string
}

/** The three forms of one report, as text. */
export interface ReportFiles {
  dir: string
  html: string
  markdown: string
  json: string
}

/** A file the host wrote or a folder it opened. */
export interface HostPath {
  path: string
}

// Declaration merging: these methods join the contract's map above.
export interface LabMethodMap {
  /** Past drill reports under the data root, newest first. */
  'report.list': { req: undefined; res: ReportSummary[] }
  /** One report's HTML, Markdown and JSON (the folder must be inside the data root). */
  'report.get': { req: ReportRequest; res: ReportFiles }
  /** Electron only: print report.html to reportDir/report.pdf; elsewhere UNSUPPORTED. */
  'report.pdf': { req: ReportRequest; res: HostPath }
  /** Electron only: open the data root in the OS file manager; elsewhere UNSUPPORTED. */
  'lab.openDataDir': { req: undefined; res: HostPath }
}

/** Longest report folder path accepted (Windows' long paths included). */
export const MAX_REPORT_DIR_LENGTH = 4096

const reportRequest = (payload: unknown): Result<ReportRequest> =>
  objectOf<ReportRequest>(payload, { dir: (v) => (typeof v === 'string' && v.length > 0 && v.length <= MAX_REPORT_DIR_LENGTH && !v.includes('\0') ? { value: v } : { error: `must be a folder path of 1 to ${MAX_REPORT_DIR_LENGTH} characters` }) }, ['dir'])

const drillReportValidators = {
  'report.list': noPayload,
  'report.get': reportRequest,
  'report.pdf': reportRequest,
  'lab.openDataDir': noPayload
} satisfies { [M in 'report.list' | 'report.get' | 'report.pdf' | 'lab.openDataDir']: Validator<M> }
// ==== END feat/drills =====================================================================

/**
 * Payload validators, one per method. Hosts must run the matching validator on every payload
 * that crosses a process boundary before they dispatch it.
 */
export const labValidators: { [M in LabMethod]: Validator<M> } = {
  ...replayValidators,
  'lab.info': noPayload,
  'cluster.get': noPayload,
  'cluster.create': (payload) =>
    objectOf<CreateClusterRequest>(payload, { size: intIn(MIN_CLUSTER_SIZE, MAX_CLUSTER_SIZE), ...settingsFields }, ['size']),
  'cluster.start': noPayload,
  'cluster.stop': noPayload,
  'cluster.settings': (payload) => objectOf<Partial<ClusterSettings>>(payload, settingsFields),
  'cluster.status': noPayload,
  'cluster.addNode': noPayload,
  'node.crash': nodeRequest,
  'node.restart': nodeRequest,
  'node.stop': nodeRequest,
  'node.start': nodeRequest,
  'node.pause': nodeRequest,
  'node.resume': nodeRequest,
  'node.wipe': nodeRequest,
  'node.remove': nodeRequest,
  'node.transferLeader': nodeRequest,
  'node.log': (payload) => {
    const r = objectOf<LogWindowRequest>(payload, { nodeId, from: intIn(0, Number.MAX_SAFE_INTEGER), to: intIn(0, Number.MAX_SAFE_INTEGER) }, ['nodeId'])
    if (r.ok && r.value.from !== undefined && r.value.to !== undefined && (r.value.to < r.value.from || r.value.to - r.value.from > 1000)) {
      return fail('INVALID_ARGUMENT', '"to" must be from "from" to "from" + 1000')
    }
    return r
  },
  'node.data': nodeRequest,
  'link.list': noPayload,
  'link.set': (payload) => {
    const r = objectOf<LinkRequest>(payload, { from: nodeId, to: nodeId, fault: faultCheck('fault') }, ['from', 'to', 'fault'])
    if (r.ok && r.value.from === r.value.to) return fail('INVALID_ARGUMENT', '"to" must differ from "from": a node has no link to itself')
    return r
  },
  'link.heal': (payload) => objectOf<LinkRef>(payload, { from: nodeId, to: nodeId }, ['from', 'to']),
  'link.healAll': noPayload,
  'link.preset': (payload) => {
    const r = objectOf<PresetRequest>(
      payload,
      { preset: oneOf(PARTITION_PRESETS), nodeId, groups: groupsCheck, from: nodeId, to: nodeId, cut: oneOf(['blackhole', 'reset']) },
      ['preset']
    )
    if (!r.ok) return r
    const q = r.value
    if (q.preset === 'isolate' && q.nodeId === undefined) return fail('INVALID_ARGUMENT', '"nodeId" is required for the "isolate" preset')
    if (q.preset === 'oneWay' && (q.from === undefined || q.to === undefined)) return fail('INVALID_ARGUMENT', '"from" and "to" are required for the "oneWay" preset')
    if (q.preset === 'oneWay' && q.from === q.to) return fail('INVALID_ARGUMENT', '"to" must differ from "from"')
    return r
  },
  'link.client': (payload) => objectOf<ClientLinkRequest>(payload, { nodeId, fault: faultCheck('fault') }, ['nodeId', 'fault']),
  'workload.start': (payload) => objectOf<WorkloadSpecInput>(payload ?? {}, workloadFields),
  'workload.update': (payload) => objectOf<WorkloadSpecInput>(payload, workloadFields),
  'workload.stop': noPayload,
  'workload.get': noPayload,
  'logs.query': (payload) => objectOf<LogQuery>(payload ?? {}, { filter: logFilterCheck, limit: intIn(1, 20_000) }),
  'metrics.get': (payload) => objectOf<MetricsQuery>(payload ?? {}, { since: intIn(0, Number.MAX_SAFE_INTEGER) }),
  'alerts.get': noPayload,
  'drill.list': noPayload,
  'drill.run': (payload) => objectOf<DrillRunRequest>(payload, { name: text(64, /^[a-z0-9][a-z0-9-]*$/), nodes: intIn(MIN_CLUSTER_SIZE, MAX_CLUSTER_SIZE), lang: oneOf(['zh-CN', 'en']) }, ['name']),
  'alerts.configure': (payload) => objectOf<{ rules: (Partial<AlertRule> & { id: AlertRuleId })[] }>(payload, { rules: listOf(alertRuleCheck, ALERT_RULE_IDS.length) }, ['rules']),
  // feat/drills: drill reports and host actions (see the block above).
  ...drillReportValidators
}


export const LAB_METHODS = Object.keys(labValidators) as LabMethod[]

export function isLabMethod(name: unknown): name is LabMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(labValidators, name)
}

/** Validate an untrusted (method, payload) pair and dispatch it; never throws. */
export async function dispatchLab(
  handler: LabHandler,
  method: unknown,
  payload: unknown
): Promise<Result<unknown>> {
  if (!isLabMethod(method)) return fail('UNKNOWN_METHOD', `unknown method "${String(method)}"`)
  const valid = (labValidators[method] as Validator<LabMethod>)(payload)
  if (!valid.ok) return fail('INVALID_ARGUMENT', `${method}: ${valid.error.message}`)
  try {
    return await handler(method, valid.value)
  } catch (err) {
    return fail('INTERNAL', `${method}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** The IPC channel that carries a method call (`lab:cluster.create`, ...). */
export const channelFor = (method: LabMethod): string => `lab:${method}`
/** Main → renderer: batches of LabEvent. */
export const EVENT_CHANNEL = 'lab:events'

/**
 * Build the `LabApi` object from a transport. Preload (over ipcRenderer) and the web bridge
 * client (over a WebSocket) both use this, so the object shape cannot drift between hosts.
 */
export function buildLabApi(
  invoke: (method: LabMethod, payload: unknown) => Promise<Result<unknown>>,
  onEvents: (listener: (events: LabEvent[]) => void) => () => void
): LabApi {
  const api: Record<string, unknown> = { onEvents }
  for (const method of LAB_METHODS) {
    const dot = method.indexOf('.')
    const group = method.slice(0, dot)
    const name = method.slice(dot + 1)
    const g = (api[group] ??= {}) as Record<string, unknown>
    g[name] = (req?: unknown) => invoke(method, req)
  }
  return api as LabApi
}
