import { RaftInvariantError, type Index, type ProgressState, type ProgressStatus } from './types'

/**
 * A bounded window of in-flight MsgApp (their last indexes), so the leader never has more
 * than `size` appends outstanding to one follower (etcd-io/raft tracker.Inflights).
 */
export class Inflights {
  private buf: Index[] = []
  constructor(readonly size: number) {}

  add(last: Index): void {
    if (this.full()) throw new RaftInvariantError('cannot add into a full inflights')
    this.buf.push(last)
  }

  /** Free every in-flight append up to and including `to` (an ack covers all before it). */
  freeLE(to: Index): void {
    let i = 0
    while (i < this.buf.length && this.buf[i]! <= to) i++
    if (i > 0) this.buf = this.buf.slice(i)
  }

  /** Free the oldest in-flight append (after a heartbeat proves the follower is there). */
  freeFirstOne(): void {
    this.buf = this.buf.slice(1)
  }

  full(): boolean {
    return this.buf.length >= this.size
  }

  count(): number {
    return this.buf.length
  }

  reset(): void {
    this.buf = []
  }
}

/**
 * The leader's view of one follower (etcd-io/raft tracker.Progress), a small state machine:
 * probe (one append at a time until we find where logs match), replicate (pipelined appends,
 * bounded by inflights), snapshot (waiting for an InstallSnapshot to land).
 * Invariant: match < next.
 */
export class Progress {
  match: Index = 0
  next: Index
  state: ProgressState = 'probe'
  /** In snapshot state: the index of the snapshot being sent. */
  pendingSnapshot: Index = 0
  /** Heard from since the last CheckQuorum round. */
  recentActive = false
  /** Probe: an append is out and unanswered. */
  msgAppFlowPaused = false
  readonly inflights: Inflights

  constructor(next: Index, maxInflight: number, public isLearner: boolean) {
    this.next = next
    this.inflights = new Inflights(maxInflight)
  }

  private resetState(state: ProgressState): void {
    this.msgAppFlowPaused = false
    this.pendingSnapshot = 0
    this.state = state
    this.inflights.reset()
  }

  becomeProbe(): void {
    // After a snapshot the follower has at least the snapshot: probe right after it.
    if (this.state === 'snapshot') {
      const pending = this.pendingSnapshot
      this.resetState('probe')
      this.next = Math.max(this.match + 1, pending + 1)
    } else {
      this.resetState('probe')
      this.next = this.match + 1
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate')
    this.next = this.match + 1
  }

  becomeSnapshot(snapshotIndex: Index): void {
    this.resetState('snapshot')
    this.pendingSnapshot = snapshotIndex
  }

  /** An append of `entries` entries was sent starting at `next`. */
  sentEntries(entries: number): void {
    if (this.state === 'replicate') {
      if (entries > 0) {
        this.next += entries
        this.inflights.add(this.next - 1)
      }
    } else if (this.state === 'probe') {
      if (entries > 0) this.msgAppFlowPaused = true
    } else {
      throw new RaftInvariantError(`sending append in unhandled state ${this.state}`)
    }
  }

  /** An ack up to n arrived; returns whether match moved. */
  maybeUpdate(n: Index): boolean {
    let updated = false
    if (this.match < n) {
      this.match = n
      updated = true
      this.msgAppFlowPaused = false
    }
    this.next = Math.max(this.next, n + 1)
    return updated
  }

  /**
   * A rejection of the append at `rejected`; `matchHint` is the follower's hint. Returns false
   * for a stale rejection (one we already moved past).
   */
  maybeDecrTo(rejected: Index, matchHint: Index): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false
      this.next = this.match + 1
      return true
    }
    if (this.next - 1 !== rejected) return false
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1, 1)
    this.msgAppFlowPaused = false
    return true
  }

  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.msgAppFlowPaused
      case 'replicate':
        return this.inflights.full()
      case 'snapshot':
        return true
    }
  }

  status(): ProgressStatus {
    return {
      match: this.match,
      next: this.next,
      state: this.state,
      inflight: this.inflights.count(),
      paused: this.isPaused(),
      pendingSnapshot: this.pendingSnapshot,
      recentActive: this.recentActive,
      isLearner: this.isLearner
    }
  }
}
