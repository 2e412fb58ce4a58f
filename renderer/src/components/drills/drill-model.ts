/**
 * Pure helpers of the drills view: how drills are grouped, how a progress line reads, elapsed
 * time, the names of exported files. No Vue, no DOM: unit-tested on their own.
 */
import type { DrillInfo, ReportSummary } from '../../../../electron/lab/api'

/** The drill groups, in the order the view shows them: the seed's emergency plans first. */
export const DRILL_GROUPS = ['plans', 'partitions', 'process', 'operations', 'consistency', 'other'] as const
export type DrillGroup = (typeof DRILL_GROUPS)[number]

/** The built-ins by name; a drill not named here falls back on its seed text, then "other". */
const GROUP_OF: Readonly<Record<string, DrillGroup>> = {
  'leader-crash': 'plans',
  'whole-cluster-restart': 'plans',
  'external-database': 'plans',
  'minority-partition': 'partitions',
  'split-brain-3-2': 'partitions',
  'isolated-leader': 'partitions',
  'one-way-partition': 'partitions',
  'flaky-network': 'partitions',
  'follower-crash': 'process',
  'paused-leader': 'process',
  'disk-wipe': 'process',
  'rolling-restart': 'operations',
  'scale-out-in': 'operations',
  'leadership-transfer': 'operations',
  'stale-read': 'consistency',
  'stale-read-linearizable': 'consistency'
}

/** The number of the seed's emergency plan (§8.4 预案N) a drill rehearses, or null. */
export function planNumber(d: Pick<DrillInfo, 'seed'>): number | null {
  const m = /预案\s*(\d+)/.exec(d.seed ?? '')
  return m ? Number(m[1]) : null
}

export function groupOf(d: Pick<DrillInfo, 'name' | 'seed'>): DrillGroup {
  if (planNumber(d) !== null) return 'plans'
  return GROUP_OF[d.name] ?? 'other'
}

export interface DrillSection {
  group: DrillGroup
  drills: DrillInfo[]
}

/** Drills by group in `DRILL_GROUPS` order (empty groups left out); plans by number, the rest as listed. */
export function groupDrills(drills: readonly DrillInfo[]): DrillSection[] {
  const by = new Map<DrillGroup, DrillInfo[]>()
  for (const d of drills) {
    const g = groupOf(d)
    by.set(g, [...(by.get(g) ?? []), d])
  }
  const plans = by.get('plans')
  plans?.sort((a, b) => (planNumber(a) ?? 99) - (planNumber(b) ?? 99))
  return DRILL_GROUPS.filter((g) => by.has(g)).map((group) => ({ group, drills: by.get(group)! }))
}

export type ProgressKind = 'setup' | 'step' | 'failed' | 'check' | 'verdict' | 'info'

export interface ProgressLine {
  /** Wall-clock ms the engine published it (the replay clock's time base too). */
  at: number
  text: string
  kind: ProgressKind
  /** For steps: "3/7". */
  step?: { index: number; total: number }
  /** For the verdict line. */
  verdict?: 'pass' | 'fail' | 'not-applicable'
}

/** Read one line of the drill runner's progress (`step 3/7: crash the leader`, `verdict: PASS`...). */
export function parseProgress(text: string, at: number): ProgressLine {
  const step = /^step (\d+)\/(\d+): (.*)$/.exec(text)
  if (step) return { at, text: step[3]!, kind: 'step', step: { index: Number(step[1]), total: Number(step[2]) } }
  const failed = /^\s*failed: (.*)$/.exec(text)
  if (failed) return { at, text: failed[1]!, kind: 'failed' }
  const verdict = /^verdict: (PASS|FAIL|NOT-APPLICABLE)\b/i.exec(text)
  if (verdict) return { at, text, kind: 'verdict', verdict: verdict[1]!.toLowerCase() as ProgressLine['verdict'] }
  if (/not applicable/i.test(text)) return { at, text, kind: 'verdict', verdict: 'not-applicable' }
  if (/^checking /.test(text)) return { at, text, kind: 'check' }
  if (/^creating /.test(text)) return { at, text, kind: 'setup' }
  return { at, text, kind: 'info' }
}

/** `12.3 s` since `from` (never negative: clocks of a batch can disagree by a few ms). */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`
}

/** The step a run is at: the last step line, or null before the first. */
export function currentStep(lines: readonly ProgressLine[]): ProgressLine | null {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.kind === 'step') return lines[i]!
  return null
}

/** The folder's last path segment (`leader-crash-20261124-223512-3fa9`), either separator. */
export function folderName(dir: string): string {
  const parts = dir.split(/[\\/]+/).filter(Boolean)
  return parts.at(-1) ?? dir
}

/** File name for a downloaded report: `<folder>.html` / `.md`, safe on every OS. */
export function exportFileName(dir: string, ext: 'html' | 'md'): string {
  const base = folderName(dir).replace(/[^\w.-]+/g, '_') || 'report'
  return `${base}.${ext}`
}

/** The summary of the report a run wrote, once `report.list` knows it. */
export function findReport(reports: readonly ReportSummary[], dir: string | null | undefined): ReportSummary | null {
  if (!dir) return null
  return reports.find((r) => r.dir === dir || folderName(r.dir) === folderName(dir)) ?? null
}

export type RowState = 'done' | 'active' | 'failed' | 'info'

export interface ProgressRow {
  key: string
  /** ms since the first line. */
  elapsedMs: number
  line: ProgressLine
  state: RowState
}

/**
 * The progress list as rows: a step is done once a later line follows it, failed when a
 * "failed:" line follows, active while it is the last line of a running drill.
 */
export function progressRows(lines: readonly ProgressLine[], running: boolean, base: number | null = null): ProgressRow[] {
  const t0 = base ?? lines[0]?.at ?? 0
  return lines.map((line, i) => {
    const next = lines[i + 1]
    let state: RowState = 'info'
    if (line.kind === 'failed') state = 'failed'
    else if (line.kind === 'verdict') state = line.verdict === 'pass' ? 'done' : line.verdict === 'fail' ? 'failed' : 'info'
    else if (line.kind === 'step' || line.kind === 'setup' || line.kind === 'check') {
      if (next?.kind === 'failed') state = 'failed'
      else if (next) state = 'done'
      else state = running ? 'active' : 'done'
    }
    return { key: `${line.at}:${i}`, elapsedMs: line.at - t0, line, state }
  })
}

/** The verdict a run's lines announce (observed runs have no result object). */
export function verdictOfLines(lines: readonly ProgressLine[]): ProgressLine['verdict'] | null {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.verdict) return lines[i]!.verdict!
  return null
}
