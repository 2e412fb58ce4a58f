// `BENCH_ONLY=lab`: the lab engine's own figures (issue 5):
//   - proxy overhead on the write path: 3 nodes, 64 closed-loop clients publishing, through the
//     link proxies (peer and client) vs direct (routing files removed, node ports dialed), in
//     alternating rounds (BENCH_LAB_PROXY_ROUNDS, 3);
//   - the event stream: synthetic Raft trace batches of 5 nodes through merge → bus → recorder,
//     saturated (capacity) and offered at 20,000 events/s (the lab's CPU while carrying them);
//   - the lab's own CPU with 5 real nodes idle at the seed profile (followers, scraper, tails, recorder).
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Result } from '../electron/lab/api'
import { EventBus } from '../electron/lab/events/event-bus'
import { Recorder } from '../electron/lab/events/recorder'
import { TraceMerger } from '../electron/lab/events/trace-merger'
import { Lab } from '../electron/lab/lab'
import type { WorkloadTarget } from '../electron/lab/workload/workload'
import type { TraceRecord } from '../node-core/src/protocol/admin'
import type { FigureRow } from './figures'

const load = (): number => Math.round(loadavg()[0]! * 100) / 100
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
function v<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

async function publishRate(lab: Lab, seconds: number, targets?: WorkloadTarget[]): Promise<number> {
  v(await lab.handle('workload.start', { ratePerSec: 0, concurrency: 64, mix: { publish: 100, get: 0, register: 0, list: 0 }, keys: 1000, beatIntervalMs: 0 }))
  if (targets) lab.workload.setTargets(targets)
  await sleep(1000)
  const t0 = lab.workload.totals().ok
  const start = performance.now()
  await sleep(seconds * 1000)
  const ok = lab.workload.totals().ok - t0
  const elapsed = (performance.now() - start) / 1000
  v(await lab.handle('workload.stop', undefined))
  return Math.round(ok / elapsed)
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2)
}

export async function benchLabEngine(nodeCoreScript: string): Promise<FigureRow[]> {
  const rows: FigureRow[] = []
  const seconds = Number(process.env.BENCH_LAB_SECONDS ?? 5)

  // 1. Proxy overhead: rounds alternate proxied and direct on the same cluster (so a busy
  //    neighbour on this shared machine hits both sides alike); the figure compares medians.
  {
    const dataRoot = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-lab-'))
    const lab = new Lab({ dataRoot, nodeCoreScript, host: 'cli', version: 'bench' })
    const rounds = Number(process.env.BENCH_LAB_PROXY_ROUNDS ?? 3)
    try {
      v(await lab.handle('cluster.create', { size: 3 }))
      const c = v(await lab.handle('cluster.start', undefined))
      await sleep(1000)
      const routing = c.nodes.map((n) => ({ file: join(n.home, 'conf', 'routing.json'), text: readFileSync(join(n.home, 'conf', 'routing.json'), 'utf8') }))
      const proxied: number[] = []
      const direct: number[] = []
      for (let r = 0; r < rounds; r++) {
        // Proxied: the lab's routing files in place, clients on the client proxies.
        for (const x of routing) writeFileSync(x.file, x.text)
        await sleep(2500) // node-core re-reads its routing file within a second and reconnects
        proxied.push(await publishRate(lab, seconds))
        // Direct: nodes dial each other (no routing file) and clients the nodes' own ports.
        for (const x of routing) rmSync(x.file, { force: true })
        await sleep(2500)
        direct.push(await publishRate(lab, seconds, c.nodes.map((n) => ({ id: n.id, baseUrl: `http://${n.host}:${n.httpPort}` }))))
      }
      const p = median(proxied)
      const d = median(direct)
      const loss = d > 0 ? Math.round(((d - p) / d) * 1000) / 10 : 0
      rows.push({ name: 'publish through proxies (3 nodes, 64 clients), median', value: p, unit: 'ops/s', load: load(), note: `rounds ${proxied.join(', ')}` })
      rows.push({ name: 'publish direct (same cluster, routing files removed), median', value: d, unit: 'ops/s', load: load(), note: `rounds ${direct.join(', ')}` })
      rows.push({ name: 'proxy overhead on the write path', value: loss, unit: '% throughput lost', target: '≤ 15', pass: loss <= 15, load: load() })
    } finally {
      await lab.shutdown()
      await rm(dataRoot, { recursive: true, force: true })
    }
  }

  // 2. Event stream: the same pipeline twice. Offered at 20,000 events/s (does it keep up, at what
  //    CPU), then saturated (events pushed back to back, yielding each batch): its capacity.
  {
    const offered = await eventStream(seconds, 20_000)
    const saturated = await eventStream(seconds, 0)
    rows.push({
      name: 'event stream capacity: 5 nodes\' trace batches through merge → bus → recorder, saturated',
      value: saturated.perSec,
      unit: 'events/s',
      target: '≥ 20000',
      pass: saturated.perSec >= 20_000 && saturated.delivered === saturated.pushed,
      load: load(),
      note: `${saturated.delivered}/${saturated.pushed} delivered to a subscriber and recorded; lab CPU ${saturated.cpuPct} % of one core`
    })
    rows.push({
      name: 'event stream at 20000 events/s offered: lab CPU',
      value: offered.cpuPct,
      unit: '% of one core',
      target: '≤ 25',
      pass: offered.cpuPct <= 25 && offered.delivered === offered.pushed,
      load: load(),
      note: `carried ${offered.perSec} events/s; ${offered.delivered}/${offered.pushed} delivered`
    })
  }

  // 3. The lab's own CPU with 5 nodes idle (seed profile).
  {
    const dataRoot = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-idle-'))
    const lab = new Lab({ dataRoot, nodeCoreScript, host: 'cli', version: 'bench' })
    let events = 0
    const off = lab.subscribe((b) => (events += b.length))
    try {
      v(await lab.handle('cluster.create', { size: 5 }))
      v(await lab.handle('cluster.start', undefined))
      await sleep(2000)
      const e0 = events
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      await sleep(seconds * 2000)
      const cpu = process.cpuUsage(cpu0)
      const elapsed = performance.now() - t0
      const pct = Math.round(((cpu.user + cpu.system) / 1000 / elapsed) * 1000) / 10
      rows.push({ name: 'lab CPU, 5 nodes idle at the seed profile (followers, scraper, tails, recorder, bus)', value: pct, unit: '% of one core', target: '≤ 25', pass: pct <= 25, load: load(), note: `${Math.round(((events - e0) / elapsed) * 1000)} UI events/s` })
    } finally {
      off()
      await lab.shutdown()
      await rm(dataRoot, { recursive: true, force: true })
    }
  }
  return rows
}

/**
 * Synthetic MsgApp trace batches of 5 nodes through TraceMerger → EventBus → Recorder, the path
 * node trace events take in the lab. `rate` events/s in 10 ms ticks, or 0 for as fast as it goes
 * (one 1,000-event round per macrotask so timers and the recorder's writes still run).
 */
async function eventStream(seconds: number, rate: number): Promise<{ perSec: number; pushed: number; delivered: number; cpuPct: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-ev-'))
  const bus = new EventBus()
  let delivered = 0
  const off = bus.subscribe((b) => (delivered += b.length), { flushMs: 50, maxQueue: 100_000 })
  const rec = new Recorder(dir, { runId: 'bench', startedAt: Date.now(), labVersion: 'bench', nodeVersion: process.version, cluster: null })
  const merger = new TraceMerger(100)
  const perRound = rate > 0 ? rate / 100 : 1000
  const seq = [0, 0, 0, 0, 0]
  let pushed = 0
  const carry = (out: ReturnType<TraceMerger['drain']>): void => {
    rec.writeMany('events', out)
    for (const e of out) {
      const { at: _at, ...body } = e
      bus.publish(body)
    }
  }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  while (performance.now() - t0 < seconds * 1000) {
    const tick = performance.now()
    const now = Date.now()
    for (let n = 0; n < 5; n++) {
      const batch: TraceRecord[] = []
      for (let i = 0; i < perRound / 5; i++) batch.push({ seq: ++seq[n]!, ts: now, event: { type: 'msgSent', node: n + 1, to: ((n + 1) % 5) + 1, msg: 'MsgApp', term: 3, index: seq[n]!, entries: 1, reject: false } })
      merger.push(n + 1, batch, 0, now)
      pushed += batch.length
    }
    carry(merger.drain(now))
    if (rate > 0) await sleep(Math.max(0, 10 - (performance.now() - tick)))
    else await new Promise<void>((r) => setImmediate(r))
  }
  // What the reorder window still holds is part of the run: drain it, then flush the bus.
  carry(merger.drain(Date.now(), true))
  bus.flushAll()
  const elapsed = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  off()
  await rec.close()
  await rm(dir, { recursive: true, force: true })
  return { perSec: Math.round(pushed / elapsed), pushed, delivered, cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 1000) / 10 }
}
