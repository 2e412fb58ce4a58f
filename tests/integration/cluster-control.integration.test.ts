// Full cluster control on real node-core processes: pause/resume, stop/start, wipe, leadership
// transfer, scale out and in, settings; and the guardian that leaves no paused orphan behind.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, NodeInfo } from '../../electron/lab/api'
import { Cluster } from '../../electron/lab/cluster/cluster'
import { GUARDIAN_SCRIPT, Guardian } from '../../electron/lab/cluster/guardian'
import { EventBus } from '../../electron/lab/events/event-bus'
import { NODE_CORE_ENV, NODE_CORE_NODE_FLAGS } from '../../node-core/src/protocol/admin'
import { nodeCoreBundle } from '../support/lab-fixture'
import { http, leaderOf, nodeStatus } from '../support/node-http'
import { isAlive, waitFor } from '../support/wait'

const members = (text: string): string[] => text.split('\n').filter((l) => /^\d/.test(l))

describe.skipIf(process.platform === 'win32')('cluster control on a 3-node cluster', () => {
  let dataDir: string
  let cluster: Cluster
  const bus = new EventBus()
  const events: LabEvent[] = []
  const off = bus.subscribe((batch) => events.push(...batch), { flushMs: 10 })
  const nodes = (): NodeInfo[] => cluster.info().nodes
  const upNodes = (): NodeInfo[] => nodes().filter((n) => n.state === 'up')
  const eventsOf = <T extends LabEvent['type']>(type: T): Extract<LabEvent, { type: T }>[] => {
    bus.flushAll()
    return events.filter((e): e is Extract<LabEvent, { type: T }> => e.type === type)
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'quorum-cluster-control-'))
    cluster = await Cluster.create({ runId: 'control', dataDir, size: 3, nodeCoreScript: nodeCoreBundle, bus, stopTimeoutMs: 3000 })
    await cluster.start()
  })
  afterAll(async () => {
    if (cluster) await cluster.stop().catch(() => cluster.killAllSync())
    off()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('writes the seed profile and the routing file into every node, and reports the settings', async () => {
    expect(cluster.info().settings).toEqual({ profile: 'seed', preVote: true, checkQuorum: true })
    for (const n of nodes()) {
      const props = await readFile(join(n.home, 'conf/application.properties'), 'utf8')
      expect(props).toMatch(/^quorum\.raft\.tick-ms=10$/m)
      expect(props).toMatch(/^quorum\.cluster\.routing-file=conf\/routing\.json$/m)
      expect(props).not.toMatch(/^quorum\.raft\.join/m)
    }
  })

  it.skipIf(process.platform !== 'linux')('runs every node with the memory flags and environment node-core asks for', async () => {
    for (const n of upNodes()) {
      const argv = (await readFile(`/proc/${n.pid}/cmdline`, 'utf8')).split('\0')
      for (const f of NODE_CORE_NODE_FLAGS) expect(argv).toContain(f)
      const environ = (await readFile(`/proc/${n.pid}/environ`, 'utf8')).split('\0')
      for (const [k, v] of Object.entries(NODE_CORE_ENV)) expect(environ).toContain(`${k}=${v}`)
    }
  })

  it('pauses the leader: the others elect a new one; resumed, it follows in the higher term', async () => {
    const old = await leaderOf(nodes())
    const oldTerm = (await nodeStatus(old)).term
    const paused = await cluster.pause(old.id)
    expect(paused.state).toBe('paused')
    expect(paused.pid).toBe(old.pid)
    expect(isAlive(old.pid!)).toBe(true)
    expect(eventsOf('node.paused').some((e) => e.nodeId === old.id)).toBe(true)
    await expect(cluster.pause(old.id)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    const views = await cluster.raftStatus()
    expect(views.find((v) => v.nodeId === old.id)).toMatchObject({ status: null, error: 'paused (SIGSTOP)' })

    const others = nodes().filter((n) => n.id !== old.id)
    const next = await leaderOf(others)
    expect(next.id).not.toBe(old.id)
    const newTerm = (await nodeStatus(next)).term
    expect(newTerm).toBeGreaterThan(oldTerm)

    const resumed = await cluster.resume(old.id)
    expect(resumed.state).toBe('up')
    await waitFor('the resumed old leader to follow the new one', async () => {
      const s = await nodeStatus(old)
      return s.role === 'follower' && s.term >= newTerm && s.leader === next.address
    })
    const r = eventsOf('node.resumed').find((e) => e.nodeId === old.id)
    expect(r?.pausedMs).toBeGreaterThan(0)
  })

  it('transfers leadership to a chosen node', async () => {
    const leader = await leaderOf(nodes())
    const target = nodes().find((n) => n.id !== leader.id)!
    const views = await cluster.transferLeader(target.id)
    expect(views.find((v) => v.nodeId === target.id)?.status?.role).toBe('leader')
    expect(eventsOf('leader.transferred').at(-1)).toMatchObject({ from: leader.id, to: target.id })
    expect((await leaderOf(nodes())).id).toBe(target.id)
  })

  it('stops a node cleanly and starts it again', async () => {
    const leader = await leaderOf(nodes())
    const f = nodes().find((n) => n.id !== leader.id)!
    const stopped = await cluster.stopNode(f.id)
    expect(stopped).toMatchObject({ state: 'stopped', pid: null, lastExit: { code: 0, signal: null, expected: true } })
    expect(isAlive(f.pid!)).toBe(false)
    await expect(cluster.stopNode(f.id)).rejects.toMatchObject({ code: 'NODE_NOT_RUNNING' })
    const started = await cluster.startNode(f.id)
    expect(started.state).toBe('up')
    expect(started.pid).not.toBe(f.pid)
    await expect(cluster.startNode(f.id)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect(cluster.info().state).toBe('running')
  })

  it('wipes a follower: it comes back empty-handed and catches up from the leader', async () => {
    const leader = await leaderOf(nodes())
    const put = await http(leader, 'POST', '/nacos/v1/cs/configs', 'dataId=before-wipe&group=LAB&content=kept')
    expect(put).toEqual({ status: 200, text: 'true' })
    const f = nodes().find((n) => n.id !== leader.id)!
    const wiped = await cluster.wipe(f.id)
    expect(wiped.state).toBe('up')
    expect(wiped.pid).not.toBe(f.pid)
    expect(eventsOf('node.wiped').some((e) => e.nodeId === f.id)).toBe(true)
    const props = await readFile(join(f.home, 'conf/application.properties'), 'utf8')
    expect(props).toMatch(/^quorum\.raft\.join=true$/m)
    await waitFor('the wiped node to apply up to the leader commit', async () => {
      const [mine, lead] = await Promise.all([nodeStatus(wiped), nodeStatus(leader)])
      return mine.applied >= lead.commit && mine.applied > 0
    })
    expect(await http(wiped, 'GET', '/nacos/v1/cs/configs?dataId=before-wipe&group=LAB')).toEqual({ status: 200, text: 'kept' })
  })

  it('scales out 3 → 4: the new node joins as a learner, catches up, and becomes a voter', async () => {
    const before = nodes().map((n) => n.id)
    const added = await cluster.addNode()
    expect(added.id).toBe(4)
    expect(added.state).toBe('up')
    expect(before).not.toContain(added.id)
    expect(cluster.info().size).toBe(4)
    const adds = eventsOf('member.added').filter((e) => e.nodeId === added.id)
    expect(adds.map((e) => e.as)).toEqual(['learner', 'voter'])
    for (const n of upNodes()) {
      await waitFor(`${n.address} to list ${added.address} as a voter`, async () => (await nodeStatus(n)).voters.includes(added.address))
      const conf = await readFile(join(n.home, 'conf/cluster.conf'), 'utf8')
      expect(members(conf)).toEqual(nodes().map((m) => m.address))
    }
    expect(await readFile(join(added.home, 'conf/application.properties'), 'utf8')).toMatch(/^quorum\.raft\.join=true$/m)
    expect(await http(added, 'GET', '/nacos/v1/cs/configs?dataId=before-wipe&group=LAB')).toEqual({ status: 200, text: 'kept' })
  })

  it('scales in 4 → 3 by removing a follower: it is stopped and gone from every conf', async () => {
    const leader = await leaderOf(upNodes())
    const victim = nodes().find((n) => n.id !== leader.id)!
    const info = await cluster.removeNode(victim.id)
    expect(info.size).toBe(3)
    expect(info.nodes.map((n) => n.id)).not.toContain(victim.id)
    expect(isAlive(victim.pid!)).toBe(false)
    expect(eventsOf('member.removed').at(-1)).toMatchObject({ nodeId: victim.id, address: victim.address })
    for (const n of info.nodes) {
      const s = await nodeStatus(n)
      expect(s.voters).not.toContain(victim.address)
      expect(s.voters).toHaveLength(3)
      expect(members(await readFile(join(n.home, 'conf/cluster.conf'), 'utf8'))).toEqual(info.nodes.map((m) => m.address))
    }
    expect(() => cluster.node(victim.id)).toThrow(/no node/)
  })

  it('removes the leader itself: a new leader among the rest', async () => {
    const leader = await leaderOf(upNodes())
    const info = await cluster.removeNode(leader.id)
    expect(info.size).toBe(2)
    expect(isAlive(leader.pid!)).toBe(false)
    const next = await leaderOf(info.nodes)
    expect(next.id).not.toBe(leader.id)
    const s = await nodeStatus(next)
    expect(s.voters).not.toContain(leader.address)
    expect(s.voters).toHaveLength(2)
    // The cluster still takes writes.
    expect((await http(next, 'POST', '/nacos/v1/cs/configs', 'dataId=after-remove&group=LAB&content=ok')).text).toBe('true')
  })

  it('rewrites the conf files for the teaching profile, to apply on the next start', async () => {
    const info = await cluster.setSettings({ profile: 'teaching', preVote: false })
    expect(info.settings).toEqual({ profile: 'teaching', preVote: false, checkQuorum: true })
    expect(eventsOf('cluster.settings').at(-1)?.settings.profile).toBe('teaching')
    for (const n of info.nodes) {
      const props = await readFile(join(n.home, 'conf/application.properties'), 'utf8')
      expect(props).toMatch(/^quorum\.raft\.tick-ms=100$/m)
      expect(props).toMatch(/^quorum\.raft\.pre-vote=false$/m)
    }
    await expect(cluster.setSettings({ profile: 'slow' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it('names unknown nodes', async () => {
    await expect(cluster.pause(42)).rejects.toMatchObject({ code: 'NODE_NOT_FOUND' })
    await expect(cluster.transferLeader(42)).rejects.toThrow(/no node 42/)
  })

  it('keeps one guardian while nodes run, and lets it go when the cluster stops', async () => {
    const gp = cluster.guardianPid
    expect(gp).toBeGreaterThan(0)
    expect(isAlive(gp!)).toBe(true)
    const pids = nodes().map((n) => n.pid!)
    // A paused node must stop too: SIGTERM is held until SIGCONT.
    await cluster.pause(nodes()[0]!.id)
    const stopped = await cluster.stop()
    expect(stopped.nodes.every((n) => n.state === 'stopped')).toBe(true)
    for (const p of pids) expect(isAlive(p)).toBe(false)
    expect(cluster.guardianPid).toBeNull()
    await waitFor('the guardian to exit after stop', () => !isAlive(gp!), { timeoutMs: 5000 })
  })
})

describe('cluster created with the teaching profile', () => {
  it('writes tick 500 into every node before anything runs', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'quorum-cluster-teaching-'))
    try {
      const c = await Cluster.create({ runId: 't', dataDir, size: 3, nodeCoreScript: nodeCoreBundle, bus: new EventBus(), profile: 'teaching', checkQuorum: false })
      expect(c.info().settings).toEqual({ profile: 'teaching', preVote: true, checkQuorum: false })
      for (const n of c.info().nodes) {
        const props = await readFile(join(n.home, 'conf/application.properties'), 'utf8')
        expect(props).toMatch(/^quorum\.raft\.tick-ms=100$/m)
        expect(props).toMatch(/^quorum\.raft\.check-quorum=false$/m)
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(process.platform === 'win32')('guardian', () => {
  const sleeper = (): ReturnType<typeof spawn> => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })

  it('kills a paused child once its parent is SIGKILLed, then exits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quorum-guardian-'))
    const parentScript = join(dir, 'fake-lab.cjs')
    // A stand-in for the lab: starts a guardian the way guardian.ts does, a child, and reports pids.
    await writeFile(
      parentScript,
      `const { spawn } = require('node:child_process')
const g = spawn(process.execPath, ['-e', ${JSON.stringify(GUARDIAN_SCRIPT)}], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } })
const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
g.stdin.write('+' + c.pid + '\\n')
console.log(JSON.stringify({ guardian: g.pid, child: c.pid }))
setInterval(() => {}, 1000)
`
    )
    const parent = spawn(process.execPath, [parentScript], { stdio: ['ignore', 'pipe', 'inherit'] })
    let pids: { guardian: number; child: number } | undefined
    createInterface({ input: parent.stdout }).on('line', (l) => (pids = JSON.parse(l) as typeof pids))
    try {
      const { guardian, child } = await waitFor('the fake lab to report its pids', () => pids)
      expect(isAlive(guardian)).toBe(true)
      expect(isAlive(child)).toBe(true)
      process.kill(child, 'SIGSTOP')
      await waitFor('the child to be stopped', async () => (await readFile(`/proc/${child}/stat`, 'utf8')).split(') ')[1]?.[0] === 'T', { timeoutMs: 2000 }).catch(
        () => true // not Linux: no /proc, carry on
      )
      parent.kill('SIGKILL')
      await waitFor(`paused child ${child} to be killed by the guardian`, () => !isAlive(child), { timeoutMs: 5000 })
      await waitFor(`guardian ${guardian} to exit`, () => !isAlive(guardian), { timeoutMs: 5000 })
    } finally {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL')
      for (const p of pids ? [pids.child, pids.guardian] : []) if (isAlive(p)) process.kill(p, 'SIGKILL')
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('kills nothing when the lab closes it cleanly, nor a pid it was told to forget', async () => {
    const kept = sleeper()
    const forgotten = sleeper()
    const g = Guardian.start()
    try {
      g.watch(kept.pid!)
      g.watch(forgotten.pid!)
      g.forget(forgotten.pid!)
      const gp = g.pid!
      expect(isAlive(gp)).toBe(true)
      g.close()
      await waitFor('the guardian to exit on close', () => !isAlive(gp), { timeoutMs: 5000 })
      expect(isAlive(kept.pid!)).toBe(true)
      expect(isAlive(forgotten.pid!)).toBe(true)
    } finally {
      kept.kill('SIGKILL')
      forgotten.kill('SIGKILL')
    }
  })
})
