/**
 * Merges the trace streams of all nodes into one time-ordered stream. Pure (time is passed in).
 *
 * - Order: events wait in a buffer until every node that answers has been read up to their time
 *   (the caller's watermark), then leave sorted by wall time (ties: node id, then the node's
 *   sequence). Without a watermark they wait `windowMs`; none waits longer than `maxHoldMs`, so
 *   one slow node cannot stall the stream. All nodes share one host clock.
 * - Gaps: a node's sequence numbers must follow on; a jump, or a batch that says events fell
 *   out of the node's ring, becomes an explicit `trace.gap` event — never hidden.
 * - Bounded: beyond `maxBuffered` the oldest buffered events are dropped and counted.
 */
import type { LabEventBody, NodeId } from '../api'
import type { TraceRecord } from '../../../node-core/src/protocol/admin'

export type MergedEvent = Extract<LabEventBody, { type: 'raft' } | { type: 'trace.gap' } | { type: 'trace.reset' }> & { at: number }

export class TraceMerger {
  private buffer: MergedEvent[] = []
  private readonly lastSeq = new Map<NodeId, number>()
  dropped = 0

  constructor(
    private readonly windowMs = 100,
    private readonly maxBuffered = 100_000,
    private readonly maxHoldMs = 1500
  ) {}

  push(nodeId: NodeId, records: readonly TraceRecord[], droppedByNode: number, now: number): void {
    let last = this.lastSeq.get(nodeId) ?? 0
    const first = records[0]
    if (first && first.seq > last + 1 && (last > 0 || droppedByNode > 0 || first.seq > 1)) {
      this.add({ type: 'trace.gap', nodeId, fromSeq: last + 1, toSeq: first.seq - 1, missing: first.seq - last - 1, at: first.ts })
    } else if (!first && droppedByNode > 0) {
      this.add({ type: 'trace.gap', nodeId, fromSeq: last + 1, toSeq: last + droppedByNode, missing: droppedByNode, at: now })
    }
    for (const r of records) {
      if (r.seq <= last) continue
      if (r.seq > last + 1 && r !== first) this.add({ type: 'trace.gap', nodeId, fromSeq: last + 1, toSeq: r.seq - 1, missing: r.seq - last - 1, at: r.ts })
      this.add({ type: 'raft', nodeId, nodeSeq: r.seq, nodeTs: r.ts, event: r.event, at: r.ts })
      last = r.seq
    }
    this.lastSeq.set(nodeId, last)
  }

  /** The node restarted: its next events start again at seq 1. */
  reset(nodeId: NodeId, now: number): void {
    this.lastSeq.set(nodeId, 0)
    this.add({ type: 'trace.reset', nodeId, at: now })
  }

  /**
   * Events every node has been read past (`watermark`; default `now − windowMs`), or held
   * `maxHoldMs` already, in order. `all` empties the buffer (shutdown).
   */
  drain(now: number, all = false, watermark = now - this.windowMs): MergedEvent[] {
    if (this.buffer.length === 0) return []
    this.buffer.sort(order)
    const cut = all ? this.buffer.length : upper(this.buffer, Math.max(Math.min(watermark, now), now - this.maxHoldMs))
    const out = this.buffer.slice(0, cut)
    this.buffer = this.buffer.slice(cut)
    return out
  }

  get buffered(): number {
    return this.buffer.length
  }

  private add(e: MergedEvent): void {
    this.buffer.push(e)
    if (this.buffer.length > this.maxBuffered) {
      this.buffer.sort(order)
      const over = this.buffer.length - this.maxBuffered
      this.buffer.splice(0, over)
      this.dropped += over
    }
  }
}

function order(a: MergedEvent, b: MergedEvent): number {
  return a.at - b.at || a.nodeId - b.nodeId || seqOf(a) - seqOf(b)
}
const seqOf = (e: MergedEvent): number => (e.type === 'raft' ? e.nodeSeq : e.type === 'trace.gap' ? e.fromSeq - 0.5 : -1)

/** First index whose time is > t (buffer sorted). */
function upper(buf: MergedEvent[], t: number): number {
  let lo = 0
  let hi = buf.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (buf[mid]!.at <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Message events (every MsgApp, heartbeat and answer) dominate the stream at full speed. The
 * UI gets at most `perSecond` of them per node each second — all of them in the teaching
 * profile, where there are few — and is told how many it did not get (`trace.sampled`).
 */
export class MessageSampler {
  private window = new Map<NodeId, { start: number; kept: number; skipped: number }>()

  constructor(private perSecond: number) {}

  setBudget(perSecond: number): void {
    this.perSecond = perSecond
  }

  /** True when the event should go to the UI. Returns finished windows' counts via `report`. */
  keep(e: MergedEvent, report: (nodeId: NodeId, kept: number, skipped: number) => void): boolean {
    if (e.type !== 'raft' || (e.event.type !== 'msgSent' && e.event.type !== 'msgReceived')) return true
    let w = this.window.get(e.nodeId)
    if (!w || e.at - w.start >= 1000) {
      if (w && w.skipped > 0) report(e.nodeId, w.kept, w.skipped)
      w = { start: e.at, kept: 0, skipped: 0 }
      this.window.set(e.nodeId, w)
    }
    if (w.kept < this.perSecond) {
      w.kept++
      return true
    }
    w.skipped++
    return false
  }
}
