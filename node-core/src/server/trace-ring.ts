import type { TraceEvent } from '../raft/trace'
import type { TraceBatch, TraceRecord } from '../protocol/admin'

/**
 * A bounded ring of Raft trace events with per-node sequence numbers, for the lab's admin
 * stream. Readers ask for events after a sequence number; if some have already fallen out of
 * the ring, the answer says how many (gaps are reported, never hidden).
 */
export class TraceRing {
  /** Live records are buf[head..]; the dead prefix is cut off in one go now and then. */
  private buf: (TraceRecord | undefined)[] = []
  private head = 0
  private seq = 0
  private waiters: (() => void)[] = []

  constructor(
    private readonly capacity = 50_000,
    private readonly now: () => number = Date.now
  ) {}

  push(event: TraceEvent): void {
    this.buf.push({ seq: ++this.seq, ts: this.now(), event: event as unknown as TraceRecord['event'] })
    // Not splice(0, 1) per event: on a full ring that moves 50,000 slots each time (~0.1 ms),
    // several times per write.
    if (this.buf.length - this.head > this.capacity) this.buf[this.head++] = undefined
    if (this.head >= this.capacity) {
      this.buf = this.buf.slice(this.head)
      this.head = 0
    }
    const ws = this.waiters
    this.waiters = []
    for (const w of ws) w()
  }

  get lastSeq(): number {
    return this.seq
  }

  read(after: number, limit = 5_000): TraceBatch {
    const first = this.buf[this.head]?.seq ?? this.seq + 1
    const dropped = Math.max(0, first - after - 1)
    const start = this.head + Math.max(0, after + 1 - first)
    const events = this.buf.slice(start, start + limit) as TraceRecord[]
    return { events, dropped: after >= this.seq ? 0 : dropped, lastSeq: this.seq }
  }

  /** Resolve when an event newer than `after` exists, or after `ms`. */
  wait(after: number, ms: number): Promise<void> {
    if (this.seq > after || ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const t = setTimeout(done, ms)
      const waiters = this.waiters
      function done(): void {
        clearTimeout(t)
        resolve()
      }
      waiters.push(done)
    })
  }
}
