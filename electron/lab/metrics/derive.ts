/**
 * Figures from two consecutive scrapes of each node: request rates and latency by API,
 * error rate, Raft indexes, replication lag, leader changes. Pure.
 */
import type { ApiGroup, ClusterMetrics, MetricsSample, NodeId, NodeMetrics } from '../api'
import { buckets, deltaBuckets, gauge, quantile, sum, type Scrape } from './prom-text'

const HTTP = 'http_server_requests_seconds'

/** Which API a request was, from its route and method. */
export function apiGroup(method: string, uri: string): ApiGroup {
  switch (uri) {
    case '/nacos/v1/ns/instance':
      return method === 'DELETE' ? 'deregister' : method === 'GET' ? 'other' : 'register'
    case '/nacos/v1/ns/instance/beat':
      return 'beat'
    case '/nacos/v1/ns/instance/list':
      return 'list'
    case '/nacos/v1/cs/configs':
      return method === 'GET' ? 'configGet' : method === 'DELETE' ? 'configDelete' : 'configPublish'
    case '/nacos/v1/cs/configs/listener':
      return 'listener'
    default:
      return 'other'
  }
}

/** A counter's growth; a counter that went down restarted with its process: count from 0. */
const grow = (cur: number, prev: number | undefined): number => (prev === undefined || cur < prev ? cur : cur - prev)

export interface NodeInput {
  nodeId: NodeId
  cur: Scrape | null
  prev: Scrape | null
  cpuPct: number | null
  rssBytes: number | null
}

export function deriveNode(n: NodeInput, dtMs: number): NodeMetrics {
  const down: NodeMetrics = {
    nodeId: n.nodeId,
    up: false,
    qps: {},
    p50Ms: null,
    p99Ms: null,
    errorRate: 0,
    isLeader: false,
    term: null,
    commit: null,
    applied: null,
    replicationLag: null,
    leaderChanges: 0,
    fsyncP99Ms: null,
    cpuPct: n.cpuPct,
    rssBytes: n.rssBytes
  }
  const cur = n.cur
  if (!cur) return down
  const prev = n.prev
  const secs = Math.max(dtMs, 1) / 1000
  // Requests per API from the histogram's _count series.
  const byGroup = new Map<ApiGroup, number>()
  let total = 0
  let errors = 0
  const prevCount = new Map((prev?.get(`${HTTP}_count`) ?? []).map((s) => [key(s.labels), s.value]))
  for (const s of cur.get(`${HTTP}_count`) ?? []) {
    const d = grow(s.value, prevCount.get(key(s.labels)))
    if (d <= 0) continue
    const g = apiGroup(s.labels.method ?? '', s.labels.uri ?? '')
    byGroup.set(g, (byGroup.get(g) ?? 0) + d)
    total += d
    if (Number(s.labels.status) >= 500) errors += d
  }
  const lat = deltaBuckets(buckets(cur, HTTP), prev ? buckets(prev, HTTP) : undefined)
  const fsync = deltaBuckets(buckets(cur, 'raft_wal_fsync_duration_seconds'), prev ? buckets(prev, 'raft_wal_fsync_duration_seconds') : undefined)
  const ms = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e4) / 10)
  return {
    ...down,
    up: true,
    qps: Object.fromEntries([...byGroup].map(([g, c]) => [g, Math.round((c / secs) * 10) / 10])),
    p50Ms: ms(quantile(0.5, lat)),
    p99Ms: ms(quantile(0.99, lat)),
    errorRate: total > 0 ? errors / total : 0,
    isLeader: gauge(cur, 'raft_is_leader') === 1,
    term: gauge(cur, 'raft_term'),
    commit: gauge(cur, 'raft_commit_index'),
    applied: gauge(cur, 'raft_applied_index'),
    leaderChanges: prev ? grow(sum(cur, 'raft_leader_changes_seen_total'), sum(prev, 'raft_leader_changes_seen_total')) : 0,
    fsyncP99Ms: ms(quantile(0.99, fsync))
  }
}

const key = (l: Record<string, string>): string =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',')

/** Cluster view of one tick, and each node's lag behind the leader's commit index. */
export function deriveSample(at: number, intervalMs: number, nodes: NodeMetrics[], size: number): MetricsSample {
  const leaders = nodes.filter((n) => n.up && n.isLeader).sort((a, b) => (b.term ?? 0) - (a.term ?? 0))
  const leader = leaders[0] ?? null
  const ref = leader?.commit ?? Math.max(0, ...nodes.map((n) => n.applied ?? 0))
  for (const n of nodes) n.replicationLag = n.up && n.applied !== null ? Math.max(0, ref - n.applied) : null
  const up = nodes.filter((n) => n.up)
  const qps = up.reduce((t, n) => t + Object.values(n.qps).reduce((a, b) => a + (b ?? 0), 0), 0)
  const reqWeighted = up.map((n) => ({ q: Object.values(n.qps).reduce((a, b) => a + (b ?? 0), 0), e: n.errorRate }))
  const errorRate = qps > 0 ? reqWeighted.reduce((t, x) => t + x.q * x.e, 0) / qps : 0
  const p99s = up.map((n) => n.p99Ms).filter((x): x is number => x !== null)
  const cluster: ClusterMetrics = {
    size,
    nodesUp: up.length,
    quorum: Math.floor(size / 2) + 1,
    leader: leader?.nodeId ?? null,
    qps: Math.round(qps * 10) / 10,
    p99Ms: p99s.length ? Math.max(...p99s) : null,
    errorRate,
    leaderChanges: Math.max(0, ...nodes.map((n) => n.leaderChanges))
  }
  return { at, intervalMs, nodes, cluster }
}
