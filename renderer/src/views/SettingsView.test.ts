import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../electron/lab/api'
import { LOCALE_STORAGE_KEY } from '../i18n'
import { useClusterStore } from '../stores/cluster'
import { useFeedStore } from '../stores/feed'
import { CLUSTER_DEFAULTS_STORAGE_KEY, useSettingsStore } from '../stores/settings'
import { THEME_STORAGE_KEY, useUiStore } from '../stores/ui'
import { DATA_ROOT, installDrillFakes } from '../testing/drills-fixtures'
import { createFakeLab, type FakeLab } from '../testing/fake-lab'
import { mountWithApp } from '../testing/mount'
import SettingsView from './SettingsView.vue'

let wrapper: VueWrapper | undefined
let lab: FakeLab

async function mountView(opts: { host?: 'web' | 'electron'; locale?: 'en' | 'zh-CN' } = {}) {
  lab = createFakeLab(null)
  installDrillFakes(lab, opts.host ?? 'web')
  vi.mocked(lab.api.alerts.get).mockResolvedValue({ ok: false, error: { code: 'NO_CLUSTER', message: 'no cluster' } })
  window.lab = lab.api
  const mounted = mountWithApp(SettingsView, { locale: opts.locale ?? 'en' })
  wrapper = mounted.wrapper
  await flushPromises()
  return mounted
}

beforeEach(() => window.localStorage.clear())
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useSettingsStore().$dispose()
  useClusterStore().$dispose()
  useUiStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  window.localStorage.clear()
})

describe('SettingsView', () => {
  it('switches the language, remembers it, and can follow the system again', async () => {
    const { wrapper: w, i18n } = await mountView()
    const select = w.get<HTMLSelectElement>('[data-testid="settings-language"]')
    expect(select.element.value).toBe('system')
    await select.setValue('zh-CN')
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')
    expect(w.get('h2').text()).toBe('设置')
    vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['en-US'])
    await select.setValue('system')
    expect(i18n.global.locale.value).toBe('en')
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBeNull()
    vi.restoreAllMocks()
  })

  it('follows a language picked in the header', async () => {
    const { wrapper: w, i18n } = await mountView()
    window.localStorage.setItem(LOCALE_STORAGE_KEY, 'zh-CN')
    i18n.global.locale.value = 'zh-CN'
    await flushPromises()
    expect(w.get<HTMLSelectElement>('[data-testid="settings-language"]').element.value).toBe('zh-CN')
  })

  it('sets the theme through the ui store', async () => {
    const { wrapper: w } = await mountView()
    await w.get('[data-testid="settings-theme"]').setValue('dark')
    expect(useUiStore().theme).toBe('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark')
  })

  it('shows the data folder; opening it is for the desktop app only', async () => {
    let { wrapper: w } = await mountView({ host: 'web' })
    expect(w.get('[data-testid="settings-data-dir"]').text()).toBe(DATA_ROOT)
    expect(w.get('[data-testid="settings-open-data-dir"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="settings-open-reason"]').text()).toContain('desktop app')
    expect(w.get('[data-testid="settings-host"]').text()).toContain('Web mode')
    wrapper!.unmount()
    useSettingsStore().$dispose()
    useClusterStore().$dispose()
    ;({ wrapper: w } = await mountView({ host: 'electron' }))
    vi.mocked(lab.api.lab.openDataDir).mockResolvedValueOnce(ok({ path: DATA_ROOT }))
    expect(w.find('[data-testid="settings-open-reason"]').exists()).toBe(false)
    await w.get('[data-testid="settings-open-data-dir"]').trigger('click')
    expect(lab.api.lab.openDataDir).toHaveBeenCalledTimes(1)
  })

  it('edits the defaults of new clusters, seeded by the lab, and keeps them', async () => {
    const { wrapper: w } = await mountView()
    expect(w.get<HTMLSelectElement>('[data-testid="settings-default-size"]').element.value).toBe('5')
    expect(w.get<HTMLSelectElement>('[data-testid="settings-default-profile"]').element.value).toBe('teaching')
    expect(w.get<HTMLInputElement>('[data-testid="settings-default-prevote"]').element.checked).toBe(false)
    expect(w.get('[data-testid="settings-defaults-source"]').attributes('data-source')).toBe('lab')
    await w.get('[data-testid="settings-default-size"]').setValue('7')
    await w.get('[data-testid="settings-default-profile"]').setValue('seed')
    await w.get('[data-testid="settings-default-prevote"]').setValue(true)
    await w.get('[data-testid="settings-default-checkquorum"]').setValue(false)
    expect(useSettingsStore().clusterDefaults).toEqual({ size: 7, profile: 'seed', preVote: true, checkQuorum: false })
    expect(JSON.parse(window.localStorage.getItem(CLUSTER_DEFAULTS_STORAGE_KEY)!)).toMatchObject({ size: 7, checkQuorum: false })
    await w.get('[data-testid="settings-defaults-reset"]').trigger('click')
    expect(useSettingsStore().clusterDefaults.size).toBe(5)
  })

  it('explains every setting', async () => {
    const { wrapper: w } = await mountView()
    const tips = w.findAll('.info-tip [role="tooltip"]').map((t) => t.text())
    expect(tips.length).toBeGreaterThanOrEqual(8)
    expect(tips.join(' ')).toContain('⌊N/2⌋+1')
    expect(tips.join(' ')).toContain('cut off from the others')
  })

  it('shows the scrape interval and the alert rules read-only', async () => {
    const { wrapper: w } = await mountView()
    expect(w.get('[data-testid="settings-alerts-none"]').text()).toContain('start one')
    expect(w.get('[data-testid="settings-scrape-interval"]').text()).toContain('No sample yet')
    lab.emit({ type: 'metrics.sample', sample: { at: Date.now(), intervalMs: 1000, nodes: [], cluster: { size: 3, nodesUp: 3, quorum: 2, leader: 1, qps: 0, p99Ms: null, errorRate: 0, leaderChanges: 0 } } })
    vi.mocked(lab.api.alerts.get).mockResolvedValue(
      ok([
        { rule: { id: 'error-rate-high', enabled: true, threshold: 0.01, forMs: 5000 }, state: 'firing', value: 0.2, since: 1 },
        { rule: { id: 'quorum-lost', enabled: false, threshold: 0, forMs: 0 }, state: 'ok', value: 3, since: 1 }
      ])
    )
    await w.get('[data-testid="settings-alerts-refresh"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="settings-scrape-interval"]').text()).toContain('about every 1.0 s')
    const rows = w.get('[data-testid="settings-alert-rules"]').findAll('tbody tr')
    expect(rows[0]!.text()).toMatch(/Error rate high \(on\)\s*errors above 1 %\s*5 s\s*firing/)
    expect(rows[1]!.text()).toMatch(/Quorum lost \(off\)\s*nodes up below the quorum\s*at once\s*ok/)
  })
})
