/**
 * The recorded history of a workload run, in the shape a linearizability checker reads
 * (Knossos/Porcupine style): every op has an invoke time and, when known, a completion.
 * Pure apart from the injected clock and sink.
 *
 * Outcomes:
 * - 'ok': the server answered success.
 * - 'fail': the op certainly did not take effect: the server refused it (4xx, or 503 "no
 *   leader", which is answered before anything is proposed) or the connection was refused
 *   before a byte was sent.
 * - 'unknown': the request left us but no clear answer came back (timeout, reset, 5xx other
 *   than no-leader, a node killed mid-request). A write may have been appended to the Raft
 *   log and be applied later, so the checker must treat it as possibly applied at any time
 *   after its invocation (an open-ended op). An op still in flight when the run ends is also
 *   'unknown', with no completeAt.
 */

export type OpOutcome = 'ok' | 'fail' | 'unknown'

export interface HistoryOp {
  id: number
  /** The worker slot that issued it; one client's ops never overlap. */
  client: number
  /** The target (node) id the request went to. */
  node: string
  kind: 'write' | 'read'
  key: string
  /** A write's value: unique per key across the run, so a read names exactly one write. */
  value?: string
  invokeAt: number
  completeAt?: number
  outcome: OpOutcome
  /** A read's value; null when the key did not exist. */
  result?: string | null
  error?: string
}

export interface HistoryOptions {
  /** Ops kept in memory (oldest dropped first); the sink sees every one. */
  capacity?: number
  /** Gets each op once, as one NDJSON line, when it completes (or at `closeOpen`). */
  sink?: (ndjsonLine: string, op: HistoryOp) => void
  /** Milliseconds, sub-ms precision welcome (the default is performance-based wall time). */
  now?: () => number
}

const defaultNow = (): number => performance.timeOrigin + performance.now()

export class History {
  private readonly held: HistoryOp[] = []
  private readonly open = new Set<HistoryOp>()
  private nextId = 1
  private readonly writeSeq = new Map<number, number>()
  private readonly capacity: number
  private readonly now: () => number
  private droppedCount = 0

  constructor(private readonly opts: HistoryOptions = {}) {
    this.capacity = opts.capacity ?? 100_000
    this.now = opts.now ?? defaultNow
  }

  /** A fresh value for a write by `client`: `c<client>-<n>`, never repeated in this history. */
  nextValue(client: number): string {
    const n = (this.writeSeq.get(client) ?? 0) + 1
    this.writeSeq.set(client, n)
    return `c${client}-${n}`
  }

  /** Record the invocation; the op stays 'unknown' until `complete`. */
  invoke(op: { client: number; node: string; kind: 'write' | 'read'; key: string; value?: string }): HistoryOp {
    const rec: HistoryOp = { id: this.nextId++, ...op, invokeAt: this.now(), outcome: 'unknown' }
    this.open.add(rec)
    this.held.push(rec)
    if (this.held.length > this.capacity) {
      const over = this.held.length - this.capacity
      this.held.splice(0, over)
      this.droppedCount += over
    }
    return rec
  }

  complete(op: HistoryOp, outcome: OpOutcome, detail: { result?: string | null; error?: string } = {}): void {
    if (!this.open.delete(op)) return
    op.completeAt = Math.max(this.now(), op.invokeAt)
    op.outcome = outcome
    if (detail.result !== undefined) op.result = detail.result
    if (detail.error !== undefined) op.error = detail.error
    this.emit(op)
  }

  /** End of run: ops still in flight are written out as 'unknown' with no completion. */
  closeOpen(): number {
    const n = this.open.size
    for (const op of this.open) this.emit(op)
    this.open.clear()
    return n
  }

  /** The ops held in memory, oldest first (live objects: do not mutate). */
  ops(): readonly HistoryOp[] {
    return this.held
  }

  get pending(): number {
    return this.open.size
  }

  get dropped(): number {
    return this.droppedCount
  }

  private emit(op: HistoryOp): void {
    try {
      this.opts.sink?.(JSON.stringify(op), op)
    } catch {
      // A failing sink must not break the workload; the ops stay in memory.
    }
  }
}

/** Problems that make a history unusable for a checker; empty when well-formed. */
export function historyProblems(ops: readonly HistoryOp[]): string[] {
  const problems: string[] = []
  const values = new Map<string, number>()
  for (const op of ops) {
    if (op.completeAt !== undefined && op.completeAt < op.invokeAt) problems.push(`op ${op.id} completes before it was invoked`)
    if (op.outcome !== 'unknown' && op.completeAt === undefined) problems.push(`op ${op.id} is ${op.outcome} without completeAt`)
    if (op.kind === 'write') {
      if (op.value === undefined) problems.push(`write ${op.id} has no value`)
      else {
        const k = `${op.key}\u0000${op.value}`
        if (values.has(k)) problems.push(`write ${op.id} repeats value ${op.value} of op ${values.get(k)} on ${op.key}`)
        values.set(k, op.id)
      }
    }
  }
  return problems
}
