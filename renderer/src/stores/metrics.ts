/**
 * The metrics view's state: a ring of MetricsSamples (one a second, the last hour), the alert
 * rules with their live state, and a ring of alert transitions (firing / resolved).
 *
 * Samples come from the feed (`metrics.sample`) and, on load, from `metrics.get` so a page that
 * opens late is not empty. "Now" is `feed.now()`: the wall clock live, the replay's position in
 * a replay, so the chart window follows whichever story is being told.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import {
  ALERT_RULE_IDS,
  type AlertRule,
  type AlertRuleId,
  type AlertStatus,
  type LabApi,
  type LabError,
  type LabEvent,
  type MetricsSample,
  type Result
} from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useFeedStore } from './feed'

/** Samples kept: one hour at one a second (the lab keeps the same). */
export const MAX_SAMPLES = 3600
/** Alert transitions kept. */
export const MAX_HISTORY = 200
/** The window choices of the charts. */
export const METRICS_WINDOWS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const
export type MetricsWindowMs = (typeof METRICS_WINDOWS_MS)[number]
export const DEFAULT_WINDOW_MS: MetricsWindowMs = 5 * 60_000
/** The narrowest span the charts' axis shows. */
export const MIN_AXIS_SPAN_MS = 60_000
/** The elections rule counts leader changes over the last hour (seed §8.1: > 5 an hour). */
export const ELECTIONS_WINDOW_MS = 3_600_000
/** How often the open view asks for the rules' state (pending is only known to the lab). */
export const ALERT_POLL_MS = 2000

export type AlertState = AlertStatus['state']

/** What the panel shows of one rule now. */
export interface AlertRuleView {
  id: AlertRuleId
  /** The rule's settings; null until the lab told us (no cluster yet, or a replay). */
  rule: AlertRule | null
  state: AlertState
  /** The figure the rule judges, as of the latest sample. */
  value: number | null
  /** The threshold in force (quorum-lost with threshold 0: the cluster's quorum). */
  threshold: number | null
  since: number | null
}

export interface AlertHistoryEntry {
  /** Unique within the page (the event's seq). */
  key: number
  rule: AlertRuleId
  state: 'firing' | 'resolved'
  value: number | null
  threshold: number
  at: number
}

interface LiveState {
  state: AlertState
  since: number | null
  value: number | null
  threshold: number | null
}

const isWindow = (v: number): v is MetricsWindowMs => (METRICS_WINDOWS_MS as readonly number[]).includes(v)

/** Insert `incoming` (any order) into `current` (time order), dropping duplicates by `at`; keep the last `max`. */
export function mergeSamples(current: readonly MetricsSample[], incoming: readonly MetricsSample[], max = MAX_SAMPLES): { samples: MetricsSample[]; evicted: number } {
  if (incoming.length === 0) return { samples: current as MetricsSample[], evicted: 0 }
  const last = current.at(-1)?.at ?? Number.NEGATIVE_INFINITY
  let merged: MetricsSample[]
  const sorted = [...incoming].sort((a, b) => a.at - b.at)
  if (sorted[0]!.at > last) {
    // The usual case (live): newer samples append.
    merged = [...current, ...sorted]
  } else {
    const byAt = new Map<number, MetricsSample>()
    for (const s of current) byAt.set(s.at, s)
    for (const s of sorted) byAt.set(s.at, s)
    merged = [...byAt.values()].sort((a, b) => a.at - b.at)
  }
  const evicted = Math.max(0, merged.length - max)
  return { samples: evicted > 0 ? merged.slice(evicted) : merged, evicted }
}

/** The figure each rule judges, from a sample (as the lab's alert engine reads it). */
export function ruleValue(id: AlertRuleId, latest: MetricsSample, samples: readonly MetricsSample[]): number | null {
  switch (id) {
    case 'quorum-lost':
      return latest.cluster.nodesUp
    case 'latency-high':
      return latest.cluster.p99Ms
    case 'error-rate-high':
      return latest.cluster.errorRate
    case 'elections-frequent': {
      let n = 0
      for (const s of samples) if (latest.at - s.at < ELECTIONS_WINDOW_MS) n += s.cluster.leaderChanges
      return n
    }
  }
}

/** The threshold in force: quorum-lost's 0 means "the cluster's quorum". */
export function effectiveThreshold(rule: AlertRule, latest: MetricsSample | null): number | null {
  if (rule.id === 'quorum-lost' && rule.threshold === 0) return latest?.cluster.quorum ?? null
  return rule.threshold
}

const emptyLive = (): Record<AlertRuleId, LiveState> =>
  Object.fromEntries(ALERT_RULE_IDS.map((id) => [id, { state: 'ok', since: null, value: null, threshold: null }])) as unknown as Record<AlertRuleId, LiveState>

export const useMetricsStore = defineStore('metrics', () => {
  const feed = useFeedStore()

  const samples = shallowRef<MetricsSample[]>([])
  /** Samples dropped from the ring since the story began (shown: older data is gone). */
  const evicted = ref(0)
  const windowMs = ref<MetricsWindowMs>(DEFAULT_WINDOW_MS)
  /** The right edge of the charts: feed.now() at the last batch or tick. */
  const now = ref(feed.now())
  const rules = ref<Partial<Record<AlertRuleId, AlertRule>>>({})
  const live = ref<Record<AlertRuleId, LiveState>>(emptyLive())
  const history = shallowRef<AlertHistoryEntry[]>([])
  const historyEvicted = ref(0)
  const loading = ref(false)
  const lastError = ref<LabError | null>(null)
  const savingRule = ref<AlertRuleId | null>(null)
  /** The lab's answer to the last save of each rule, when it refused it. */
  const ruleErrors = ref<Partial<Record<AlertRuleId, LabError>>>({})

  const latest = computed(() => samples.value.at(-1) ?? null)
  /**
   * The charts' right edge. Live, a sample stamped by the lab's clock a few ms ahead of this
   * page's must still show; in replay nothing exists past the replay clock.
   */
  const windowEnd = computed(() => (feed.live ? Math.max(now.value, latest.value?.at ?? 0) : now.value))
  const windowStart = computed(() => windowEnd.value - windowMs.value)
  const visibleSamples = computed(() => {
    const from = windowStart.value
    const to = windowEnd.value
    const all = samples.value
    let i = all.length
    while (i > 0 && all[i - 1]!.at >= from) i--
    return all.slice(i).filter((s) => s.at <= to)
  })
  /**
   * The charts' x axis. A young series starts at the left edge and fills at least a minute
   * towards the right, like a recorder, instead of a few seconds squeezed against the right.
   */
  const axisFrom = computed(() => Math.max(windowStart.value, visibleSamples.value[0]?.at ?? windowStart.value))
  const axisTo = computed(() => Math.max(windowEnd.value, axisFrom.value + MIN_AXIS_SPAN_MS))
  /** The ring is full: the oldest samples are being dropped. */
  const full = computed(() => samples.value.length >= MAX_SAMPLES)

  const alertRows = computed<AlertRuleView[]>(() =>
    ALERT_RULE_IDS.map((id) => {
      const rule = rules.value[id] ?? null
      const l = live.value[id]
      const last = latest.value
      // The latest sample is newer than any poll: judge its value, as the lab will.
      const value = last ? ruleValue(id, last, samples.value) : l.value
      const threshold = rule ? effectiveThreshold(rule, last) : l.threshold
      return { id, rule, state: rule && !rule.enabled ? 'ok' : l.state, value, threshold, since: l.since }
    })
  )
  const firingCount = computed(() => alertRows.value.filter((r) => r.state === 'firing').length)

  let lab: LabApi | null = null
  let initialized = false
  let pollTimer: ReturnType<typeof setInterval> | null = null
  let pollers = 0
  /** Bumped on reset: answers to requests of an older story are dropped. */
  let generation = 0
  const cleanups: Array<() => void> = []

  function api(): LabApi {
    lab ??= getLab()
    return lab
  }

  /** One LabApi call; a failure is returned (never thrown). */
  async function call<T>(run: (lab: LabApi) => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await run(api())
    } catch (err) {
      return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } }
    }
  }

  function addSamples(incoming: readonly MetricsSample[]): void {
    const r = mergeSamples(samples.value, incoming)
    samples.value = r.samples
    evicted.value += r.evicted
  }

  function applyStatuses(list: readonly AlertStatus[]): void {
    const nextRules: Partial<Record<AlertRuleId, AlertRule>> = {}
    const nextLive = { ...live.value }
    for (const s of list) {
      nextRules[s.rule.id] = { ...s.rule }
      nextLive[s.rule.id] = { state: s.state, since: s.since, value: s.value, threshold: effectiveThreshold(s.rule, latest.value) }
    }
    rules.value = nextRules
    live.value = nextLive
  }

  function onEvents(batch: readonly LabEvent[]): void {
    const incoming: MetricsSample[] = []
    const transitions: AlertHistoryEntry[] = []
    let newRun = false
    for (const e of batch) {
      if (e.type === 'metrics.sample') incoming.push(e.sample)
      else if (e.type === 'alert') transitions.push({ key: e.seq, rule: e.rule, state: e.state, value: e.value, threshold: e.threshold, at: e.ts })
      else if (e.type === 'cluster.created') newRun = true
    }
    // Most batches are Raft traffic: leave the charts alone unless this one concerns them.
    if (incoming.length === 0 && transitions.length === 0 && !newRun) return
    if (newRun) {
      // A new run has new nodes and default rules: its charts and rule states start afresh.
      samples.value = []
      evicted.value = 0
      rules.value = {}
      live.value = emptyLive()
      if (feed.live) void refreshAlerts()
    }
    addSamples(incoming)
    if (transitions.length > 0) {
      const nextLive = { ...live.value }
      for (const t of transitions) {
        nextLive[t.rule] = { state: t.state === 'firing' ? 'firing' : 'ok', since: t.at, value: t.value, threshold: t.threshold }
      }
      live.value = nextLive
      // Newest first, as the panel lists them.
      const next = [...transitions.reverse(), ...history.value]
      historyEvicted.value += Math.max(0, next.length - MAX_HISTORY)
      history.value = next.slice(0, MAX_HISTORY)
    }
    now.value = feed.now()
    lastBatchAt = now.value
  }

  function onReset(): void {
    generation++
    samples.value = []
    evicted.value = 0
    rules.value = {}
    live.value = emptyLive()
    history.value = []
    historyEvicted.value = 0
    lastError.value = null
    ruleErrors.value = {}
    now.value = feed.now()
    if (feed.live) void load()
  }

  /** Fetch the alert rules and their state (live only: a replay has no lab to ask). */
  async function refreshAlerts(): Promise<void> {
    if (!feed.live) return
    const gen = generation
    const r = await call((l) => l.alerts.get())
    if (gen !== generation) return
    if (r.ok) applyStatuses(r.value)
    // No cluster yet: nothing to judge; the rules appear once a cluster exists.
    else if (r.error.code !== 'NO_CLUSTER') lastError.value = r.error
  }

  /** Load the last hour of samples and the alert state from the lab (live only). */
  async function load(): Promise<void> {
    if (!feed.live) return
    const gen = generation
    loading.value = true
    try {
      const since = feed.now() - METRICS_WINDOWS_MS.at(-1)!
      const [got] = await Promise.all([call((l) => l.metrics.get({ since })), refreshAlerts()])
      if (gen !== generation) return
      if (got.ok) addSamples(got.value)
      else if (got.error.code !== 'NO_CLUSTER') lastError.value = got.error
      now.value = feed.now()
    } finally {
      loading.value = false
    }
  }

  let lastBatchAt = Number.NEGATIVE_INFINITY

  /** Slide the window when no batch did it lately (a stopped cluster, a paused replay). */
  function tick(): void {
    const t = feed.now()
    // Samples arrive every second and move `now` themselves; a second redraw would be waste.
    if (Math.abs(t - lastBatchAt) < 900) return
    now.value = t
  }

  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset }))
    // The window slides even when no sample arrives (a stopped cluster, a paused replay).
    const timer = setInterval(tick, 1000)
    cleanups.push(() => clearInterval(timer))
    void load()
  }

  /**
   * While a view shows the rules, ask the lab for their state every ALERT_POLL_MS: "pending"
   * (breached, waiting out its for-duration) is only known there. Returns the stop function.
   */
  function watchAlerts(): () => void {
    pollers++
    pollTimer ??= setInterval(() => void refreshAlerts(), ALERT_POLL_MS)
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      pollers--
      if (pollers === 0 && pollTimer) {
        clearInterval(pollTimer)
        pollTimer = null
      }
    }
  }

  function setWindow(ms: number): void {
    if (isWindow(ms)) windowMs.value = ms
  }

  /** Send a rule's new settings; true when the lab took them. A refusal lands in ruleErrors[id]. */
  async function configureRule(id: AlertRuleId, patch: Partial<Omit<AlertRule, 'id'>>): Promise<boolean> {
    if (savingRule.value !== null) return false
    savingRule.value = id
    const { [id]: _dropped, ...rest } = ruleErrors.value
    ruleErrors.value = rest
    try {
      const r = await call((l) => l.alerts.configure({ rules: [{ ...patch, id }] }))
      if (r.ok) {
        applyStatuses(r.value)
        return true
      }
      ruleErrors.value = { ...ruleErrors.value, [id]: r.error }
      return false
    } finally {
      savingRule.value = null
    }
  }

  function dismissError(): void {
    lastError.value = null
  }

  onScopeDispose(() => {
    for (const c of cleanups.splice(0)) c()
    if (pollTimer) clearInterval(pollTimer)
    pollTimer = null
  })

  return {
    samples,
    evicted,
    windowMs,
    now,
    rules,
    history,
    historyEvicted,
    loading,
    lastError,
    savingRule,
    ruleErrors,
    windowStart,
    windowEnd,
    axisFrom,
    axisTo,
    visibleSamples,
    latest,
    full,
    alertRows,
    firingCount,
    init,
    load,
    refreshAlerts,
    watchAlerts,
    setWindow,
    configureRule,
    dismissError
  }
})
