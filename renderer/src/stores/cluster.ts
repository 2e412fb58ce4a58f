/**
 * The cluster as the UI sees it: the latest snapshot kept current by LabEvents, the lab
 * connection, a bounded event log and the "nodes up" series for the chart.
 *
 * Every LabApi answer goes through `call()`: a failed Result (or a host that throws) lands
 * in `lastError`, which the UI shows until dismissed or the next action starts.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type {
  ClusterInfo,
  ClusterSettings,
  LabApi,
  LabError,
  LabEvent,
  LabInfo,
  NodeId,
  NodeInfo,
  Result
} from '../../../electron/lab/api'
import { getLab, getLabConnection, type ConnectionState, type LabMode } from '../api/lab-client'
import { applyEvent, countUp, majorityOf, mergeCluster, mergeNode } from './cluster-model'
import { useFeedStore } from './feed'

/** Events kept for the log panel. */
export const MAX_EVENTS = 500
/** How far back the "nodes up" series reaches. */
export const SERIES_WINDOW_MS = 10 * 60_000
/** The series gets a sample this often while a cluster exists, so the chart keeps moving. */
export const SAMPLE_INTERVAL_MS = 1000

/** One point of the "nodes up" series: from `t` on, `up` nodes were up. */
export interface UpSample {
  t: number
  up: number
}

/** A cluster-wide action in flight (drives the buttons' busy labels). */
export type ClusterAction = 'start' | 'stop' | 'reset' | 'settings' | 'addNode'

/** What one node can be asked to do from the map (each a LabApi `node.*` method). */
export type NodeActionKind = 'crash' | 'stop' | 'start' | 'restart' | 'pause' | 'resume' | 'wipe'

export const useClusterStore = defineStore('cluster', () => {
  const cluster = ref<ClusterInfo | null>(null)
  const labInfo = ref<LabInfo | null>(null)
  const pendingAction = ref<ClusterAction | null>(null)
  const busyNodeIds = ref<NodeId[]>([])
  const lastError = ref<LabError | null>(null)
  const connectionMode = ref<LabMode>('electron')
  const connection = ref<ConnectionState>('open')
  const hasToken = ref(true)
  /** The bridge was lost and has not come back yet (so "connecting" means "reconnecting"). */
  const reconnecting = ref(false)
  // shallowRef + replacement: these grow by batches and are read whole by the views, so
  // deep proxies over hundreds of plain records would only cost time.
  const events = shallowRef<LabEvent[]>([])
  const series = shallowRef<UpSample[]>([])
  /**
   * Wall ms of the last settings change of this run (null: none since it was created). A node
   * started before it still runs the old settings: they apply at each node's next start.
   */
  const settingsChangedAt = ref<number | null>(null)
  /** The lab said pausing is unsupported here (Windows has no SIGSTOP). */
  const pauseUnsupported = ref(false)

  const feed = useFeedStore()
  const busy = computed(() => pendingAction.value !== null)
  const size = computed(() => cluster.value?.size ?? 0)
  /** Any node process exists (not every node needs to be up): nodes can be acted on. */
  const live = computed(() => cluster.value?.state === 'starting' || cluster.value?.state === 'running')
  const canPause = computed(() => !pauseUnsupported.value && labInfo.value?.platform !== 'win32')
  const upCount = computed(() => countUp(cluster.value))
  /** 0 when there is no cluster. */
  const majority = computed(() => (size.value > 0 ? majorityOf(size.value) : 0))
  const hasQuorum = computed(() => size.value > 0 && upCount.value >= majority.value)
  /** Calls can reach the engine (web mode: socket open). */
  const connected = computed(() => connection.value === 'open')
  /**
   * Web mode lost (or never got) its socket. Not for a missing token: that is an
   * UNAUTHORIZED error, and no retry will fix it.
   */
  const connectionLost = computed(
    () =>
      connectionMode.value === 'web' &&
      hasToken.value &&
      (connection.value === 'closed' || (connection.value === 'connecting' && reconnecting.value))
  )
  /**
   * Actions can reach the engine and mean something: connected, and live (while a recorded run
   * replays, the map shows the past, so every action is off).
   */
  const interactive = computed(() => connected.value && feed.live)
  const canStart = computed(
    () =>
      interactive.value &&
      !busy.value &&
      (cluster.value === null || cluster.value.state === 'created' || cluster.value.state === 'stopped')
  )
  const canStop = computed(
    () =>
      interactive.value &&
      !busy.value &&
      cluster.value !== null &&
      (cluster.value.state === 'starting' || cluster.value.state === 'running')
  )

  let lab: LabApi | null = null
  let initialized = false
  const cleanups: Array<() => void> = []

  function api(): LabApi {
    lab ??= getLab()
    return lab
  }

  /** Run one LabApi call; on failure record `lastError` and return null. Never throws. */
  async function call<T>(run: (lab: LabApi) => Promise<Result<T>>): Promise<{ value: T } | null> {
    let result: Result<T>
    try {
      result = await run(api())
    } catch (err) {
      // Hosts should never throw (Result is the contract), but a broken preload might.
      result = { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } }
    }
    if (result.ok) return { value: result.value }
    lastError.value = result.error
    if (result.error.code === 'UNSUPPORTED' && /pause|resum|SIGSTOP|SIGCONT/i.test(result.error.message)) pauseUnsupported.value = true
    return null
  }

  function pushSample(t: number, up: number): void {
    const prev = series.value
    const last = prev.at(-1)
    // Event times and the local clock can disagree by a few ms; the series must not go back.
    const at = last ? Math.max(t, last.t) : t
    let start = 0
    while (start < prev.length && prev[start]!.t < at - SERIES_WINDOW_MS) start++
    // Keep the last sample before the window so the line still starts at the window's edge.
    if (start > 0) start--
    series.value = [...prev.slice(start), { t: at, up }]
  }

  /** Append a sample when the up count differs from the last one. */
  function sampleIfChanged(t: number): void {
    if (!cluster.value) return
    const up = countUp(cluster.value)
    if (series.value.at(-1)?.up !== up) pushSample(t, up)
  }

  function setCluster(next: ClusterInfo | null): void {
    // A new run is a new story: its chart starts empty.
    if (next?.runId !== cluster.value?.runId) {
      series.value = []
      settingsChangedAt.value = null
    }
    cluster.value = next
  }

  // The live lab's answers: one that lands while a recording replays (it was asked for just
  // before) belongs to another story and must not overwrite the replayed cluster.
  function applySnapshot(info: ClusterInfo | null): void {
    if (!feed.live) return
    setCluster(info ? mergeCluster(cluster.value, info) : null)
    sampleIfChanged(feed.now())
  }

  function applyNodeSnapshot(info: NodeInfo): void {
    if (!feed.live) return
    const nodes = cluster.value?.nodes
    const i = nodes?.findIndex((n) => n.id === info.id) ?? -1
    if (!nodes || i < 0) return
    nodes.splice(i, 1, mergeNode(nodes[i], info))
    sampleIfChanged(feed.now())
  }

  /** Apply one pushed batch: state first, then one sample for the batch's net change. */
  function onEvents(batch: readonly LabEvent[]): void {
    let changedAt: number | null = null
    let resync = false
    for (const event of batch) {
      const before = cluster.value
      const upBefore = countUp(before)
      const after = applyEvent(before, event)
      if (after !== before) setCluster(after)
      if (countUp(after) !== upBefore || after !== before) changedAt = event.ts
      if (event.type === 'events.dropped') resync = true
      if (event.type === 'cluster.settings') settingsChangedAt.value = event.ts
      // A node we do not know joined (scale out): only a snapshot has its ports and home.
      if (event.type === 'member.added' && !after?.nodes.some((n) => n.id === event.nodeId)) resync = true
    }
    // One sample per batch: a batch can replay steps an answer already showed (spawned,
    // then ready), and a sample per event would draw dips that never happened.
    if (changedAt !== null) sampleIfChanged(changedAt)
    const worthy = batch.filter(isLogWorthy)
    if (worthy.length > 0) events.value = [...events.value, ...worthy].slice(-MAX_EVENTS)
    // We missed events: only a fresh snapshot tells the truth now.
    if (resync) void refresh()
  }

  function tick(): void {
    if (cluster.value) pushSample(feed.now(), countUp(cluster.value))
  }

  /** A new story (replay opened or closed): forget this one; live, reload the lab's. */
  function onReset(): void {
    cluster.value = null
    events.value = []
    series.value = []
    if (feed.live) void refresh()
  }

  /** Fetch the current cluster (and lab info) from the engine. */
  async function refresh(): Promise<void> {
    const [got, info] = await Promise.all([call((l) => l.cluster.get()), call((l) => l.lab.info())])
    if (got) applySnapshot(got.value)
    if (info) labInfo.value = info.value
  }

  /** Connect once: subscribe to events and connection state, load the snapshot, start sampling. */
  async function init(): Promise<void> {
    if (initialized) return
    initialized = true
    const conn = getLabConnection()
    connectionMode.value = conn.mode
    hasToken.value = conn.hasToken
    connection.value = conn.state
    reconnecting.value = conn.state === 'closed'
    cleanups.push(
      conn.onStateChange((state) => {
        connection.value = state
        if (state === 'closed') reconnecting.value = true
        if (state === 'open' && reconnecting.value) {
          // Back after a gap: events were lost with the socket, so reload the snapshot.
          reconnecting.value = false
          if (lastError.value?.code === 'DISCONNECTED') lastError.value = null
          void refresh()
        }
      })
    )
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset }))
    const timer = setInterval(tick, SAMPLE_INTERVAL_MS)
    cleanups.push(() => clearInterval(timer))
    await refresh()
  }

  /** Run a cluster-wide action unless another is in flight; clears the last error first. */
  async function clusterAction(action: ClusterAction, run: () => Promise<boolean>): Promise<boolean> {
    if (busy.value) return false
    pendingAction.value = action
    lastError.value = null
    try {
      return await run()
    } finally {
      pendingAction.value = null
    }
  }

  async function createAndStart(size: number, settings: Partial<ClusterSettings> | undefined): Promise<boolean> {
    const current = cluster.value
    if (!current || current.state === 'stopped') {
      const created = await call((l) => l.cluster.create({ size, ...settings }))
      if (!created) return false
      applySnapshot(created.value)
    } else if (settings && current.state === 'created' && settingsDiffer(current.settings, settings)) {
      // Created but never started (e.g. from the CLI): its conf can still take the choice.
      const set = await call((l) => l.cluster.settings(settings))
      if (!set) return false
      applySnapshot(set.value)
    }
    const started = await call((l) => l.cluster.start())
    if (!started) return false
    applySnapshot(started.value)
    return true
  }

  /**
   * Start a cluster of `size` nodes with `settings` (timing profile, PreVote, CheckQuorum),
   * creating it first when there is none or it has stopped.
   */
  function startCluster(size: number, settings?: Partial<ClusterSettings>): Promise<boolean> {
    return clusterAction('start', () => createAndStart(size, settings))
  }

  /** Reset: stop what runs, then a fresh cluster (new run, empty data) of `size`, started. */
  function resetCluster(size: number, settings?: Partial<ClusterSettings>): Promise<boolean> {
    return clusterAction('reset', async () => {
      const state = cluster.value?.state
      if (state === 'starting' || state === 'running') {
        const stopped = await call((l) => l.cluster.stop())
        if (!stopped) return false
        applySnapshot(stopped.value)
      }
      const created = await call((l) => l.cluster.create({ size, ...settings }))
      if (!created) return false
      applySnapshot(created.value)
      const started = await call((l) => l.cluster.start())
      if (!started) return false
      applySnapshot(started.value)
      return true
    })
  }

  /**
   * Change the settings of the existing cluster. The lab rewrites every node's conf now; a
   * running node reads it only at its next start (restart it, or stop and start the cluster).
   */
  function updateSettings(patch: Partial<ClusterSettings>): Promise<boolean> {
    return clusterAction('settings', async () => {
      const set = await call((l) => l.cluster.settings(patch))
      if (!set) return false
      applySnapshot(set.value)
      return true
    })
  }

  /** Scale out by one node: it joins as a learner, catches up, then is promoted to voter. */
  function addNode(): Promise<boolean> {
    return clusterAction('addNode', async () => {
      const added = await call((l) => l.cluster.addNode())
      if (!added) return false
      // The answer is one node; the cluster (size, the others' conf) changed with it.
      await refresh()
      return true
    })
  }

  async function stopCluster(): Promise<boolean> {
    if (busy.value) return false
    pendingAction.value = 'stop'
    lastError.value = null
    try {
      const stopped = await call((l) => l.cluster.stop())
      if (stopped) applySnapshot(stopped.value)
      return stopped !== null
    } finally {
      pendingAction.value = null
    }
  }

  /**
   * Run a call about one node, marking it busy meanwhile (a second action on the same node is
   * refused until the first answers). Returns the answer, or null on failure or refusal.
   */
  async function withNode<T>(nodeId: NodeId, run: (l: LabApi) => Promise<Result<T>>): Promise<{ value: T } | null> {
    if (busyNodeIds.value.includes(nodeId)) return null
    busyNodeIds.value = [...busyNodeIds.value, nodeId]
    lastError.value = null
    try {
      return await call(run)
    } finally {
      busyNodeIds.value = busyNodeIds.value.filter((id) => id !== nodeId)
    }
  }

  const NODE_CALLS: Record<NodeActionKind, (l: LabApi, nodeId: NodeId) => Promise<Result<NodeInfo>>> = {
    crash: (l, nodeId) => l.node.crash({ nodeId }),
    stop: (l, nodeId) => l.node.stop({ nodeId }),
    start: (l, nodeId) => l.node.start({ nodeId }),
    restart: (l, nodeId) => l.node.restart({ nodeId }),
    pause: (l, nodeId) => l.node.pause({ nodeId }),
    resume: (l, nodeId) => l.node.resume({ nodeId }),
    wipe: (l, nodeId) => l.node.wipe({ nodeId })
  }

  /** One `node.*` call whose answer is the node: merged into the snapshot. */
  async function nodeAction(nodeId: NodeId, kind: NodeActionKind): Promise<boolean> {
    const answer = await withNode(nodeId, (l) => NODE_CALLS[kind](l, nodeId))
    if (answer) applyNodeSnapshot(answer.value)
    return answer !== null
  }

  /** SIGKILL the node's process: a real crash, no shutdown hooks. */
  function crashNode(nodeId: NodeId): Promise<boolean> {
    return nodeAction(nodeId, 'crash')
  }

  function restartNode(nodeId: NodeId): Promise<boolean> {
    return nodeAction(nodeId, 'restart')
  }

  /** Scale in: the leader removes the member, then the lab stops its process. */
  async function removeNode(nodeId: NodeId): Promise<boolean> {
    const answer = await withNode(nodeId, (l) => l.node.remove({ nodeId }))
    if (answer) applySnapshot(answer.value)
    return answer !== null
  }

  function isNodeBusy(nodeId: NodeId): boolean {
    return busyNodeIds.value.includes(nodeId)
  }

  function dismissError(): void {
    lastError.value = null
  }

  // Pinia runs a setup store in its own effect scope; `$dispose()` (tests, HMR) ends it here.
  onScopeDispose(() => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  return {
    cluster,
    labInfo,
    pendingAction,
    busyNodeIds,
    lastError,
    connectionMode,
    connection,
    hasToken,
    reconnecting,
    events,
    series,
    settingsChangedAt,
    pauseUnsupported,
    busy,
    size,
    live,
    canPause,
    upCount,
    majority,
    hasQuorum,
    connected,
    interactive,
    connectionLost,
    canStart,
    canStop,
    init,
    refresh,
    call,
    withNode,
    startCluster,
    stopCluster,
    resetCluster,
    updateSettings,
    addNode,
    nodeAction,
    crashNode,
    restartNode,
    removeNode,
    isNodeBusy,
    dismissError
  }
})

function settingsDiffer(current: ClusterSettings, wanted: Partial<ClusterSettings>): boolean {
  return (Object.keys(wanted) as (keyof ClusterSettings)[]).some((k) => wanted[k] !== undefined && wanted[k] !== current[k])
}

/** Raft events a person reads in the event log; messages and index moves are for the timeline. */
const LOGGED_RAFT = new Set(['roleChanged', 'electionWon', 'termChanged', 'checkQuorumFailed', 'snapshotSent', 'snapshotRestored', 'confChanged', 'transferStarted', 'transferAborted', 'logTruncated'])

/** The event log shows what changed, not the streams (metrics every second, every message). */
export function isLogWorthy(e: LabEvent): boolean {
  if (e.type === 'raft') return LOGGED_RAFT.has(e.event.type)
  return e.type !== 'metrics.sample' && e.type !== 'workload.stats' && e.type !== 'trace.sampled' && e.type !== 'ui.command'
}
