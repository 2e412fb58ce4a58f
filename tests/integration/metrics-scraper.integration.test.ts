// The metrics scraper against a real 3-node cluster: rates and latency from real writes, nodes
// that die show as down, quorum-lost fires and resolves; and against a server that never answers.
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClusterInfo } from '../../electron/lab/api'
import type { AlertTransition } from '../../electron/lab/metrics/alerts'
import { MetricsScraper, type ScrapedSample, type ScrapeTarget } from '../../electron/lab/metrics/scraper'
import { makeLab } from '../support/lab-fixture'
import { http, leaderOf, value } from '../support/node-http'
import { waitFor } from '../support/wait'

const targetsOf = (c: ClusterInfo): ScrapeTarget[] => c.nodes.map((n) => ({ id: n.id, host: n.host, port: n.httpPort, pid: n.pid }))

describe('metrics scraper on a real 3-node cluster', () => {
  let fx: Awaited<ReturnType<typeof makeLab>>
  let cluster: ClusterInfo
  const samples: ScrapedSample[] = []
  const alerts: AlertTransition[] = []
  const scraper = new MetricsScraper({
    intervalMs: 400,
    size: () => 3,
    onSample: (s) => samples.push(s),
    onAlert: (t) => alerts.push(t)
  })
  const latest = (): ScrapedSample => samples[samples.length - 1]!

  beforeAll(async () => {
    fx = await makeLab()
    value(await fx.lab.handle('cluster.create', { size: 3 }))
    cluster = value(await fx.lab.handle('cluster.start', undefined))
    await leaderOf(cluster.nodes)
    scraper.setTargets(targetsOf(cluster))
    scraper.start()
  })
  afterAll(async () => {
    scraper.stop()
    await fx?.dispose()
  })

  it('sees publish QPS and latency from real writes, a leader, indexes, CPU and RSS', async () => {
    await waitFor('a sample with every node up and a leader', () => latest()?.cluster.nodesUp === 3 && latest()!.cluster.leader !== null)
    const target = cluster.nodes[0]!
    const seen = await waitFor(
      'a sample with publish QPS > 0 and publish p99 > 0',
      async () => {
        for (let i = 0; i < 5; i++) {
          const r = await http(target, 'POST', '/nacos/v1/cs/configs', `dataId=metrics-${i}&group=DEFAULT_GROUP&content=v${Date.now()}`)
          expect(r.status).toBe(200)
        }
        const n = latest().nodes.find((x) => x.nodeId === target.id)!
        return (n.qps.configPublish ?? 0) > 0 && (n.latencyByApi.configPublish?.p99Ms ?? 0) > 0 ? latest() : undefined
      },
      { timeoutMs: 10_000, intervalMs: 100 }
    )
    expect(seen.cluster.qps).toBeGreaterThan(0)
    expect(seen.cluster.p99Ms).toBeGreaterThan(0)
    expect(seen.cluster.errorRate).toBe(0)
    for (const n of seen.nodes) {
      expect(n.up).toBe(true)
      expect(n.applied).toBeGreaterThan(0)
      expect(n.replicationLag).toBeGreaterThanOrEqual(0)
      expect(n.rssBytes).toBeGreaterThan(10_000_000)
      expect(n.cpuPct).toBeGreaterThanOrEqual(0)
    }
    expect(seen.nodes.filter((n) => n.isLeader).map((n) => n.nodeId)).toEqual([seen.cluster.leader])
    expect(scraper.samples().length).toBe(samples.length)
  })

  it('SIGKILL of two nodes: they show down, quorum-lost fires; restarted, it resolves', async () => {
    const killedAt = Date.now()
    value(await fx.lab.handle('node.crash', { nodeId: 2 }))
    value(await fx.lab.handle('node.crash', { nodeId: 3 }))
    const fired = await waitFor('quorum-lost firing', () => alerts.find((a) => a.rule === 'quorum-lost' && a.state === 'firing'), { timeoutMs: 5_000 })
    expect(fired.at - killedAt).toBeLessThan(3_000)
    // Under load the lone survivor may miss one scrape's deadline too (value 0): still below quorum.
    expect(fired.value).toBeLessThanOrEqual(1)
    expect(fired.threshold).toBe(2)
    const s = await waitFor('a sample with node 1 up and nodes 2, 3 down', () => {
      const x = latest()
      return x.nodes.map((n) => `${n.nodeId}:${n.up}`).join(' ') === '1:true 2:false 3:false' ? x : undefined
    })
    // The old pids are gone: no usage, and no throw.
    expect(s.nodes[1]).toMatchObject({ cpuPct: null, rssBytes: null, replicationLag: null })
    expect(scraper.alertStatus().find((a) => a.rule.id === 'quorum-lost')?.state).toBe('firing')

    value(await fx.lab.handle('node.restart', { nodeId: 2 }))
    value(await fx.lab.handle('node.restart', { nodeId: 3 }))
    scraper.setTargets(targetsOf(value(await fx.lab.handle('cluster.get', undefined))!))
    const resolved = await waitFor('quorum-lost resolved', () => alerts.find((a) => a.rule === 'quorum-lost' && a.state === 'resolved'), { timeoutMs: 10_000 })
    expect(resolved.value).toBeGreaterThanOrEqual(2)
    await waitFor('all three up again with usage figures', () => latest().nodes.every((n) => n.up && n.rssBytes !== null))
  })
})

describe('metrics scraper against a node that never answers', () => {
  let server: Server
  const sockets = new Set<Socket>()
  beforeAll(async () => {
    // Accepts and reads, never answers: what a SIGSTOPped node looks like from outside.
    server = createServer((s) => {
      sockets.add(s)
      s.resume()
      s.on('close', () => sockets.delete(s))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  })
  afterAll(async () => {
    for (const s of sockets) s.destroy()
    await new Promise((r) => server.close(r))
  })

  it('marks it down within the timeout, never stacks requests, never throws', async () => {
    const port = (server.address() as { port: number }).port
    const scraper = new MetricsScraper({ intervalMs: 1000, timeoutMs: 200 })
    scraper.setTargets([
      { id: 1, host: '127.0.0.1', port, pid: null },
      { id: 2, host: '127.0.0.1', port: 1, pid: 999_999_999 }
    ])
    const t0 = Date.now()
    const first = scraper.tick()
    // A tick while one is in flight does not start a second round of requests.
    expect(await scraper.tick()).toBeNull()
    await waitFor('one connection held', () => sockets.size === 1)
    const s = await first
    expect(Date.now() - t0).toBeLessThan(1_000)
    expect(s?.nodes.map((n) => [n.nodeId, n.up, n.cpuPct])).toEqual([
      [1, false, null],
      [2, false, null]
    ])
    expect(s?.cluster).toMatchObject({ size: 2, nodesUp: 0, quorum: 2 })
    await waitFor('the held connection closed by the scraper', () => sockets.size === 0)
  })
})
