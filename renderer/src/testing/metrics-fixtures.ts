/** MetricsSamples and alert statuses for the metrics view's tests. Test-only. */
import type { AlertRule, AlertRuleId, AlertStatus, MetricsSample, NodeMetrics } from '../../../electron/lab/api'

export function nodeMetrics(nodeId: number, over: Partial<NodeMetrics> = {}): NodeMetrics {
  return {
    nodeId,
    up: true,
    qps: { register: 10, configGet: 5 },
    p50Ms: 2,
    p99Ms: 8,
    errorRate: 0,
    isLeader: nodeId === 1,
    term: 2,
    commit: 100,
    applied: 100,
    replicationLag: 0,
    leaderChanges: 0,
    fsyncP99Ms: 1.5,
    cpuPct: 12,
    rssBytes: 64 * 1024 * 1024,
    ...over
  }
}

/** A node that did not answer its scrape (as the lab reports a crashed one). */
export function downNode(nodeId: number): NodeMetrics {
  return nodeMetrics(nodeId, {
    up: false,
    qps: {},
    p50Ms: null,
    p99Ms: null,
    isLeader: false,
    term: null,
    commit: null,
    applied: null,
    replicationLag: null,
    fsyncP99Ms: null,
    cpuPct: null,
    rssBytes: null
  })
}

export function sample(at: number, nodes: NodeMetrics[] = [1, 2, 3].map((id) => nodeMetrics(id)), over: Partial<MetricsSample['cluster']> = {}): MetricsSample {
  const up = nodes.filter((n) => n.up)
  const size = nodes.length
  return {
    at,
    intervalMs: 1000,
    nodes,
    cluster: {
      size,
      nodesUp: up.length,
      quorum: Math.floor(size / 2) + 1,
      leader: up.find((n) => n.isLeader)?.nodeId ?? null,
      qps: up.reduce((t, n) => t + Object.values(n.qps).reduce((a, b) => a + (b ?? 0), 0), 0),
      p99Ms: up.length ? Math.max(...up.map((n) => n.p99Ms ?? 0)) : null,
      errorRate: 0,
      leaderChanges: 0,
      ...over
    }
  }
}

/** One sample a second over [from, from + n s). */
export function samplesEverySecond(from: number, n: number, make: (at: number, i: number) => MetricsSample = (at) => sample(at)): MetricsSample[] {
  return Array.from({ length: n }, (_, i) => make(from + i * 1000, i))
}

export const RULES: Record<AlertRuleId, AlertRule> = {
  'quorum-lost': { id: 'quorum-lost', enabled: true, threshold: 0, forMs: 0 },
  'latency-high': { id: 'latency-high', enabled: true, threshold: 100, forMs: 5000 },
  'error-rate-high': { id: 'error-rate-high', enabled: true, threshold: 0.01, forMs: 5000 },
  'elections-frequent': { id: 'elections-frequent', enabled: true, threshold: 5, forMs: 0 }
}

export function statuses(over: Partial<Record<AlertRuleId, Partial<AlertStatus>>> = {}): AlertStatus[] {
  return (Object.keys(RULES) as AlertRuleId[]).map((id) => ({ rule: { ...RULES[id] }, state: 'ok', value: null, since: null, ...over[id] }))
}
