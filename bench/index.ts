// `npm run bench`: figures for this machine, written as JSON and Markdown to bench/results/.
// Parts (BENCH_ONLY=cluster,raft,wal picks some; all by default), each over several rounds:
//   cluster  node-core cold start (spawn → answering), cluster create + start for 3 and 5 nodes,
//            crash detection (SIGKILL → the lab's node.exited event); needs `npm run build`
//   raft     the Raft core in process: proposals/s and election ticks (bench/raft.ts)
//   wal      durable storage: synced 64-byte appends/s with group commit, fsync latency (bench/wal.ts)
//   server   node-core over HTTP on a real 3-node cluster: publish/register/read throughput, failover,
//            rejoin, long-poll fan-out, RSS (bench/server.ts; BENCH_SERVER_* sizes); needs `npm run build`
//   checker  the linearizability checker on synthetic histories (bench/checker.ts)
//   metrics  parse + derive + alerts per scrape of 5 busy nodes (bench/metrics.ts)
//   lab      the lab engine: proxy overhead, event stream throughput and CPU, idle lab CPU (bench/lab-engine.ts)
//   drill    a built-in drill's report on disk after its last step (bench/drill-report.ts; BENCH_DRILLS)
//   ui       the renderer in Chromium: timeline frame rate and JS heap under load, crash-to-screen latency (bench/ui.ts;
//            BENCH_UI_MINUTES, default 3)
// Every report states the machine and its load average when the run started.
// QUORUM_LAB_NODE_FLAGS adds V8 flags to every node the lab starts, e.g. to profile the nodes under
// a part: QUORUM_LAB_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' BENCH_ONLY=server ...
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { loadavg, cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { LabEvent } from '../electron/lab/api'
import { Lab } from '../electron/lab/lab'
import { raftMarkdown, raftSummaryRows, runRaftBench, type RaftBenchReport } from './raft'
import { benchChecker } from './checker'
import { figuresMarkdown, type FigureRow } from './figures'
import { benchLabEngine } from './lab-engine'
import { benchMetrics } from './metrics'
import { benchUi } from './ui'
import { benchDrillReport } from './drill-report'
import { runServerBench, serverMarkdown, type ServerBenchReport } from './server'
import { summarize, type Summary } from './stats'
import { benchWal, type BenchRow } from './wal'

const root = resolve(import.meta.dirname, '..')
const nodeCoreScript = join(root, 'out/node-core/index.cjs')
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const PARTS = ['cluster', 'raft', 'wal', 'server', 'checker', 'metrics', 'lab', 'drill', 'ui'] as const
type Part = (typeof PARTS)[number]
const chosen = (process.env.BENCH_ONLY ?? PARTS.join(',')).split(',').map((x) => x.trim())
for (const p of chosen) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_ONLY: unknown part "${p}" (parts: ${PARTS.join(', ')})`)
const runs = (p: Part): boolean => chosen.includes(p)

interface Report {
  when: string
  machine: { cpus: number; cpuModel: string; loadAvgBefore: string; node: string }
  parts: string[]
  rounds: number
  /** One row per measure with samples. */
  results: Record<string, Summary>
  raft?: RaftBenchReport
  wal?: BenchRow[]
  server?: ServerBenchReport
  /** Lab engine figures by part (checker, ...). */
  figures?: Record<string, FigureRow[]>
}

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
  const outDir = join(root, 'bench/results')
  const results: Record<string, Summary> = {}

  if (runs('cluster')) {
    const three = await timeClusterStart(3)
    const five = await timeClusterStart(5)
    results['node-core cold start (spawn → answering), ms'] = summarize([...three.nodeReadyMs, ...five.nodeReadyMs])
    results['3-node cluster create + start, ms'] = summarize(three.startMs)
    results['5-node cluster create + start, ms'] = summarize(five.startMs)
    results['crash (SIGKILL → node.exited), ms'] = summarize([...three.crashDetectMs, ...five.crashDetectMs])
  }
  let raft: RaftBenchReport | undefined
  if (runs('raft')) {
    raft = await runRaftBench({ rounds: Number(process.env.BENCH_RAFT_ROUNDS ?? 5) })
    Object.assign(results, raftSummaryRows(raft))
  }
  const wal = runs('wal') ? await benchWal() : undefined
  const server = runs('server') ? await runServerBench({ nodeCoreScript }) : undefined
  const figures: Record<string, FigureRow[]> = {}
  if (runs('checker')) figures['Linearizability checker'] = await benchChecker()
  if (runs('metrics')) {
    const m = await benchMetrics()
    figures['Metrics scraping'] = Object.entries(m).map(([name, value]) => ({ name, value: Math.round(value * 100) / 100, unit: name.endsWith('Ms') || name.includes('ms') ? 'ms' : '', load: Math.round(loadavg()[0]! * 100) / 100 }))
  }
  if (runs('lab')) figures['Lab engine'] = await benchLabEngine(nodeCoreScript)
  if (runs('drill')) figures['Drill reports'] = await benchDrillReport(nodeCoreScript)
  if (runs('ui')) figures['Renderer (Chromium, web mode)'] = await benchUi(nodeCoreScript)

  const report: Report = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAvgBefore: load, node: process.version },
    parts: chosen,
    rounds,
    results,
    ...(raft ? { raft } : {}),
    ...(wal ? { wal } : {}),
    ...(server ? { server } : {}),
    ...(Object.keys(figures).length ? { figures } : {})
  }
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
  const md = [
    `# Quorum Lab benchmarks`,
    '',
    `${report.when} · ${report.machine.cpus} × ${report.machine.cpuModel} · load ${load} · Node ${process.version} · parts: ${chosen.join(', ')}`,
    '',
    ...(Object.keys(results).length > 0
      ? [
          '| measure | n | min | p50 | p90 | max | mean |',
          '|---|---|---|---|---|---|---|',
          ...Object.entries(results).map(([k, s]) => `| ${k} | ${s.n} | ${s.min} | ${s.p50} | ${s.p90} | ${s.max} | ${s.mean} |`),
          ''
        ]
      : []),
    ...(raft ? [raftMarkdown(raft)] : []),
    ...(wal ? ['## Durable storage (WAL)', '', '| measure | value | unit |', '|---|---|---|', ...wal.map((r) => `| ${r.name} | ${r.value} | ${r.unit} |`), ''] : []),
    ...(server ? [serverMarkdown(server)] : []),
    ...Object.entries(figures).map(([title, rows]) => figuresMarkdown(title, rows))
  ].join('\n')
  await writeFile(join(outDir, 'latest.md'), md)
  process.stdout.write(`${md}\nwritten: bench/results/latest.json, bench/results/latest.md\n`)
}

void main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
