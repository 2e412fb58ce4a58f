/**
 * The replication view's state: each node's Raft log window and the leader's progress table,
 * read about once a second while the view is shown (and soon after a commit advances), plus
 * what the Raft trace says as it happens: snapshot installs and conflict truncations (kept as
 * callouts, in a ring), appends in flight and commit advances (short-lived, for animation).
 *
 * Reads of individual nodes are expected to fail (a crashed, paused or cut-off node): those
 * failures stay here, per node ("not answering since …"), and never reach the app's error
 * banner, which is for actions the user took.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import { fail, type LabApi, type LabEvent, type NodeRaftView, type Result } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import {
  alive,
  buildStrips,
  calloutOf,
  commitPulseOf,
  DEFAULT_WINDOW_SIZE,
  FLOW_TTL_MS,
  flowOf,
  leaderView,
  MAX_CALLOUTS,
  MAX_FLOWS,
  moveAnchor,
  newestIndex,
  newestPerPair,
  PULSE_TTL_MS,
  pushRing,
  visibleRange,
  type Callout,
  type CommitPulse,
  type Flow,
  type NodeLog,
  type WindowSize
} from './replication-model'

/** How often the logs and the progress table are read while the view is shown. */
export const POLL_INTERVAL_MS = 1000
/** The shortest gap between two reads when commits advance quickly (a throttle). */
export const SOON_MIN_GAP_MS = 300
/** Extra indexes read past the newest known one, so entries written meanwhile show at once. */
export const READ_AHEAD = 50

export const useReplicationStore = defineStore('replication', () => {
  const feed = useFeedStore()
  const clusterStore = useClusterStore()

  // shallowRef + replacement: replaced once per read or per event batch, read whole.
  const logs = shallowRef<Record<number, NodeLog>>({})
  const views = shallowRef<NodeRaftView[]>([])
  const statusAt = ref<number | null>(null)
  const statusError = ref<string | null>(null)
  const callouts = shallowRef<Callout[]>([])
  /** Callouts that fell out of the ring (the UI says so). */
  const calloutsDropped = ref(0)
  const flows = shallowRef<Flow[]>([])
  const pulses = shallowRef<CommitPulse[]>([])
  const windowSize = ref<WindowSize>(DEFAULT_WINDOW_SIZE)
  /** The last index shown when the user scrolled back; null follows the newest entries. */
  const anchor = ref<number | null>(null)
  /** The user's choice for the animations; null follows the timing profile. */
  const animateChoice = ref<boolean | null>(null)
  /** Mounted views showing the replication data (polling runs only while one is). */
  const viewers = ref(0)
  const lastReadAt = ref<number | null>(null)

  const nodes = computed(() => clusterStore.cluster?.nodes ?? [])
  const teaching = computed(() => clusterStore.cluster?.settings.profile === 'teaching')
  /** Appends are animated in the teaching profile (at full speed they are a blur) unless the user chose. */
  const animate = computed(() => animateChoice.value ?? teaching.value)
  const clusterLive = computed(() => {
    const s = clusterStore.cluster?.state
    return s === 'starting' || s === 'running'
  })
  const polling = computed(() => viewers.value > 0 && feed.live && clusterLive.value)
  const newest = computed(() => newestIndex(Object.values(logs.value).map((l) => l.window), views.value))
  const range = computed(() => visibleRange(newest.value, windowSize.value, anchor.value))
  const following = computed(() => anchor.value === null)
  const leader = computed(() => leaderView(views.value, nodes.value))
  const strips = computed(() => buildStrips(nodes.value, logs.value, views.value, callouts.value, range.value))

  let initialized = false
  const cleanups: Array<() => void> = []
  let pollTimer: ReturnType<typeof setInterval> | null = null
  let soonTimer: ReturnType<typeof setTimeout> | null = null
  let inFlight: Promise<void> | null = null
  let again = false

  /** One LabApi call whose failure is data (a node not answering), not an error to show. */
  async function quiet<T>(run: (lab: LabApi) => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await run(getLab())
    } catch (err) {
      return fail('INTERNAL', err instanceof Error ? err.message : String(err))
    }
  }

  async function read(): Promise<void> {
    const c = clusterStore.cluster
    if (!c || !feed.live) return
    const runId = c.runId
    const st = await quiet((l) => l.cluster.status())
    if (clusterStore.cluster?.runId !== runId) return
    if (st.ok) {
      views.value = st.value
      statusAt.value = feed.now()
      statusError.value = null
    } else {
      statusError.value = st.error.message
    }
    const r = range.value
    // Following, read a little past the newest index: the window slides there next.
    const to = anchor.value === null ? r.to + READ_AHEAD : r.to
    const answers = await Promise.all(
      c.nodes.map(async (n) => ({
        node: n,
        res: n.state === 'up' ? await quiet((l) => l.node.log({ nodeId: n.id, from: r.from, to })) : null
      }))
    )
    if (clusterStore.cluster?.runId !== runId) return
    const now = feed.now()
    const prev = logs.value
    const next: Record<number, NodeLog> = {}
    for (const { node, res } of answers) {
      const before = prev[node.id]
      if (res?.ok) {
        next[node.id] = { nodeId: node.id, window: res.value, at: now, silentSince: null, reason: null, state: null }
      } else {
        // A crash the lab saw after our last answer dates the silence better than this read.
        const exitAt = res === null && node.lastExit && node.lastExit.at >= (before?.at ?? 0) ? node.lastExit.at : null
        next[node.id] = {
          nodeId: node.id,
          window: before?.window ?? null,
          at: before?.at ?? null,
          silentSince: before?.silentSince ?? exitAt ?? now,
          reason: res ? res.error.message : null,
          state: res ? null : node.state
        }
      }
    }
    logs.value = next
    lastReadAt.value = now
    prune(now)
  }

  /** Read every node's log and the progress table now (one read at a time; a second call queues). */
  function refresh(): Promise<void> {
    if (inFlight) {
      again = true
      return inFlight
    }
    inFlight = read().finally(() => {
      inFlight = null
      if (again) {
        again = false
        refreshSoon()
      }
    })
    return inFlight
  }

  /** Read again soon, but not more often than SOON_MIN_GAP_MS (commits can advance every few ms). */
  function refreshSoon(): void {
    if (!polling.value || soonTimer !== null) return
    const wait = lastReadAt.value === null ? 0 : Math.max(0, lastReadAt.value + SOON_MIN_GAP_MS - feed.now())
    soonTimer = setTimeout(() => {
      soonTimer = null
      void refresh()
    }, wait)
  }

  function prune(now: number): void {
    if (flows.value.length > 0) flows.value = alive(flows.value, now, FLOW_TTL_MS, MAX_FLOWS)
    if (pulses.value.length > 0) pulses.value = alive(pulses.value, now, PULSE_TTL_MS, MAX_FLOWS)
  }

  function onEvents(batch: readonly LabEvent[]): void {
    let members = nodes.value
    const newCallouts: Callout[] = []
    const newFlows: Flow[] = []
    const newPulses: CommitPulse[] = []
    let committed = false
    // Animations are for a person watching: only while shown, and only when animating.
    const moving = viewers.value > 0 && animate.value
    for (const e of batch) {
      // The cluster store may see this batch after us: take the new members from the event.
      if (e.type === 'cluster.created') members = e.cluster.nodes
      const callout = calloutOf(e, members)
      if (callout) newCallouts.push(callout)
      if (moving) {
        const flow = flowOf(e, members)
        if (flow) newFlows.push(flow)
      }
      const pulse = commitPulseOf(e)
      if (pulse) {
        committed = true
        if (moving) newPulses.push(pulse)
      }
    }
    if (newCallouts.length > 0) {
      const { ring, dropped } = pushRing(callouts.value, newCallouts, MAX_CALLOUTS)
      callouts.value = ring
      calloutsDropped.value += dropped
    }
    const now = feed.now()
    if (newFlows.length > 0) flows.value = alive(newestPerPair([...flows.value, ...newFlows]), now, FLOW_TTL_MS, MAX_FLOWS)
    if (newPulses.length > 0) {
      // One highlight per node: the newest advance covers what the older ones did.
      const latest = new Map(pulses.value.map((p) => [p.nodeId, p]))
      for (const p of newPulses) latest.set(p.nodeId, p)
      pulses.value = alive([...latest.values()], now, PULSE_TTL_MS, MAX_FLOWS)
    }
    if (committed) refreshSoon()
  }

  /** Forget everything read and heard (a new run, or a replay starts over). */
  function clear(): void {
    logs.value = {}
    views.value = []
    statusAt.value = null
    statusError.value = null
    callouts.value = []
    calloutsDropped.value = 0
    flows.value = []
    pulses.value = []
    anchor.value = null
    lastReadAt.value = null
  }

  function onReset(): void {
    clear()
  }

  function startPolling(): void {
    if (pollTimer !== null) return
    pollTimer = setInterval(() => void refresh(), POLL_INTERVAL_MS)
    void refresh()
  }

  function stopPolling(): void {
    if (pollTimer !== null) clearInterval(pollTimer)
    pollTimer = null
    if (soonTimer !== null) clearTimeout(soonTimer)
    soonTimer = null
  }

  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(feed.subscribe({ onEvents, onReset }))
  }

  // Watchers live in the store's own scope (set up here, not in init(), which may run inside a
  // component's hook and would die with that component).
  watch(polling, (on) => (on ? startPolling() : stopPolling()), { immediate: true })
  // Another run is another story: its logs start from index 1.
  watch(
    () => clusterStore.cluster?.runId,
    (now, before) => {
      if (before !== undefined && now !== before) clear()
    }
  )

  /** A view showing the strips mounted (polling starts) or unmounted (stops with the last one). */
  function show(): void {
    init()
    viewers.value++
  }

  function hide(): void {
    viewers.value = Math.max(0, viewers.value - 1)
    if (viewers.value === 0) {
      flows.value = []
      pulses.value = []
    }
  }

  function setWindowSize(size: WindowSize): void {
    windowSize.value = size
    anchor.value = moveAnchor(anchor.value, 0, newest.value, size)
    if (polling.value) void refresh()
  }

  /** Move the window by half its size (negative: older entries). */
  function scroll(direction: -1 | 1): void {
    anchor.value = moveAnchor(anchor.value, direction * Math.floor(windowSize.value / 2), newest.value, windowSize.value)
    if (polling.value) void refresh()
  }

  /** Back to the newest entries, following them as they arrive. */
  function follow(): void {
    anchor.value = null
    if (polling.value) void refresh()
  }

  function setAnimate(on: boolean): void {
    animateChoice.value = on
    if (!on) {
      flows.value = []
      pulses.value = []
    }
  }

  onScopeDispose(() => {
    stopPolling()
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  return {
    logs,
    views,
    statusAt,
    statusError,
    callouts,
    calloutsDropped,
    flows,
    pulses,
    windowSize,
    anchor,
    viewers,
    lastReadAt,
    teaching,
    animate,
    polling,
    newest,
    range,
    following,
    leader,
    strips,
    init,
    show,
    hide,
    refresh,
    setWindowSize,
    scroll,
    follow,
    setAnimate
  }
})
