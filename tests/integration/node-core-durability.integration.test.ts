// Real node-core processes: WAL damage at start, a wiped node restored by snapshot, and
// linearizable reads that never return stale data from a cut-off follower.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFile, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClusterInfo } from '../../electron/lab/api'
import { NODE_EXIT_CODES } from '../../node-core/src/protocol/admin'
import { makeLab, nodeCoreBundle } from '../support/lab-fixture'
import { http, leaderOf, nodeStatus, value } from '../support/node-http'
import { waitFor } from '../support/wait'

let fx: Awaited<ReturnType<typeof makeLab>> | undefined
afterEach(async () => {
  await fx?.dispose()
  fx = undefined
})

async function startCluster(size: number, extraProps = ''): Promise<ClusterInfo> {
  fx = await makeLab()
  const created = value(await fx.lab.handle('cluster.create', { size }))
  if (extraProps) for (const n of created.nodes) await appendFile(join(n.home, 'conf/application.properties'), extraProps)
  return value(await fx.lab.handle('cluster.start', undefined))
}

async function lastSegment(home: string): Promise<string> {
  const dir = join(home, 'data/raft/wal')
  const files = (await readdir(dir)).filter((f) => f.endsWith('.wal')).sort()
  return join(dir, files[files.length - 1]!)
}

function runNode(home: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [nodeCoreBundle, '--home', home], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => p.kill('SIGTERM'), 3000)
    p.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

describe('WAL damage', () => {
  it('repairs a torn tail on start and keeps every acknowledged write', async () => {
    const c = await startCluster(1)
    const n = c.nodes[0]!
    for (let i = 0; i < 10; i++) expect((await http(n, 'POST', '/nacos/v1/cs/configs', `dataId=t${i}&group=G&content=${i}`)).status).toBe(200)
    value(await fx!.lab.handle('node.crash', { nodeId: 1 }))
    // A crash mid-write: half a record at the end of the last segment.
    await appendFile(await lastSegment(n.home), Buffer.from([0, 0, 1, 0, 0xde, 0xad]))
    const back = value(await fx!.lab.handle('node.restart', { nodeId: 1 }))
    for (let i = 0; i < 10; i++) expect((await http(back, 'GET', `/nacos/v1/cs/configs?dataId=t${i}&group=G`)).text).toBe(String(i))
    const log = await readFile(join(n.home, 'logs/nacos.log'), 'utf8')
    expect(log).toMatch(/torn/i)
  })

  it('refuses to start on corruption in the middle, naming the file and the offset', async () => {
    const c = await startCluster(1)
    const n = c.nodes[0]!
    for (let i = 0; i < 10; i++) expect((await http(n, 'POST', '/nacos/v1/cs/configs', `dataId=c${i}&group=G&content=${'x'.repeat(200)}`)).status).toBe(200)
    value(await fx!.lab.handle('cluster.stop', undefined))
    const seg = await lastSegment(n.home)
    const size = (await stat(seg)).size
    const fh = await open(seg, 'r+')
    const at = Math.floor(size / 2)
    const b = Buffer.alloc(1)
    await fh.read(b, 0, 1, at)
    b[0] = b[0]! ^ 0xff
    await fh.write(b, 0, 1, at)
    await fh.close()
    const r = await runNode(n.home)
    expect(r.code).toBe(NODE_EXIT_CODES.failure)
    expect(r.stderr).toContain(seg.split('/').pop()!)
    expect(r.stderr).toMatch(/offset \d+|byte \d+/)
  })
})

describe('snapshots and reads', () => {
  it('restores a wiped node from a snapshot', async () => {
    const c = await startCluster(3, 'quorum.raft.snapshot-entries=20\nquorum.raft.snapshot-catchup-entries=2\n')
    let leader = await leaderOf(c.nodes)
    const victim = c.nodes.find((n) => n.address !== leader.address)!
    value(await fx!.lab.handle('node.crash', { nodeId: victim.id }))
    await rm(join(victim.home, 'data'), { recursive: true, force: true })
    leader = await leaderOf(c.nodes.filter((n) => n.id !== victim.id))
    for (let i = 0; i < 60; i++) expect((await http(leader, 'POST', '/nacos/v1/cs/configs', `dataId=w${i}&group=G&content=${i}`)).status).toBe(200)
    await waitFor('a snapshot on the leader', async () => (await nodeStatus(leader)).snapshotIndex > 0)
    const back = value(await fx!.lab.handle('node.restart', { nodeId: victim.id }))
    await waitFor('the wiped node to catch up', async () => (await http(back, 'GET', '/nacos/v1/cs/configs?dataId=w59&group=G')).text === '59', { timeoutMs: 20_000 })
    // It came back through InstallSnapshot (the leader had compacted the log it needed).
    expect(await readFile(join(victim.home, 'logs/nacos-cluster.log'), 'utf8')).toMatch(/restored snapshot \[index: \d+/)
  })

  it('wakes a long-poll held on a cut-off follower when a leader snapshot brings it the change', async () => {
    const c = await startCluster(3, 'quorum.raft.snapshot-entries=20\nquorum.raft.snapshot-catchup-entries=2\n')
    const leader = await leaderOf(c.nodes)
    const f = c.nodes.find((n) => n.address !== leader.address)!
    expect((await http(leader, 'POST', '/nacos/v1/cs/configs', 'dataId=watched&group=G&content=v0')).status).toBe(200)
    await waitFor('v0 on the follower', async () => (await http(f, 'GET', '/nacos/v1/cs/configs?dataId=watched&group=G')).text === 'v0')
    value(await fx!.lab.handle('link.preset', { preset: 'isolate', nodeId: f.id, cut: 'reset' }))
    const listeners0 = (await nodeStatus(f)).counts.listeners
    const t0 = Date.now()
    const poll = fetch(`http://${f.address}/nacos/v1/cs/configs/listener`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'Long-Pulling-Timeout': '30000' },
      body: `Listening-Configs=${encodeURIComponent(`watched\u0002G\u0002${createHash('md5').update('v0').digest('hex')}\u0001`)}`
    }).then(async (r) => ({ status: r.status, text: await r.text(), ms: Date.now() - t0 }))
    await waitFor('the poll held on the follower', async () => (await nodeStatus(f)).counts.listeners > listeners0)
    expect((await http(leader, 'POST', '/nacos/v1/cs/configs', 'dataId=watched&group=G&content=v1')).status).toBe(200)
    for (let i = 0; i < 60; i++) expect((await http(leader, 'POST', '/nacos/v1/cs/configs', `dataId=fill${i}&group=G&content=${i}`)).status).toBe(200)
    const fLast = (await nodeStatus(f)).lastIndex
    await waitFor('the leader compacted past the follower', async () => (await nodeStatus(leader)).firstIndex > fLast + 1)
    value(await fx!.lab.handle('link.healAll', undefined))
    const r = await poll
    // Answered with the key by the snapshot, well before the 30 s hold ran out.
    expect(r.status).toBe(200)
    expect(decodeURIComponent(r.text)).toContain('watched\u0002G')
    expect(r.ms).toBeLessThan(25_000)
    await waitFor('the snapshot install in the follower log', async () => /restored snapshot \[index: \d+/.test(await readFile(join(f.home, 'logs/nacos-cluster.log'), 'utf8')))
  })

  it('serves stale local reads from a cut-off follower, but never a stale linearizable read', async () => {
    const c = await startCluster(3)
    const leader = await leaderOf(c.nodes)
    const cut = c.nodes.find((n) => n.address !== leader.address)!
    expect((await http(leader, 'POST', '/nacos/v1/cs/configs', 'dataId=k&group=G&content=old')).status).toBe(200)
    await waitFor('old on the follower', async () => (await http(cut, 'GET', '/nacos/v1/cs/configs?dataId=k&group=G')).text === 'old')
    // Cut the follower off by routing every link to and from it to a dead address.
    for (const n of c.nodes) {
      const routes: Record<string, string> = {}
      for (const m of c.nodes) if (m.id !== n.id && (n.id === cut.id || m.id === cut.id)) routes[m.address] = '127.0.0.1:9'
      const file = join(n.home, 'conf/routing.json')
      await writeFile(file, JSON.stringify(routes))
    }
    // The routing file is configured only at start: restart every node with it.
    for (const n of c.nodes) await appendFile(join(n.home, 'conf/application.properties'), 'quorum.cluster.routing-file=conf/routing.json\n')
    value(await fx!.lab.handle('cluster.stop', undefined))
    const again = value(await fx!.lab.handle('cluster.start', undefined))
    const rest = again.nodes.filter((n) => n.id !== cut.id)
    const cutNow = again.nodes.find((n) => n.id === cut.id)!
    const newLeader = await leaderOf(rest)
    expect((await http(newLeader, 'POST', '/nacos/v1/cs/configs', 'dataId=k&group=G&content=new')).status).toBe(200)
    // Eventual (the default): the cut follower still answers from its own, stale state.
    expect((await http(cutNow, 'GET', '/nacos/v1/cs/configs?dataId=k&group=G')).text).toBe('old')
    // Linearizable: it cannot confirm with a leader, so it refuses rather than answer stale.
    const lin = await http(cutNow, 'GET', '/nacos/v1/cs/configs?dataId=k&group=G&consistency=linearizable')
    expect(lin.status).toBe(503)
    expect(lin.text).not.toBe('old')
    // Through the majority side the linearizable read sees the new value.
    const other = rest.find((n) => n.id !== newLeader.id)!
    expect((await http(other, 'GET', '/nacos/v1/cs/configs?dataId=k&group=G&consistency=linearizable')).text).toBe('new')
  })
})
