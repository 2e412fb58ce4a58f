import { describe, expect, it } from 'vitest'
import type { MetricsSample } from '../api'
import { AlertEngine } from './alerts'
import { apiGroup, deriveNode, deriveSample } from './derive'
import { buckets, parsePromText, quantile } from './prom-text'

const scrape = (n: number, slow: number, errors: number, leader: boolean, commit: number, applied: number, changes = 0): string => `# HELP http_server_requests_seconds x
# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_bucket{le="0.01",method="POST",uri="/nacos/v1/cs/configs",status="200"} ${n - slow}
http_server_requests_seconds_bucket{le="0.1",method="POST",uri="/nacos/v1/cs/configs",status="200"} ${n}
http_server_requests_seconds_bucket{le="+Inf",method="POST",uri="/nacos/v1/cs/configs",status="200"} ${n}
http_server_requests_seconds_sum{method="POST",uri="/nacos/v1/cs/configs",status="200"} 1
http_server_requests_seconds_count{method="POST",uri="/nacos/v1/cs/configs",status="200"} ${n}
http_server_requests_seconds_bucket{le="0.01",method="GET",uri="/nacos/v1/ns/instance/list",status="503"} ${errors}
http_server_requests_seconds_bucket{le="0.1",method="GET",uri="/nacos/v1/ns/instance/list",status="503"} ${errors}
http_server_requests_seconds_bucket{le="+Inf",method="GET",uri="/nacos/v1/ns/instance/list",status="503"} ${errors}
http_server_requests_seconds_count{method="GET",uri="/nacos/v1/ns/instance/list",status="503"} ${errors}
# TYPE raft_is_leader gauge
raft_is_leader ${leader ? 1 : 0}
raft_term 4
raft_commit_index ${commit}
raft_applied_index ${applied}
raft_leader_changes_seen_total ${changes}
bad line here
`

describe('prom-text', () => {
  it('keeps labels of histogram series and interpolates quantiles like histogram_quantile', () => {
    const s = parsePromText(scrape(100, 10, 0, true, 5, 5))
    expect(s.get('http_server_requests_seconds_count')?.[0]?.labels).toEqual({ method: 'POST', uri: '/nacos/v1/cs/configs', status: '200' })
    const b = buckets(s, 'http_server_requests_seconds')
    expect([...b]).toEqual([
      [0.01, 90],
      [0.1, 100],
      [Number.POSITIVE_INFINITY, 100]
    ])
    expect(quantile(0.5, b)).toBeCloseTo(0.01 * (50 / 90))
    expect(quantile(0.99, b)).toBeCloseTo(0.01 + 0.09 * (9 / 10))
    expect(quantile(0.5, new Map())).toBeNull()
  })
})

describe('derive', () => {
  it('maps routes to APIs', () => {
    expect([apiGroup('POST', '/nacos/v1/ns/instance'), apiGroup('DELETE', '/nacos/v1/ns/instance'), apiGroup('GET', '/nacos/v1/cs/configs'), apiGroup('POST', '/nacos/v1/cs/configs/listener'), apiGroup('GET', '/x')]).toEqual([
      'register',
      'deregister',
      'configGet',
      'listener',
      'other'
    ])
  })

  it('turns two scrapes into rates, latency, errors, lag; a restarted counter is not negative', () => {
    const prev = parsePromText(scrape(100, 0, 0, true, 10, 10))
    const cur = parsePromText(scrape(300, 20, 100, true, 50, 50, 1))
    const leader = deriveNode({ nodeId: 1, cur, prev, cpuPct: 12, rssBytes: 1e8 }, 2000)
    expect(leader.qps).toEqual({ configPublish: 100, list: 50 })
    expect(leader.errorRate).toBeCloseTo(100 / 300)
    expect(leader.p99Ms).toBeGreaterThan(10)
    expect(leader.leaderChanges).toBe(1)
    const restarted = deriveNode({ nodeId: 2, cur: parsePromText(scrape(5, 0, 0, false, 48, 40)), prev: cur, cpuPct: null, rssBytes: null }, 1000)
    expect(restarted.qps.configPublish).toBe(5)
    const down = deriveNode({ nodeId: 3, cur: null, prev: null, cpuPct: null, rssBytes: null }, 1000)
    const s = deriveSample(1, 1000, [leader, restarted, down], 3)
    expect(s.cluster).toMatchObject({ size: 3, nodesUp: 2, quorum: 2, leader: 1 })
    expect(restarted.replicationLag).toBe(10)
    expect(down.replicationLag).toBeNull()
  })
})

const sample = (at: number, over: Partial<MetricsSample['cluster']>): MetricsSample => ({
  at,
  intervalMs: 1000,
  nodes: [],
  cluster: { size: 3, nodesUp: 3, quorum: 2, leader: 1, qps: 10, p99Ms: 5, errorRate: 0, leaderChanges: 0, ...over }
})

describe('alert rules (seed §8.3)', () => {
  it('fires at once when quorum is lost and resolves when it is back', () => {
    const a = new AlertEngine()
    expect(a.evaluate(sample(0, {}))).toEqual([])
    expect(a.evaluate(sample(1000, { nodesUp: 1 })).map((t) => [t.rule, t.state])).toEqual([['quorum-lost', 'firing']])
    expect(a.evaluate(sample(2000, { nodesUp: 3 })).map((t) => [t.rule, t.state])).toEqual([['quorum-lost', 'resolved']])
  })

  it('holds latency for its `for` duration before firing, and one spike does not fire', () => {
    const a = new AlertEngine()
    expect(a.evaluate(sample(0, { p99Ms: 500 }))).toEqual([])
    expect(a.evaluate(sample(1000, { p99Ms: 5 }))).toEqual([])
    for (let t = 2000; t < 7000; t += 1000) expect(a.evaluate(sample(t, { p99Ms: 500 }))).toEqual([])
    expect(a.evaluate(sample(7000, { p99Ms: 500 })).map((t) => t.rule)).toEqual(['latency-high'])
    expect(a.status().find((s) => s.rule.id === 'latency-high')?.state).toBe('firing')
  })

  it('counts elections per hour and takes new thresholds', () => {
    const a = new AlertEngine()
    a.configure([{ id: 'elections-frequent', threshold: 2 }, { id: 'error-rate-high', enabled: false }])
    expect(a.evaluate(sample(0, { leaderChanges: 2, errorRate: 0.5 }))).toEqual([])
    expect(a.evaluate(sample(1000, { leaderChanges: 1 })).map((t) => t.rule)).toEqual(['elections-frequent'])
    expect(a.evaluate(sample(3_700_000, {})).map((t) => [t.rule, t.state])).toEqual([['elections-frequent', 'resolved']])
  })
})
