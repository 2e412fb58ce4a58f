/**
 * The data view's state: each node's own copy of the registry and the configs (`node.data`),
 * polled every second while the view is shown, and where the copies diverge.
 *
 * A node that stops answering keeps its last copy (the view greys it out): a crashed or
 * frozen node's data is exactly what it will serve again when it comes back. Node data is
 * read live from the nodes; it is not part of a recorded run, so replay shows none.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { DataView, LabEvent, NodeId } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useClusterStore } from './cluster'
import { diffData, filterDiffRows } from './data-diff'
import { useFeedStore } from './feed'

export const DATA_POLL_MS = 1000

export interface NodeDataState {
  nodeId: NodeId
  /** The last copy the node gave; null until it answers once. */
  data: DataView | null
  /** It answered the last time we asked. */
  answering: boolean
  /** Why it did not (the lab's message), when it did not. */
  error: string | null
  /** feed.now() of the last answer. */
  fetchedAt: number | null
}

export const useDataStore = defineStore('data', () => {
  const feed = useFeedStore()
  const cluster = useClusterStore()

  /** One entry per node of the cluster, by id. */
  const copies = shallowRef<NodeDataState[]>([])
  const filterText = ref('')
  const divergentOnly = ref(false)

  const diff = computed(() => diffData(copies.value))
  const configs = computed(() => filterDiffRows(diff.value.configs, filterText.value, divergentOnly.value))
  const instances = computed(() => filterDiffRows(diff.value.instances, filterText.value, divergentOnly.value))
  const divergentCount = computed(() => diff.value.configs.filter((r) => r.divergent).length + diff.value.instances.filter((r) => r.divergent).length)

  let generation = 0
  let runId: string | null = null
  const inFlight = new Set<NodeId>()
  let viewers = 0
  let timer: ReturnType<typeof setInterval> | null = null
  let initialized = false
  const cleanups: Array<() => void> = []

  function update(nodeId: NodeId, patch: Partial<NodeDataState>): void {
    copies.value = copies.value.map((c) => (c.nodeId === nodeId ? { ...c, ...patch } : c))
  }

  /** Match the cluster's node list: keep known copies, add new nodes, forget removed ones. */
  function syncNodes(): void {
    const info = cluster.cluster
    if (!info || info.runId !== runId) {
      if (runId !== null || copies.value.length > 0) reset()
      runId = info?.runId ?? null
    }
    const ids = info?.nodes.map((n) => n.id) ?? []
    const have = new Map(copies.value.map((c) => [c.nodeId, c]))
    const same = ids.length === copies.value.length && ids.every((id, i) => copies.value[i]!.nodeId === id)
    if (!same) copies.value = ids.map((id) => have.get(id) ?? { nodeId: id, data: null, answering: false, error: null, fetchedAt: null })
  }

  async function fetchNode(nodeId: NodeId, gen: number): Promise<void> {
    inFlight.add(nodeId)
    try {
      let answer
      try {
        answer = await getLab().node.data({ nodeId })
      } catch (err) {
        answer = { ok: false as const, error: { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) } }
      }
      if (gen !== generation) return
      if (answer.ok) update(nodeId, { data: answer.value, answering: true, error: null, fetchedAt: feed.now() })
      else update(nodeId, { answering: false, error: answer.error.message })
    } finally {
      inFlight.delete(nodeId)
    }
  }

  /** Ask every node that is up for its copy (one request per node at a time). */
  async function pollNow(): Promise<void> {
    if (!feed.live) return
    syncNodes()
    const gen = generation
    const asks: Promise<void>[] = []
    for (const node of cluster.cluster?.nodes ?? []) {
      if (node.state !== 'up') {
        const c = copies.value.find((x) => x.nodeId === node.id)
        if (c?.answering) update(node.id, { answering: false, error: null })
        continue
      }
      if (!inFlight.has(node.id)) asks.push(fetchNode(node.id, gen))
    }
    await Promise.all(asks)
  }

  /** The view calls this while shown; returns the function that stops it. */
  function startPolling(): () => void {
    viewers++
    if (viewers === 1) {
      timer = setInterval(() => void pollNow(), DATA_POLL_MS)
      void pollNow()
    }
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      viewers--
      if (viewers === 0 && timer) {
        clearInterval(timer)
        timer = null
      }
    }
  }

  function reset(): void {
    generation++
    copies.value = []
    runId = null
  }

  function onEvents(batch: readonly LabEvent[]): void {
    for (const e of batch) {
      if (e.type === 'cluster.created') reset()
      else if (e.type === 'node.exited' || e.type === 'node.paused') {
        if (copies.value.some((c) => c.nodeId === e.nodeId && c.answering)) update(e.nodeId, { answering: false, error: null })
      } else if (e.type === 'member.removed') copies.value = copies.value.filter((c) => c.nodeId !== e.nodeId)
    }
  }

  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset: reset }))
  }

  onScopeDispose(() => {
    if (timer) clearInterval(timer)
    timer = null
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  return {
    copies,
    filterText,
    divergentOnly,
    diff,
    configs,
    instances,
    divergentCount,
    init,
    pollNow,
    startPolling,
    reset
  }
})
