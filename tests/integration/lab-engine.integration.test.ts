/**
 * The lab engine breaking a real cluster for real (issue 5): partitions through the link
 * proxies, one-way cuts, delay and drop, the merged event stream under load, metrics and
 * alerts. Every node is a real node-core process; every peer byte goes through a proxy.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { ClusterInfo, LabEvent, LinkInfo, NodeInfo, NodeRaftView } from '../../electron/lab/api'
import type { Lab } from '../../electron/lab/lab'
import { makeLab } from '../support/lab-fixture'
import { http, value } from '../support/node-http'
import { waitFor } from '../support/wait'

let dispose: (() => Promise<void>) | undefined
afterEach(async () => {
  await dispose?.()
  dispose = undefined
})

async function started(size: number): Promise<{ lab: Lab; events: LabEvent[]; cluster: ClusterInfo }> {
  const l = await makeLab()
  dispose = l.dispose
  value(await l.lab.handle('cluster.create', { size }))
  const cluster = value(await l.lab.handle('cluster.start', undefined))
  return { lab: l.lab, events: l.events, cluster }
}

const status = async (lab: Lab): Promise<NodeRaftView[]> => value(await lab.handle('cluster.status', undefined))
const links = async (lab: Lab): Promise<LinkInfo[]> => value(await lab.handle('link.list', undefined))
const link = (ls: LinkInfo[], from: number, to: number): LinkInfo => ls.find((l) => l.kind === 'peer' && l.from === from && l.to === to)!

/** The leader a majority of the given nodes agree on. */
async function leaderAmong(lab: Lab, ids: number[], timeoutMs = 10_000): Promise<NodeRaftView> {
  return waitFor(
    `a leader among nodes ${ids.join(',')}`,
    async () => {
      const vs = (await status(lab)).filter((v) => ids.includes(v.nodeId) && v.status)
      const leader = vs.find((v) => v.status!.role === 'leader')
      if (!leader) return undefined
      const agree = vs.filter((v) => v.status!.leader === leader.status!.address && v.status!.term === leader.status!.term).length
      return agree * 2 > ids.length ? leader : undefined
    },
    { timeoutMs }
  )
}

const publish = (n: NodeInfo, dataId: string, content: string): Promise<{ status: number; text: string }> =>
  http(n, 'POST', '/nacos/v1/cs/configs', `dataId=${dataId}&group=DEFAULT_GROUP&content=${encodeURIComponent(content)}`)

describe('lab engine on a real cluster', () => {
  it('3 + 2 split: the minority cannot elect and refuses writes, the majority carries on, and after the heal every acknowledged write is everywhere', async () => {
    const { lab, cluster } = await started(5)
    await leaderAmong(lab, [1, 2, 3, 4, 5])
    value(await lab.handle('link.preset', { preset: 'split', groups: [[1, 2, 3], [4, 5]] }))
    const majorityLeader = await leaderAmong(lab, [1, 2, 3])
    // The minority side: nobody there leads in the new term, and writes to it fail.
    await waitFor('the minority to have no leader it can reach', async () => {
      const vs = (await status(lab)).filter((v) => v.nodeId >= 4)
      return vs.every((v) => v.status && v.status.role !== 'leader')
    })
    const minority = cluster.nodes.find((n) => n.id === 4)!
    const refused = await publish(minority, 'split-k', 'from-minority')
    expect(refused.status).toBe(503)
    expect(refused.text).toMatch(/leader/i)
    // The majority keeps taking writes.
    const acked: string[] = []
    for (let i = 0; i < 20; i++) {
      const n = cluster.nodes[i % 3]!
      const r = await publish(n, `split-${i}`, `v${i}`)
      if (r.status === 200) acked.push(`split-${i}`)
    }
    expect(acked.length).toBe(20)
    expect(majorityLeader.nodeId).toBeLessThanOrEqual(3)
    value(await lab.handle('link.healAll', undefined))
    const leader = await leaderAmong(lab, [1, 2, 3, 4, 5])
    await waitFor('the minority to catch up', async () => {
      const vs = await status(lab)
      const commit = vs.find((v) => v.nodeId === leader.nodeId)!.status!.commit
      return vs.every((v) => v.status && v.status.applied >= commit)
    })
    for (const n of cluster.nodes) {
      for (const key of acked) {
        const r = await http(n, 'GET', `/nacos/v1/cs/configs?dataId=${key}&group=DEFAULT_GROUP`)
        expect(r.status, `${key} on node ${n.id}`).toBe(200)
      }
    }
  })

  it('an isolated leader steps down (CheckQuorum); a one-way cut stops exactly one direction', async () => {
    const { lab } = await started(3)
    const old = await leaderAmong(lab, [1, 2, 3])
    value(await lab.handle('link.preset', { preset: 'isolateLeader' }))
    const others = [1, 2, 3].filter((i) => i !== old.nodeId)
    const next = await leaderAmong(lab, others)
    expect(next.status!.term).toBeGreaterThan(old.status!.term)
    await waitFor('the isolated old leader to step down', async () => (await status(lab)).find((v) => v.nodeId === old.nodeId)?.status?.role !== 'leader')
    value(await lab.handle('link.healAll', undefined))
    const leader = await leaderAmong(lab, [1, 2, 3])

    // One-way: leader → follower cut, follower → leader open.
    const follower = [1, 2, 3].find((i) => i !== leader.nodeId)!
    value(await lab.handle('link.preset', { preset: 'oneWay', from: leader.nodeId, to: follower }))
    const before = await links(lab)
    await waitFor('frames to keep flowing follower → leader while leader → follower is held', async () => {
      const now = await links(lab)
      const back = link(now, follower, leader.nodeId).stats.passed - link(before, follower, leader.nodeId).stats.passed
      const fwd = link(now, leader.nodeId, follower).stats.passed - link(before, leader.nodeId, follower).stats.passed
      return back >= 5 && fwd === 0 && link(now, leader.nodeId, follower).stats.held > 0
    })
    expect(link(await links(lab), leader.nodeId, follower).fault.cut).toBe('blackhole')
    expect(link(await links(lab), follower, leader.nodeId).fault.cut).toBe('none')
  })

  it('delay raises the measured round trip; drop drops about the share asked for', async () => {
    const { lab, cluster } = await started(3)
    const leader = await leaderAmong(lab, [1, 2, 3])
    const follower = [1, 2, 3].find((i) => i !== leader.nodeId)!
    const leaderNode = cluster.nodes.find((n) => n.id === leader.nodeId)!
    const rtt = async (): Promise<{ sum: number; count: number }> => {
      const text = (await http(leaderNode, 'GET', '/nacos/actuator/prometheus')).text
      const addr = cluster.nodes.find((n) => n.id === follower)!.address
      const pick = (suffix: string): number => Number(new RegExp(`^raft_peer_round_trip_time_seconds_${suffix}\\{peer="${addr.replace(/\./g, '\\.')}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
      return { sum: pick('sum'), count: pick('count') }
    }
    const r0 = await waitFor('round trips measured', async () => {
      const r = await rtt()
      return r.count >= 5 ? r : undefined
    })
    // Below the 100 ms heartbeat interval: the metric times the first outstanding heartbeat, so a
    // one-way delay longer than the interval pairs a response with a later heartbeat.
    value(await lab.handle('link.set', { from: leader.nodeId, to: follower, fault: { delayMs: 70 } }))
    const r1 = await waitFor('a while of delayed heartbeats', async () => {
      const r = await rtt()
      return r.count - r0.count >= 8 ? r : undefined
    })
    // Measured after the change: the average round trip now carries the 70 ms.
    const r2 = await waitFor('more delayed round trips', async () => {
      const r = await rtt()
      return r.count - r1.count >= 5 ? r : undefined
    })
    const avgMs = ((r2.sum - r1.sum) / (r2.count - r1.count)) * 1000
    expect(avgMs).toBeGreaterThan(60)
    expect(avgMs).toBeLessThan(500)

    value(await lab.handle('link.set', { from: leader.nodeId, to: follower, fault: { dropPct: 50 } }))
    const s0 = link(await links(lab), leader.nodeId, follower).stats
    // Writes add appends to the heartbeats, so enough frames cross the link quickly.
    let i = 0
    const s1 = await waitFor('150 frames judged', async () => {
      await publish(leaderNode, `drop-${i}`, `v${i++}`)
      const s = link(await links(lab), leader.nodeId, follower).stats
      return s.passed + s.dropped - s0.passed - s0.dropped >= 150 ? s : undefined
    }, { timeoutMs: 30_000, intervalMs: 10 })
    const share = (s1.dropped - s0.dropped) / (s1.dropped - s0.dropped + s1.passed - s0.passed)
    // 50 % of ≥ 150 frames: these bounds are about 5 standard deviations wide.
    expect(share).toBeGreaterThan(0.3)
    expect(share).toBeLessThan(0.7)
  })

  it('streams Raft events in time order with no gaps under a workload, and metrics and alerts fire and resolve', async () => {
    const { lab, events, cluster } = await started(3)
    await leaderAmong(lab, [1, 2, 3])
    value(await lab.handle('workload.start', { ratePerSec: 1000, concurrency: 32, mix: { publish: 60, get: 40, register: 0, list: 0 } }))
    await waitFor('two seconds of workload', () => events.filter((e) => e.type === 'workload.stats').length >= 2)
    const w = value(await lab.handle('workload.stop', undefined))
    expect(w.totals.ok).toBeGreaterThan(500)
    const raft = events.filter((e) => e.type === 'raft')
    expect(raft.length).toBeGreaterThan(500)
    expect(events.filter((e) => e.type === 'trace.gap')).toEqual([])
    // Time order across nodes, and per node the sequence only grows.
    for (let i = 1; i < raft.length; i++) {
      const a = raft[i - 1]!
      const b = raft[i]!
      if (a.type === 'raft' && b.type === 'raft') {
        expect(b.nodeTs).toBeGreaterThanOrEqual(a.nodeTs)
        if (a.nodeId === b.nodeId) expect(b.nodeSeq).toBeGreaterThan(a.nodeSeq)
      }
    }
    // Metrics saw the writes.
    const samples = value(await lab.handle('metrics.get', {}))
    expect(samples.some((s) => (s.nodes.find((n) => n.isLeader)?.commit ?? 0) > 100)).toBe(true)
    expect(samples.some((s) => s.cluster.qps > 100)).toBe(true)
    // Two of three down: quorum lost fires, and resolves when they are back.
    value(await lab.handle('node.crash', { nodeId: cluster.nodes[0]!.id }))
    value(await lab.handle('node.crash', { nodeId: cluster.nodes[1]!.id }))
    await waitFor('quorum-lost to fire', () => events.some((e) => e.type === 'alert' && e.rule === 'quorum-lost' && e.state === 'firing'))
    value(await lab.handle('node.restart', { nodeId: cluster.nodes[0]!.id }))
    await waitFor('quorum-lost to resolve', () => events.some((e) => e.type === 'alert' && e.rule === 'quorum-lost' && e.state === 'resolved'))
  })
})
