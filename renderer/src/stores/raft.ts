/**
 * Live Raft facts per lab node (role, term, leader, commit / applied / last index, learner,
 * last heartbeat, CPU and memory), for every view that shows them.
 *
 * Sources, in order of authority:
 *  - `cluster.status`, polled about once a second while a cluster runs (live only): each
 *    node's own report;
 *  - `raft` trace events: role, term and commit moves applied at once, so a new leader shows
 *    within one event batch instead of the next poll; `msgReceived` of a MsgHeartbeat / MsgApp
 *    gives a follower's last contact with its leader (sampled at full speed: the age is then
 *    only as fine as the sample);
 *  - `metrics.sample`: CPU and RSS.
 *
 * API: `facts` (NodeId → RaftFacts, replaced per batch), `factsOf(id)`, `roleOf(node)`,
 * `leader` ({ id, term } | null), `maxTerm`, `init()`, `poll()`, `applyViews(views)` (for
 * answers that carry NodeRaftView[]) and `transferLeader(id)`. Reset with the feed.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, shallowRef, watch } from 'vue'
import type { LabEvent, NodeId, NodeInfo, NodeRaftView } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import {
  applyMetrics,
  applyRaftEvent,
  applyStatus,
  currentLeader,
  displayRole,
  downedNode,
  emptyFacts,
  highestTerm,
  markDown,
  type DisplayRole,
  type RaftFacts
} from './raft-model'

export type { DisplayRole, RaftFacts } from './raft-model'

/** How often `cluster.status` is asked while a cluster runs. */
export const RAFT_POLL_MS = 1000

export const useRaftStore = defineStore('raft', () => {
  const feed = useFeedStore()
  const cluster = useClusterStore()
  /** NodeId → facts; a new Map per change so views re-render once per batch. */
  const facts = shallowRef<ReadonlyMap<NodeId, RaftFacts>>(new Map())

  const members = (): readonly Pick<NodeInfo, 'id' | 'address'>[] => cluster.cluster?.nodes ?? []
  const runningIds = computed(
    () => new Set((cluster.cluster?.nodes ?? []).filter((n) => n.state === 'up' || n.state === 'starting').map((n) => n.id))
  )
  const list = computed(() => [...facts.value.values()])
  /** The leader as the running nodes report it (highest term wins), or null. */
  const leader = computed(() => currentLeader(list.value, runningIds.value))
  const maxTerm = computed(() => highestTerm(list.value))

  function factsOf(id: NodeId): RaftFacts | undefined {
    return facts.value.get(id)
  }

  function roleOf(node: Pick<NodeInfo, 'id' | 'state'>): DisplayRole {
    return displayRole(node, facts.value.get(node.id))
  }

  /** Apply `update` to each named node, committing one new Map if anything changed. */
  function mutate(run: (get: (id: NodeId) => RaftFacts, set: (f: RaftFacts) => void) => void): void {
    let next: Map<NodeId, RaftFacts> | null = null
    const get = (id: NodeId): RaftFacts => (next ?? facts.value).get(id) ?? emptyFacts(id)
    const set = (f: RaftFacts): void => {
      if ((next ?? facts.value).get(f.nodeId) === f) return
      next ??= new Map(facts.value)
      next.set(f.nodeId, f)
    }
    run(get, set)
    if (next) facts.value = next
  }

  /** Fold answers that carry every node's view (a poll, or node.transferLeader's answer). */
  function applyViews(views: readonly NodeRaftView[], askedAt?: number): void {
    const at = feed.now()
    const known = new Set(members().map((m) => m.id))
    mutate((get, set) => {
      for (const v of views) if (known.has(v.nodeId)) set(applyStatus(get(v.nodeId), v, members(), at, askedAt ?? at))
    })
  }

  function onEvents(batch: readonly LabEvent[]): void {
    let created = false
    mutate((get, set) => {
      for (const e of batch) {
        if (e.type === 'cluster.created') {
          created = true
          continue
        }
        if (e.type === 'raft') {
          set(applyRaftEvent(get(e.nodeId), e.event, members(), e.nodeTs))
          continue
        }
        if (e.type === 'metrics.sample') {
          for (const n of e.sample.nodes) set(applyMetrics(get(n.nodeId), e.sample))
          continue
        }
        // A wiped node lost its log and term with its disk: it starts over from nothing.
        if (e.type === 'node.wiped') set(emptyFacts(e.nodeId))
        else {
          const down = downedNode(e)
          if (down !== null) set(markDown(get(down)))
        }
      }
    })
    // A new run: the old facts describe other processes. (Applied after the batch so its own
    // events, which come after cluster.created, are kept: replay them on an empty map.)
    if (created) {
      const i = batch.findLastIndex((e) => e.type === 'cluster.created')
      facts.value = new Map()
      onEvents(batch.slice(i + 1))
    }
  }

  function onReset(): void {
    facts.value = new Map()
  }

  let polling = false
  /** Ask every node for its Raft view once (skipped while the last ask is in flight). */
  async function poll(): Promise<void> {
    if (polling || !feed.live) return
    polling = true
    try {
      const askedAt = feed.now()
      const r = await getLab().cluster.status()
      // A failed poll (no cluster, busy) says nothing new; the next one will.
      if (r.ok) applyViews(r.value, askedAt)
    } catch {
      // Transport hiccup: the connection banner says so; keep the last facts.
    } finally {
      polling = false
    }
  }

  /** Ask the leader to hand over to `nodeId`; the answer (every node's view) is applied. */
  async function transferLeader(nodeId: NodeId): Promise<boolean> {
    const askedAt = feed.now()
    const answer = await cluster.withNode(nodeId, (l) => l.node.transferLeader({ nodeId }))
    if (answer) applyViews(answer.value, askedAt)
    return answer !== null
  }

  const cleanups: Array<() => void> = []
  let initialized = false
  let timer: ReturnType<typeof setInterval> | null = null

  function setPolling(on: boolean): void {
    if (on && !timer) {
      timer = setInterval(() => void poll(), RAFT_POLL_MS)
      void poll()
    } else if (!on && timer) {
      clearInterval(timer)
      timer = null
    }
  }

  /** Subscribe to the feed and poll while a cluster runs (idempotent). */
  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset }))
    const stopWatch = watch(
      () => {
        const s = cluster.cluster?.state
        return feed.live && cluster.connected && (s === 'starting' || s === 'running')
      },
      setPolling,
      { immediate: true }
    )
    cleanups.push(stopWatch, () => setPolling(false))
  }

  onScopeDispose(() => {
    for (const c of cleanups.splice(0)) c()
  })

  return { facts, leader, maxTerm, factsOf, roleOf, applyViews, poll, transferLeader, init }
})
