import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../electron/lab/api'
import { deferred, installDrillFakes, PROGRESS, REPORT_DIR, REPORT_FILES, RUN_RESULT } from '../testing/drills-fixtures'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { useClusterStore } from './cluster'
import { MAX_PROGRESS_LINES, useDrillsStore } from './drills'
import { useFeedStore } from './feed'

let lab: FakeLab

async function setup(cluster = runningCluster(3)) {
  lab = createFakeLab(cluster)
  installDrillFakes(lab)
  window.lab = lab.api
  setActivePinia(createPinia())
  const clusterStore = useClusterStore()
  await clusterStore.init()
  const store = useDrillsStore()
  store.init()
  return { store, clusterStore }
}

const progress = (line: string, ts = Date.now(), name = 'leadership-transfer') => ({ type: 'drill.progress' as const, name, line, seq: 0, ts })

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date', 'setInterval', 'clearInterval'] })
})
afterEach(() => {
  useDrillsStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('drills store', () => {
  it('loads the drills and groups them with the emergency plans first', async () => {
    const { store } = await setup()
    await store.loadDrills()
    expect(store.listLoaded).toBe(true)
    expect(store.sections[0]!.group).toBe('plans')
    expect(store.drillByName('leader-crash')?.nodes).toBe(3)
  })

  it('stops the running cluster before the drill, streams its progress, then keeps the result', async () => {
    const { store, clusterStore } = await setup()
    const answer = deferred<Awaited<ReturnType<typeof lab.api.drill.run>>>()
    vi.mocked(lab.api.drill.run).mockReturnValue(answer.promise)
    const running = store.runDrill('leadership-transfer', { nodes: 5, lang: 'zh-CN' })
    await flushPromises()
    // The user's cluster went first, through the cluster store (the map shows it stopped).
    expect(lab.api.cluster.stop).toHaveBeenCalledTimes(1)
    expect(clusterStore.cluster?.state).toBe('stopped')
    expect(lab.api.drill.run).toHaveBeenCalledWith({ name: 'leadership-transfer', nodes: 5, lang: 'zh-CN' })
    expect(store.run?.status).toBe('running')
    expect(store.busy).toBe(true)

    lab.emit(...PROGRESS.slice(0, 3).map((l) => progress(l)))
    expect(store.lines.map((l) => l.kind)).toEqual(['setup', 'step', 'step'])
    // A second run cannot start meanwhile.
    expect(await store.runDrill('leader-crash')).toBe(false)

    vi.advanceTimersByTime(2000)
    const lastTs = Date.now()
    vi.advanceTimersByTime(50)
    answer.resolve(ok(RUN_RESULT))
    expect(await running).toBe(true)
    expect(store.run).toMatchObject({ status: 'done', result: { verdict: 'pass', reportDir: REPORT_DIR } })
    expect(lab.api.report.list).toHaveBeenCalled()
    // The verdict line overtaken by the answer still belongs to this run.
    lab.emit(progress('verdict: PASS', lastTs))
    expect(store.lines.at(-1)).toMatchObject({ kind: 'verdict', verdict: 'pass' })
    expect(store.lines).toHaveLength(4)
    expect(store.run).toMatchObject({ status: 'done', result: { verdict: 'pass' } })
    // A line stamped after the answer is another run's: shown as observed, not appended.
    vi.advanceTimersByTime(1000)
    lab.emit(progress('creating a 3-node cluster', Date.now()))
    expect(store.run).toMatchObject({ status: 'observed', result: null })
    expect(store.lines).toHaveLength(1)
  })

  it('does not stop anything when no cluster runs, and reports a failed run', async () => {
    const { store } = await setup(runningCluster(3, 1000, 'r'))
    lab.cluster = null
    await useClusterStore().refresh()
    vi.mocked(lab.api.drill.run).mockResolvedValueOnce(failed('CLUSTER_BUSY', 'drill "x" is running'))
    expect(await store.runDrill('leadership-transfer')).toBe(false)
    expect(lab.api.cluster.stop).not.toHaveBeenCalled()
    expect(store.run).toMatchObject({ status: 'failed', error: { code: 'CLUSTER_BUSY' } })
    expect(store.lastError?.code).toBe('CLUSTER_BUSY')
  })

  it('gives up when the current cluster does not stop', async () => {
    const { store } = await setup()
    vi.mocked(lab.api.cluster.stop).mockResolvedValueOnce(failed('TIMEOUT', 'node 2 did not stop'))
    expect(await store.runDrill('leadership-transfer')).toBe(false)
    expect(lab.api.drill.run).not.toHaveBeenCalled()
    expect(store.run).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } })
  })

  it('shows a drill started elsewhere as an observed run until its verdict', async () => {
    const { store } = await setup()
    lab.emit(progress('creating a 5-node cluster', Date.now(), 'split-brain-3-2'), progress('step 1/4: wait until leader', Date.now(), 'split-brain-3-2'))
    expect(store.run).toMatchObject({ name: 'split-brain-3-2', status: 'observed', result: null })
    expect(store.running).toBe(true)
    expect(store.busy).toBe(false)
    vi.mocked(lab.api.report.list).mockClear()
    lab.emit(progress('verdict: FAIL', Date.now(), 'split-brain-3-2'))
    expect(store.run?.status).toBe('done')
    expect(store.running).toBe(false)
    expect(lab.api.report.list).toHaveBeenCalled()
  })

  it('keeps a bounded ring of progress lines and counts what it dropped', async () => {
    const { store } = await setup()
    lab.emit(...Array.from({ length: MAX_PROGRESS_LINES + 25 }, (_, i) => progress(`step ${i + 1}/999: wait 1 ms`, Date.now(), 'custom')))
    expect(store.lines).toHaveLength(MAX_PROGRESS_LINES)
    expect(store.droppedLines).toBe(25)
    expect(store.lines[0]!.step?.index).toBe(26)
  })

  it('forgets an observed run when a replay starts', async () => {
    const { store } = await setup()
    lab.emit(progress('step 1/2: wait', Date.now(), 'other'))
    useFeedStore().beginReplay(1)
    expect(store.run).toBeNull()
    expect(store.lines).toEqual([])
  })

  it('opens a report and exports a PDF through the host', async () => {
    const { store } = await setup()
    expect(await store.openReport(REPORT_DIR)).toBe(true)
    expect(lab.api.report.get).toHaveBeenCalledWith({ dir: REPORT_DIR })
    expect(store.openedReport).toEqual(REPORT_FILES)
    vi.mocked(lab.api.report.pdf).mockResolvedValueOnce(ok({ path: `${REPORT_DIR}/report.pdf` }))
    expect(await store.exportPdf(REPORT_DIR)).toBe(`${REPORT_DIR}/report.pdf`)
    expect(store.lastPdfPath).toBe(`${REPORT_DIR}/report.pdf`)
    vi.mocked(lab.api.report.pdf).mockResolvedValueOnce(failed('UNSUPPORTED', 'PDF export needs the desktop app'))
    expect(await store.exportPdf(REPORT_DIR)).toBeNull()
    expect(store.lastError?.code).toBe('UNSUPPORTED')
    store.closeReport()
    expect(store.openedReport).toBeNull()
  })

  it('keeps the report closed when the folder is refused', async () => {
    const { store } = await setup()
    vi.mocked(lab.api.report.get).mockResolvedValueOnce(failed('INVALID_ARGUMENT', '"dir" must be a report folder inside the lab\'s data root'))
    expect(await store.openReport('/etc')).toBe(false)
    expect(store.openedReport).toBeNull()
    expect(store.lastError?.message).toMatch(/"dir"/)
  })
})
