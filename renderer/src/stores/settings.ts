/**
 * The settings view's state: defaults for new clusters (size, timing profile, PreVote,
 * CheckQuorum), where the lab keeps its data, and the read-only facts of metrics scraping
 * and alert rules.
 *
 * Cluster defaults: the user's choice (localStorage) wins; until there is one they follow the
 * lab's `LabInfo.clusterDefaults` (the desktop app remembers the last cluster used). Other
 * views read `clusterDefaults` when they create a cluster.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, watch } from 'vue'
import {
  MAX_CLUSTER_SIZE,
  MIN_CLUSTER_SIZE,
  TIMING_PROFILES,
  type AlertStatus,
  type CreateClusterRequest,
  type LabApi,
  type LabError,
  type LabEvent,
  type Result,
  type TimingProfile
} from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { detectLocale, isAppLocale, LOCALE_STORAGE_KEY, type AppLocale } from '../i18n'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'

export const CLUSTER_DEFAULTS_STORAGE_KEY = 'quorum-lab.cluster-defaults'

/** Every field set: what "Start" uses when it creates a cluster. */
export type ClusterDefaults = Required<CreateClusterRequest>

/** Before the lab answers and without a saved choice: the seed's cluster (§5.1, 3 nodes). */
export const BUILTIN_CLUSTER_DEFAULTS: Readonly<ClusterDefaults> = { size: 3, profile: 'seed', preVote: true, checkQuorum: true }

/** Keep what is valid of a stored or received value; fill the rest from `base`. Pure. */
export function sanitizeClusterDefaults(raw: unknown, base: ClusterDefaults = { ...BUILTIN_CLUSTER_DEFAULTS }): ClusterDefaults {
  if (typeof raw !== 'object' || raw === null) return { ...base }
  const r = raw as Record<string, unknown>
  const size = typeof r.size === 'number' && Number.isInteger(r.size) && r.size >= MIN_CLUSTER_SIZE && r.size <= MAX_CLUSTER_SIZE ? r.size : base.size
  const profile = typeof r.profile === 'string' && (TIMING_PROFILES as readonly string[]).includes(r.profile) ? (r.profile as TimingProfile) : base.profile
  const preVote = typeof r.preVote === 'boolean' ? r.preVote : base.preVote
  const checkQuorum = typeof r.checkQuorum === 'boolean' ? r.checkQuorum : base.checkQuorum
  return { size, profile, preVote, checkQuorum }
}

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return null
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key)
    else window.localStorage.setItem(key, value)
  } catch {
    // No storage: the choice lasts for this page only.
  }
}

function readSavedDefaults(): ClusterDefaults | null {
  const raw = readStorage(CLUSTER_DEFAULTS_STORAGE_KEY)
  if (!raw) return null
  try {
    return sanitizeClusterDefaults(JSON.parse(raw))
  } catch {
    return null
  }
}

function browserLanguages(): readonly string[] {
  const nav = window.navigator
  return nav.languages && nav.languages.length > 0 ? nav.languages : nav.language ? [nav.language] : []
}

/** 'system' when no language was picked (the UI follows the OS), else the one picked. */
export type LocaleChoice = 'system' | AppLocale

export const useSettingsStore = defineStore('settings', () => {
  const feed = useFeedStore()
  const cluster = useClusterStore()

  const saved = readSavedDefaults()
  const clusterDefaults = ref<ClusterDefaults>(saved ?? { ...BUILTIN_CLUSTER_DEFAULTS })
  /** Where the defaults come from: the user's choice, the lab's offer, or the built-in seed values. */
  const defaultsSource = ref<'saved' | 'lab' | 'builtin'>(saved ? 'saved' : 'builtin')

  const savedLocale = readStorage(LOCALE_STORAGE_KEY)
  const localeChoice = ref<LocaleChoice>(isAppLocale(savedLocale) ? savedLocale : 'system')

  const scrapeIntervalMs = ref<number | null>(null)
  const lastScrapeAt = ref<number | null>(null)
  const alerts = ref<AlertStatus[] | null>(null)
  const alertsLoading = ref(false)
  const openingDataDir = ref(false)
  const lastError = ref<LabError | null>(null)

  const labInfo = computed(() => cluster.labInfo)
  const host = computed(() => labInfo.value?.host ?? null)
  const dataRoot = computed(() => labInfo.value?.dataRoot ?? null)
  /** Only the desktop app can open a folder or print a PDF. */
  const canOpenDataDir = computed(() => host.value === 'electron')

  // First run: the lab's offer seeds the defaults (never over a choice the user made).
  watch(
    () => labInfo.value?.clusterDefaults,
    (offer) => {
      if (!offer || defaultsSource.value === 'saved') return
      clusterDefaults.value = sanitizeClusterDefaults(offer)
      defaultsSource.value = 'lab'
    },
    { immediate: true }
  )

  function setClusterDefaults(patch: Partial<ClusterDefaults>): void {
    clusterDefaults.value = sanitizeClusterDefaults({ ...clusterDefaults.value, ...patch }, clusterDefaults.value)
    defaultsSource.value = 'saved'
    writeStorage(CLUSTER_DEFAULTS_STORAGE_KEY, JSON.stringify(clusterDefaults.value))
  }

  /** Forget the saved choice: follow the lab's offer again. */
  function resetClusterDefaults(): void {
    writeStorage(CLUSTER_DEFAULTS_STORAGE_KEY, null)
    const offer = labInfo.value?.clusterDefaults
    clusterDefaults.value = offer ? sanitizeClusterDefaults(offer) : { ...BUILTIN_CLUSTER_DEFAULTS }
    defaultsSource.value = offer ? 'lab' : 'builtin'
  }

  /**
   * Pick a language, or 'system' to follow the OS again. Answers the locale to show; the
   * caller sets it on its i18n composer (stores have none).
   */
  function chooseLocale(choice: LocaleChoice): AppLocale {
    localeChoice.value = choice
    const effective = choice === 'system' ? detectLocale(null, browserLanguages()) : choice
    writeStorage(LOCALE_STORAGE_KEY, choice === 'system' ? null : choice)
    document.documentElement.lang = effective
    return effective
  }

  /** The header's switch saves a choice too: keep ours in step when the page is shown. */
  function syncLocaleChoice(): void {
    const s = readStorage(LOCALE_STORAGE_KEY)
    localeChoice.value = isAppLocale(s) ? s : 'system'
  }

  let lab: LabApi | null = null
  const api = (): LabApi => (lab ??= getLab())
  async function call<T>(fn: (l: LabApi) => Promise<Result<T>>): Promise<{ value: T } | { error: LabError }> {
    let r: Result<T>
    try {
      r = await fn(api())
    } catch (err) {
      r = { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } }
    }
    return r.ok ? { value: r.value } : { error: r.error }
  }

  /** The alert rules in effect (they exist only with a cluster: null without one). */
  async function loadAlerts(): Promise<void> {
    alertsLoading.value = true
    try {
      const r = await call((l) => l.alerts.get())
      if ('value' in r) alerts.value = r.value
      else {
        alerts.value = null
        if (r.error.code !== 'NO_CLUSTER') lastError.value = r.error
      }
    } finally {
      alertsLoading.value = false
    }
  }

  async function openDataDir(): Promise<boolean> {
    if (openingDataDir.value) return false
    openingDataDir.value = true
    lastError.value = null
    try {
      const r = await call((l) => l.lab.openDataDir())
      if ('error' in r) {
        lastError.value = r.error
        return false
      }
      return true
    } finally {
      openingDataDir.value = false
    }
  }

  function dismissError(): void {
    lastError.value = null
  }

  function onEvents(batch: readonly LabEvent[]): void {
    let last: LabEvent | null = null
    for (const e of batch) if (e.type === 'metrics.sample') last = e
    if (last?.type === 'metrics.sample') {
      scrapeIntervalMs.value = last.sample.intervalMs
      lastScrapeAt.value = last.sample.at
    }
  }

  function onReset(): void {
    scrapeIntervalMs.value = null
    lastScrapeAt.value = null
    alerts.value = null
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
    clusterDefaults,
    defaultsSource,
    localeChoice,
    scrapeIntervalMs,
    lastScrapeAt,
    alerts,
    alertsLoading,
    openingDataDir,
    lastError,
    labInfo,
    host,
    dataRoot,
    canOpenDataDir,
    init,
    setClusterDefaults,
    resetClusterDefaults,
    chooseLocale,
    syncLocaleChoice,
    loadAlerts,
    openDataDir,
    dismissError
  }
})
