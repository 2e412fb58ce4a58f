/**
 * Figures from two consecutive scrapes of each node: request rates and latency by API, error
 * rate, Raft indexes, leader changes, fsync and peer round trips; then the cluster view of one
 * tick (leader, replication lag, totals). Pure.
 *
 * Rates and quantiles come from counter *deltas* between the two scrapes. A node whose process
 * restarted in between (its `process_start_time_seconds` changed, or a counter went down) has
 * its previous scrape ignored: its counters started again from 0, so the delta is the current
 * value, never negative.
 *
 * Quantile rule (as Prometheus's histogram_quantile): rank = q × observations in the window;
 * take the first bucket whose cumulative count reaches the rank and interpolate linearly between
 * its lower bound (the previous `le`, 0 for the first bucket) and its `le`. A rank in the +Inf
 * bucket answers the highest finite `le`. No observations → null.
 */
import type { ApiGroup, ClusterMetrics, MetricsSample, NodeId, NodeMetrics } from '../api'
import { quantile, type Sample, type Scrape } from './prom-text'

export const HTTP_HISTOGRAM = 'http_server_requests_seconds'
export const FSYNC_HISTOGRAM = 'raft_wal_fsync_duration_seconds'
export const PEER_RTT_HISTOGRAM = 'raft_peer_round_trip_time_seconds'
/** The route of config listener long-polls: held ~29.5 s by design, so kept out of the overall latency. */
export const LONG_POLL_URI = '/nacos/v1/cs/configs/listener'

/** The metric names derivation reads: the scraper parses only these (the rest of a node's text is ~60 % of it). */
export function derivedFrom(name: string): boolean {
  return name.startsWith(HTTP_HISTOGRAM) || name.startsWith('raft_') || name === 'process_start_time_seconds'
}

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
    case LONG_POLL_URI:
      return 'listener'
    default:
      return 'other'
  }
}

export interface LatencyMs {
  p50Ms: number | null
  p99Ms: number | null
}

/**
 * What the lab derives for a node. Beyond `NodeMetrics` (the wire contract in api.ts) it carries
 * latency by API, peer round trips and whether the process restarted since the last scrape.
 */
export interface NodeFigures extends NodeMetrics {
  /** Latency over the interval by API (only APIs that had requests). */
  latencyByApi: Partial<Record<ApiGroup, LatencyMs>>
  /** p99 heartbeat round trip to each peer over the interval, ms, by peer address (leaders only see these). */
  peerRttMs: Record<string, number>
  /** The process restarted since the previous scrape (its counters began again from 0). */
  restarted: boolean
}

export interface NodeInput {
  nodeId: NodeId
  /** This tick's scrape; null when it failed (down, paused, cut off, timed out). */
  cur: Scrape | null
  /** The node's previous successful scrape, null if none. */
  prev: Scrape | null
  cpuPct: number | null
  rssBytes: number | null
}

const first = (s: Scrape, name: string): number | null => s.get(name)?.[0]?.value ?? null

const total = (s: Scrape, name: string): number => (s.get(name) ?? []).reduce((t, x) => t + x.value, 0)

/** True when `cur` comes from a newer process than `prev`: its start time moved, or a counter went down. */
export function restartedBetween(prev: Scrape, cur: Scrape): boolean {
  const a = first(prev, 'process_start_time_seconds')
  const b = first(cur, 'process_start_time_seconds')
  if (a !== null && b !== null && a !== b) return true
  const prevCount = indexByLabels(prev.get(`${HTTP_HISTOGRAM}_count`))
  for (const x of cur.get(`${HTTP_HISTOGRAM}_count`) ?? []) if (x.value < (prevCount.get(x.key) ?? 0)) return true
  return total(cur, 'raft_leader_changes_seen_total') < total(prev, 'raft_leader_changes_seen_total')
}

function indexByLabels(list: Sample[] | undefined): Map<string, number> {
  return new Map((list ?? []).map((x) => [x.key, x.value]))
}

/** Each series of a counter-like metric with its growth since `prev` (the whole value when there is no prev). */
function deltas(cur: Scrape, prev: Scrape | null, name: string): Sample[] {
  const before = indexByLabels(prev?.get(name))
  return (cur.get(name) ?? []).map((x) => ({ ...x, value: Math.max(0, x.value - (before.get(x.key) ?? 0)) }))
}

/** Histogram bucket deltas grouped by `groupOf(labels)` (null: leave out), summed per `le`. */
function bucketDeltas<K>(series: Sample[], groupOf: (l: Record<string, string>) => K | null): Map<K, Map<number, number>> {
  const out = new Map<K, Map<number, number>>()
  for (const x of series) {
    const g = groupOf(x.labels)
    if (g === null) continue
    const le = x.labels.le === undefined || x.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(x.labels.le)
    if (Number.isNaN(le)) continue
    let b = out.get(g)
    if (!b) out.set(g, (b = new Map()))
    b.set(le, (b.get(le) ?? 0) + x.value)
  }
  return out
}

/** Seconds → ms, to 0.1 ms. */
const ms = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e4) / 10)

const latency = (b: Map<number, number> | undefined): LatencyMs => ({
  p50Ms: b ? ms(quantile(0.5, b)) : null,
  p99Ms: b ? ms(quantile(0.99, b)) : null
})

const gauges = (cur: Scrape): Pick<NodeMetrics, 'isLeader' | 'term' | 'commit' | 'applied'> => ({
  isLeader: first(cur, 'raft_is_leader') === 1,
  term: first(cur, 'raft_term'),
  commit: first(cur, 'raft_commit_index'),
  applied: first(cur, 'raft_applied_index')
})

/** A node's figures for one tick; `dtMs` is the time between its two scrapes. */
export function deriveNode(n: NodeInput, dtMs: number): NodeFigures {
  const down: NodeFigures = {
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
    rssBytes: n.rssBytes,
    latencyByApi: {},
    peerRttMs: {},
    restarted: false
  }
  const cur = n.cur
  if (!cur) return down
  // A first scrape has no window: its counters hold the node's whole life, not the last second.
  if (n.prev === null) return { ...down, ...gauges(cur), up: true }
  const restarted = restartedBetween(n.prev, cur)
  const prev = restarted ? null : n.prev
  const secs = Math.max(dtMs, 1) / 1000

  // Requests per API and 5xx answers, from the histogram's _count series. 4xx are not errors
  // here: a 404 for a config that does not exist yet is an ordinary Nacos answer.
  const byGroup = new Map<ApiGroup, number>()
  let requests = 0
  let errors = 0
  for (const x of deltas(cur, prev, `${HTTP_HISTOGRAM}_count`)) {
    if (x.value <= 0) continue
    const g = apiGroup(x.labels.method ?? '', x.labels.uri ?? '')
    byGroup.set(g, (byGroup.get(g) ?? 0) + x.value)
    requests += x.value
    if (Number(x.labels.status) >= 500) errors += x.value
  }

  const http = deltas(cur, prev, `${HTTP_HISTOGRAM}_bucket`)
  const byApi = bucketDeltas(http, (l) => apiGroup(l.method ?? '', l.uri ?? ''))
  const overall = bucketDeltas(http, (l) => (l.uri === LONG_POLL_URI ? null : 'all')).get('all')
  const fsync = bucketDeltas(deltas(cur, prev, `${FSYNC_HISTOGRAM}_bucket`), () => 'all').get('all')
  const rtt = bucketDeltas(deltas(cur, prev, `${PEER_RTT_HISTOGRAM}_bucket`), (l) => l.peer ?? '?')
  const latencyByApi: Partial<Record<ApiGroup, LatencyMs>> = {}
  for (const g of byGroup.keys()) latencyByApi[g] = latency(byApi.get(g))
  const peerRttMs: Record<string, number> = {}
  for (const [peer, b] of rtt) {
    const v = ms(quantile(0.99, b))
    if (v !== null) peerRttMs[peer] = v
  }
  // After a restart the node's first leader sighting is not an election: count only within one process.
  const changes = prev ? Math.max(0, total(cur, 'raft_leader_changes_seen_total') - total(prev, 'raft_leader_changes_seen_total')) : 0
  const { p50Ms, p99Ms } = latency(overall)
  return {
    ...down,
    up: true,
    qps: Object.fromEntries([...byGroup].map(([g, c]) => [g, Math.round((c / secs) * 10) / 10])),
    p50Ms,
    p99Ms,
    errorRate: requests > 0 ? errors / requests : 0,
    ...gauges(cur),
    leaderChanges: changes,
    fsyncP99Ms: fsync ? ms(quantile(0.99, fsync)) : null,
    latencyByApi,
    peerRttMs,
    restarted
  }
}

const nodeQps = (n: NodeMetrics): number => Object.values(n.qps).reduce((a, b) => a + (b ?? 0), 0)

/**
 * The cluster view of one tick; also fills each node's `replicationLag`: the leader's commit
 * index minus the node's applied index, or (no leader) the highest applied index minus the
 * node's. `size` is the configured membership (nodes that are down or not scraped count).
 */
export function deriveSample<N extends NodeMetrics>(at: number, intervalMs: number, nodes: N[], size: number): Omit<MetricsSample, 'nodes'> & { nodes: N[] } {
  const up = nodes.filter((n) => n.up)
  // Two nodes can both say leader across a partition for a moment; the higher term is current.
  const leader = up.filter((n) => n.isLeader).sort((a, b) => (b.term ?? 0) - (a.term ?? 0))[0] ?? null
  const ref = leader?.commit ?? Math.max(0, ...up.map((n) => n.applied ?? 0))
  for (const n of nodes) n.replicationLag = n.up && n.applied !== null ? Math.max(0, ref - n.applied) : null
  const qps = up.reduce((t, n) => t + nodeQps(n), 0)
  const errorRate = qps > 0 ? up.reduce((t, n) => t + nodeQps(n) * n.errorRate, 0) / qps : 0
  const p99s = up.map((n) => n.p99Ms).filter((x): x is number => x !== null)
  const cluster: ClusterMetrics = {
    size,
    nodesUp: up.length,
    quorum: Math.floor(size / 2) + 1,
    leader: leader?.nodeId ?? null,
    qps: Math.round(qps * 10) / 10,
    // The slowest node's p99: what a client pinned to that node sees, and what the alert is for.
    p99Ms: p99s.length ? Math.max(...p99s) : null,
    errorRate,
    // Every node sees the same election, so the most any node saw (not the sum).
    leaderChanges: Math.max(0, ...up.map((n) => n.leaderChanges))
  }
  return { at, intervalMs, nodes, cluster }
}
