/**
 * How many Raft ticks are due, by the wall clock. A `setInterval` of the tick length drifts by
 * each callback's lateness: on a busy node ticks arrived every 11–12 ms instead of 10, which
 * stretched the seed's 100 ms heartbeat and 150–300 ms election timeout (and so failover) by a
 * fifth. The timer still paces the calls; this decides how many ticks each call owes.
 *
 * A long stall (a GC pause, a lab-paused process, a blocked loop) is credited only up to
 * `maxCatchUp` ticks: the messages that queued up meanwhile get read before a timeout fires on
 * what is really stale knowledge, so a stall alone never starts an election.
 */
const EARLY_MS = 1

export class TickClock {
  private last: number

  constructor(
    private readonly tickMs: number,
    now: number,
    private readonly maxCatchUp = 3
  ) {
    if (!(tickMs > 0)) throw new RangeError(`tickMs must be positive, got ${tickMs}`)
    this.last = now
  }

  /** Ticks due at `now` (ms, monotonic); the remainder carries over to the next call. */
  due(now: number): number {
    const elapsed = now - this.last
    if (elapsed < -this.tickMs) {
      this.last = now
      return 0
    }
    // The timer runs on the loop's millisecond clock and may fire a fraction of a ms before a
    // full tick by this finer one; counting that as a tick avoids a skipped, then double, tick.
    const n = Math.floor((elapsed + EARLY_MS) / this.tickMs)
    if (n <= 0) return 0
    if (n > this.maxCatchUp) {
      this.last = now
      return this.maxCatchUp
    }
    this.last += n * this.tickMs
    return n
  }
}
