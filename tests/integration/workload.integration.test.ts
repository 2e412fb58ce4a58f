// The workload generator and the log tails against a real 3-node cluster on loopback.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClusterInfo, NodeInfo } from '../../electron/lab/api'
import { LogTails } from '../../electron/lab/logs/log-tails'
import { historyProblems, type HistoryOp } from '../../electron/lab/workload/history'
import type { WorkloadStats } from '../../electron/lab/workload/latency'
import { Workload, type WorkloadTarget } from '../../electron/lab/workload/workload'
import { makeLab } from '../support/lab-fixture'
import { http, leaderOf, value } from '../support/node-http'
import { waitFor } from '../support/wait'

const seed = Number(process.env.SEED ?? Date.now() % 1_000_000)
console.log(`workload integration seed ${seed}`)

const targetsOf = (nodes: NodeInfo[]): WorkloadTarget[] => nodes.map((n) => ({ id: n.id, baseUrl: `http://${n.address}` }))

/** Wait for `n` more stats windows (the workload's own 1 s clock), rather than sleeping. */
async function windows(stats: WorkloadStats[], n: number): Promise<void> {
  const want = stats.length + n
  await waitFor(`${n} stats windows`, () => stats.length >= want, { timeoutMs: n * 1000 + 5000 })
}

/**
 * The final value of each key, read from every node, must be the value of a write the
 * history holds (ok or unknown), and no ok write may have started after it completed
 * (that write would have been overwritten by an older one: lost).
 */
async function checkFinalValues(nodes: NodeInfo[], ops: readonly HistoryOp[], group: string): Promise<number> {
  const writes = ops.filter((o) => o.kind === 'write')
  const keys = [...new Set(writes.filter((w) => w.outcome === 'ok').map((w) => w.key))]
  for (const key of keys) {
    const q = `/nacos/v1/cs/configs?dataId=${encodeURIComponent(key)}&group=${group}`
    // Followers apply a moment later: wait until every node answers the same value.
    const final = await waitFor(`every node to hold the same ${key}`, async () => {
      const got = await Promise.all(nodes.map((n) => http(n, 'GET', q)))
      const texts = new Set(got.map((g) => `${g.status} ${g.text}`))
      return texts.size === 1 && got[0]!.status === 200 ? got[0]!.text : undefined
    })
    const w = writes.find((o) => o.key === key && o.value === final)
    expect(w, `${key} holds ${final}, a value nobody wrote`).toBeDefined()
    expect(w!.outcome).not.toBe('fail')
    const later = writes.filter((o) => o.key === key && o.outcome === 'ok' && w!.completeAt !== undefined && o.invokeAt > w!.completeAt)
    expect(later, `${key}: ok writes after the final value ${final} were lost`).toEqual([])
  }
  return keys.length
}

describe('workload and log tails on a real 3-node cluster', () => {
  let fx: Awaited<ReturnType<typeof makeLab>>
  let cluster: ClusterInfo
  let tails: LogTails
  const tailed: { count: number } = { count: 0 }

  beforeAll(async () => {
    fx = await makeLab()
    cluster = value(await fx.lab.handle('cluster.create', { size: 3 }))
    // Follow before start: the files do not exist yet, and start-up lines must still be seen.
    tails = new LogTails({ pollMs: 100, onLines: (b) => (tailed.count += b.length) })
    await tails.setNodes(cluster.nodes.map((n) => ({ id: n.id, home: n.home })))
    cluster = value(await fx.lab.handle('cluster.start', undefined))
  })
  afterAll(async () => {
    await tails?.close()
    await fx?.dispose()
  })

  it("log tails see every node's start-up lines, parsed", async () => {
    const started = await waitFor('node-core started from all three nodes', () => {
      const l = tails.query({ text: 'node-core started', files: ['main'] })
      return new Set(l.map((x) => x.nodeId)).size === 3 && l
    })
    for (const l of started) {
      expect(l.level).toBe('info')
      expect(l.fields.node).toBe(cluster.nodes[l.nodeId - 1]!.address)
      expect(l.time).toBeGreaterThan(Date.now() - 60_000)
    }
    expect(tailed.count).toBeGreaterThan(0)
    const c = tails.stats().counters.find((x) => x.nodeId === 1 && x.file === 'main')
    expect(c?.lines).toBeGreaterThan(0)
  })

  it('log tails see the lines a config publish produces', async () => {
    const n = cluster.nodes[0]!
    const dataId = `tails-${seed}`
    expect(tails.query({ text: dataId })).toEqual([])
    const r = await http(n, 'POST', '/nacos/v1/cs/configs', `dataId=${dataId}&group=DEFAULT_GROUP&content=x`)
    expect(r).toEqual({ status: 200, text: 'true' })
    const lines = await waitFor('config lines naming the new key on every node', () => {
      const l = tails.query({ text: dataId, files: ['config'] })
      return new Set(l.map((x) => x.nodeId)).size === 3 && l
    })
    expect(lines.every((l) => l.level === 'info' && l.file === 'config')).toBe(true)
  })

  it('runs 200 ops/s against any node: ok, no fail, consistent final values, well-formed history', async () => {
    const stats: WorkloadStats[] = []
    const sunk: string[] = []
    const w = new Workload({ seed, onStats: (s) => stats.push(s), history: { sink: (l) => sunk.push(l) } })
    await leaderOf(cluster.nodes)
    w.start({ ratePerSec: 200, concurrency: 16, keys: 5, mix: { publish: 40, get: 40, register: 5, list: 15 }, timeoutMs: 3000 }, targetsOf(cluster.nodes))
    await windows(stats, 3)
    const totals = await w.stop()
    const ops = w.history.ops()
    const s = JSON.stringify(totals)
    expect(totals.ok, s).toBeGreaterThan(300)
    expect(totals.fail, s).toBe(0)
    expect(totals.unknown, s).toBe(0)
    // Open loop at 200/s for ~3 s: neither far below nor above the asked rate.
    expect(totals.ok + totals.skipped, s).toBeLessThan(200 * 6)
    expect(totals.byKind.publish.ok, s).toBeGreaterThan(0)
    expect(totals.byKind.register.ok, s).toBeGreaterThan(0)
    expect(stats.some((x) => x.byKind.get.p50 > 0 && x.byKind.get.p99 >= x.byKind.get.p50)).toBe(true)
    expect(historyProblems(ops)).toEqual([])
    expect(sunk).toHaveLength(ops.length)
    expect(new Set(ops.map((o) => o.node))).toEqual(new Set(['1', '2', '3']))
    // Reads saw only values that were written (or nothing yet).
    const written = new Set(ops.filter((o) => o.kind === 'write').map((o) => `${o.key}=${o.value}`))
    for (const r of ops.filter((o) => o.kind === 'read' && o.outcome === 'ok' && o.result !== null && o.result !== undefined)) {
      expect(written.has(`${r.key}=${r.result}`), `read ${r.id} returned ${r.result}`).toBe(true)
    }
    expect(await checkFinalValues(cluster.nodes, ops, 'DEFAULT_GROUP')).toBeGreaterThan(0)
  })

  it('routes writes to the leader and reads linearizably, switched live', async () => {
    const stats: WorkloadStats[] = []
    const w = new Workload({ seed: seed + 1, onStats: (s) => stats.push(s), leaderPollMs: 200 })
    const leader = await leaderOf(cluster.nodes)
    w.start({ ratePerSec: 200, concurrency: 16, keyPrefix: 'lead-', mix: { publish: 1, get: 1, register: 0, list: 0 } }, targetsOf(cluster.nodes))
    await waitFor('the workload to find the leader', () => w.leader === leader.id)
    const switchedAt = performance.timeOrigin + performance.now()
    w.update({ writeRouting: 'leader', readRouting: 'linearizable' })
    expect(w.currentSpec).toMatchObject({ writeRouting: 'leader', readRouting: 'linearizable', ratePerSec: 200 })
    await windows(stats, 2)
    const totals = await w.stop()
    expect(totals.fail, JSON.stringify(totals)).toBe(0)
    expect(totals.unknown, JSON.stringify(totals)).toBe(0)
    const after = w.history.ops().filter((o) => o.invokeAt > switchedAt)
    const writes = after.filter((o) => o.kind === 'write')
    expect(writes.length).toBeGreaterThan(50)
    expect(new Set(writes.map((o) => o.node))).toEqual(new Set([String(leader.id)]))
    expect(new Set(after.filter((o) => o.kind === 'read').map((o) => o.node)).size).toBeGreaterThan(1)
    expect(historyProblems(w.history.ops())).toEqual([])
    await checkFinalValues(cluster.nodes, w.history.ops(), 'DEFAULT_GROUP')
  })

  it('beats registered instances, and they are listed healthy on every node', async () => {
    const w = new Workload({ seed: seed + 2 })
    w.start(
      { ratePerSec: 20, concurrency: 2, services: 1, instancesPerService: 2, servicePrefix: `beat${seed}-`, mix: { publish: 0, get: 0, register: 1, list: 0 }, beatIntervalMs: 300 },
      targetsOf(cluster.nodes)
    )
    const q = `/nacos/v1/ns/instance/list?serviceName=DEFAULT_GROUP@@beat${seed}-0`
    const listed = async (n: NodeInfo): Promise<{ ip: string; healthy: boolean }[]> =>
      (JSON.parse((await http(n, 'GET', q)).text) as { hosts: { ip: string; healthy: boolean }[] }).hosts
    // Registers pick instances at random: wait until both exist everywhere.
    await waitFor('both instances listed on every node', async () => {
      const all = await Promise.all(cluster.nodes.map(listed))
      return all.every((hosts) => hosts.length === 2)
    })
    w.update({ mix: { register: 0, list: 1 } })
    await waitFor('beats answered by the server', () => w.totals().beats.ok >= 4)
    const totals = await w.stop()
    expect(totals.beats.lastClientBeatInterval).toBe(5000)
    expect(totals.fail + totals.unknown).toBe(0)
    for (const n of cluster.nodes) {
      const hosts = await listed(n)
      expect(hosts.map((h) => h.ip).sort()).toEqual(['10.88.0.1', '10.88.0.2'])
      expect(hosts.every((h) => h.healthy)).toBe(true)
    }
  })

  it('SIGKILL of the leader mid-run: some ops fail or are unknown, then ops succeed again after re-election', async () => {
    const stats: WorkloadStats[] = []
    const w = new Workload({ seed: seed + 3, onStats: (s) => stats.push(s), leaderPollMs: 200 })
    const leader = await leaderOf(cluster.nodes)
    w.start({ ratePerSec: 200, concurrency: 16, keyPrefix: 'crash-', mix: { publish: 2, get: 1, register: 0, list: 0 }, timeoutMs: 2000 }, targetsOf(cluster.nodes))
    await windows(stats, 1)
    expect(w.totals().ok).toBeGreaterThan(0)
    value(await fx.lab.handle('node.crash', { nodeId: leader.id }))
    // Taken once the process has exited: nothing invoked after it can have reached the node.
    const crashedAt = performance.timeOrigin + performance.now()
    await waitFor('failed or unknown ops after the crash', () => w.totals().fail + w.totals().unknown > 0)
    const survivors = cluster.nodes.filter((n) => n.id !== leader.id)
    const next = await leaderOf(survivors)
    expect(next.id).not.toBe(leader.id)
    const okBefore = w.history.ops().filter((o) => o.kind === 'write' && o.outcome === 'ok').length
    await waitFor('ok writes through the new leader', () => w.history.ops().filter((o) => o.kind === 'write' && o.outcome === 'ok').length > okBefore + 20, {
      timeoutMs: 15_000
    })
    // Ops sent to the dead node once it is gone are refused before sending: certain failures.
    const toDeadLater = (): HistoryOp[] => w.history.ops().filter((o) => o.node === String(leader.id) && o.invokeAt > crashedAt + 500 && o.completeAt !== undefined)
    await waitFor('ops sent to the dead node', () => toDeadLater().length >= 5)
    const totals = await w.stop()
    const ops = w.history.ops()
    expect(historyProblems(ops)).toEqual([])
    expect(ops.filter((o) => o.node === String(leader.id) && o.invokeAt > crashedAt).every((o) => o.outcome !== 'ok')).toBe(true)
    const toDead = toDeadLater()
    expect(toDead.every((o) => o.outcome === 'fail' && /ECONNREFUSED/.test(o.error ?? '')), JSON.stringify(toDead.slice(0, 3))).toBe(true)
    expect(totals.fail + totals.unknown).toBeGreaterThan(0)
    await checkFinalValues(survivors, ops, 'DEFAULT_GROUP')
  })
})

describe('workload against a local server that misbehaves', () => {
  it('holds at most `concurrency` ops, counts the rest as skipped, and calls timed-out writes unknown', async () => {
    const held: ServerResponse[] = []
    let open = 0
    let maxOpen = 0
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      held.push(res)
      if (!req.url?.startsWith('/nacos/v1/cs/configs')) return
      maxOpen = Math.max(maxOpen, ++open)
      res.on('close', () => open--)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const stats: WorkloadStats[] = []
    const w = new Workload({ seed, onStats: (s) => stats.push(s), statsIntervalMs: 200 })
    try {
      w.start({ ratePerSec: 100, concurrency: 2, timeoutMs: 400, mix: { publish: 1, get: 0, register: 0, list: 0 }, beatIntervalMs: 0 }, [
        { id: 'slow', baseUrl: `http://127.0.0.1:${port}` }
      ])
      await waitFor('skipped ops while both workers wait', () => w.totals().skipped >= 20)
      expect(maxOpen).toBe(2)
      await waitFor('timed-out writes', () => w.totals().unknown >= 2)
      const totals = await w.stop()
      expect(totals.ok).toBe(0)
      expect(totals.fail).toBe(0)
      // Not the server's count here: a timed-out request's socket close can reach the server
      // after that slot's next request, so the server may briefly see three. The client's own
      // count is the contract.
      expect(Math.max(...stats.map((s) => s.inFlight))).toBeLessThanOrEqual(2)
      const ops = w.history.ops()
      expect(ops.filter((o) => o.completeAt !== undefined).every((o) => o.outcome === 'unknown' && /TIMEOUT|ABORT/i.test(o.error ?? ''))).toBe(true)
      // After an unknown op, the slot continues as a new client (the old one may still act).
      expect(new Set(ops.map((o) => o.client)).size).toBeGreaterThan(2)
      expect(historyProblems(ops)).toEqual([])
    } finally {
      await w.stop()
      for (const r of held) r.destroy()
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
  })

  it('calls ops to a closed port certain failures, and runs closed-loop at rate 0', async () => {
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const deadPort = (probe.address() as AddressInfo).port
    await new Promise((r) => probe.close(r))
    const w = new Workload({ seed })
    w.start({ ratePerSec: 0, concurrency: 4, mix: { publish: 1, get: 1, register: 0, list: 0 }, beatIntervalMs: 0 }, [{ id: 9, baseUrl: `http://127.0.0.1:${deadPort}` }])
    await waitFor('many refused ops', () => w.totals().fail >= 200)
    const totals = await w.stop()
    expect(totals.ok + totals.unknown).toBe(0)
    expect(w.history.ops().every((o) => o.outcome === 'fail' && /ECONNREFUSED/.test(o.error ?? ''))).toBe(true)
    expect(() => w.update({ ratePerSec: 5 })).toThrow(/no workload is running/)
    expect(() => w.start({ ratePerSec: -1 }, [])).toThrow(/^ratePerSec:/)
  })
})
