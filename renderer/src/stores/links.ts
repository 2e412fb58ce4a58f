/**
 * The peer links between nodes, one per direction: loaded with `link.list` when a cluster
 * runs, kept current by `link.fault` / `link.healed` events and by the answers of every link
 * call (cut, heal, latency, loss, presets, heal all). Reset with the feed.
 *
 * API: `faults` (key `from>to` → LinkFault, healthy links absent), `stateOf(from, to)`,
 * `faultOf(from, to)`, `setLink`, `heal`, `healAll`, `preset`, `refresh`, `init`.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, shallowRef, watch } from 'vue'
import {
  HEALTHY_LINK,
  type LabApi,
  type LabEvent,
  type LinkFault,
  type LinkInfo,
  type NodeId,
  type PresetRequest,
  type Result
} from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { applyLinkEvents, faultsOf, linkKey, linkState, type FaultMap, type LinkState } from './link-model'

export type { LinkState, PairState } from './link-model'

/** A link call in flight: a directed link key, or a preset / heal-all. */
export type LinkBusy = string | 'preset' | 'healAll'

export const useLinksStore = defineStore('links', () => {
  const feed = useFeedStore()
  const cluster = useClusterStore()
  const faults = shallowRef<FaultMap>(new Map())
  const busy = shallowRef<ReadonlySet<LinkBusy>>(new Set())

  /** How many directed peer links are not healthy. */
  const faultyCount = computed(() => faults.value.size)
  const cutCount = computed(() => [...faults.value.values()].filter((f) => f.cut !== 'none').length)

  function faultOf(from: NodeId, to: NodeId): LinkFault {
    return faults.value.get(linkKey(from, to)) ?? HEALTHY_LINK
  }

  function stateOf(from: NodeId, to: NodeId): LinkState {
    return linkState(faults.value.get(linkKey(from, to)))
  }

  function isBusy(key: LinkBusy): boolean {
    return busy.value.has(key)
  }

  /** Run one link call; its answer (every link) replaces what we hold. */
  async function linkCall(key: LinkBusy, run: (l: LabApi) => Promise<Result<LinkInfo[]>>): Promise<boolean> {
    if (busy.value.has(key)) return false
    busy.value = new Set([...busy.value, key])
    cluster.dismissError()
    try {
      const answer = await cluster.call(run)
      if (answer) faults.value = faultsOf(answer.value)
      return answer !== null
    } finally {
      const next = new Set(busy.value)
      next.delete(key)
      busy.value = next
    }
  }

  /** Set the fault of one direction (fields left out are healthy). */
  function setLink(from: NodeId, to: NodeId, fault: Partial<LinkFault>): Promise<boolean> {
    return linkCall(linkKey(from, to), (l) => l.link.set({ from, to, fault }))
  }

  function heal(from: NodeId, to: NodeId): Promise<boolean> {
    return linkCall(linkKey(from, to), (l) => l.link.heal({ from, to }))
  }

  function healAll(): Promise<boolean> {
    return linkCall('healAll', (l) => l.link.healAll())
  }

  /** A partition preset; it replaces the current partition (the lab heals cut links first). */
  function preset(req: PresetRequest): Promise<boolean> {
    return linkCall('preset', (l) => l.link.preset(req))
  }

  let loading = false
  /** Read every link from the lab (no error shown when there is no cluster to ask). */
  async function refresh(): Promise<void> {
    if (loading || !feed.live) return
    loading = true
    try {
      const r = await getLab().link.list()
      if (r.ok) faults.value = faultsOf(r.value)
    } catch {
      // The connection banner reports transport trouble; events keep us current meanwhile.
    } finally {
      loading = false
    }
  }

  function onEvents(batch: readonly LabEvent[]): void {
    const next = applyLinkEvents(faults.value, batch)
    if (next !== faults.value) faults.value = next
  }

  function onReset(): void {
    faults.value = new Map()
    if (feed.live) void refresh()
  }

  const cleanups: Array<() => void> = []
  let initialized = false

  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset }))
    // Links exist while the run does; reload them when a run starts or the page reconnects.
    cleanups.push(
      watch(
        () => [cluster.cluster?.runId, cluster.live, cluster.connected] as const,
        ([runId, live, connected]) => {
          if (runId && live && connected) void refresh()
        },
        { immediate: true }
      )
    )
  }

  onScopeDispose(() => {
    for (const c of cleanups.splice(0)) c()
  })

  return { faults, faultyCount, cutCount, faultOf, stateOf, isBusy, setLink, heal, healAll, preset, refresh, init }
})
