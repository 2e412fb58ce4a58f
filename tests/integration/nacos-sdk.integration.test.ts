// The official Nacos Node SDK (nacos@2.6.x) against a real 3-node node-core cluster: real
// processes started by the lab, Raft over the real peer TCP transport, HTTP on loopback.
// Writes through one node, reads and listens through another.
import { NacosConfigClient, NacosNamingClient } from 'nacos'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClusterInfo, NodeInfo } from '../../electron/lab/api'
import { getJson } from '../../electron/lab/cluster/http-probe'
import { ADMIN_STATUS_PATH, type NodeStatus } from '../../node-core/src/protocol/admin'
import { makeLab } from '../support/lab-fixture'
import { waitFor } from '../support/wait'

const quiet = { info() {}, warn() {}, error() {}, debug() {}, log() {} } as unknown as typeof console

let fx: Awaited<ReturnType<typeof makeLab>>
let nodes: NodeInfo[] = []
let dir: string

beforeAll(async () => {
  fx = await makeLab()
  dir = fx.dataRoot
  const created = await fx.lab.handle('cluster.create', { size: 3 })
  if (!created.ok) throw new Error(created.error.message)
  const started = await fx.lab.handle('cluster.start', undefined)
  if (!started.ok) throw new Error(started.error.message)
  nodes = (started.value as ClusterInfo).nodes
  await waitFor('a leader', async () => {
    const s = await Promise.all(nodes.map((n) => getJson<NodeStatus>(n.host, n.httpPort, ADMIN_STATUS_PATH).catch(() => undefined)))
    return s.some((x) => x?.role === 'leader')
  }, { timeoutMs: 20_000 })
})

afterAll(async () => {
  await fx.dispose()
})

const addr = (n: NodeInfo): string => n.address
const nodeStatusOf = (n: NodeInfo): Promise<NodeStatus> => getJson<NodeStatus>(n.host, n.httpPort, ADMIN_STATUS_PATH)

describe('nacos@2.6 naming client', () => {
  it('registers, lists and subscribes through different nodes, then deregisters', async () => {
    const client = new NacosNamingClient({ logger: quiet, serverList: nodes.map(addr) })
    await client.ready()
    try {
      await client.registerInstance('orders', { ip: '10.1.2.3', port: 8080, metadata: { zone: '上海' } } as never)
      const hosts = await waitFor('the instance in the list', async () => {
        const list = (await client.getAllInstances('orders', 'DEFAULT_GROUP', '', false)) as { ip: string; port: number; healthy: boolean; metadata: Record<string, string> }[]
        return list.length === 1 ? list : undefined
      })
      expect(hosts[0]).toMatchObject({ ip: '10.1.2.3', port: 8080, healthy: true, metadata: { zone: '上海' } })

      const seen: number[] = []
      client.subscribe('orders', (h: unknown[]) => seen.push(h.length))
      await waitFor('the subscriber to see one host', () => seen.includes(1))

      await client.deregisterInstance('orders', { ip: '10.1.2.3', port: 8080 } as never)
      await waitFor('the list to be empty on every node', async () => {
        for (const n of nodes) {
          const res = await fetch(`http://${addr(n)}/nacos/v1/ns/instance/list?serviceName=DEFAULT_GROUP%40%40orders&clusters=&healthyOnly=false`)
          const body = (await res.json()) as { hosts: unknown[] }
          if (body.hosts.length !== 0) return undefined
        }
        return true
      })
    } finally {
      await (client as unknown as { close(): Promise<void> }).close()
    }
  })
})

describe('nacos@2.6 config client', () => {
  it('publishes through one node, reads and listens through another, and sees removal', async () => {
    const writer = new NacosConfigClient({ serverAddr: addr(nodes[0]!), cacheDir: join(dir, 'cache-w') } as never)
    const reader = new NacosConfigClient({ serverAddr: addr(nodes[1]!), cacheDir: join(dir, 'cache-r') } as never)
    try {
      const content = 'name: 订单服务\nurl: a&b=c%d +\n'
      expect(await writer.publishSingle('app.yaml', 'DEFAULT_GROUP', content)).toBe(true)
      const got = await waitFor('the config on the other node', async () => {
        const v = await reader.getConfig('app.yaml', 'DEFAULT_GROUP')
        return v === content ? v : undefined
      })
      expect(got).toBe(content)

      const heard: (string | null)[] = []
      reader.subscribe({ dataId: 'app.yaml', group: 'DEFAULT_GROUP' }, (c: string | null) => heard.push(c))
      await waitFor('the initial value', () => heard.includes(content))
      await writer.publishSingle('app.yaml', 'DEFAULT_GROUP', 'v2')
      await waitFor('the listener to hear v2', () => heard.includes('v2'), { timeoutMs: 20_000 })
      await writer.remove('app.yaml', 'DEFAULT_GROUP')
      await waitFor('the listener to hear the removal', () => heard[heard.length - 1] === null, { timeoutMs: 20_000 })
      expect(await reader.getConfig('missing.yaml', 'DEFAULT_GROUP')).toBeNull()
    } finally {
      writer.close()
      reader.close()
    }
  })

  it('answers bad input with 400 naming the field, and an oversized body with 413', async () => {
    const base = `http://${addr(nodes[2]!)}`
    const bad = await fetch(`${base}/nacos/v1/cs/configs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'dataId=bad%20id&group=DEFAULT_GROUP&content=x'
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/dataId/)
    const port = await fetch(`${base}/nacos/v1/ns/instance?serviceName=s&ip=1.2.3.4&port=99999`, { method: 'POST' })
    expect(port.status).toBe(400)
    expect(await port.text()).toMatch(/port/)
    const huge = await fetch(`${base}/nacos/v1/cs/configs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `dataId=a&group=g&content=${'x'.repeat(13 * 1024 * 1024)}`
    }).catch((e: Error) => e)
    if (!(huge instanceof Error)) expect(huge.status).toBe(413)
  })
})

describe('admin endpoints', () => {
  it('report Raft status with per-peer progress on the leader, trace events, the log and the data', async () => {
    const statuses = await Promise.all(nodes.map((n) => getJson<NodeStatus>(n.host, n.httpPort, ADMIN_STATUS_PATH)))
    const leader = nodes.find((n) => n.address === statuses[0]!.leader)!
    const base = `http://${addr(leader)}`
    const status = (await (await fetch(`${base}/quorum/v1/admin/status`)).json()) as import('../../node-core/src/protocol/admin').NodeStatus
    expect(status.role).toBe('leader')
    expect(status.leader).toBe(addr(leader))
    expect(status.voters.sort()).toEqual(nodes.map(addr).sort())
    expect(status.progress).toHaveLength(3)
    const trace = (await (await fetch(`${base}/quorum/v1/admin/trace?after=0&limit=50000`)).json()) as import('../../node-core/src/protocol/admin').TraceBatch
    expect(trace.events.length).toBeGreaterThan(0)
    expect(trace.events.some((e) => e.event.type === 'roleChanged')).toBe(true)
    const seqs = trace.events.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    const log = (await (await fetch(`${base}/quorum/v1/admin/log`)).json()) as { entries: { text: string }[] }
    expect(log.entries.some((e) => /EntryConfChange addVoter/.test(e.text))).toBe(true)
    expect(log.entries.some((e) => /publish|register/.test(e.text))).toBe(true)
    const bad = await fetch(`${base}/quorum/v1/admin/trace?after=-1`)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/after/)
    type Nodes = { data: { state: string; extendInfo: { raft?: { role: string } } }[] }
    const nodesRes = await waitFor('every member UP in the leader\'s view', async () => {
      const r = (await (await fetch(`${base}/nacos/v1/core/cluster/nodes`)).json()) as Nodes
      return r.data.every((m) => m.state === 'UP') ? r : undefined
    })
    expect(nodesRes.data.filter((m) => m.extendInfo.raft?.role === 'leader')).toHaveLength(1)
    expect((await fetch(`${base}/nacos/v1/core/probe/readiness`)).status).toBe(200)
  })
})

describe('ephemeral instances', () => {
  it('turn unhealthy without beats and are removed later (timeouts shortened via preserved metadata)', async () => {
    const meta = encodeURIComponent(JSON.stringify({ 'preserved.heart.beat.timeout': '1500', 'preserved.ip.delete.timeout': '3000' }))
    const base = `http://${addr(nodes[0]!)}`
    const reg = await fetch(`${base}/nacos/v1/ns/instance?serviceName=DEFAULT_GROUP%40%40expiring&ip=10.9.9.9&port=9&ephemeral=true&metadata=${meta}`, { method: 'POST' })
    expect(reg.status).toBe(200)
    const list = async (): Promise<{ healthy: boolean }[]> =>
      ((await (await fetch(`http://${addr(nodes[2]!)}/nacos/v1/ns/instance/list?serviceName=DEFAULT_GROUP%40%40expiring`)).json()) as { hosts: { healthy: boolean }[] }).hosts
    await waitFor('the instance on another node', async () => (await list()).length === 1)
    await waitFor('the instance to turn unhealthy', async () => (await list())[0]?.healthy === false, { timeoutMs: 10_000 })
    await waitFor('the instance to be removed', async () => (await list()).length === 0, { timeoutMs: 10_000 })
  })

  it('a beat for an unknown instance registers it again', async () => {
    const beat = encodeURIComponent(JSON.stringify({ serviceName: 'DEFAULT_GROUP@@revived', ip: '10.8.8.8', port: 8, cluster: 'DEFAULT', weight: 1, metadata: {}, scheduled: true }))
    const res = await fetch(`http://${addr(nodes[1]!)}/nacos/v1/ns/instance/beat?serviceName=DEFAULT_GROUP%40%40revived&beat=${beat}`, { method: 'PUT' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { clientBeatInterval: number }).clientBeatInterval).toBeGreaterThan(0)
    await waitFor('the revived instance on every node', async () => {
      for (const n of nodes) {
        const body = (await (await fetch(`http://${addr(n)}/nacos/v1/ns/instance/list?serviceName=DEFAULT_GROUP%40%40revived`)).json()) as { hosts: unknown[] }
        if (body.hosts.length !== 1) return undefined
      }
      return true
    })
  })
})

describe('the four log files', () => {
  it('record registrations, health changes, publishes and pushes where an operator greps for them', async () => {
    const { readFile } = await import('node:fs/promises')
    const read = (n: NodeInfo, f: string): Promise<string> => readFile(join(n.home, 'logs', f), 'utf8')
    // The seed's §8 greps: "heartbeat failed" in naming-server.log, "publish config" in
    // config-server.log, "election" in nacos-cluster.log.
    await waitFor('naming and config lines on every node', async () => {
      for (const n of nodes) {
        const naming = await read(n, 'naming-server.log')
        const config = await read(n, 'config-server.log')
        if (!/instance registered/.test(naming) || !/heartbeat failed \(no beat within the timeout\), instance marked unhealthy/.test(naming)) return undefined
        if (!/publish config/.test(config) || !/config removed/.test(config)) return undefined
      }
      return true
    })
    // Hold a long-poll on one node, change the key through another: the woken node says so
    // (the seed's "config push" lines).
    const poll = fetch(`http://${addr(nodes[2]!)}/nacos/v1/cs/configs/listener`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'Long-Pulling-Timeout': '30000' },
      body: 'Listening-Configs=' + encodeURIComponent('pushed.yaml\u0002DEFAULT_GROUP\u0002\u0001')
    })
    await waitFor('the long-poll to be held', async () => (await nodeStatusOf(nodes[2]!)).counts.listeners >= 1)
    await fetch(`http://${addr(nodes[0]!)}/nacos/v1/cs/configs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'dataId=pushed.yaml&group=DEFAULT_GROUP&content=x'
    })
    expect(decodeURIComponent(await (await poll).text())).toBe('pushed.yaml\u0002DEFAULT_GROUP\u0001')
    await waitFor('the push line', async () => /config change pushed to 1 long-poll listener/.test(await read(nodes[2]!, 'config-server.log')))
    for (const n of nodes) expect(await read(n, 'nacos-cluster.log')).toMatch(/election: leader is 127\.0\.0\.1:\d+ at term \d+/)
    const elections = await Promise.all(nodes.map((n) => read(n, 'nacos-cluster.log')))
    expect(elections.some((t) => /became leader at term/.test(t))).toBe(true)
    for (const line of (await read(nodes[0]!, 'naming-server.log')).trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow()
  })
})

describe('bad input', () => {
  // [method, path+query, form body or undefined, the field the 400 must name]
  const cases: [string, string, string | undefined, string][] = [
    ['POST', '/nacos/v1/ns/instance?ip=1.2.3.4&port=80', undefined, 'serviceName'],
    ['POST', '/nacos/v1/ns/instance?serviceName=s&ip=not..an..ip&port=80', undefined, 'ip'],
    ['POST', '/nacos/v1/ns/instance?serviceName=s&ip=1.2.3.4&port=70000', undefined, 'port'],
    ['POST', '/nacos/v1/ns/instance?serviceName=s&ip=1.2.3.4&port=80&weight=-1', undefined, 'weight'],
    ['POST', '/nacos/v1/ns/instance?serviceName=s&ip=1.2.3.4&port=80&metadata=%7Bnope', undefined, 'metadata'],
    ['POST', '/nacos/v1/ns/instance?serviceName=s&ip=1.2.3.4&port=80&ephemeral=maybe', undefined, 'ephemeral'],
    ['DELETE', '/nacos/v1/ns/instance?serviceName=s&port=80', undefined, 'ip'],
    ['GET', '/nacos/v1/ns/instance/list', undefined, 'serviceName'],
    ['PUT', '/nacos/v1/ns/instance/beat?serviceName=s&beat=%7Bbroken', undefined, 'beat'],
    ['GET', '/nacos/v1/ns/service/list?pageNo=0', undefined, 'pageNo'],
    ['GET', '/nacos/v1/cs/configs?group=G', undefined, 'dataId'],
    ['POST', '/nacos/v1/cs/configs', 'dataId=a&group=G', 'content'],
    ['POST', '/nacos/v1/cs/configs', 'dataId=a&group=bad%20group&content=x', 'group'],
    ['DELETE', '/nacos/v1/cs/configs?dataId=a%2Fb&group=G', undefined, 'dataId'],
    ['POST', '/nacos/v1/cs/configs/listener', 'Listening-Configs=', 'Listening-Configs'],
    ['GET', '/nacos/v1/cs/configs?dataId=a&group=G&consistency=strong', undefined, 'consistency'],
    ['POST', '/nacos/v1/core/ops/raft', 'command=transferLeader&value=x', 'value'],
    ['POST', '/nacos/v1/core/ops/raft', 'command=reboot', 'command'],
    ['GET', '/quorum/v1/admin/log?from=abc', undefined, 'from']
  ]

  it.each(cases)('%s %s → 400 naming %s', async (method, path, body, field) => {
    const res = await fetch(`http://${addr(nodes[0]!)}${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
      body
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(field)
  })

  it('answers unknown routes 404 and wrong methods 405, and keeps serving', async () => {
    const base = `http://${addr(nodes[0]!)}`
    expect((await fetch(`${base}/nacos/v1/ns/nope`)).status).toBe(404)
    expect((await fetch(`${base}/nacos/v1/cs/configs`, { method: 'PUT' })).status).toBe(405)
    expect((await fetch(`${base}/nacos/v1/ns/operator/metrics`)).status).toBe(200)
  })
})
