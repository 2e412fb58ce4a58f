// Real node-core processes replicating over the real peer TCP transport, driven by the lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClusterInfo, NodeInfo } from '../../electron/lab/api'
import type { NodeStatus } from '../../node-core/src/protocol/admin'
import { makeLab } from '../support/lab-fixture'
import { http, leaderOf, nodeStatus, value } from '../support/node-http'
import { waitFor } from '../support/wait'


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
    const s = await nodeStatus(leader)
    expect(s.role).toBe('leader')
    expect(s.voters.sort()).toEqual(cluster.nodes.map((n) => n.address).sort())
    // recentActive is cleared every election timeout (CheckQuorum) and set again by each answer:
    // right after an election a follower may not have answered yet, so wait for it.
    await waitFor('every follower recently active in the leader\'s progress', async () =>
      (await nodeStatus(leader)).progress.filter((p) => p.address !== leader.address).every((p) => p.recentActive)
    )
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

  it('survives SIGKILL of the leader under write load: a new leader, no acknowledged write lost, the node rejoins', async () => {
    const leader = await leaderOf(cluster.nodes)
    const acked: string[] = []
    let stop = false
    let failures = 0
    // Eight clients write to every node (followers forward) while the leader is killed.
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let j = 0; !stop; j++) {
        const n = cluster.nodes[(w + j) % cluster.nodes.length]!
        const key = `load-${w}-${j}`
        const r = await http(n, 'POST', '/nacos/v1/cs/configs', `dataId=${key}&group=L&content=${j}`).catch(() => undefined)
        if (r?.status === 200) acked.push(key)
        else failures++
      }
    })
    await waitFor('some writes before the crash', () => acked.length >= 50)
    value(await fx.lab.handle('node.crash', { nodeId: leader.id }))
    const rest = cluster.nodes.filter((n) => n.id !== leader.id)
    const next = await leaderOf(rest)
    expect(next.address).not.toBe(leader.address)
    const before = acked.length
    await waitFor('writes acknowledged after the failover', () => acked.length >= before + 50)
    stop = true
    await Promise.all(writers)
    // Every acknowledged write is on every surviving node.
    for (const n of rest) {
      for (const k of acked) {
        const r = await waitFor(`${k} on ${n.address}`, async () => {
          const got = await http(n, 'GET', `/nacos/v1/cs/configs?dataId=${k}&group=L`)
          return got.status === 200 ? got : undefined
        }, { timeoutMs: 5000 })
        expect(r.status).toBe(200)
      }
    }
    expect(failures).toBeGreaterThan(0) // the dead node's clients did see errors, as they should
    const back = value(await fx.lab.handle('node.restart', { nodeId: leader.id }))
    const last = acked[acked.length - 1]!
    await waitFor('the restarted node to catch up', async () => (await http(back, 'GET', `/nacos/v1/cs/configs?dataId=${last}&group=L`)).status === 200, { timeoutMs: 20_000 })
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

describe('membership and leadership operations on real processes', () => {
  let fx: Awaited<ReturnType<typeof makeLab>>
  let cluster: ClusterInfo
  let extra: import('node:child_process').ChildProcess | undefined

  beforeAll(async () => {
    fx = await makeLab()
    value(await fx.lab.handle('cluster.create', { size: 3 }))
    cluster = value(await fx.lab.handle('cluster.start', undefined))
  })
  afterAll(async () => {
    extra?.kill('SIGKILL')
    await fx.dispose()
  })

  const ops = (n: NodeInfo, body: string): Promise<{ status: number; text: string }> => http(n, 'POST', '/nacos/v1/core/ops/raft', body)

  it('transfers leadership to a chosen voter', async () => {
    const leader = await leaderOf(cluster.nodes)
    const target = cluster.nodes.find((n) => n.address !== leader.address)!
    const r = await ops(leader, `command=transferLeader&value=${target.address}`)
    expect(r.status).toBe(200)
    expect((await leaderOf(cluster.nodes)).address).toBe(target.address)
    expect((await ops(leader, 'command=transferLeader&value=nonsense')).status).toBe(400)
    expect((await ops(leader, 'command=explode&value=127.0.0.1:1')).text).toMatch(/command must be one of/)
  })

  it('adds a learner that catches up, promotes it, then removes it while it leads', async () => {
    const { spawn } = await import('node:child_process')
    const { mkdir, readFile, writeFile } = await import('node:fs/promises')
    const { join } = await import('node:path')
    const { allocateNodePorts } = await import('../../electron/lab/cluster/ports')
    const { nodeCoreBundle } = await import('../support/lab-fixture')
    const [port] = await allocateNodePorts(1)
    const address = `127.0.0.1:${port}`
    const home = join(fx.dataRoot, 'node-4')
    await mkdir(join(home, 'conf'), { recursive: true })
    const props1 = await readFile(join(cluster.nodes[0]!.home, 'conf/application.properties'), 'utf8')
    const secret = /^quorum\.cluster\.secret=(.+)$/m.exec(props1)![1]
    await writeFile(join(home, 'conf/cluster.conf'), [...cluster.nodes.map((n) => n.address), address, ''].join('\n'))
    await writeFile(join(home, 'conf/application.properties'), `server.port=${port}\nquorum.cluster.secret=${secret}\nquorum.raft.join=true\n`)
    extra = spawn(process.execPath, [nodeCoreBundle, '--home', home], { stdio: 'ignore', env: { ...process.env, QUORUM_LAB_PARENT_PID: String(process.pid) } })
    const newcomer = { ...cluster.nodes[0]!, id: 4, address, httpPort: port!, home }

    let leader = await leaderOf(cluster.nodes)
    for (let i = 0; i < 30; i++) expect((await http(leader, 'POST', '/nacos/v1/cs/configs', `dataId=m${i}&group=G&content=${i}`)).status).toBe(200)
    const added = await ops(leader, `command=addLearner&value=${address}`)
    expect(added.status).toBe(200)
    expect((JSON.parse(added.text) as { data: NodeStatus }).data.learners).toContain(address)
    await waitFor('the learner to catch up', async () => (await http(newcomer, 'GET', '/nacos/v1/cs/configs?dataId=m29&group=G')).text === '29', { timeoutMs: 20_000 })
    expect((await nodeStatus(newcomer)).role).toBe('follower')
    // One change at a time, learner first.
    expect((await ops(leader, `command=promote&value=${address}`)).status).toBe(200)
    const all = [...cluster.nodes, newcomer]
    expect((await nodeStatus(leader)).voters).toContain(address)

    expect((await ops(leader, `command=transferLeader&value=${address}`)).status).toBe(200)
    leader = await leaderOf(all)
    expect(leader.address).toBe(address)
    // Remove the leader itself: it hands off, the three others elect among themselves.
    const removed = await ops(leader, `command=removePeer&value=${address}`)
    expect(removed.status).toBe(200)
    const next = await leaderOf(cluster.nodes)
    expect(next.address).not.toBe(address)
    const s = await nodeStatus(next)
    expect(s.voters).not.toContain(address)
    expect((await http(next, 'POST', '/nacos/v1/cs/configs', 'dataId=after-removal&group=G&content=ok')).status).toBe(200)
  })
})

describe('a 5-node cluster', () => {
  let fx: Awaited<ReturnType<typeof makeLab>>
  afterAll(async () => fx.dispose())

  it('keeps writing with two nodes down (3 of 5 is a majority) and stops with three down', async () => {
    fx = await makeLab()
    value(await fx.lab.handle('cluster.create', { size: 5 }))
    const c = value(await fx.lab.handle('cluster.start', undefined))
    const leader = await leaderOf(c.nodes)
    const followers = c.nodes.filter((n) => n.id !== leader.id)
    for (const n of followers.slice(0, 2)) value(await fx.lab.handle('node.crash', { nodeId: n.id }))
    expect((await http(leader, 'POST', '/nacos/v1/cs/configs', 'dataId=five&group=G&content=ok')).status).toBe(200)
    value(await fx.lab.handle('node.crash', { nodeId: followers[2]!.id }))
    const r = await http(leader, 'POST', '/nacos/v1/cs/configs', 'dataId=five&group=G&content=no')
    expect(r.status).toBe(503)
    // The two survivors still serve what was committed.
    expect((await http(followers[3]!, 'GET', '/nacos/v1/cs/configs?dataId=five&group=G')).text).toBe('ok')
  })
})
