import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeCommand, publishCommand, StateMachine, validatePublish } from '../fsm'
import { createRng } from '../raft/rand'
import type { Message, NodeId } from '../raft/types'
import { DiskStorage } from '../storage'
import { HostError, RaftHost, unwrapProposal, wrapProposal } from './raft-host'

// Three RaftHosts in one process, each on its own real DiskStorage, joined by an in-memory
// network that can cut a node off. Real timers (10 ms ticks), polled with deadlines.

const IDS: NodeId[] = [1, 2, 3]

async function until<T>(what: string, probe: () => T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = probe()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

class Cluster {
  hosts = new Map<NodeId, RaftHost>()
  storages = new Map<NodeId, DiskStorage>()
  fsms = new Map<NodeId, StateMachine>()
  isolated = new Set<NodeId>()
  constructor(readonly dir: string) {}

  async start(id: NodeId, overrides: { snapshotEvery?: number; applyTimeoutMs?: number; catchUpEntries?: number; electionTick?: number; heartbeatTick?: number } = {}): Promise<RaftHost> {
    const storage = await DiskStorage.open(join(this.dir, `n${id}`))
    const fsm = new StateMachine()
    const host = await RaftHost.start({
      id,
      storage,
      fsm,
      initialVoters: IDS,
      send: (m: Message) => this.deliver(m),
      tickMs: 10,
      electionTick: 5,
      heartbeatTick: 1,
      rng: createRng(id * 97),
      noLeaderWaitMs: 1500,
      ...overrides
    })
    this.hosts.set(id, host)
    this.storages.set(id, storage)
    this.fsms.set(id, fsm)
    return host
  }

  /** Crash: stop without any further persistence and release the files. */
  async crash(id: NodeId): Promise<void> {
    await this.hosts.get(id)!.stop()
    await this.storages.get(id)!.close()
    this.hosts.delete(id)
  }

  /** Every message handed to the network, for tests that count them. */
  sent: Message[] = []

  deliver(m: Message): void {
    this.sent.push(m)
    if (this.isolated.has(m.from) || this.isolated.has(m.to)) return
    setImmediate(() => this.hosts.get(m.to)?.step(m))
  }

  leader(): RaftHost | undefined {
    return [...this.hosts.values()].find((h) => h.status().role === 'leader' && !this.isolated.has(h.id))
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.hosts.keys()]) await this.crash(id)
  }
}

function publish(dataId: string, content: string): Uint8Array {
  const v = validatePublish({ dataId, group: 'DEFAULT_GROUP', content })
  if (!v.ok) throw new Error(v.error.message)
  return encodeCommand(publishCommand(v.value, 1_700_000_000_000))
}

let cluster: Cluster | undefined
afterEach(async () => {
  await cluster?.stopAll()
  if (cluster) await rm(cluster.dir, { recursive: true, force: true })
  cluster = undefined
})

describe('proposal envelope', () => {
  it('round-trips the request id and leaves bare commands alone', () => {
    const cmd = new Uint8Array([1, 2, 3])
    expect(unwrapProposal(wrapProposal('2:17', cmd))).toEqual({ rid: '2:17', command: cmd })
    expect(unwrapProposal(cmd)).toEqual({ rid: undefined, command: cmd })
  })
})

describe('RaftHost', () => {
  it('elects a leader, and a write through a follower is applied there before it answers', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id)
    const leader = await until('a leader', () => cluster!.leader())
    const follower = [...cluster.hosts.values()].find((h) => h !== leader)!
    const result = await follower.propose(publish('app.yaml', 'hello 世界'))
    expect(result.configsChanged.map((k) => k.dataId)).toEqual(['app.yaml'])
    // Read-your-writes on the node that took the write.
    expect(cluster.fsms.get(follower.id)!.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' })?.content).toBe('hello 世界')
    // And soon on every node.
    await until('every node applied it', () => IDS.every((id) => cluster!.fsms.get(id)!.applied >= cluster!.fsms.get(follower.id)!.applied))
  })

  it('sends the writes of one event-loop turn as one proposal and one append per follower', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id)
    const leader = await until('a leader', () => cluster!.leader())
    const follower = [...cluster.hosts.values()].find((h) => h !== leader)!
    cluster.sent = []
    // 40 writes in the same turn, as when the HTTP server parses 40 requests in one go.
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => follower.propose(publish(`batch-${i}`, `v${i}`))))
    expect(results).toHaveLength(40)
    const props = cluster.sent.filter((m) => m.type === 'MsgProp' && m.from === follower.id)
    expect(props).toHaveLength(1)
    expect(props[0]!.entries).toHaveLength(40)
    const apps = cluster.sent.filter((m) => m.type === 'MsgApp' && m.from === leader.id && m.entries.length > 0)
    expect(apps.reduce((n, m) => n + m.entries.length, 0)).toBe(80)
    expect(apps).toHaveLength(2)
    for (let i = 0; i < 40; i++) {
      expect(cluster.fsms.get(follower.id)!.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: `batch-${i}` })?.content).toBe(`v${i}`)
    }
  })

  it('forwards a write at once while the follower waits on its own disk, and answers it only once that write is on it', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id)
    const leader = await until('a leader', () => cluster!.leader())
    const follower = [...cluster.hosts.values()].find((h) => h !== leader)!
    await follower.propose(publish('warm', '0'))
    // Stall the follower's disk: its next save hangs until released.
    const storage = cluster.storages.get(follower.id)!
    const save = storage.save.bind(storage)
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let stalled = false
    storage.save = async (...args: Parameters<typeof save>) => {
      stalled = true
      await gate
      return save(...args)
    }
    await until("the follower's loop stuck in a save", () => stalled)
    cluster.sent = []
    let answered = false
    const write = follower.propose(publish('stalled', 'v')).then(() => (answered = true))
    // The proposal reached the leader and was committed by the other two nodes.
    await until('the leader applied it', () => cluster!.fsms.get(leader.id)!.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'stalled' }) !== undefined)
    expect(cluster.sent.some((m) => m.type === 'MsgProp' && m.from === follower.id)).toBe(true)
    // But the follower has not written it yet, so it has neither applied it nor answered.
    expect(answered).toBe(false)
    expect(cluster.fsms.get(follower.id)!.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'stalled' })).toBeUndefined()
    release()
    await write
    expect(cluster.fsms.get(follower.id)!.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'stalled' })?.content).toBe('v')
  })

  it('keeps acknowledged writes across a crash and restart from disk', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id)
    await until('a leader', () => cluster!.leader())
    const h = cluster.hosts.get(1)!
    for (let i = 0; i < 20; i++) await h.propose(publish(`k${i}`, `v${i}`))
    const appliedBefore = cluster.fsms.get(1)!.applied
    for (const id of IDS) await cluster.crash(id)
    for (const id of IDS) await cluster.start(id)
    await until('a leader after restart', () => cluster!.leader())
    await until('node 1 re-applied its log', () => cluster!.fsms.get(1)!.applied >= appliedBefore)
    for (let i = 0; i < 20; i++) {
      expect(cluster.fsms.get(1)!.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: `k${i}` })?.content).toBe(`v${i}`)
    }
  })

  it('an isolated leader times out a write it took, then refuses with NO_LEADER once it steps down', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id, { applyTimeoutMs: 800 })
    const leader = await until('a leader', () => cluster!.leader())
    for (const id of IDS) if (id !== leader.id) cluster.isolated.add(id)
    cluster.isolated.add(leader.id)
    const accepted = await leader.propose(publish('x', 'y')).catch((e: unknown) => e)
    expect(accepted).toBeInstanceOf(HostError)
    expect((accepted as HostError).code).toBe('TIMEOUT')
    // CheckQuorum has stepped it down by now: there is no leader it can reach.
    await until('the isolated leader to step down', () => leader.status().role !== 'leader')
    const refused = await leader.propose(publish('x', 'z')).catch((e: unknown) => e)
    expect((refused as HostError).code).toBe('NO_LEADER')
    expect((refused as HostError).message).toMatch(/no leader/)
  })

  it('a write forwarded to a leader that died fails as retriable once the new leader commits, not after the grace', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    // Election 300–600 ms, so the grace for a moved proposal is 600 ms: far above what settling takes.
    for (const id of IDS) await cluster.start(id, { electionTick: 30, heartbeatTick: 5, applyTimeoutMs: 10_000 })
    const old = await until('a leader', () => cluster!.leader())
    const follower = [...cluster.hosts.values()].find((h) => h !== old)!
    await follower.propose(publish('before', 'v'))
    await cluster.crash(old.id)
    // The follower still follows the dead leader: this proposal goes to it and is lost.
    const lost = follower.propose(publish('lost', 'v')).then(
      () => 'applied',
      (e: unknown) => e
    )
    const newLead = await until('a new leader known to the follower', () => {
      const s = follower.status()
      return s.lead !== 0 && s.lead !== old.id ? s.lead : undefined
    })
    const t0 = Date.now()
    const outcome = await lost
    const waited = Date.now() - t0
    expect(outcome).toBeInstanceOf(HostError)
    expect((outcome as HostError).code).toBe('TIMEOUT')
    expect((outcome as HostError).message).toMatch(/leader changed/)
    expect(waited).toBeLessThan(300)
    // The retry goes to the new leader and is applied.
    await follower.propose(publish('lost', 'v2'))
    expect(cluster.hosts.get(newLead)).toBeDefined()
    expect(cluster.fsms.get(follower.id)!.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'lost' })?.content).toBe('v2')
  })

  it('snapshots and compacts, and a restarted node recovers from the snapshot', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id, { snapshotEvery: 10 })
    await until('a leader', () => cluster!.leader())
    const h = cluster.leader()!
    for (let i = 0; i < 40; i++) await h.propose(publish(`s${i}`, `v${i}`))
    const id = h.id
    await until('a snapshot on the leader', () => cluster!.storages.get(id)!.snapshot().metadata.index > 0)
    await cluster.crash(id)
    await cluster.start(id, { snapshotEvery: 10 })
    const fsm = cluster.fsms.get(id)!
    expect(fsm.applied).toBeGreaterThan(0)
    await until('recovered state', () => fsm.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 's39' })?.content === 'v39')
  })

  it('keeps taking writes while a snapshot is still being written, and the snapshot lands afterwards', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id, { snapshotEvery: 10 })
    const h = await until('a leader', () => cluster!.leader())
    // Hold every node's snapshot file write until released: a slow disk under a big state.
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const started: number[] = []
    for (const st of cluster.storages.values()) {
      const create = st.createSnapshot.bind(st)
      st.createSnapshot = async (...args) => {
        started.push(args[0])
        await gate
        return create(...args)
      }
    }
    for (let i = 0; i < 40; i++) await h.propose(publish(`w${i}`, `v${i}`))
    expect(started.length).toBeGreaterThan(0) // a snapshot was due and is still waiting on its write
    const st = cluster.storages.get(h.id)!
    expect(st.snapshot().metadata.index).toBe(0)
    release()
    await until('the held snapshot on disk', () => st.snapshot().metadata.index > 0)
    // It holds the state as of the index it was taken at, not as of the moment it was written.
    const at = st.snapshot().metadata.index
    const copy = new StateMachine()
    copy.restore(st.snapshot().data)
    expect(copy.applied).toBe(at)
    expect(at).toBeLessThan(cluster.fsms.get(h.id)!.applied)
  })

  it('serves a linearizable read barrier through the leader', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    for (const id of IDS) await cluster.start(id)
    const leader = await until('a leader', () => cluster!.leader())
    await leader.propose(publish('r', '1'))
    const follower = [...cluster.hosts.values()].find((h) => h !== leader)!
    await follower.readBarrier()
    expect(cluster.fsms.get(follower.id)!.applied).toBeGreaterThanOrEqual(cluster.fsms.get(leader.id)!.applied - 1)
  })

  it('installs a leader snapshot on a lagging follower and keeps snapshotting without tripping over it', async () => {
    cluster = new Cluster(await mkdtemp(join(tmpdir(), 'raft-host-')))
    let fatal: Error | undefined
    for (const id of IDS) await cluster.start(id, { snapshotEvery: 10, catchUpEntries: 2 })
    const leader = await until('a leader', () => cluster!.leader())
    const lagging = IDS.find((id) => id !== leader.id)!
    cluster.isolated.add(lagging)
    for (let i = 0; i < 40; i++) await leader.propose(publish(`lag${i}`, `v${i}`))
    await until('the leader compacted past the follower', () => cluster!.storages.get(leader.id)!.firstIndex() > cluster!.fsms.get(lagging)!.applied + 1)
    cluster.isolated.delete(lagging)
    const fsm = cluster.fsms.get(lagging)!
    await until('the follower restored from the snapshot', () => fsm.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'lag39' })?.content === 'v39')
    // It keeps working (and snapshotting) afterwards: no "older than the existing snapshot".
    const h = cluster.hosts.get(lagging)!
    for (let i = 0; i < 25; i++) await h.propose(publish(`after${i}`, `${i}`)).catch((e: Error) => (fatal = e))
    expect(fatal).toBeUndefined()
    expect(fsm.config.get({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'after24' })?.content).toBe('24')
  })
})
