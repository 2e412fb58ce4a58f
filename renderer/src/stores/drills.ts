/**
 * The drills view's state: the built-in drills, the run in progress (its progress lines from
 * the feed, then its result), past reports and the one opened.
 *
 * A drill replaces the user's cluster: `runDrill` stops the current one first (through the
 * cluster store, so the map shows it) and the engine then creates its own. Progress lines are
 * `drill.progress` events; a drill started elsewhere (the CLI on the same `up`, another
 * window) shows the same way, as an observed run without a result.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { DrillInfo, DrillRunResult, LabApi, LabError, LabEvent, ReportFiles, ReportSummary, Result } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { groupDrills, parseProgress, type ProgressLine } from '../components/drills/drill-model'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'

/** Progress lines kept per run (a drill prints a few dozen; a custom script could print more). */
export const MAX_PROGRESS_LINES = 300

export type RunStatus = 'stopping-cluster' | 'running' | 'done' | 'failed' | 'observed'

export interface DrillRun {
  name: string
  /** Cluster size asked for (null: the drill's own). */
  nodes: number | null
  /** When the run began, by the feed's clock. */
  startedAt: number
  /** When the answer arrived (or the observed run's verdict line). */
  finishedAt: number | null
  status: RunStatus
  result: DrillRunResult | null
  error: LabError | null
}

export const useDrillsStore = defineStore('drills', () => {
  const feed = useFeedStore()
  const drills = shallowRef<DrillInfo[]>([])
  const listLoaded = ref(false)
  const listLoading = ref(false)
  const run = ref<DrillRun | null>(null)
  // Replaced per feed batch, never mutated: the list is read whole by the step view.
  const lines = shallowRef<ProgressLine[]>([])
  /** Lines that fell out of the ring for the current run. */
  const droppedLines = ref(0)
  const reports = shallowRef<ReportSummary[]>([])
  const reportsLoading = ref(false)
  const openedReport = shallowRef<ReportFiles | null>(null)
  const reportLoading = ref(false)
  const pdfBusy = ref(false)
  const lastPdfPath = ref<string | null>(null)
  const lastError = ref<LabError | null>(null)

  const sections = computed(() => groupDrills(drills.value))
  const running = computed(() => run.value !== null && (run.value.status === 'running' || run.value.status === 'stopping-cluster' || run.value.status === 'observed'))
  const busy = computed(() => run.value?.status === 'running' || run.value?.status === 'stopping-cluster')

  let lab: LabApi | null = null
  const api = (): LabApi => (lab ??= getLab())

  /** One LabApi call; a failure lands in `lastError` and answers null. Never throws. */
  async function call<T>(fn: (l: LabApi) => Promise<Result<T>>): Promise<{ value: T } | { error: LabError }> {
    let r: Result<T>
    try {
      r = await fn(api())
    } catch (err) {
      r = { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } }
    }
    if (r.ok) return { value: r.value }
    lastError.value = r.error
    return { error: r.error }
  }

  function drillByName(name: string): DrillInfo | null {
    return drills.value.find((d) => d.name === name) ?? null
  }

  async function loadDrills(): Promise<void> {
    listLoading.value = true
    try {
      const r = await call((l) => l.drill.list())
      if ('value' in r) {
        drills.value = r.value
        listLoaded.value = true
      }
    } finally {
      listLoading.value = false
    }
  }

  async function loadReports(): Promise<void> {
    reportsLoading.value = true
    try {
      const r = await call((l) => l.report.list())
      if ('value' in r) reports.value = r.value
    } finally {
      reportsLoading.value = false
    }
  }

  function startLines(): void {
    lines.value = []
    droppedLines.value = 0
  }

  function appendLines(add: ProgressLine[]): void {
    if (add.length === 0) return
    const all = [...lines.value, ...add]
    const over = all.length - MAX_PROGRESS_LINES
    if (over > 0) droppedLines.value += over
    lines.value = over > 0 ? all.slice(over) : all
  }

  /** Does a progress line of `name` stamped `ts` belong to the run we show? */
  function belongs(name: string, ts: number): boolean {
    const r = run.value
    if (!r || r.name !== name) return false
    if (r.status === 'running' || r.status === 'stopping-cluster' || r.status === 'observed') return true
    // The answer can overtake the last lines (events travel in ~50 ms batches): a line
    // published before the answer arrived is still this run's.
    return r.finishedAt !== null && ts <= r.finishedAt
  }

  function onEvents(batch: readonly LabEvent[]): void {
    let add: ProgressLine[] = []
    let verdictSeen = false
    for (const e of batch) {
      if (e.type !== 'drill.progress') continue
      if (!belongs(e.name, e.ts)) {
        // A drill we did not start (or a new one): show it as observed.
        appendLines(add)
        add = []
        run.value = { name: e.name, nodes: null, startedAt: e.ts, finishedAt: null, status: 'observed', result: null, error: null }
        startLines()
      }
      const line = parseProgress(e.line, e.ts)
      add.push(line)
      if (line.kind === 'verdict' && run.value?.status === 'observed') {
        run.value = { ...run.value, status: 'done', finishedAt: e.ts }
        verdictSeen = true
      }
    }
    appendLines(add)
    if (verdictSeen) void loadReports()
  }

  /** A new story (replay opened or closed): the lines were of the old one. Our own call keeps going. */
  function onReset(): void {
    if (!busy.value) run.value = null
    startLines()
  }

  /**
   * Run a drill: stop the user's cluster if one is up (the view asked for confirmation),
   * then `drill.run` on a fresh cluster. Resolves when the drill ends; false on failure.
   */
  async function runDrill(name: string, options: { nodes?: number; lang?: 'zh-CN' | 'en' } = {}): Promise<boolean> {
    if (busy.value) return false
    lastError.value = null
    lastPdfPath.value = null
    const cluster = useClusterStore()
    const state = cluster.cluster?.state
    run.value = { name, nodes: options.nodes ?? null, startedAt: feed.now(), finishedAt: null, status: 'running', result: null, error: null }
    startLines()
    if (state === 'running' || state === 'starting') {
      run.value = { ...run.value, status: 'stopping-cluster' }
      const stopped = await cluster.stopCluster()
      if (!stopped) {
        const error = cluster.lastError ?? { code: 'CLUSTER_BUSY' as const, message: 'the current cluster did not stop' }
        lastError.value = error
        run.value = { ...run.value, status: 'failed', finishedAt: feed.now(), error }
        return false
      }
      run.value = { ...run.value, status: 'running' }
    }
    const req = { name, ...(options.nodes !== undefined ? { nodes: options.nodes } : {}), ...(options.lang ? { lang: options.lang } : {}) }
    const r = await call((l) => l.drill.run(req))
    const finishedAt = feed.now()
    if ('error' in r) {
      run.value = { ...run.value, status: 'failed', finishedAt, error: r.error }
      return false
    }
    run.value = { ...run.value, status: 'done', finishedAt, result: r.value }
    await loadReports()
    return true
  }

  async function openReport(dir: string): Promise<boolean> {
    reportLoading.value = true
    lastError.value = null
    try {
      const r = await call((l) => l.report.get({ dir }))
      if ('error' in r) return false
      openedReport.value = r.value
      lastPdfPath.value = null
      return true
    } finally {
      reportLoading.value = false
    }
  }

  function closeReport(): void {
    openedReport.value = null
  }

  /** Electron: print the report to report.pdf in its folder; answers the file's path. */
  async function exportPdf(dir: string): Promise<string | null> {
    if (pdfBusy.value) return null
    pdfBusy.value = true
    lastError.value = null
    try {
      const r = await call((l) => l.report.pdf({ dir }))
      if ('error' in r) return null
      lastPdfPath.value = r.value.path
      void loadReports()
      return r.value.path
    } finally {
      pdfBusy.value = false
    }
  }

  function dismissError(): void {
    lastError.value = null
  }

  let initialized = false
  let off: (() => void) | null = null
  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    off = feed.subscribe({ onEvents, onReset })
  }
  onScopeDispose(() => off?.())

  return {
    drills,
    listLoaded,
    listLoading,
    run,
    lines,
    droppedLines,
    reports,
    reportsLoading,
    openedReport,
    reportLoading,
    pdfBusy,
    lastPdfPath,
    lastError,
    sections,
    running,
    busy,
    init,
    drillByName,
    loadDrills,
    loadReports,
    runDrill,
    openReport,
    closeReport,
    exportPdf,
    dismissError
  }
})
