// Metrics and auth on an in-process 3-node node-core cluster (real HTTP on loopback, real
// disks, Raft over an in-process network), modelled on nacos-sdk.integration.test.ts.
//
// Auth settings as application.properties would give them (see node-core/src/server/auth.ts):
//   nacos.core.auth.enabled=true
//   nacos.core.auth.plugin.nacos.token.secret.key=<shared HMAC key>
//   quorum.auth.users=alice:s3cret:pw,nacos:nacos
// Open with auth on: login, probes, /nacos/actuator/prometheus and /quorum/ admin endpoints.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NacosConfigClient, NacosNamingClient } from 'nacos'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClusterConfMember } from '../../node-core/src/conf/cluster-conf'
import { parseApplicationProperties } from '../../node-core/src/conf/application-properties'
import { parsePrometheusText, sampleValue, type PromSample } from '../../node-core/src/observe/metrics'
import type { Message } from '../../node-core/src/raft/types'
import { authSettings, type AuthSettings } from '../../node-core/src/server/auth'
import { startNacosNode, type NacosNode } from '../../node-core/src/server/nacos-node'
import { allocateNodePorts } from '../../electron/lab/cluster/ports'
import { waitFor } from '../support/wait'

const quiet = { info() {}, warn() {}, error() {}, debug() {}, log() {} } as unknown as typeof console

interface Cluster {
  dir: string
  nodes: NacosNode[]
}

async function startCluster(name: string, auth?: AuthSettings): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`))
  const ports = await allocateNodePorts(3)
  const members: ClusterConfMember[] = ports.map((port) => ({ ip: '127.0.0.1', port, address: `127.0.0.1:${port}`, raftPort: port - 1000 }) as ClusterConfMember)
  const byId = new Map<number, NacosNode>()
  const send = (m: Message): void => {
    setImmediate(() => byId.get(m.to)?.host.step(m))
  }
  const nodes = await Promise.all(
    members.map((self, i) =>
      startNacosNode({
        dataDir: join(dir, `n${i + 1}`),
        members,
        self,
        bindAddress: '127.0.0.1',
        httpPort: self.port,
        logger: pino({ level: 'silent' }),
        startedAt: Date.now(),
        send,
        timing: { tickMs: 20, heartbeatTick: 1, electionTick: 5 },
        auth
      })
    )
  )
  for (const n of nodes) byId.set(n.id, n)
  await waitFor('a leader', () => nodes.some((n) => n.host.status().role === 'leader'))
  return { dir, nodes }
}

async function stopCluster(c: Cluster | undefined): Promise<void> {
  if (!c) return
  await Promise.all(c.nodes.map((n) => n.close()))
  await rm(c.dir, { recursive: true, force: true })
}

const base = (n: NacosNode): string => `http://127.0.0.1:${n.address.port}`

async function scrape(n: NacosNode): Promise<PromSample[]> {
  const res = await fetch(`${base(n)}/nacos/actuator/prometheus`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
  return parsePrometheusText(await res.text())
}

const form = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })

describe('GET /nacos/actuator/prometheus (auth off)', () => {
  let c: Cluster | undefined
  beforeAll(async () => {
    c = await startCluster('metrics')
  })
  afterAll(() => stopCluster(c))

  it('moves Raft, naming, config and HTTP metrics as writes happen', async () => {
    const nodes = c!.nodes
    const follower = nodes.find((n) => n.host.status().role !== 'leader')!
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${base(follower)}/nacos/v1/ns/instance?serviceName=orders&ip=10.0.0.${i + 1}&port=8080`, { method: 'POST' })
      expect(r.status).toBe(200)
    }
    expect((await fetch(`${base(follower)}/nacos/v1/ns/instance?serviceName=pay&ip=10.0.1.1&port=80`, { method: 'POST' })).status).toBe(200)
    expect((await fetch(`${base(follower)}/nacos/v1/cs/configs`, form('dataId=a.yaml&group=DEFAULT_GROUP&content=x'))).status).toBe(200)
    expect((await fetch(`${base(follower)}/nacos/v1/ns/instance/list?serviceName=orders`)).status).toBe(200)
    expect((await fetch(`${base(follower)}/nacos/v1/cs/configs?dataId=missing&group=DEFAULT_GROUP`)).status).toBe(404)
    expect((await fetch(`${base(follower)}/no/such/path?secret=1`)).status).toBe(404)

    const all = await waitFor('every node to apply the writes', async () => {
      const scraped = await Promise.all(nodes.map(scrape))
      return scraped.every((s) => sampleValue(s, 'nacos_naming_instances') === 4 && sampleValue(s, 'nacos_config_count') === 1) ? scraped : undefined
    })
    expect(all.filter((s) => sampleValue(s, 'raft_is_leader') === 1)).toHaveLength(1)
    // The leader times heartbeat round trips to each follower.
    const leaderAt = all.findIndex((s) => sampleValue(s, 'raft_is_leader') === 1)
    const rtt = await waitFor('heartbeat round trips on the leader', async () => {
      const s = await scrape(nodes[leaderAt]!)
      const n = s.filter((x) => x.name === 'raft_peer_round_trip_time_seconds_count').reduce((a, x) => a + x.value, 0)
      return n >= 2 ? n : undefined
    })
    expect(rtt).toBeGreaterThanOrEqual(2)
    for (const s of all) {
      expect(sampleValue(s, 'raft_has_leader')).toBe(1)
      expect(sampleValue(s, 'raft_term')).toBeGreaterThan(0)
      expect(sampleValue(s, 'raft_commit_index')).toBeGreaterThan(5)
      expect(sampleValue(s, 'raft_applied_index')).toBeGreaterThan(5)
      expect(sampleValue(s, 'raft_leader_changes_seen_total')).toBeGreaterThanOrEqual(1)
      expect(sampleValue(s, 'raft_proposals_committed_total')).toBeGreaterThan(5)
      expect(sampleValue(s, 'raft_proposals_applied_total')).toBeGreaterThanOrEqual(5)
      expect(sampleValue(s, 'raft_wal_fsync_duration_seconds_count')).toBeGreaterThan(0)
      expect(sampleValue(s, 'nacos_naming_services')).toBe(2)
      expect(sampleValue(s, 'nacos_naming_instances_healthy')).toBe(4)
      expect(sampleValue(s, 'nacos_monitor', { module: 'naming', name: 'ipCount' })).toBe(4)
      expect(sampleValue(s, 'nacos_monitor', { module: 'naming', name: 'serviceCount' })).toBe(2)
      expect(sampleValue(s, 'nacos_monitor', { module: 'config', name: 'configCount' })).toBe(1)
      expect(sampleValue(s, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    }

    const s = await scrape(follower)
    expect(sampleValue(s, 'raft_proposals_pending')).toBe(0)
    expect(sampleValue(s, 'http_server_requests_seconds_count', { method: 'POST', uri: '/nacos/v1/ns/instance', status: '200' })).toBe(4)
    expect(sampleValue(s, 'http_server_requests_seconds_count', { method: 'GET', uri: '/nacos/v1/ns/instance/list', status: '200' })).toBe(1)
    expect(sampleValue(s, 'http_server_requests_errors_total', { method: 'GET', uri: '/nacos/v1/cs/configs', status: '404' })).toBe(1)
    expect(sampleValue(s, 'http_server_requests_errors_total', { method: 'GET', uri: 'NOT_FOUND', status: '404' })).toBe(1)
    // The route path, never the raw URL.
    expect(s.some((x) => x.labels.uri?.includes('?') || x.labels.uri === '/no/such/path')).toBe(false)
  })

  it('needs no credentials when auth is off', async () => {
    const n = c!.nodes[0]!
    expect((await fetch(`${base(n)}/nacos/v1/cs/configs?dataId=a.yaml&group=DEFAULT_GROUP`)).status).toBe(200)
    expect((await fetch(`${base(n)}/nacos/v1/core/cluster/nodes`)).status).toBe(200)
  })
})

describe('auth on (nacos.core.auth.enabled=true)', () => {
  let c: Cluster | undefined
  beforeAll(async () => {
    const props = parseApplicationProperties(
      ['nacos.core.auth.enabled=true', 'nacos.core.auth.plugin.nacos.token.secret.key=integration-test-key', 'quorum.auth.users=alice:s3cret:pw,nacos:nacos'].join('\n'),
      { file: 'conf/application.properties' }
    )
    c = await startCluster('auth', authSettings(props, 'cluster-secret'))
  })
  afterAll(() => stopCluster(c))

  it('refuses requests without credentials, with wrong ones, with a forged token, and despite server headers', async () => {
    const n = c!.nodes[0]!
    const none = await fetch(`${base(n)}/nacos/v1/ns/instance/list?serviceName=orders`, { headers: { 'User-Agent': 'Nacos-Server' } })
    expect(none.status).toBe(403)
    expect(await none.text()).toMatch(/no accessToken, and no username and password/)
    expect((await fetch(`${base(n)}/nacos/v1/core/cluster/nodes`)).status).toBe(403)
    const wrong = await fetch(`${base(n)}/nacos/v1/cs/configs`, form('dataId=a&group=g&content=x&username=alice&password=nope'))
    expect(wrong.status).toBe(403)
    expect(await wrong.text()).toMatch(/wrong password/)
    const badLogin = await fetch(`${base(n)}/nacos/v1/auth/login`, form('username=alice&password=nope'))
    expect(badLogin.status).toBe(403)

    const login = await fetch(`${base(n)}/nacos/v1/auth/login?username=alice&password=s3cret%3Apw`, { method: 'POST' })
    expect(login.status).toBe(200)
    const body = (await login.json()) as { accessToken: string; tokenTtl: number; globalAdmin: boolean }
    expect(body).toMatchObject({ tokenTtl: 18_000, globalAdmin: true })
    // A token from one node works on every member (shared key).
    const other = c!.nodes[2]!
    expect((await fetch(`${base(other)}/nacos/v1/core/cluster/nodes?accessToken=${encodeURIComponent(body.accessToken)}`)).status).toBe(200)
    const [payload, sig] = body.accessToken.split('.') as [string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; exp: number }
    const forged = `${Buffer.from(JSON.stringify({ ...claims, sub: 'nacos' })).toString('base64url')}.${sig}`
    const forgedRes = await fetch(`${base(other)}/nacos/v1/core/cluster/nodes?accessToken=${encodeURIComponent(forged)}`)
    expect(forgedRes.status).toBe(403)
    expect(await forgedRes.text()).toMatch(/token invalid/)

    // Open for the lab: probes, metrics, the admin API.
    expect((await fetch(`${base(n)}/nacos/v1/core/probe/readiness`)).status).toBe(200)
    expect((await fetch(`${base(n)}/quorum/v1/admin/status`)).status).toBe(200)
    const s = await scrape(n)
    expect(sampleValue(s, 'http_server_requests_errors_total', { method: 'GET', uri: '/nacos/v1/ns/instance/list', status: '403' })).toBe(1)
  })

  it('works with the official SDK given username and password (naming and config)', async () => {
    const nodes = c!.nodes
    const naming = new NacosNamingClient({ logger: quiet, serverList: nodes.map((n) => `127.0.0.1:${n.address.port}`), username: 'alice', password: 's3cret:pw' } as never)
    const config = new NacosConfigClient({ serverAddr: `127.0.0.1:${nodes[1]!.address.port}`, cacheDir: join(c!.dir, 'cache'), username: 'alice', password: 's3cret:pw' } as never)
    try {
      await naming.ready()
      await naming.registerInstance('orders', { ip: '10.9.9.9', port: 9090 } as never)
      await waitFor('the instance in the list', async () => {
        const list = (await naming.getAllInstances('orders', 'DEFAULT_GROUP', '', false)) as unknown[]
        return list.length === 1 ? list : undefined
      })
      expect(await config.publishSingle('auth.yaml', 'DEFAULT_GROUP', 'secured')).toBe(true)
      expect(await waitFor('the config', async () => ((await config.getConfig('auth.yaml', 'DEFAULT_GROUP')) === 'secured' ? true : undefined))).toBe(true)
      await naming.deregisterInstance('orders', { ip: '10.9.9.9', port: 9090 } as never)
      expect(await config.remove('auth.yaml', 'DEFAULT_GROUP')).toBe(true)
    } finally {
      await (naming as unknown as { close(): Promise<void> }).close()
      config.close()
    }
  })
})
