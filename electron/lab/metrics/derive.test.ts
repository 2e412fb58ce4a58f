import { describe, expect, it } from 'vitest'
import { apiGroup, deriveNode, deriveSample, type NodeFigures } from './derive'
import { parsePromText, type Scrape } from './prom-text'

const LES = ['0.01', '0.1', '+Inf']

/** One route's histogram: `counts` are observations per bucket (not cumulative), one per LES entry. */
function route(method: string, uri: string, status: number, counts: number[]): string {
  const labels = `method="${method}",uri="${uri}",status="${status}"`
  let cum = 0
  const lines = LES.map((le, i) => `http_server_requests_seconds_bucket{le="${le}",${labels}} ${(cum += counts[i] ?? 0)}`)
  return [...lines, `http_server_requests_seconds_sum{${labels}} 0.5`, `http_server_requests_seconds_count{${labels}} ${cum}`].join('\n')
}

interface Fake {
  start?: number
  routes?: string[]
  leader?: boolean
  term?: number
  commit?: number
  applied?: number
  changes?: number
  fsync?: number[]
  rtt?: Record<string, number[]>
}

function expo(f: Fake): Scrape {
  const hist = (name: string, extra: string, counts: number[]): string => {
    let cum = 0
    return LES.map((le, i) => `${name}_bucket{le="${le}"${extra}} ${(cum += counts[i] ?? 0)}`).join('\n') + `\n${name}_count${extra ? `{${extra.slice(1)}}` : ''} ${cum}`
  }
  return parsePromText(
    [
      `process_start_time_seconds ${f.start ?? 1000}`,
      '# TYPE http_server_requests_seconds histogram',
      ...(f.routes ?? []),
      `raft_is_leader ${f.leader ? 1 : 0}`,
      `raft_term ${f.term ?? 2}`,
      `raft_commit_index ${f.commit ?? 0}`,
      `raft_applied_index ${f.applied ?? 0}`,
      `raft_leader_changes_seen_total ${f.changes ?? 1}`,
      '# TYPE raft_wal_fsync_duration_seconds histogram',
      hist('raft_wal_fsync_duration_seconds', '', f.fsync ?? [0, 0, 0]),
      ...Object.entries(f.rtt ?? {}).map(([peer, c]) => hist('raft_peer_round_trip_time_seconds', `,peer="${peer}"`, c))
    ].join('\n')
  )
}

const PUBLISH = (c: number[], status = 200): string => route('POST', '/nacos/v1/cs/configs', status, c)
const LIST = (c: number[], status = 200): string => route('GET', '/nacos/v1/ns/instance/list', status, c)
const LISTENER = (c: number[]): string => route('POST', '/nacos/v1/cs/configs/listener', 200, c)

const node = (nodeId: number, prev: Scrape | null, cur: Scrape | null, dtMs = 1000): NodeFigures =>
  deriveNode({ nodeId, prev, cur, cpuPct: null, rssBytes: null }, dtMs)

describe('apiGroup', () => {
  it('maps route and method to the API', () => {
    expect(
      [
        ['POST', '/nacos/v1/ns/instance'],
        ['DELETE', '/nacos/v1/ns/instance'],
        ['PUT', '/nacos/v1/ns/instance/beat'],
        ['GET', '/nacos/v1/ns/instance/list'],
        ['GET', '/nacos/v1/cs/configs'],
        ['POST', '/nacos/v1/cs/configs'],
        ['DELETE', '/nacos/v1/cs/configs'],
        ['POST', '/nacos/v1/cs/configs/listener'],
        ['GET', 'NOT_FOUND']
      ].map(([m, u]) => apiGroup(m!, u!))
    ).toEqual(['register', 'deregister', 'beat', 'list', 'configGet', 'configPublish', 'configDelete', 'listener', 'other'])
  })
})

describe('deriveNode', () => {
  it('turns two scrapes into QPS, latency by API and overall, 5xx error rate, fsync and peer RTT', () => {
    const prev = expo({ routes: [PUBLISH([100, 0, 0]), LIST([10, 0, 0], 503)], leader: true, term: 3, commit: 10, applied: 9, changes: 1, rtt: { '127.0.0.1:9002': [5, 0, 0] } })
    const cur = expo({
      routes: [PUBLISH([280, 20, 0]), LIST([110, 0, 0], 503), LISTENER([0, 0, 4])],
      leader: true,
      term: 3,
      commit: 50,
      applied: 48,
      changes: 2,
      fsync: [10, 0, 0],
      rtt: { '127.0.0.1:9002': [105, 0, 0], '127.0.0.1:9003': [0, 0, 0] }
    })
    const n = node(1, prev, cur, 2000)
    expect(n).toMatchObject({ up: true, isLeader: true, term: 3, commit: 50, applied: 48, leaderChanges: 1, restarted: false })
    expect(n.qps).toEqual({ configPublish: 100, list: 50, listener: 2 })
    // 304 requests in the window (200 publish, 100 list, 4 long-polls), 100 of them 503.
    expect(n.errorRate).toBeCloseTo(100 / 304)
    // publish: 180 fast + 20 slow in the window: p50 rank 100 → 10 ms × 100/180; p99 rank 198 → 10 ms + 90 ms × 18/20.
    expect(n.latencyByApi.configPublish).toEqual({ p50Ms: 5.6, p99Ms: 91 })
    // Long-polls sit in +Inf for the listener API only; the overall figure leaves them out.
    expect(n.latencyByApi.listener?.p99Ms).toBe(100)
    expect(n.p99Ms).toBeLessThan(100)
    expect(n.p50Ms).toBeGreaterThan(0)
    expect(n.fsyncP99Ms).toBeCloseTo(9.9)
    expect(n.peerRttMs).toEqual({ '127.0.0.1:9002': 9.9 })
  })

  it('a restarted node (counters went down) counts from 0, never negative, and its leader sighting is no election', () => {
    const before = expo({ routes: [PUBLISH([500, 0, 0])], changes: 7 })
    const after = expo({ start: 2000, routes: [PUBLISH([3, 0, 0])], changes: 1 })
    const n = node(2, before, after)
    expect(n.restarted).toBe(true)
    expect(n.qps).toEqual({ configPublish: 3 })
    expect(n.leaderChanges).toBe(0)
    // No start time exposed: a counter that went down says the same.
    const noStart = (s: Scrape): Scrape => new Map([...s].filter(([k]) => k !== 'process_start_time_seconds'))
    const m = node(2, noStart(before), noStart(expo({ routes: [PUBLISH([3, 0, 0])], changes: 9 })))
    expect(m.restarted).toBe(true)
    expect(m.qps).toEqual({ configPublish: 3 })
  })

  it('reports no rates for a first scrape (its counters are the whole life), and nothing for a failed one', () => {
    const first = node(1, null, expo({ routes: [PUBLISH([1000, 0, 0])], commit: 7, applied: 7 }))
    expect(first).toMatchObject({ up: true, qps: {}, p99Ms: null, commit: 7, leaderChanges: 0 })
    const down = deriveNode({ nodeId: 3, prev: expo({}), cur: null, cpuPct: null, rssBytes: 123 }, 1000)
    expect(down).toMatchObject({ up: false, qps: {}, p99Ms: null, commit: null, rssBytes: 123, replicationLag: null })
  })

  it('gives null quantiles for histograms without observations in the window', () => {
    const s = expo({ routes: [PUBLISH([5, 0, 0])], fsync: [2, 0, 0] })
    const n = node(1, s, s)
    expect(n).toMatchObject({ qps: {}, p50Ms: null, p99Ms: null, fsyncP99Ms: null, errorRate: 0, peerRttMs: {}, latencyByApi: {} })
  })
})

describe('deriveSample', () => {
  it('measures lag from the leader commit, ignores nodes that are down or missing, takes the worst p99', () => {
    const prev = expo({ routes: [PUBLISH([0, 0, 0])] })
    const leader = node(1, prev, expo({ routes: [PUBLISH([10, 0, 0])], leader: true, term: 5, commit: 100, applied: 100, changes: 3 }))
    const stale = node(2, prev, expo({ routes: [PUBLISH([0, 10, 0], 500)], leader: true, term: 4, commit: 90, applied: 80, changes: 2 }))
    const down = node(3, prev, null)
    const s = deriveSample(5000, 1000, [leader, stale, down], 5)
    expect(s.cluster).toMatchObject({ size: 5, nodesUp: 2, quorum: 3, leader: 1, qps: 20, errorRate: 0.5, leaderChanges: 2 })
    expect(s.cluster.p99Ms).toBe(stale.p99Ms)
    expect([leader.replicationLag, stale.replicationLag, down.replicationLag]).toEqual([0, 20, null])
  })

  it('without a leader, lags behind the highest applied index; with no node up, all is empty', () => {
    const a = node(1, null, expo({ applied: 40 }))
    const b = node(2, null, expo({ applied: 25 }))
    expect(deriveSample(0, 1000, [a, b], 3).cluster).toMatchObject({ leader: null, nodesUp: 2, quorum: 2 })
    expect([a.replicationLag, b.replicationLag]).toEqual([0, 15])
    expect(deriveSample(0, 1000, [node(1, null, null)], 3).cluster).toEqual({
      size: 3,
      nodesUp: 0,
      quorum: 2,
      leader: null,
      qps: 0,
      p99Ms: null,
      errorRate: 0,
      leaderChanges: 0
    })
  })
})
