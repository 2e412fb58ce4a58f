/**
 * Shapes node-core answers on its HTTP API that the lab engine reads. This folder is the only
 * part of node-core the lab may import (ARCHITECTURE.md, dependency rule 3), so it holds types
 * and pure helpers only.
 */

/**
 * Node (V8) flags node-core should run with; whoever spawns it (the lab) passes them. The young
 * generation otherwise grows to 2 × 16 MiB under write load and stays that size afterwards,
 * about a fifth of a loaded node's RSS; 4 MiB semi-spaces (8 MiB young generation) cost a
 * little GC time in more frequent scavenges. `--expose-gc` lets a node run one full GC once a
 * burst of writes is over, giving back the old generation it grew (node-core/README.md, "Memory").
 */
export const NODE_CORE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--expose-gc']

/**
 * Environment for node-core processes (merged over the spawner's own). glibc raises its mmap
 * threshold each time a large block is freed, so the megabyte buffers of a snapshot or a WAL
 * replay end up inside the main heap, which cannot shrink past the fragments left around them:
 * about 12 MB of a loaded node's RSS on Linux. A fixed 128 KiB threshold keeps them mmapped and
 * returned to the system when freed. Other platforms ignore the variable.
 */
export const NODE_CORE_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' }

/** `GET /nacos/v1/ns/operator/metrics` (Nacos 1.x/2.x shape; the SDK reads `status`). */
export interface OperatorMetrics {
  status: 'UP' | 'DOWN'
  serviceCount: number
  instanceCount: number
  responsibleServiceCount: number
  responsibleInstanceCount: number
  /** 1-minute load average of the host. */
  load: number
  /** Process CPU use since the last call, 0..1 per core summed. */
  cpu: number
  /** Heap used / heap total, 0..1. */
  mem: number
}

/** Nacos member states (com.alibaba.nacos.core.cluster.NodeState). */
export type MemberState = 'STARTING' | 'UP' | 'SUSPICIOUS' | 'DOWN' | 'ISOLATION'

export interface ClusterMember {
  ip: string
  port: number
  /** `ip:port`, the member's identity as cluster.conf writes it. */
  address: string
  state: MemberState
  failAccessCnt: number
  extendInfo: {
    raftPort: number
    version: string
    /** True for the member that answered. */
    self: boolean
    /** Present on the answering member: its pid and start time. */
    pid?: number
    startedAt?: number
    /** Raft facts as the answering member sees them. */
    raft?: { role: string; term: number; leader: string | null; commit?: number; applied?: number; match?: number; progressState?: string }
  }
}

/** `GET /nacos/v1/core/cluster/nodes`: Nacos's RestResult envelope. */
export interface ClusterNodesResponse {
  code: number
  message: string | null
  data: ClusterMember[]
}

export const METRICS_PATH = '/nacos/v1/ns/operator/metrics'
export const CLUSTER_NODES_PATH = '/nacos/v1/core/cluster/nodes'

/** Raft peer port for an HTTP port, as in Nacos 2.x (8848 → 7848). */
export const raftPortFor = (httpPort: number): number => httpPort - 1000

/** Message a node-core child sends over its IPC channel, when it has one, once it listens. */
export interface ReadyMessage {
  type: 'node-core.ready'
  pid: number
  address: string
  httpPort: number
}

/**
 * The four log files of a node, under `<home>/logs/`, as Nacos names them. Each line is one
 * JSON object `{"level":"info","time":<ms epoch>,"node":"ip:port","msg":"...", ...fields}`.
 */
export const NODE_LOG_FILES = {
  /** Main log: startup, shutdown, requests (debug), errors. */
  main: 'nacos.log',
  naming: 'naming-server.log',
  config: 'config-server.log',
  /** Membership and, later, Raft role changes. */
  cluster: 'nacos-cluster.log'
} as const

/** Which of {@link NODE_LOG_FILES} a line came from. */
export type NodeLogChannel = keyof typeof NODE_LOG_FILES

/**
 * Exit codes of a node-core process, so the lab can tell a bad conf from a crash.
 * 78 is BSD sysexits' EX_CONFIG; 2 is the usual usage-error code.
 */
export const NODE_EXIT_CODES = {
  /** Clean shutdown (SIGTERM, SIGINT, the lab went away), or --help/--version. */
  ok: 0,
  /** Runtime failure: the port could not be bound, or an unexpected error. */
  failure: 1,
  /** Bad command line or environment. */
  usage: 2,
  /** Bad or missing conf/cluster.conf or conf/application.properties. */
  config: 78
} as const

/** One of {@link NODE_EXIT_CODES}. */
export type NodeExitCode = (typeof NODE_EXIT_CODES)[keyof typeof NODE_EXIT_CODES]

/** Admin endpoints the lab reads (beside the Nacos API). */
export const ADMIN_STATUS_PATH = '/quorum/v1/admin/status'
export const ADMIN_TRACE_PATH = '/quorum/v1/admin/trace'
export const ADMIN_LOG_PATH = '/quorum/v1/admin/log'
export const ADMIN_DATA_PATH = '/quorum/v1/admin/data'

export type RaftRole = 'follower' | 'candidate' | 'precandidate' | 'leader'

export interface PeerProgress {
  address: string
  match: number
  next: number
  state: 'probe' | 'replicate' | 'snapshot'
  inflight: number
  paused: boolean
  recentActive: boolean
  isLearner: boolean
}

/** `GET /quorum/v1/admin/status`: this node's Raft facts, with per-peer progress on the leader. */
export interface NodeStatus {
  address: string
  id: number
  pid: number
  startedAt: number
  role: RaftRole
  term: number
  vote: string | null
  leader: string | null
  commit: number
  applied: number
  lastIndex: number
  firstIndex: number
  snapshotIndex: number
  voters: string[]
  learners: string[]
  leadTransferee: string | null
  progress: PeerProgress[]
  counts: { services: number; instances: number; healthyInstances: number; configs: number; listeners: number }
}

/** One Raft trace event as the admin stream carries it: a per-node sequence number and wall ms. */
export interface TraceRecord {
  seq: number
  ts: number
  /** The event (node-core/src/raft/trace.ts TraceEvent), node ids as numbers. */
  event: { type: string; node: number } & Record<string, unknown>
}

/** `GET /quorum/v1/admin/trace?after=N`: events after seq N; `dropped` counts what fell out of the ring. */
export interface TraceBatch {
  events: TraceRecord[]
  /** Events after `after` that are gone from the ring (the reader was too slow): never hidden. */
  dropped: number
  lastSeq: number
}

/** One entry of `GET /quorum/v1/admin/log?from=&to=` (at most 1001 per request). */
export interface LogEntryView {
  index: number
  term: number
  type: 'normal' | 'confChange'
  bytes: number
  /** What the entry does, for people: `config.publish public/DEFAULT_GROUP/app.yaml`, `(no-op)`, ... */
  text: string
}

/** `GET /quorum/v1/admin/log`: a window of this node's Raft log. */
export interface LogWindow {
  firstIndex: number
  lastIndex: number
  commit: number
  applied: number
  entries: LogEntryView[]
}

export interface InstanceView {
  namespace: string
  service: string
  cluster: string
  ip: string
  port: number
  healthy: boolean
  enabled: boolean
  ephemeral: boolean
  weight: number
}

export interface ConfigView {
  namespace: string
  group: string
  dataId: string
  md5: string
  bytes: number
  lastModified: number
}

/** `GET /quorum/v1/admin/data`: the node's own copy of the registry and the configs. */
export interface DataView {
  applied: number
  instances: InstanceView[]
  configs: ConfigView[]
}
