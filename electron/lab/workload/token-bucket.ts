/**
 * Open-loop pacing: tokens accrue at `ratePerSec` up to `burst`; each started op takes one.
 * Pure (time is passed in). A token that finds every worker busy is spent as 'skipped', so
 * a slow cluster shows up as skipped ops instead of a backlog that grows without bound.
 */
export class TokenBucket {
  private tokens = 0
  private last: number

  constructor(
    private ratePerSec: number,
    now: number,
    private burst = burstFor(ratePerSec)
  ) {
    this.last = now
  }

  setRate(ratePerSec: number, now: number): void {
    this.refill(now)
    this.ratePerSec = ratePerSec
    this.burst = burstFor(ratePerSec)
    this.tokens = Math.min(this.tokens, this.burst)
  }

  /** Whole tokens available now (after adding what accrued since the last call). */
  refill(now: number): number {
    const dt = Math.max(0, now - this.last) / 1000
    this.last = now
    this.tokens = Math.min(this.burst, this.tokens + dt * this.ratePerSec)
    return Math.floor(this.tokens)
  }

  take(n = 1): void {
    this.tokens = Math.max(0, this.tokens - n)
  }
}

/** A tenth of a second's worth: smooths timer jitter without releasing a burst after a stall. */
const burstFor = (rate: number): number => (rate > 0 ? Math.max(1, rate / 10) : 0)
