import type { TraceEvent } from '../raft/trace'
import type { TraceBatch, TraceRecord } from '../protocol/admin'

/**
 * A bounded ring of Raft trace events with per-node sequence numbers, for the lab's admin
 * stream. Readers ask for events after a sequence number; if some have already fallen out of
 * the ring, the answer says how many (gaps are reported, never hidden).
 *
 * Stored in columns, not as objects: nine in ten events are msgSent / msgReceived and most of
 * the rest commitAdvanced, all plain numbers, so they live in typed arrays (about 60 bytes a
 * slot instead of about 210 for a record object, its event object and their boxed numbers) and
 * are rebuilt as objects only when read. A full ring of 50,000 events is then ~3 MB of
 * external memory that the garbage collector never traces, instead of ~10 MB of long-lived
 * objects it must. Other events stay objects.
 */

const KIND_OBJECT = 0
const KIND_SENT = 1
const KIND_RECEIVED = 2
const KIND_COMMIT = 3
/** Numbers stored per slot: node, peer (to/from), term, index, entries. */
const NUMS = 5

export class TraceRing {
  private readonly ts: Float64Array
  private readonly kind: Uint8Array
  private readonly nums: Float64Array
  /** Message type code (index into msgNames) and the reject flag in bit 7. */
  private readonly aux: Uint8Array
  private readonly objs: (TraceEvent | undefined)[]
  private readonly msgCodes = new Map<string, number>()
  private readonly msgNames: string[] = []
  private seq = 0
  private waiters: (() => void)[] = []

  constructor(
    private readonly capacity = 50_000,
    private readonly now: () => number = Date.now
  ) {
    this.ts = new Float64Array(capacity)
    this.kind = new Uint8Array(capacity)
    this.nums = new Float64Array(capacity * NUMS)
    this.aux = new Uint8Array(capacity)
    this.objs = new Array<TraceEvent | undefined>(capacity).fill(undefined)
  }

  push(event: TraceEvent): void {
    const slot = this.seq++ % this.capacity
    this.ts[slot] = this.now()
    this.objs[slot] = undefined
    const n = slot * NUMS
    const nums = this.nums
    if (event.type === 'msgSent' || event.type === 'msgReceived') {
      const code = this.msgCode(event.msg)
      this.kind[slot] = event.type === 'msgSent' ? KIND_SENT : KIND_RECEIVED
      nums[n] = event.node
      nums[n + 1] = event.type === 'msgSent' ? event.to : event.from
      nums[n + 2] = event.term
      nums[n + 3] = event.index
      nums[n + 4] = event.entries
      this.aux[slot] = code | (event.reject ? 0x80 : 0)
    } else if (event.type === 'commitAdvanced') {
      this.kind[slot] = KIND_COMMIT
      nums[n] = event.node
      nums[n + 1] = event.from
      nums[n + 2] = event.term
      nums[n + 3] = event.to
    } else {
      this.kind[slot] = KIND_OBJECT
      this.objs[slot] = event
    }
    const ws = this.waiters
    if (ws.length === 0) return
    this.waiters = []
    for (const w of ws) w()
  }

  get lastSeq(): number {
    return this.seq
  }

  read(after: number, limit = 5_000): TraceBatch {
    const first = this.seq - Math.min(this.seq, this.capacity) + 1
    const dropped = Math.max(0, first - after - 1)
    const start = Math.max(first, after + 1)
    const end = Math.min(this.seq, start + limit - 1)
    const events: TraceRecord[] = []
    for (let s = start; s <= end; s++) events.push(this.record(s))
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

  private msgCode(msg: string): number {
    let code = this.msgCodes.get(msg)
    if (code === undefined) {
      // Message types are a closed set of ~20 names; the bit 7 is the reject flag.
      if (this.msgNames.length >= 0x7f) throw new RangeError(`too many message types in the trace: ${msg}`)
      code = this.msgNames.length
      this.msgNames.push(msg)
      this.msgCodes.set(msg, code)
    }
    return code
  }

  /** The record of sequence number `s` (which must be in the ring), rebuilt in emission field order. */
  private record(s: number): TraceRecord {
    const slot = (s - 1) % this.capacity
    const n = slot * NUMS
    const nums = this.nums
    let event: TraceRecord['event']
    switch (this.kind[slot]) {
      case KIND_SENT:
      case KIND_RECEIVED: {
        const sent = this.kind[slot] === KIND_SENT
        const a = this.aux[slot]!
        const msg = this.msgNames[a & 0x7f]!
        const reject = (a & 0x80) !== 0
        event = sent
          ? { type: 'msgSent', node: nums[n]!, to: nums[n + 1]!, msg, term: nums[n + 2]!, index: nums[n + 3]!, entries: nums[n + 4]!, reject }
          : { type: 'msgReceived', node: nums[n]!, from: nums[n + 1]!, msg, term: nums[n + 2]!, index: nums[n + 3]!, entries: nums[n + 4]!, reject }
        break
      }
      case KIND_COMMIT:
        event = { type: 'commitAdvanced', node: nums[n]!, from: nums[n + 1]!, to: nums[n + 3]!, term: nums[n + 2]! }
        break
      default:
        event = this.objs[slot] as unknown as TraceRecord['event']
    }
    return { seq: s, ts: this.ts[slot]!, event }
  }
}
