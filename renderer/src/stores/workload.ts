/**
 * The lab's client workload: its state and spec (`workload.get`, `workload.state` events),
 * the last minute of per-interval stats (`workload.stats`, a ring of STATS_KEPT), and the
 * start / update / stop calls. Reset with the feed.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { LabEvent, WorkloadInfo, WorkloadSpec, WorkloadSpecInput, WorkloadState, WorkloadStats } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'

/** Stats intervals kept (about one a second: the last minute). */
export const STATS_KEPT = 60

/** What the map offers first: a gentle mixed load that a 3-node cluster takes easily. */
export const DEFAULT_RATE = 50

export type WorkloadAction = 'start' | 'update' | 'stop'

export const useWorkloadStore = defineStore('workload', () => {
  const feed = useFeedStore()
  const cluster = useClusterStore()
  const state = ref<WorkloadState>('idle')
  const spec = shallowRef<WorkloadSpec | null>(null)
  const stats = shallowRef<WorkloadStats[]>([])
  const pending = ref<WorkloadAction | null>(null)

  const last = computed(() => stats.value.at(-1) ?? null)
  const running = computed(() => state.value === 'running')

  function pushStats(batch: readonly WorkloadStats[]): void {
    if (batch.length === 0) return
    stats.value = [...stats.value, ...batch].slice(-STATS_KEPT)
  }

  function applyInfo(info: WorkloadInfo): void {
    state.value = info.state
    spec.value = info.spec
    if (info.last && info.last.at !== stats.value.at(-1)?.at) pushStats([info.last])
  }

  function onEvents(batch: readonly LabEvent[]): void {
    const fresh: WorkloadStats[] = []
    for (const e of batch) {
      if (e.type === 'workload.state') {
        state.value = e.state
        spec.value = e.spec
      } else if (e.type === 'workload.stats') fresh.push(e.stats)
      else if (e.type === 'cluster.created') {
        // The lab stops the workload with the cluster; a new run starts clean.
        state.value = 'idle'
        stats.value = []
      }
    }
    pushStats(fresh)
  }

  async function refresh(): Promise<void> {
    if (!feed.live) return
    try {
      const r = await getLab().workload.get()
      if (r.ok) applyInfo(r.value)
    } catch {
      // Transport trouble shows in the connection banner.
    }
  }

  function onReset(): void {
    state.value = 'idle'
    spec.value = null
    stats.value = []
    if (feed.live) void refresh()
  }

  async function act(action: WorkloadAction, run: () => Promise<{ value: WorkloadInfo } | null>): Promise<boolean> {
    if (pending.value) return false
    pending.value = action
    cluster.dismissError()
    try {
      const answer = await run()
      if (answer) applyInfo(answer.value)
      return answer !== null
    } finally {
      pending.value = null
    }
  }

  /** Start the workload with these fields (the rest keep the lab's defaults). */
  function start(input: WorkloadSpecInput): Promise<boolean> {
    return act('start', () => cluster.call((l) => l.workload.start(input)))
  }

  /** Change a running workload's rate or routing without stopping it. */
  function update(input: WorkloadSpecInput): Promise<boolean> {
    return act('update', () => cluster.call((l) => l.workload.update(input)))
  }

  function stop(): Promise<boolean> {
    return act('stop', () => cluster.call((l) => l.workload.stop()))
  }

  const cleanups: Array<() => void> = []
  let initialized = false

  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset }))
    cleanups.push(
      watch(
        () => cluster.connected,
        (connected) => {
          if (connected) void refresh()
        },
        { immediate: true }
      )
    )
  }

  onScopeDispose(() => {
    for (const c of cleanups.splice(0)) c()
  })

  return { state, spec, stats, last, running, pending, start, update, stop, refresh, init }
})
