import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type AlertStatus, type MetricsSample } from '../../../electron/lab/api'
import { LOCALE_STORAGE_KEY } from '../i18n'
import { DATA_ROOT, installDrillFakes } from '../testing/drills-fixtures'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { BUILTIN_CLUSTER_DEFAULTS, CLUSTER_DEFAULTS_STORAGE_KEY, sanitizeClusterDefaults, useSettingsStore } from './settings'

let lab: FakeLab

async function setup(host: 'web' | 'electron' = 'web') {
  lab = createFakeLab(runningCluster(3))
  installDrillFakes(lab, host)
  window.lab = lab.api
  setActivePinia(createPinia())
  const store = useSettingsStore()
  store.init()
  await useClusterStore().init()
  await flushPromises()
  return store
}

const sample = (intervalMs: number, at: number): MetricsSample => ({
  at,
  intervalMs,
  nodes: [],
  cluster: { size: 3, nodesUp: 3, quorum: 2, leader: 1, qps: 0, p99Ms: null, errorRate: 0, leaderChanges: 0 }
})

beforeEach(() => {
  window.localStorage.clear()
})
afterEach(() => {
  useSettingsStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  window.localStorage.clear()
})

describe('cluster defaults', () => {
  it('follow the lab’s offer on first run, without saving it', async () => {
    const store = await setup()
    expect(store.clusterDefaults).toEqual({ size: 5, profile: 'teaching', preVote: false, checkQuorum: true })
    expect(store.defaultsSource).toBe('lab')
    expect(window.localStorage.getItem(CLUSTER_DEFAULTS_STORAGE_KEY)).toBeNull()
  })

  it('keep the user’s choice over the lab’s offer, across reloads, until reset', async () => {
    let store = await setup()
    store.setClusterDefaults({ size: 7, preVote: true })
    expect(JSON.parse(window.localStorage.getItem(CLUSTER_DEFAULTS_STORAGE_KEY)!)).toEqual({ size: 7, profile: 'teaching', preVote: true, checkQuorum: true })
    store.$dispose()
    useClusterStore().$dispose()
    store = await setup()
    expect(store.clusterDefaults).toEqual({ size: 7, profile: 'teaching', preVote: true, checkQuorum: true })
    expect(store.defaultsSource).toBe('saved')
    store.resetClusterDefaults()
    expect(store.clusterDefaults.size).toBe(5)
    expect(store.defaultsSource).toBe('lab')
    expect(window.localStorage.getItem(CLUSTER_DEFAULTS_STORAGE_KEY)).toBeNull()
  })

  it('refuse invalid values, keeping the valid ones', () => {
    expect(sanitizeClusterDefaults({ size: 42, profile: 'turbo', preVote: 'yes', checkQuorum: false })).toEqual({ ...BUILTIN_CLUSTER_DEFAULTS, checkQuorum: false })
    expect(sanitizeClusterDefaults('garbage')).toEqual(BUILTIN_CLUSTER_DEFAULTS)
    window.localStorage.setItem(CLUSTER_DEFAULTS_STORAGE_KEY, '{broken')
    setActivePinia(createPinia())
    expect(useSettingsStore().defaultsSource).toBe('builtin')
  })
})

describe('host facts', () => {
  it('show the data root and open it only in the desktop app', async () => {
    let store = await setup('web')
    expect(store.dataRoot).toBe(DATA_ROOT)
    expect(store.canOpenDataDir).toBe(false)
    store.$dispose()
    useClusterStore().$dispose()
    store = await setup('electron')
    expect(store.canOpenDataDir).toBe(true)
    vi.mocked(lab.api.lab.openDataDir).mockResolvedValueOnce(ok({ path: DATA_ROOT }))
    expect(await store.openDataDir()).toBe(true)
    vi.mocked(lab.api.lab.openDataDir).mockResolvedValueOnce(failed('INTERNAL', 'could not open'))
    expect(await store.openDataDir()).toBe(false)
    expect(store.lastError?.message).toBe('could not open')
  })

  it('read the scrape interval from metrics samples and forget it on reset', async () => {
    const store = await setup()
    expect(store.scrapeIntervalMs).toBeNull()
    lab.emit({ type: 'metrics.sample', sample: sample(1000, 5) }, { type: 'metrics.sample', sample: sample(1010, 6) })
    expect(store.scrapeIntervalMs).toBe(1010)
    expect(store.lastScrapeAt).toBe(6)
    useFeedStore().beginReplay(0)
    expect(store.scrapeIntervalMs).toBeNull()
  })

  it('load the alert rules, and none without a cluster', async () => {
    const store = await setup()
    const rules: AlertStatus[] = [{ rule: { id: 'latency-high', enabled: true, threshold: 100, forMs: 5000 }, state: 'ok', value: 3, since: 1 }]
    vi.mocked(lab.api.alerts.get).mockResolvedValueOnce(ok(rules))
    await store.loadAlerts()
    expect(store.alerts).toEqual(rules)
    vi.mocked(lab.api.alerts.get).mockResolvedValueOnce(failed('NO_CLUSTER', 'no cluster'))
    await store.loadAlerts()
    expect(store.alerts).toBeNull()
    expect(store.lastError).toBeNull()
  })
})

describe('language choice', () => {
  it('saves an explicit choice and forgets it to follow the system', async () => {
    const store = await setup()
    expect(store.chooseLocale('zh-CN')).toBe('zh-CN')
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
    const langs = vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['en-GB'])
    expect(store.chooseLocale('system')).toBe('en')
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBeNull()
    expect(store.localeChoice).toBe('system')
    langs.mockRestore()
  })
})
