// `npm run bench`: lab start-up figures on this machine, written as JSON and Markdown to
// bench/results/. What it measures, each over several rounds on loopback:
//   - node-core cold start: spawn → first answer on /nacos/v1/ns/operator/metrics
//   - cluster start: Lab cluster.create + cluster.start for 3 and 5 nodes (all nodes answering)
//   - crash detection: SIGKILL sent → the lab's node.exited event
// and, in process (bench/raft.ts), the Raft core's throughput and election figures.
//
// BENCH_ONLY=raft runs only the Raft core part (no build needed: `BENCH_ONLY=raft npx tsx
// bench/index.ts`); BENCH_ONLY=cluster only the process part. The part not run keeps its figures
// from the previous latest.json, marked with the time they were taken.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { loadavg, cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { LabEvent } from '../electron/lab/api'
import { Lab } from '../electron/lab/lab'
import { raftMarkdown, raftSummaryRows, runRaftBench, type RaftBenchReport } from './raft'
import { summarize, type Summary } from './stats'

const root = resolve(import.meta.dirname, '..')
const nodeCoreScript = join(root, 'out/node-core/index.cjs')
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const only = process.env.BENCH_ONLY ?? ''
if (only !== '' && only !== 'raft' && only !== 'cluster') throw new Error(`BENCH_ONLY must be raft or cluster, not ${only}`)

interface Report {
  when: string
  machine: { cpus: number; cpuModel: string; loadAvgBefore: string; node: string }
  rounds: number
  /** One row per measure; the cluster rows, then the raft rows (see bench/raft.ts). */
  results: Record<string, Summary>
  /** When the rows of a part not run this time were measured (BENCH_ONLY). */
  carriedOver?: { cluster?: string; raft?: string }
  raft?: RaftBenchReport
}

const isRaftRow = (k: string): boolean => k.startsWith('raft ')

async function previousReport(path: string): Promise<Report | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Report
  } catch {
    return undefined
  }
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
  const prev = await previousReport(join(outDir, 'latest.json'))
  const when = new Date().toISOString()
  const results: Record<string, Summary> = {}
  const carriedOver: NonNullable<Report['carriedOver']> = {}

  if (only !== 'raft') {
    const three = await timeClusterStart(3)
    const five = await timeClusterStart(5)
    results['node-core cold start (spawn → answering), ms'] = summarize([...three.nodeReadyMs, ...five.nodeReadyMs])
    results['3-node cluster create + start, ms'] = summarize(three.startMs)
    results['5-node cluster create + start, ms'] = summarize(five.startMs)
    results['crash (SIGKILL → node.exited), ms'] = summarize([...three.crashDetectMs, ...five.crashDetectMs])
  } else if (prev) {
    for (const [k, v] of Object.entries(prev.results)) if (!isRaftRow(k)) results[k] = v
    carriedOver.cluster = prev.carriedOver?.cluster ?? prev.when
  }

  let raft: RaftBenchReport | undefined
  if (only !== 'cluster') {
    raft = await runRaftBench({ rounds: Number(process.env.BENCH_RAFT_ROUNDS ?? 5) })
    Object.assign(results, raftSummaryRows(raft))
  } else if (prev?.raft) {
    raft = prev.raft
    for (const [k, v] of Object.entries(prev.results)) if (isRaftRow(k)) results[k] = v
    carriedOver.raft = prev.carriedOver?.raft ?? prev.when
  }

  const report: Report = {
    when,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAvgBefore: load, node: process.version },
    rounds,
    results,
    ...(Object.keys(carriedOver).length > 0 ? { carriedOver } : {}),
    ...(raft ? { raft } : {})
  }
  await mkdir(outDir, { recursive: true })
  await writeFile(join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
  const md = [
    `# Quorum Lab benchmarks`,
    '',
    `${report.when} · ${report.machine.cpus} × ${report.machine.cpuModel} · load ${load} · Node ${process.version} · ${rounds} rounds`,
    ...(carriedOver.cluster ? ['', `Process figures carried over from ${carriedOver.cluster} (this run: BENCH_ONLY=raft).`] : []),
    ...(carriedOver.raft ? ['', `Raft core figures carried over from ${carriedOver.raft} (this run: BENCH_ONLY=cluster).`] : []),
    '',
    '| measure | n | min | p50 | p90 | max | mean |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(results).map(([k, s]) => `| ${k} | ${s.n} | ${s.min} | ${s.p50} | ${s.p90} | ${s.max} | ${s.mean} |`),
    '',
    ...(raft ? [raftMarkdown(raft)] : [])
  ].join('\n')
  await writeFile(join(outDir, 'latest.md'), md)
  process.stdout.write(`${md}\nwritten: bench/results/latest.json, bench/results/latest.md\n`)
}

void main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
