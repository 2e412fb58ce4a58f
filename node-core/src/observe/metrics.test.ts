import { describe, expect, it } from 'vitest'
import { NodeMetrics, parsePrometheusText, sampleValue, URI_NOT_FOUND, type MetricsSources } from './metrics'

function sources(over: Partial<ReturnType<MetricsSources['raft']>> = {}): MetricsSources {
  return {
    naming: () => ({ services: 2, instances: 5, healthyInstances: 4 }),
    configCount: () => 7,
    longPollListeners: () => 3,
    raft: () => ({ term: 4, lead: 9, isLeader: true, commit: 12, applied: 11, pendingProposals: 1, ...over })
  }
}

async function scrape(m: NodeMetrics): Promise<ReturnType<typeof parsePrometheusText>> {
  return parsePrometheusText((await m.scrape()).text)
}

describe('NodeMetrics', () => {
  it('exports Nacos-style gauges, both nacos_monitor and the clearer names, read at scrape time', async () => {
    const m = new NodeMetrics({ processMetrics: false })
    m.bind(sources())
    const s = await scrape(m)
    expect(sampleValue(s, 'nacos_monitor', { module: 'naming', name: 'serviceCount' })).toBe(2)
    expect(sampleValue(s, 'nacos_monitor', { module: 'naming', name: 'ipCount' })).toBe(5)
    expect(sampleValue(s, 'nacos_monitor', { module: 'config', name: 'configCount' })).toBe(7)
    expect(sampleValue(s, 'nacos_monitor', { module: 'config', name: 'longPolling' })).toBe(3)
    expect(sampleValue(s, 'nacos_naming_services')).toBe(2)
    expect(sampleValue(s, 'nacos_naming_instances')).toBe(5)
    expect(sampleValue(s, 'nacos_naming_instances_healthy')).toBe(4)
    expect(sampleValue(s, 'nacos_config_count')).toBe(7)
    expect(sampleValue(s, 'nacos_config_long_poll_listeners')).toBe(3)
    expect(sampleValue(s, 'raft_has_leader')).toBe(1)
    expect(sampleValue(s, 'raft_is_leader')).toBe(1)
    expect(sampleValue(s, 'raft_term')).toBe(4)
    expect(sampleValue(s, 'raft_commit_index')).toBe(12)
    expect(sampleValue(s, 'raft_applied_index')).toBe(11)
    expect(sampleValue(s, 'raft_proposals_pending')).toBe(1)
    m.bind(sources({ lead: 0, isLeader: false }))
    const later = await scrape(m)
    expect(sampleValue(later, 'raft_has_leader')).toBe(0)
    expect(sampleValue(later, 'raft_is_leader')).toBe(0)
  })

  it('counts leader changes, commits, applies, failures, fsyncs and snapshots', async () => {
    const m = new NodeMetrics({ processMetrics: false })
    for (const lead of [0, 5, 5, 0, 5, 6]) m.onLeader(lead)
    m.onTrace({ type: 'commitAdvanced', node: 1, from: 0, to: 3, term: 1 })
    m.onTrace({ type: 'commitAdvanced', node: 1, from: 3, to: 4, term: 1 })
    m.onTrace({ type: 'snapshotSent', node: 1, to: 2, index: 4, term: 1 })
    m.onTrace({ type: 'snapshotRestored', node: 1, index: 4, term: 1 })
    m.onApplied()
    m.onApplied()
    m.onProposalFailed('NO_LEADER')
    m.onFsync(3)
    m.onFsync(0.2)
    m.onSnapshotSaved(1000, 40)
    const s = await scrape(m)
    expect(sampleValue(s, 'raft_leader_changes_seen_total')).toBe(2)
    expect(sampleValue(s, 'raft_proposals_committed_total')).toBe(4)
    expect(sampleValue(s, 'raft_proposals_applied_total')).toBe(2)
    expect(sampleValue(s, 'raft_proposals_failed_total', { reason: 'NO_LEADER' })).toBe(1)
    expect(sampleValue(s, 'raft_wal_fsync_duration_seconds_count')).toBe(2)
    expect(sampleValue(s, 'raft_wal_fsync_duration_seconds_bucket', { le: '0.004' })).toBe(2)
    expect(sampleValue(s, 'raft_wal_fsync_duration_seconds_bucket', { le: '0.001' })).toBe(1)
    expect(sampleValue(s, 'raft_snapshot_saved_total')).toBe(1)
    expect(sampleValue(s, 'raft_snapshot_send_total')).toBe(1)
    expect(sampleValue(s, 'raft_snapshot_receive_total')).toBe(1)
  })

  it('records HTTP requests by route with a histogram, counts 4xx/5xx as errors, and folds odd methods', async () => {
    const m = new NodeMetrics({ processMetrics: false })
    m.onHttp('GET', '/nacos/v1/ns/instance/list', 200, 0.002)
    m.onHttp('GET', '/nacos/v1/ns/instance/list', 200, 0.2)
    m.onHttp('POST', '/nacos/v1/cs/configs', 503, 3)
    m.onHttp('BREW', URI_NOT_FOUND, 404, 0.001)
    const s = await scrape(m)
    const list = { method: 'GET', uri: '/nacos/v1/ns/instance/list', status: '200' }
    expect(sampleValue(s, 'http_server_requests_seconds_count', list)).toBe(2)
    expect(sampleValue(s, 'http_server_requests_seconds_sum', list)).toBeCloseTo(0.202)
    expect(sampleValue(s, 'http_server_requests_seconds_bucket', { ...list, le: '0.005' })).toBe(1)
    expect(sampleValue(s, 'http_server_requests_errors_total', { method: 'POST', uri: '/nacos/v1/cs/configs', status: '503' })).toBe(1)
    expect(sampleValue(s, 'http_server_requests_errors_total', { method: 'OTHER', uri: 'NOT_FOUND', status: '404' })).toBe(1)
    expect(sampleValue(s, 'http_server_requests_errors_total', list)).toBeUndefined()
  })

  it('keeps registries apart per node and includes process metrics by default', async () => {
    const a = new NodeMetrics()
    const b = new NodeMetrics()
    a.onApplied()
    const sa = await scrape(a)
    const sb = await scrape(b)
    expect(sampleValue(sa, 'raft_proposals_applied_total')).toBe(1)
    expect(sampleValue(sb, 'raft_proposals_applied_total')).toBe(0)
    expect(sampleValue(sa, 'process_cpu_seconds_total')).toBeGreaterThanOrEqual(0)
    expect(sampleValue(sa, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect((await a.scrape()).contentType).toMatch(/^text\/plain/)
  })

  it('parses labels with escapes and special values', () => {
    const s = parsePrometheusText('# HELP x y\nx{a="q\\"uote",b="c"} 1.5\ny_bucket{le="+Inf"} 3\nz +Inf\n')
    expect(s).toEqual([
      { name: 'x', labels: { a: 'q"uote', b: 'c' }, value: 1.5 },
      { name: 'y_bucket', labels: { le: '+Inf' }, value: 3 },
      { name: 'z', labels: {}, value: Infinity }
    ])
  })
})
