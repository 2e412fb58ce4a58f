import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { getActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../electron/lab/api'
import { createAppI18n } from '../i18n'
import { useClusterStore } from '../stores/cluster'
import { useFeedStore } from '../stores/feed'
import { LOG_POLL_MS, useLogsStore } from '../stores/logs'
import { createFakeLab, runningCluster, type FakeLab } from '../testing/fake-lab'
import { logLine, logLines, logSource } from '../testing/logsdata-fixtures'
import { mountWithApp } from '../testing/mount'
import LogsView from './LogsView.vue'

let wrapper: VueWrapper | undefined
let lab: FakeLab
let source: ReturnType<typeof logSource>

async function mountView(locale: 'en' | 'zh-CN' = 'en') {
  lab = createFakeLab(runningCluster(3))
  source = logSource()
  vi.mocked(lab.api.logs.query).mockImplementation((q) => Promise.resolve(ok(source.answer(q.limit))))
  window.lab = lab.api
  wrapper = mountWithApp(LogsView, { locale }).wrapper
  await useClusterStore().init()
  await flushPromises()
  return wrapper
}

async function poll(): Promise<void> {
  await vi.advanceTimersByTimeAsync(LOG_POLL_MS)
  await flushPromises()
}

const rows = (w: VueWrapper) => w.findAll('[data-testid="logs-row"]')

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useLogsStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('LogsView', () => {
  it('tails new lines with their node, file and level', async () => {
    const w = await mountView()
    expect(w.get('[data-testid="logs-empty"]').text()).toContain('Waiting for log lines')
    source.add([
      logLine(1, { nodeId: 1, file: 'main', level: 'info', msg: 'node started' }),
      logLine(2, { nodeId: 2, file: 'cluster', level: 'warn', msg: 'no leader at term 2' })
    ])
    await poll()
    const r = rows(w)
    expect(r).toHaveLength(2)
    expect(r[1]!.attributes()).toMatchObject({ 'data-node': '2', 'data-file': 'cluster', 'data-level': 'warn' })
    expect(r[1]!.text()).toContain('nacos-cluster.log')
    expect(r[1]!.text()).toContain('no leader at term 2')
    expect(w.get('[data-testid="logs-count"]').text()).toBe('2 of 2 lines')
    expect(w.find('[data-testid="logs-empty"]').exists()).toBe(false)
  })

  it('filters by node, file, level and text without fetching again', async () => {
    const w = await mountView()
    source.add(logLines(0, 240))
    source.add([logLine(999, { nodeId: 2, file: 'cluster', level: 'error', msg: 'Election TIMEOUT on node 2' })])
    await poll()
    const calls = vi.mocked(lab.api.logs.query).mock.calls.length
    await w.get('[data-testid="logs-filter-node"]').setValue('2')
    await w.get('[data-testid="logs-filter-file"]').setValue('cluster')
    expect(rows(w).length).toBeGreaterThan(0)
    for (const r of rows(w)) expect([r.attributes('data-node'), r.attributes('data-file')]).toEqual(['2', 'cluster'])
    await w.get('[data-testid="logs-filter-level"]').setValue('warn')
    expect(rows(w).map((r) => r.attributes('data-level'))).toEqual(['error'])
    await w.get('[data-testid="logs-filter-level"]').setValue('')
    // Typing is debounced: nothing changes until the pause in typing.
    await w.get('[data-testid="logs-filter-text"]').setValue('election timeout')
    expect(rows(w).length).toBeGreaterThan(1)
    await vi.advanceTimersByTimeAsync(200)
    expect(rows(w).map((r) => r.text())).toEqual([expect.stringContaining('Election TIMEOUT on node 2')])
    expect(vi.mocked(lab.api.logs.query).mock.calls.length).toBe(calls)
    await w.get('[data-testid="logs-filter-clear"]').trigger('click')
    expect(w.get<HTMLInputElement>('[data-testid="logs-filter-text"]').element.value).toBe('')
    expect(w.get('[data-testid="logs-count"]').attributes('data-shown')).toBe('241')
  })

  it('pauses: the list stops, new lines are counted, and shown on resume', async () => {
    const w = await mountView()
    source.add(logLines(1, 3))
    await poll()
    const pause = w.get('[data-testid="logs-pause"]')
    await pause.trigger('click')
    expect(pause.attributes('aria-pressed')).toBe('true')
    source.add(logLines(4, 5))
    await poll()
    expect(rows(w)).toHaveLength(3)
    expect(w.get('[data-testid="logs-new"]').text()).toBe('+5 new')
    expect(w.get('[data-testid="logs-count"]').attributes('data-new')).toBe('5')
    await pause.trigger('click')
    expect(rows(w)).toHaveLength(8)
    expect(w.find('[data-testid="logs-new"]').exists()).toBe(false)
  })

  it('renders only the rows in view of 100,000 lines, following the newest', async () => {
    const w = await mountView()
    for (let k = 0; k < 5; k++) {
      source.add(logLines(k * 20_000, 20_000))
      await poll()
    }
    expect(w.get('[data-testid="logs-count"]').attributes('data-shown')).toBe('100000')
    const rendered = rows(w)
    expect(rendered.length).toBeGreaterThan(0)
    expect(rendered.length).toBeLessThan(80)
    expect(rendered.at(-1)!.text()).toContain('line 99999')
  })

  it('says how many lines it dropped or could not read', async () => {
    const w = await mountView()
    // Opened mid-run: one answer holds at most 20,000 lines; the rest are older, still on disk.
    source.add(logLines(0, 30_000))
    await poll()
    expect(w.get('[data-testid="logs-earlier"]').text()).toContain('10,000 earlier lines')
    expect(w.find('[data-testid="logs-missed"]').exists()).toBe(false)
    // Following: lines that come faster than one answer holds are counted, not hidden.
    source.add(logLines(30_000, 25_000))
    await poll()
    expect(w.get('[data-testid="logs-missed"]').text()).toContain('5,000 lines')
    for (let k = 0; k < 5; k++) {
      source.add(logLines(55_000 + k * 20_000, 20_000))
      await poll()
    }
    expect(w.get('[data-testid="logs-dropped"]').text()).toContain('40,000 older lines dropped')
    expect(w.get('[data-testid="logs-dropped"]').text()).toContain('100,000')
  })

  it('opens a line to show its fields and raw JSON, and copies it', async () => {
    const w = await mountView()
    const writeText = vi.fn(() => Promise.resolve())
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    source.add([logLine(1, { nodeId: 3, file: 'config', msg: 'config published', raw: '{"level":"info","time":1,"msg":"config published","dataId":"app.yaml"}' })])
    await poll()
    await rows(w)[0]!.trigger('click')
    expect(w.get('[data-testid="logs-detail-fields"]').text()).toContain('dataId')
    expect(w.get('[data-testid="logs-detail-fields"]').text()).toContain('app.yaml')
    expect(w.get('[data-testid="logs-detail-raw"]').text()).toContain('"dataId": "app.yaml"')
    await w.get('[data-testid="logs-copy"]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('{"level":"info","time":1,"msg":"config published","dataId":"app.yaml"}')
    expect(w.get('[data-testid="logs-copy-status"]').text()).toBe('Copied')
    // Keyboard: Escape on the list closes the details.
    await w.get('[data-testid="logs-list"]').trigger('keydown', { key: 'Escape' })
    expect(w.find('[data-testid="logs-detail"]').exists()).toBe(false)
  })

  it('moves the selection with the keyboard', async () => {
    const w = await mountView()
    source.add(logLines(1, 5))
    await poll()
    const list = w.get('[data-testid="logs-list"]')
    await list.trigger('keydown', { key: 'End' })
    expect(w.get('[data-testid="logs-detail"]').text()).toContain('line 5')
    await list.trigger('keydown', { key: 'ArrowUp' })
    expect(w.get('[data-testid="logs-detail"]').text()).toContain('line 4')
    await list.trigger('keydown', { key: 'Home' })
    expect(w.get('[data-testid="logs-detail"]').text()).toContain('line 1')
  })

  it('keeps its filters when the view is left and opened again', async () => {
    const first = await mountView()
    const pinia = getActivePinia()!
    await first.get('[data-testid="logs-filter-level"]').setValue('warn')
    await first.get('[data-testid="logs-filter-node"]').setValue('3')
    first.unmount()
    // Same store (the app keeps it), new view: the pickers show the filter in force.
    wrapper = mount(LogsView, { attachTo: document.body, global: { plugins: [pinia, createAppI18n('en')] } })
    await flushPromises()
    expect(wrapper.get<HTMLSelectElement>('[data-testid="logs-filter-level"]').element.value).toBe('warn')
    expect(wrapper.get<HTMLSelectElement>('[data-testid="logs-filter-node"]').element.value).toBe('3')
  })

  it('speaks Chinese', async () => {
    const w = await mountView('zh-CN')
    expect(w.text()).toContain('日志')
    expect(w.get('[data-testid="logs-pause"]').text()).toContain('暂停')
    expect(w.get('[data-testid="logs-filter-node"]').text()).toContain('全部节点')
  })
})
