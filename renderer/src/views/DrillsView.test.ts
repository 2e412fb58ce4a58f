import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type ClusterInfo } from '../../../electron/lab/api'
import { useClusterStore } from '../stores/cluster'
import { useDrillsStore } from '../stores/drills'
import { useFeedStore } from '../stores/feed'
import { deferred, installDrillFakes, PROGRESS, REPORT_DIR, REPORT_FILES, REPORTS, RUN_RESULT } from '../testing/drills-fixtures'
import { createFakeLab, runningCluster, type FakeLab } from '../testing/fake-lab'
import { mountWithApp } from '../testing/mount'
import DrillsView from './DrillsView.vue'

let wrapper: VueWrapper | undefined
let lab: FakeLab

async function mountView(opts: { cluster?: ClusterInfo | null; host?: 'web' | 'electron'; locale?: 'en' | 'zh-CN' } = {}) {
  lab = createFakeLab(opts.cluster === undefined ? runningCluster(3) : opts.cluster)
  installDrillFakes(lab, opts.host ?? 'web')
  window.lab = lab.api
  const mounted = mountWithApp(DrillsView, { locale: opts.locale ?? 'en' })
  wrapper = mounted.wrapper
  await flushPromises()
  return mounted
}

const progress = (line: string) => ({ type: 'drill.progress' as const, name: 'leadership-transfer', line })

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date', 'setInterval', 'clearInterval'] })
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useDrillsStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('DrillsView', () => {
  it('lists the drills by group, emergency plans first, and disables 预案3 with its reason', async () => {
    const { wrapper: w } = await mountView()
    const groups = w.findAll('[data-testid^="drills-group-"]').map((g) => g.attributes('data-testid'))
    expect(groups).toEqual(['drills-group-plans', 'drills-group-partitions', 'drills-group-operations'])
    const plans = w.get('[data-testid="drills-group-plans"]').findAll('[data-testid^="drills-card-"]')
    expect(plans.map((c) => c.attributes('data-testid'))).toEqual(['drills-card-leader-crash', 'drills-card-whole-cluster-restart', 'drills-card-external-database'])
    expect(plans[0]!.text()).toContain('Plan 1: the leader crashes')
    expect(plans[0]!.text()).toContain('Tutorial §8.4 预案1, §5.2')
    expect(w.get('[data-testid="drills-card-external-database"]').attributes('data-applicable')).toBe('false')
    expect(w.get('[data-testid="drills-run-external-database"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="drills-na-reason-external-database"]').text()).toContain('Embedded storage')
    expect(w.get('[data-testid="drills-run-leader-crash"]').attributes('disabled')).toBeUndefined()
    // Past reports are listed on arrival.
    expect(w.get('[data-testid="drills-past"]').text()).toContain('Planned leadership transfer')
    expect(w.get('[data-testid="drills-past-row-1"]').text()).toContain('Fail')
  })

  it('shows titles and reasons in Chinese', async () => {
    const { wrapper: w } = await mountView({ locale: 'zh-CN' })
    expect(w.get('[data-testid="drills-card-leadership-transfer"]').text()).toContain('计划内的领导权转移')
    expect(w.get('[data-testid="drills-na-reason-external-database"]').text()).toContain('嵌入式存储')
    expect(w.get('[data-testid="drills-group-plans"]').text()).toContain('故障应急预案')
  })

  it('asks before replacing the running cluster, then runs with live progress, verdict and checks', async () => {
    const { wrapper: w } = await mountView()
    const answer = deferred<Awaited<ReturnType<typeof lab.api.drill.run>>>()
    vi.mocked(lab.api.drill.run).mockReturnValue(answer.promise)
    await w.get('[data-testid="drills-nodes-leadership-transfer"]').setValue('5')
    await w.get('[data-testid="drills-run-leadership-transfer"]').trigger('click')
    const dialog = w.get('[data-testid="drills-confirm"]')
    expect(dialog.text()).toContain('Run “Planned leadership transfer”?')
    expect(dialog.text()).toContain('5-node cluster')
    expect(w.get('[data-testid="drills-confirm-replaces"]').text()).toContain('run-1')
    expect(lab.api.drill.run).not.toHaveBeenCalled()

    expect(document.activeElement).toBe(w.get('[data-testid="drills-confirm-run"]').element)
    // Escape cancels; nothing runs.
    await w.get('[role="alertdialog"]').trigger('keydown', { key: 'Escape' })
    expect(w.find('[data-testid="drills-confirm"]').exists()).toBe(false)
    expect(lab.api.cluster.stop).not.toHaveBeenCalled()

    await w.get('[data-testid="drills-run-leadership-transfer"]').trigger('click')
    await w.get('[data-testid="drills-confirm-run"]').trigger('click')
    await flushPromises()
    expect(lab.api.cluster.stop).toHaveBeenCalledTimes(1)
    expect(lab.api.drill.run).toHaveBeenCalledWith({ name: 'leadership-transfer', nodes: 5, lang: 'en' })
    // Every Run button is locked while a drill runs.
    expect(w.get('[data-testid="drills-run-leader-crash"]').attributes('disabled')).toBeDefined()

    lab.emit(progress(PROGRESS[0]!), progress(PROGRESS[1]!))
    vi.advanceTimersByTime(1500)
    lab.emit(progress(PROGRESS[2]!))
    await flushPromises()
    const panel = w.get('[data-testid="drills-run-panel"]')
    expect(panel.attributes('data-status')).toBe('running')
    const rows = w.findAll('[data-testid="drills-progress-line"]')
    expect(rows).toHaveLength(3)
    expect(rows[1]!.text()).toContain('step 1/3')
    expect(rows[2]!.text()).toMatch(/1\.5 s.*transfer the follower/)
    expect(rows[2]!.attributes('data-state')).toBe('active')
    expect(w.find('[data-testid="drills-verdict"]').exists()).toBe(false)

    lab.emit(...PROGRESS.slice(3).map(progress))
    answer.resolve(ok(RUN_RESULT))
    await flushPromises()
    expect(panel.attributes('data-status')).toBe('done')
    expect(w.get('[data-testid="drills-verdict"]').attributes('data-verdict')).toBe('pass')
    expect(w.get('[data-testid="drills-verdict"]').text()).toContain('Pass')
    const checks = w.get('[data-testid="drills-checks"]')
    expect(checks.findAll('tbody tr')).toHaveLength(3)
    expect(w.get('[data-testid="drills-check-leaderless"]').text()).toMatch(/Time without a leader\s*≤ 1000 ms\s*138 ms\s*✓ pass/)
    expect(w.get('[data-testid="drills-report-dir"]').text()).toBe(REPORT_DIR)
    expect(w.get('[data-testid="drills-run-leader-crash"]').attributes('disabled')).toBeUndefined()
  })

  it('says the drill could not run', async () => {
    const { wrapper: w } = await mountView({ cluster: null })
    vi.mocked(lab.api.drill.run).mockResolvedValueOnce({ ok: false, error: { code: 'SPAWN_FAILED', message: 'node-core missing' } })
    await w.get('[data-testid="drills-run-leader-crash"]').trigger('click')
    expect(w.find('[data-testid="drills-confirm-replaces"]').exists()).toBe(false)
    await w.get('[data-testid="drills-confirm-run"]').trigger('click')
    await flushPromises()
    expect(lab.api.cluster.stop).not.toHaveBeenCalled()
    expect(w.get('[data-testid="drills-run-error"]').text()).toContain('node-core missing')
    expect(w.get('[data-testid="drills-error"]').attributes('data-code')).toBe('SPAWN_FAILED')
  })

  it('opens the report in a sandboxed frame and saves it as HTML and Markdown', async () => {
    const { wrapper: w } = await mountView()
    await w.get('[data-testid="drills-past-open-0"]').trigger('click')
    await flushPromises()
    expect(lab.api.report.get).toHaveBeenCalledWith({ dir: REPORT_DIR })
    const frame = w.get<HTMLIFrameElement>('[data-testid="drills-report-frame"]')
    expect(frame.attributes('sandbox')).toBe('')
    expect(frame.element.getAttribute('srcdoc')).toBe(REPORT_FILES.html)
    expect(w.get('[data-testid="drills-report"]').text()).toContain('Planned leadership transfer')

    const blobs: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob)
      return 'blob:report'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const names: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download)
    })
    await w.get('[data-testid="drills-save-html"]').trigger('click')
    await w.get('[data-testid="drills-save-md"]').trigger('click')
    expect(names).toEqual(['leadership-transfer-20261202-224815-e4c6.html', 'leadership-transfer-20261202-224815-e4c6.md'])
    expect(await blobs[0]!.text()).toBe(REPORT_FILES.html)
    expect(blobs[1]!.type).toMatch(/^text\/markdown/)
    expect(await blobs[1]!.text()).toBe(REPORT_FILES.markdown)

    await w.get('[data-testid="drills-report-close"]').trigger('click')
    expect(w.find('[data-testid="drills-report"]').exists()).toBe(false)
  })

  it('disables PDF export in web mode with the reason', async () => {
    const { wrapper: w } = await mountView({ host: 'web' })
    await w.get('[data-testid="drills-past-open-0"]').trigger('click')
    await flushPromises()
    const pdf = w.get('[data-testid="drills-export-pdf"]')
    expect(pdf.attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="drills-pdf-reason"]').text()).toContain('needs the desktop app')
    await pdf.trigger('click')
    expect(lab.api.report.pdf).not.toHaveBeenCalled()
  })

  it('exports a PDF through the desktop host and says where it went', async () => {
    const { wrapper: w } = await mountView({ host: 'electron' })
    vi.mocked(lab.api.report.pdf).mockResolvedValueOnce(ok({ path: `${REPORT_DIR}/report.pdf` }))
    await w.get('[data-testid="drills-past-open-0"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="drills-pdf-reason"]').exists()).toBe(false)
    await w.get('[data-testid="drills-export-pdf"]').trigger('click')
    await flushPromises()
    expect(lab.api.report.pdf).toHaveBeenCalledWith({ dir: REPORT_DIR })
    expect(w.get('[data-testid="drills-pdf-saved"]').text()).toContain(`${REPORT_DIR}/report.pdf`)
  })

  it('opens the report of the run just finished from the result', async () => {
    const { wrapper: w } = await mountView({ cluster: null })
    await w.get('[data-testid="drills-run-leadership-transfer"]').trigger('click')
    await w.get('[data-testid="drills-confirm-run"]').trigger('click')
    await flushPromises()
    await w.get('[data-testid="drills-open-report"]').trigger('click')
    await flushPromises()
    expect(lab.api.report.get).toHaveBeenLastCalledWith({ dir: REPORT_DIR })
    expect(w.find('[data-testid="drills-report-frame"]').exists()).toBe(true)
    expect(REPORTS[0]!.dir).toBe(REPORT_DIR)
  })
})
