// `npm run bench`: lab start-up figures on this machine, written as JSON and Markdown to
// bench/results/. What it measures, each over several rounds on loopback:
//   - node-core cold start: spawn → first answer on /nacos/v1/ns/operator/metrics
//   - cluster start: Lab cluster.create + cluster.start for 3 and 5 nodes (all nodes answering)
//   - crash detection: SIGKILL sent → the lab's node.exited event
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { loadavg, cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { LabEvent } from '../electron/lab/api'
import { Lab } from '../electron/lab/lab'
import { summarize, type Summary } from './stats'

const root = resolve(import.meta.dirname, '..')
const nodeCoreScript = join(root, 'out/node-core/index.cjs')
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)

async function timeClusterStart(size: number): Promise<{ startMs: number[]; crashDetectMs: number[]; nodeReadyMs: number[] }> {
  const startMs: number[] = []
  const crashDetectMs: number[] = []
  const nodeReadyMs: number[] = []
  for (let i = 0; i < rounds; i++) {
    const dataRoot = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-'))
    const lab = new Lab({ dataRoot, nodeCoreScript, host: 'cli', version: 'bench' })
    const events: LabEvent[] = []
    lab.bus.subscribe((b) => events.push(...b), { flushMs: 1 })
    try {
      const t0 = performance.now()
      const c = await lab.handle('cluster.create', { size })
      const s = await lab.handle('cluster.start', undefined)
      if (!c.ok || !s.ok) throw new Error(`start failed: ${JSON.stringify(c.ok ? s : c)}`)
      startMs.push(performance.now() - t0)
      lab.bus.flushAll()
      for (const e of events) if (e.type === 'node.ready') nodeReadyMs.push(e.readyMs)
      const t1 = performance.now()
      await lab.handle('node.crash', { nodeId: 1 })
      crashDetectMs.push(performance.now() - t1)
    } finally {
      await lab.shutdown()
      await rm(dataRoot, { recursive: true, force: true })
    }
  }
  return { startMs, crashDetectMs, nodeReadyMs }
}

async function main(): Promise<void> {
  const load = loadavg().map((x) => x.toFixed(2)).join(' ')
  const three = await timeClusterStart(3)
  const five = await timeClusterStart(5)
  const results: Record<string, Summary> = {
    'node-core cold start (spawn → answering), ms': summarize([...three.nodeReadyMs, ...five.nodeReadyMs]),
    '3-node cluster create + start, ms': summarize(three.startMs),
    '5-node cluster create + start, ms': summarize(five.startMs),
    'crash (SIGKILL → node.exited), ms': summarize([...three.crashDetectMs, ...five.crashDetectMs])
  }
  const report = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAvgBefore: load, node: process.version },
    rounds,
    results
  }
  const outDir = join(root, 'bench/results')
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
  const md = [
    `# Quorum Lab benchmarks`,
    '',
    `${report.when} · ${report.machine.cpus} × ${report.machine.cpuModel} · load ${load} · Node ${process.version} · ${rounds} rounds`,
    '',
    '| measure | n | min | p50 | p90 | max | mean |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(results).map(([k, s]) => `| ${k} | ${s.n} | ${s.min} | ${s.p50} | ${s.p90} | ${s.max} | ${s.mean} |`),
    ''
  ].join('\n')
  await writeFile(join(outDir, 'latest.md'), md)
  process.stdout.write(`${md}\nwritten: bench/results/latest.json, bench/results/latest.md\n`)
}

void main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
