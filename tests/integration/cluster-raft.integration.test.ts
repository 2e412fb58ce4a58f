// Real node-core processes replicating over the real peer TCP transport, driven by the lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClusterInfo, NodeInfo, Result } from '../../electron/lab/api'
import { getJson } from '../../electron/lab/cluster/http-probe'
import { ADMIN_STATUS_PATH, type NodeStatus } from '../../node-core/src/protocol/admin'
import { makeLab } from '../support/lab-fixture'
import { waitFor } from '../support/wait'

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

const status = (n: NodeInfo): Promise<NodeStatus> => getJson<NodeStatus>(n.host, n.httpPort, ADMIN_STATUS_PATH)

async function http(n: NodeInfo, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://${n.address}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
    body
  })
  return { status: res.status, text: await res.text() }
}

async function leaderOf(nodes: NodeInfo[]): Promise<NodeInfo> {
  return waitFor(
    'one leader that every live node agrees on',
    async () => {
      const seen = await Promise.all(nodes.map((n) => status(n).catch(() => undefined)))
      const leaders = new Set(seen.map((s) => s?.leader))
      if (leaders.size !== 1 || seen.some((s) => !s)) return undefined
      const addr = [...leaders][0]
      return nodes.find((n) => n.address === addr)
    },
    { timeoutMs: 20_000 }
  )
}

describe('a 3-node node-core cluster over TCP', () => {
  let fx: Awaited<ReturnType<typeof makeLab>>
  let cluster: ClusterInfo

  beforeAll(async () => {
    fx = await makeLab()
    value(await fx.lab.handle('cluster.create', { size: 3 }))
    cluster = value(await fx.lab.handle('cluster.start', undefined))
  })
  afterAll(async () => fx.dispose())

  it('elects one leader that all members agree on', async () => {
    const leader = await leaderOf(cluster.nodes)
    const s = await status(leader)
    expect(s.role).toBe('leader')
    expect(s.voters.sort()).toEqual(cluster.nodes.map((n) => n.address).sort())
    expect(s.progress.filter((p) => p.address !== leader.address).every((p) => p.recentActive)).toBe(true)
  })

  it('reads a write through a follower on that follower at once, and on every node soon', async () => {
    const leader = await leaderOf(cluster.nodes)
    const follower = cluster.nodes.find((n) => n.address !== leader.address)!
    const put = await http(follower, 'POST', '/nacos/v1/cs/configs', 'dataId=app.yaml&group=DEFAULT_GROUP&content=v1')
    expect(put).toEqual({ status: 200, text: 'true' })
    expect(await http(follower, 'GET', '/nacos/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP')).toEqual({ status: 200, text: 'v1' })
    for (const n of cluster.nodes) {
      await waitFor(`app.yaml on ${n.address}`, async () => (await http(n, 'GET', '/nacos/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP')).text === 'v1')
    }
  })

  it('survives SIGKILL of the leader: a new leader, acknowledged writes intact, the node rejoins', async () => {
    const leader = await leaderOf(cluster.nodes)
    const acked: string[] = []
    for (let i = 0; i < 20; i++) {
      const r = await http(leader, 'POST', '/nacos/v1/cs/configs', `dataId=k${i}&group=G&content=v${i}`)
      if (r.status === 200) acked.push(`k${i}`)
    }
    expect(acked).toHaveLength(20)
    value(await fx.lab.handle('node.crash', { nodeId: leader.id }))
    const rest = cluster.nodes.filter((n) => n.id !== leader.id)
    const next = await leaderOf(rest)
    expect(next.address).not.toBe(leader.address)
    for (const k of acked) {
      for (const n of rest) expect((await http(n, 'GET', `/nacos/v1/cs/configs?dataId=${k}&group=G`)).status).toBe(200)
    }
    const w = await http(next, 'POST', '/nacos/v1/cs/configs', 'dataId=after&group=G&content=x')
    expect(w.status).toBe(200)
    const back = value(await fx.lab.handle('node.restart', { nodeId: leader.id }))
    await waitFor('the restarted node to catch up', async () => (await http(back, 'GET', '/nacos/v1/cs/configs?dataId=after&group=G')).text === 'x', { timeoutMs: 20_000 })
  })

  it('answers 503 naming the missing leader when no majority is up', async () => {
    const [a, b] = cluster.nodes
    const c = cluster.nodes[2]!
    value(await fx.lab.handle('node.crash', { nodeId: a!.id }))
    value(await fx.lab.handle('node.crash', { nodeId: b!.id }))
    const r = await http(c, 'POST', '/nacos/v1/cs/configs', 'dataId=nope&group=G&content=x')
    expect(r.status).toBe(503)
    expect(r.text).toMatch(/leader/)
  })
})
