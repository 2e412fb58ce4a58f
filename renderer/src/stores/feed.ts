/**
 * The one stream of LabEvents that every store reads, and the clock they read it by.
 *
 * Live, the feed forwards the lab's pushed batches and `now()` is the wall clock. In replay,
 * a recorded run's events are pushed by the replay controller at its own pace and `now()` is
 * the replay's position. Stores subscribe here (never to the client directly), so every view
 * behaves the same live and in replay; `onReset` tells them a new story starts (a replay was
 * opened, sought backwards or closed) and they must drop what they hold.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { LabEvent } from '../../../electron/lab/api'
import { getLab } from '../api/lab-client'

export type FeedMode = 'live' | 'replay'

export interface FeedSubscriber {
  onEvents(batch: readonly LabEvent[]): void
  /** Drop everything: the events that follow start a new story. */
  onReset?(): void
}

export const useFeedStore = defineStore('feed', () => {
  const mode = ref<FeedMode>('live')
  /** The replay's position (wall-clock ms of the recorded run); unused live. */
  const replayAt = ref(0)
  const subscribers = new Set<FeedSubscriber>()
  let liveOff: (() => void) | null = null

  const live = computed(() => mode.value === 'live')

  function now(): number {
    return mode.value === 'live' ? Date.now() : replayAt.value
  }

  /** Returns the unsubscribe function. */
  function subscribe(s: FeedSubscriber): () => void {
    subscribers.add(s)
    return () => subscribers.delete(s)
  }

  function emit(batch: readonly LabEvent[]): void {
    if (batch.length === 0) return
    for (const s of subscribers) s.onEvents(batch)
  }

  function resetAll(): void {
    for (const s of subscribers) s.onReset?.()
  }

  /** Start forwarding the lab's events (idempotent). */
  function init(): void {
    liveOff ??= getLab().onEvents((batch) => {
      if (mode.value === 'live') emit(batch)
    })
  }

  /** Enter replay at `at`: every store starts empty; live events are ignored meanwhile. */
  function beginReplay(at: number): void {
    mode.value = 'replay'
    replayAt.value = at
    resetAll()
  }

  /** Replay only: move the clock to `at` and hand on the events recorded up to it. */
  function pushReplay(batch: readonly LabEvent[], at: number): void {
    if (mode.value !== 'replay') return
    replayAt.value = at
    emit(batch)
  }

  /** Replay only: going back means replaying from the start; stores drop what they hold. */
  function rewind(at: number): void {
    if (mode.value !== 'replay') return
    replayAt.value = at
    resetAll()
  }

  /** Back to live: stores start empty and reload what the lab has now. */
  function endReplay(): void {
    if (mode.value === 'live') return
    mode.value = 'live'
    resetAll()
  }

  function dispose(): void {
    liveOff?.()
    liveOff = null
    subscribers.clear()
  }

  return { mode, replayAt, live, now, subscribe, init, beginReplay, pushReplay, rewind, endReplay, dispose }
})
