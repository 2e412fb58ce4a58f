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
