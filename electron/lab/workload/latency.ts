import type { KindStats, WorkloadStats } from '../api'
import { OP_KINDS, type OpKind } from './workload-spec'
import type { OpOutcome } from './history'

/**
 * Fixed-memory latency histogram (HDR-ish): log buckets 5 % wide from 10 µs to about 10 min,
 * so a percentile is within 5 % of the truth and memory does not grow with the op count.
 */
const MIN_MS = 0.01
const GROWTH = 1.05
const BUCKETS = Math.ceil(Math.log(600_000 / MIN_MS) / Math.log(GROWTH)) + 1

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS)
  private n = 0
  private maxMs = 0

  record(ms: number): void {
    const v = Number.isFinite(ms) && ms > 0 ? ms : 0
    const i = v <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(v / MIN_MS) / Math.log(GROWTH)))
    this.counts[i]!++
    this.n++
    if (v > this.maxMs) this.maxMs = v
  }

  get count(): number {
    return this.n
  }

  get max(): number {
    return this.maxMs
  }

  /** The upper bound of the bucket holding the q-quantile (0 < q ≤ 1); 0 when empty. */
  quantile(q: number): number {
    if (this.n === 0) return 0
    const rank = Math.max(1, Math.ceil(q * this.n))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return Math.min(MIN_MS * GROWTH ** i, this.maxMs)
    }
    return this.maxMs
  }

  reset(): void {
    this.counts.fill(0)
    this.n = 0
    this.maxMs = 0
  }
}

export type { KindStats, WorkloadStats }

/** Counts and latencies for one stats window; `take` returns them and starts a new window. */
export class StatsWindow {
  private readonly hist = new Map<OpKind, LatencyHistogram>(OP_KINDS.map((k) => [k, new LatencyHistogram()]))
  private counts = emptyCounts()
  private skipped = 0
  private beatsSent = 0
  private beatsOk = 0
  private startedAt: number

  constructor(now: number) {
    this.startedAt = now
  }

  record(kind: OpKind, outcome: OpOutcome, latencyMs: number): void {
    this.counts[kind][outcome]++
    this.hist.get(kind)!.record(latencyMs)
  }

  skip(): void {
    this.skipped++
  }

  beat(ok: boolean): void {
    this.beatsSent++
    if (ok) this.beatsOk++
  }

  take(now: number, inFlight: number): WorkloadStats {
    const intervalMs = Math.max(1, now - this.startedAt)
    const byKind = {} as Record<OpKind, KindStats>
    let ok = 0
    let fail = 0
    let unknown = 0
    for (const k of OP_KINDS) {
      const h = this.hist.get(k)!
      const c = this.counts[k]
      byKind[k] = { ...c, p50: h.quantile(0.5), p99: h.quantile(0.99), max: h.max }
      ok += c.ok
      fail += c.fail
      unknown += c.unknown
      h.reset()
    }
    const stats: WorkloadStats = {
      at: now,
      intervalMs,
      ok,
      fail,
      unknown,
      rate: ((ok + fail + unknown) * 1000) / intervalMs,
      skipped: this.skipped,
      inFlight,
      beats: { sent: this.beatsSent, ok: this.beatsOk },
      byKind
    }
    this.counts = emptyCounts()
    this.skipped = 0
    this.beatsSent = 0
    this.beatsOk = 0
    this.startedAt = now
    return stats
  }
}

function emptyCounts(): Record<OpKind, { ok: number; fail: number; unknown: number }> {
  return Object.fromEntries(OP_KINDS.map((k) => [k, { ok: 0, fail: 0, unknown: 0 }])) as Record<OpKind, { ok: number; fail: number; unknown: number }>
}
