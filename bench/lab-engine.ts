// `BENCH_ONLY=lab`: the lab engine's own figures (issue 5):
//   - proxy overhead on the write path: 3 nodes, 64 closed-loop clients publishing, through the
//     link proxies (peer and client) vs direct (routing files removed, node ports dialed);
//   - the event stream: synthetic Raft trace batches of 5 nodes through merge → bus → recorder;
//   - the lab's own CPU with 5 real nodes idle at the seed profile (followers, scraper, tails, recorder).
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Result } from '../electron/lab/api'
import { EventBus } from '../electron/lab/events/event-bus'
import { Recorder } from '../electron/lab/events/recorder'
import { TraceMerger } from '../electron/lab/events/trace-merger'
import { Lab } from '../electron/lab/lab'
import type { TraceRecord } from '../node-core/src/protocol/admin'
import type { FigureRow } from './figures'

const load = (): number => Math.round(loadavg()[0]! * 100) / 100
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
function v<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

async function publishRate(lab: Lab, seconds: number): Promise<number> {
  v(await lab.handle('workload.start', { ratePerSec: 0, concurrency: 64, mix: { publish: 100, get: 0, register: 0, list: 0 }, keys: 1000, beatIntervalMs: 0 }))
  await sleep(1000)
  const t0 = lab.workload.totals().ok
  const start = performance.now()
  await sleep(seconds * 1000)
  const ok = lab.workload.totals().ok - t0
  const elapsed = (performance.now() - start) / 1000
  v(await lab.handle('workload.stop', undefined))
  return Math.round(ok / elapsed)
}

export async function benchLabEngine(nodeCoreScript: string): Promise<FigureRow[]> {
  const rows: FigureRow[] = []
  const seconds = Number(process.env.BENCH_LAB_SECONDS ?? 5)

  // 1. Proxy overhead.
  {
    const dataRoot = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-lab-'))
    const lab = new Lab({ dataRoot, nodeCoreScript, host: 'cli', version: 'bench' })
    try {
      v(await lab.handle('cluster.create', { size: 3 }))
      const c = v(await lab.handle('cluster.start', undefined))
      await sleep(1000)
      const proxied = await publishRate(lab, seconds)
      // Direct: nodes dial each other (no routing file) and clients the nodes' own ports.
      for (const n of c.nodes) rmSync(join(n.home, 'conf', 'routing.json'), { force: true })
      await sleep(2500) // node-core re-reads the routing file within a second and reconnects
      const direct = await (async () => {
        v(await lab.handle('workload.start', { ratePerSec: 0, concurrency: 64, mix: { publish: 100, get: 0, register: 0, list: 0 }, keys: 1000, beatIntervalMs: 0 }))
        lab.workload.setTargets(c.nodes.map((n) => ({ id: n.id, baseUrl: `http://${n.host}:${n.httpPort}` })))
        await sleep(1000)
        const t0 = lab.workload.totals().ok
        const start = performance.now()
        await sleep(seconds * 1000)
        const ok = lab.workload.totals().ok - t0
        const r = Math.round(ok / ((performance.now() - start) / 1000))
        v(await lab.handle('workload.stop', undefined))
        return r
      })()
      const loss = direct > 0 ? Math.round(((direct - proxied) / direct) * 1000) / 10 : 0
      rows.push({ name: 'publish through proxies (3 nodes, 64 clients)', value: proxied, unit: 'ops/s', load: load() })
      rows.push({ name: 'publish direct (same cluster, routing files removed)', value: direct, unit: 'ops/s', load: load() })
      rows.push({ name: 'proxy overhead on the write path', value: loss, unit: '% throughput lost', target: '≤ 15', pass: loss <= 15, load: load() })
    } finally {
      await lab.shutdown()
      await rm(dataRoot, { recursive: true, force: true })
    }
  }

  // 2. Event stream throughput and CPU: 20,000 events/s from 5 nodes for `seconds`.
  {
    const dir = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-ev-'))
    const bus = new EventBus()
    let delivered = 0
    const off = bus.subscribe((b) => (delivered += b.length), { flushMs: 50, maxQueue: 100_000 })
    const rec = new Recorder(dir, { runId: 'bench', startedAt: Date.now(), labVersion: 'bench', nodeVersion: process.version, cluster: null })
    const merger = new TraceMerger(100)
    const rate = 20_000
    const seq = [0, 0, 0, 0, 0]
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    let pushed = 0
    while (performance.now() - t0 < seconds * 1000) {
      const tick = performance.now()
      // One 10 ms tick: rate/100 events spread over 5 nodes.
      const now = Date.now()
      for (let n = 0; n < 5; n++) {
        const batch: TraceRecord[] = []
        for (let i = 0; i < rate / 100 / 5; i++) batch.push({ seq: ++seq[n]!, ts: now, event: { type: 'msgSent', node: n + 1, to: ((n + 1) % 5) + 1, msg: 'MsgApp', term: 3, index: seq[n]!, entries: 1, reject: false } })
        merger.push(n + 1, batch, 0, now)
        pushed += batch.length
      }
      const out = merger.drain(now)
      rec.writeMany('events', out)
      for (const e of out) {
        const { at: _at, ...body } = e
        bus.publish(body)
      }
      const spent = performance.now() - tick
      await sleep(Math.max(0, 10 - spent))
    }
    const elapsed = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    bus.flushAll()
    off()
    await rec.close()
    await rm(dir, { recursive: true, force: true })
    const cpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 1000) / 10
    rows.push({ name: 'event stream: trace events through merge → bus → recorder', value: Math.round(pushed / elapsed), unit: 'events/s', target: '≥ 20000', pass: pushed / elapsed >= 19_000, load: load(), note: `${delivered} delivered to a subscriber` })
    rows.push({ name: 'event stream: lab CPU while carrying them', value: cpuPct, unit: '% of one core', load: load() })
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
