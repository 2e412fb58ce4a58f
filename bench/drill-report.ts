// `BENCH_ONLY=drill`: how soon a drill's report is on disk after the drill's last step (issue 7:
// within 3 s). A built-in drill runs on a real 3-node cluster in this process; measured from the
// last step's end (the drill's end, as a person watching it sees it) to the three report files
// written: final reads of every key, the checker, stopping the cluster and rendering included.
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import { runDrill } from '../electron/lab/drills/drill-runner'
import { parseDrillScript } from '../electron/lab/drills/drill-script'
import { Lab } from '../electron/lab/lab'
import { writeReports } from '../electron/lab/report/report-files'
import type { FigureRow } from './figures'

const root = resolve(import.meta.dirname, '..')
const load = (): number => Math.round(loadavg()[0]! * 100) / 100

export async function benchDrillReport(nodeCoreScript: string): Promise<FigureRow[]> {
  const names = (process.env.BENCH_DRILLS ?? 'leader-crash,flaky-network').split(',')
  const rows: FigureRow[] = []
  for (const name of names) {
    const file = join(root, 'resources/drills', `${name}.yaml`)
    const script = parseDrillScript(readFileSync(file, 'utf8'), file)
    const dataRoot = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-drill-'))
    const lab = new Lab({ dataRoot, nodeCoreScript, host: 'cli', version: 'bench' })
    try {
      const result = await runDrill({ lab, script })
      const r0 = performance.now()
      await writeReports(join(dataRoot, 'report'), result, 'en')
      const renderMs = performance.now() - r0
      const lastStepEnd = result.steps.at(-1)?.endedAt ?? result.endedAt
      const afterEnd = Date.now() - lastStepEnd
      rows.push({
        name: `${name}: last step → report on disk (final reads, checker, stop, render)`,
        value: afterEnd,
        unit: 'ms',
        target: '≤ 3000',
        pass: afterEnd <= 3000,
        load: load(),
        note: `render + write ${Math.round(renderMs)} ms, ${result.measurements.totals.ok} ok ops, verdict ${result.verdict}`
      })
    } finally {
      await lab.shutdown()
      await rm(dataRoot, { recursive: true, force: true })
    }
  }
  return rows
}
