import type { LabEvent, LabEventBody } from '../api'

/** A subscriber's view: events delivered in batches; never blocks the publisher. */
export type BatchListener = (events: LabEvent[]) => void

export interface SubscribeOptions {
  /** Deliver at most this often, in ms (default 50: about one UI frame budget per batch). */
  flushMs?: number
  /** Events held per subscriber before the oldest are dropped (default 10 000). */
  maxQueue?: number
}

interface Subscriber {
  listener: BatchListener
  queue: LabEvent[]
  maxQueue: number
  dropped: number
  timer: ReturnType<typeof setInterval>
}

/**
 * The lab's one ordered event stream. Publishing stamps a sequence number and wall-clock ms
 * and never waits on a subscriber: each subscriber has a bounded queue, flushed on its own
 * timer, and a slow one loses its oldest events and is told how many (an `events.dropped`
 * event), rather than stalling the lab or growing without bound (like hashicorp/raft's
 * non-blocking observers).
 */
export class EventBus {
  private seq = 0
  private readonly subs = new Set<Subscriber>()
  private readonly now: () => number

  constructor(now: () => number = Date.now) {
    this.now = now
  }

  /** Stamp and fan out one event; returns it as published. */
  publish(body: LabEventBody): LabEvent {
    const event = { ...body, seq: ++this.seq, ts: this.now() } as LabEvent
    for (const s of this.subs) {
      s.queue.push(event)
      if (s.queue.length > s.maxQueue) {
        const over = s.queue.length - s.maxQueue
        s.queue.splice(0, over)
        s.dropped += over
      }
    }
    return event
  }

  /** Returns the unsubscribe function; pending events are flushed to the listener first. */
  subscribe(listener: BatchListener, { flushMs = 50, maxQueue = 10_000 }: SubscribeOptions = {}): () => void {
    const sub: Subscriber = {
      listener,
      queue: [],
      maxQueue,
      dropped: 0,
      timer: setInterval(() => this.flush(sub), flushMs)
    }
    sub.timer.unref?.()
    this.subs.add(sub)
    return () => {
      if (!this.subs.delete(sub)) return
      clearInterval(sub.timer)
      this.flush(sub)
    }
  }

  /** Deliver everything queued now (tests and shutdown use this). */
  flushAll(): void {
    for (const s of this.subs) this.flush(s)
  }

  /** Total events dropped across current subscribers (for the lab's own health view). */
  droppedCount(): number {
    let n = 0
    for (const s of this.subs) n += s.dropped
    return n
  }

  get lastSeq(): number {
    return this.seq
  }

  private flush(sub: Subscriber): void {
    if (sub.queue.length === 0 && sub.dropped === 0) return
    const batch = sub.queue
    sub.queue = []
    if (sub.dropped > 0) {
      // Not a bus event (no seq of its own): it describes this subscriber's gap only.
      batch.unshift({ type: 'events.dropped', count: sub.dropped, seq: 0, ts: this.now() })
      sub.dropped = 0
    }
    try {
      sub.listener(batch)
    } catch {
      // A throwing subscriber must not break the bus or the other subscribers.
    }
  }
}
