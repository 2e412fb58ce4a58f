/**
 * The logs view's state: a live tail of every node's four log files (seed §8.2).
 *
 * The lab pushes no log events, so the store polls `logs.query` every 500 ms (in the
 * background too: an idle poll is one small answer). It keeps its own ring of the newest
 * 100,000 lines and filters them here, so changing a filter is instant and fetches nothing.
 * Paused, new lines wait in a second bounded buffer ("+N new") and join on resume.
 * Log files are not part of a recorded run, so in replay the tail is idle and empty.
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { LabError, LogLine } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'
import { useFeedStore } from './feed'
import { countMatching, EMPTY_FILTER, filterRows, updateFiltered, type LogViewFilter } from './log-filter'
import { appendBounded, LOG_RING_CAPACITY, newLinesOf, nextLimit, toRow, type LogRow } from './log-ring'

export const LOG_POLL_MS = 500
/** Errors that mean "nothing to tail yet" (or that the connection banner already shows). */
const QUIET_ERRORS = new Set(['NO_CLUSTER', 'DISCONNECTED', 'UNAUTHORIZED'])

export const useLogsStore = defineStore('logs', () => {
  const feed = useFeedStore()

  /** The ring: newest LOG_RING_CAPACITY lines, in arrival order. */
  const rows = shallowRef<LogRow[]>([])
  /** `rows` through `filter`, kept up to date per poll. */
  const filtered = shallowRef<LogRow[]>([])
  /** Lines that arrived while paused (bounded like the ring). */
  const pending = shallowRef<LogRow[]>([])
  const filter = shallowRef<LogViewFilter>(EMPTY_FILTER)
  const paused = ref(false)
  /** Older lines that fell out of the ring (or of the paused buffer). */
  const dropped = ref(0)
  /** Lines the lab read that never reached us (they came faster than we polled). */
  const missed = ref(0)
  /** Lines written before the tail began (opened mid-run) that one answer could not hold. */
  const earlier = ref(0)
  /** Lines received since the cluster started. */
  const received = ref(0)
  /** The last failure worth showing (not "no cluster yet"); cleared by the next good poll. */
  const lastError = ref<LabError | null>(null)

  /** "+N new" while paused: the waiting lines that pass the filter. */
  const newWhilePaused = computed(() => countMatching(pending.value, filter.value))
  const capacity = LOG_RING_CAPACITY

  let seq = 0
  let seenTotal = 0
  let limit = nextLimit(0)
  let generation = 0
  let inFlight = false
  let initialized = false
  const cleanups: Array<() => void> = []

  function commit(added: LogRow[]): void {
    if (added.length === 0) return
    const r = appendBounded(rows.value, added, capacity)
    rows.value = r.rows
    dropped.value += r.dropped
    filtered.value = updateFiltered(filtered.value, r.rows[0]?.seq ?? seq + 1, added, filter.value)
  }

  function take(lines: readonly LogLine[]): void {
    if (lines.length === 0) return
    const added = lines.map((l) => toRow(l, ++seq))
    received.value += added.length
    if (paused.value) {
      const r = appendBounded(pending.value, added, capacity)
      pending.value = r.rows
      dropped.value += r.dropped
    } else commit(added)
  }

  function clearLines(): void {
    rows.value = []
    filtered.value = []
    pending.value = []
    dropped.value = 0
    missed.value = 0
    earlier.value = 0
    received.value = 0
    seenTotal = 0
    limit = nextLimit(0)
  }

  /**
   * One poll: ask for the newest `limit` lines and keep those past what we saw. When more
   * arrived than the limit let through, ask once more with a limit that fits before taking
   * any (the lab still holds them in its own ring).
   */
  async function pollNow(): Promise<void> {
    if (inFlight || !feed.live) return
    inFlight = true
    const gen = generation
    try {
      let ask = limit
      for (let round = 0; round < 2; round++) {
        let answer
        try {
          answer = await getLab().logs.query({ limit: ask })
        } catch (err) {
          answer = { ok: false as const, error: { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) } }
        }
        // A reset (new cluster, replay) happened meanwhile: this answer belongs to the old story.
        if (gen !== generation) return
        if (!answer.ok) {
          if (!QUIET_ERRORS.has(answer.error.code)) lastError.value = answer.error
          return
        }
        lastError.value = null
        const arrived = answer.value.total - (answer.value.total < seenTotal ? 0 : seenTotal)
        if (round === 0 && arrived > answer.value.lines.length && answer.value.lines.length === ask && ask < 20_000) {
          ask = nextLimit(arrived)
          continue
        }
        const got = newLinesOf(answer.value, seenTotal)
        if (got.restarted) clearLines()
        const first = seenTotal === 0
        seenTotal = answer.value.total
        // The first answer of a story catches up on what was written before we looked.
        if (first) earlier.value += got.missed
        else missed.value += got.missed
        take(got.fresh)
        limit = nextLimit(got.fresh.length + got.missed)
        return
      }
    } finally {
      inFlight = false
    }
  }

  function setFilter(patch: Partial<LogViewFilter>): void {
    const next = { ...filter.value, ...patch }
    filter.value = next
    filtered.value = filterRows(rows.value, next)
  }

  function clearFilter(): void {
    setFilter(EMPTY_FILTER)
  }

  function pause(): void {
    paused.value = true
  }

  function resume(): void {
    if (!paused.value) return
    paused.value = false
    const waiting = pending.value
    pending.value = []
    commit(waiting)
  }

  function togglePause(): void {
    if (paused.value) resume()
    else pause()
  }

  /** A new story (replay opened or closed, a new cluster): drop every line. */
  function onReset(): void {
    generation++
    paused.value = false
    clearLines()
  }

  function init(): void {
    if (initialized) return
    initialized = true
    feed.init()
    cleanups.push(
      feed.subscribe({
        onEvents(batch) {
          // A new cluster's files start empty and its line count starts at zero again.
          if (batch.some((e) => e.type === 'cluster.created')) onReset()
        },
        onReset
      })
    )
    const timer = setInterval(() => void pollNow(), LOG_POLL_MS)
    cleanups.push(() => clearInterval(timer))
    void pollNow()
  }

  onScopeDispose(() => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  return {
    rows,
    filtered,
    pending,
    filter,
    paused,
    dropped,
    missed,
    earlier,
    received,
    lastError,
    newWhilePaused,
    capacity,
    init,
    pollNow,
    setFilter,
    clearFilter,
    pause,
    resume,
    togglePause
  }
})
