/**
 * The replay controller: lists recorded runs, opens one, and plays it through the feed, so
 * every view (map, timeline, replication, metrics...) scrubs through it as if it were live.
 *
 * Pages of the run are loaded ahead of the clock (a bounded queue, never the whole run); the
 * clock advances by elapsed time × speed and hands the feed, in one batch per tick, the events
 * whose time has come. A seek forward pushes everything up to the target; a seek back rewinds
 * the feed (stores drop what they hold) and replays from the start up to the target.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { LabApi, LabError, LabEvent, RecordingInfo, RecordingPage, RecordingProblem, Result } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useFeedStore } from './feed'
import {
  advanceClock,
  clampTime,
  EventQueue,
  freshEvent,
  isSpeed,
  MAX_AHEAD,
  needsMoreFor,
  PAGE_SIZE,
  SEEK_BATCH,
  SEEK_STEP_MS,
  seekDirection,
  shouldLoad,
  TICK_MS,
  type ReplaySpeed
} from './replay-model'

/** The run being replayed. */
export interface OpenRun {
  runId: string
  startedAt: number
  endedAt: number
  /** Events in the whole replay. */
  total: number
}

export const useReplayStore = defineStore('replay', () => {
  const feed = useFeedStore()

  const runs = shallowRef<RecordingInfo[]>([])
  const listing = ref(false)
  const dialogOpen = ref(false)
  /** The run being opened (its first page can take a moment: a long run is indexed first). */
  const opening = ref<string | null>(null)
  const lastError = ref<LabError | null>(null)
  const run = ref<OpenRun | null>(null)
  /** The replay clock (recorded wall-clock ms). */
  const at = ref(0)
  const playing = ref(false)
  const speed = ref<ReplaySpeed>(1)
  /** A page is being fetched. */
  const loading = ref(false)
  /** A seek is in progress (the clock holds still). */
  const seeking = ref(false)
  /** Events handed to the feed since the replay (re)started from the beginning. */
  const pushed = ref(0)
  const problems = shallowRef<RecordingProblem[]>([])
  /** Events loaded and waiting for their time (bounded by MAX_AHEAD, give or take a page). */
  const ahead = ref(0)
  /** Pages remain to be loaded. */
  const more = ref(false)

  const queue = new EventQueue()
  let nextSeq: number | null = null
  /** Bumped by open, seek back and close: answers to older requests are dropped. */
  let generation = 0
  let inflight: { gen: number; promise: Promise<boolean> } | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  let lastTick = 0

  const active = computed(() => run.value !== null)
  const offset = computed(() => (run.value ? at.value - run.value.startedAt : 0))
  const duration = computed(() => (run.value ? run.value.endedAt - run.value.startedAt : 0))
  /** Everything was handed to the feed and the clock reached the end. */
  const atEnd = computed(() => run.value !== null && at.value >= run.value.endedAt && !more.value && ahead.value === 0)
  /** Playing, but the clock waits for a page. */
  const buffering = ref(false)

  /** Mirror the queue's state into refs the UI (and `atEnd`) can follow. */
  function sync(): void {
    ahead.value = queue.size
    more.value = nextSeq !== null
  }

  function api(): LabApi {
    return getLab()
  }

  async function call<T>(run: (lab: LabApi) => Promise<Result<T>>): Promise<T | null> {
    let result: Result<T>
    try {
      result = await run(api())
    } catch (err) {
      result = { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } }
    }
    if (result.ok) return result.value
    lastError.value = result.error
    return null
  }

  async function refreshList(): Promise<void> {
    listing.value = true
    try {
      const got = await call((l) => l.recording.list())
      if (got) runs.value = got
    } finally {
      listing.value = false
    }
  }

  function openDialog(): void {
    dialogOpen.value = true
    lastError.value = null
    void refreshList()
  }

  function closeDialog(): void {
    dialogOpen.value = false
  }

  /** Fetch the next page into the queue; false when it failed or was overtaken. */
  function loadNext(): Promise<boolean> {
    const gen = generation
    if (inflight && inflight.gen === gen) return inflight.promise
    const r = run.value
    if (!r || nextSeq === null) return Promise.resolve(false)
    const fromSeq = nextSeq
    loading.value = true
    const entry: { gen: number; promise: Promise<boolean> } = { gen, promise: Promise.resolve(false) }
    entry.promise = (async () => {
      const page = await call((l) => l.recording.load({ runId: r.runId, fromSeq, limit: PAGE_SIZE }))
      if (inflight === entry) inflight = null
      loading.value = inflight !== null
      if (!page || gen !== generation) return false
      accept(page)
      // Keep going until enough waits ahead (a seek drives its own loads).
      if (!seeking.value) ensureAhead()
      return true
    })()
    inflight = entry
    return entry.promise
  }

  function accept(page: RecordingPage): void {
    queue.push(page.events)
    nextSeq = page.nextSeq
    problems.value = page.problems
    sync()
    if (run.value && page.endedAt > run.value.endedAt) run.value = { ...run.value, endedAt: page.endedAt, total: page.total }
  }

  /** Keep pages coming while the queue runs low. */
  function ensureAhead(): void {
    if (queue.size < MAX_AHEAD && shouldLoad(queue.size, nextSeq, inflight?.gen === generation)) void loadNext()
  }

  /** Hand the feed every waiting event whose time has come, and move its clock. */
  function pushDue(): void {
    const due = queue.takeUpTo(at.value)
    pushed.value += due.length
    sync()
    feed.pushReplay(due.map(freshEvent), at.value)
  }

  /** Open a recorded run at its start (paused). */
  async function open(runId: string): Promise<boolean> {
    stopTimer()
    playing.value = false
    const gen = ++generation
    lastError.value = null
    loading.value = true
    opening.value = runId
    const page = await call((l) => l.recording.load({ runId, fromSeq: 1, limit: PAGE_SIZE }))
    if (gen !== generation) return false
    loading.value = false
    opening.value = null
    if (!page) return false
    queue.clear()
    inflight = null
    nextSeq = null
    run.value = { runId, startedAt: page.startedAt, endedAt: page.endedAt, total: page.total }
    at.value = page.startedAt
    pushed.value = 0
    feed.beginReplay(page.startedAt)
    accept(page)
    pushDue()
    ensureAhead()
    dialogOpen.value = false
    return true
  }

  /** Advance the clock by `elapsedMs` of real time (the timer calls this; tests too). */
  function advance(elapsedMs: number): void {
    const r = run.value
    if (!r || !playing.value || seeking.value) return
    const horizon = nextSeq === null ? null : queue.lastTs ?? at.value
    const next = advanceClock(at.value, elapsedMs, speed.value, r, horizon)
    buffering.value = nextSeq !== null && next < clampTime(at.value + elapsedMs * speed.value, r)
    at.value = next
    pushDue()
    ensureAhead()
    if (atEnd.value) pause()
  }

  function startTimer(): void {
    if (timer) return
    lastTick = performance.now()
    timer = setInterval(() => {
      const now = performance.now()
      advance(now - lastTick)
      lastTick = now
    }, TICK_MS)
  }

  function stopTimer(): void {
    if (timer) clearInterval(timer)
    timer = null
  }

  async function play(): Promise<void> {
    if (!run.value) return
    // At the end, play means play again from the start.
    if (atEnd.value) await seek(run.value.startedAt)
    playing.value = true
    startTimer()
  }

  function pause(): void {
    playing.value = false
    buffering.value = false
    stopTimer()
  }

  function toggle(): void {
    if (playing.value) pause()
    else void play()
  }

  function setSpeed(s: number): void {
    if (isSpeed(s)) speed.value = s
  }

  /**
   * Move the clock to `target`. Forward: push what lies between. Back: rewind the feed and
   * replay from the start, loading pages as needed, in batches of up to SEEK_BATCH events.
   */
  async function seek(target: number): Promise<void> {
    const r = run.value
    if (!r) return
    const to = clampTime(target, r)
    const dir = seekDirection(at.value, to)
    if (dir === 'none') return
    const gen = ++generation
    seeking.value = true
    try {
      if (dir === 'backward') {
        queue.clear()
        inflight = null
        nextSeq = 1
        pushed.value = 0
        at.value = r.startedAt
        feed.rewind(r.startedAt)
      }
      let batch: LabEvent[] = []
      for (;;) {
        // Take what is loaded up to the target; load on while the loaded events stop before it.
        const due = queue.takeUpTo(to)
        for (const e of due) batch.push(freshEvent(e))
        if (batch.length >= SEEK_BATCH) {
          pushed.value += batch.length
          feed.pushReplay(batch, batch[batch.length - 1]!.ts)
          batch = []
        }
        if (!needsMoreFor(to, queue.lastTs, nextSeq)) break
        const ok = await loadNext()
        if (gen !== generation) return
        if (!ok) break
      }
      at.value = to
      pushed.value += batch.length
      sync()
      feed.pushReplay(batch, to)
      lastTick = performance.now()
      ensureAhead()
    } finally {
      if (gen === generation) seeking.value = false
    }
  }

  function seekBy(deltaMs: number): Promise<void> {
    return seek(at.value + deltaMs)
  }

  const stepBack = (): Promise<void> => seekBy(-SEEK_STEP_MS)
  const stepForward = (): Promise<void> => seekBy(SEEK_STEP_MS)

  /** Leave the replay: the feed goes live again and the stores reload the lab's state. */
  function close(): void {
    stopTimer()
    generation++
    inflight = null
    queue.clear()
    nextSeq = null
    run.value = null
    playing.value = false
    buffering.value = false
    seeking.value = false
    loading.value = false
    opening.value = null
    pushed.value = 0
    problems.value = []
    sync()
    feed.endReplay()
  }

  function dismissError(): void {
    lastError.value = null
  }

  onScopeDispose(stopTimer)

  return {
    runs,
    listing,
    dialogOpen,
    opening,
    lastError,
    run,
    at,
    playing,
    speed,
    loading,
    seeking,
    buffering,
    pushed,
    problems,
    ahead,
    more,
    active,
    offset,
    duration,
    atEnd,
    refreshList,
    openDialog,
    closeDialog,
    open,
    advance,
    play,
    pause,
    toggle,
    setSpeed,
    seek,
    seekBy,
    stepBack,
    stepForward,
    close,
    dismissError
  }
})
