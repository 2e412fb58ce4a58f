/**
 * Shapes node-core answers on its HTTP API that the lab engine reads. This folder is the only
 * part of node-core the lab may import (ARCHITECTURE.md, dependency rule 3), so it holds types
 * and pure helpers only.
 */

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
