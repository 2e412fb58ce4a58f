/**
 * Reconnect delays: exponential backoff with "equal jitter" (half fixed, half random).
 *
 * Why jitter: when a node restarts, every peer notices at the same moment; without jitter they
 * would all redial in lock-step. Why equal rather than full jitter: full jitter can pick ~0 ms
 * again and again, which turns a refused handshake into a busy loop; half of the delay is
 * always waited.
 */

export interface BackoffPolicy {
  /** Delay ceiling of the first retry (attempt 0). */
  initialMs: number
  /** Delay ceiling for every later attempt. */
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 50, maxMs: 2_000 }

/**
 * The delay before retry number `attempt` (0-based): a value in [d/2, d] where
 * d = min(maxMs, initialMs × 2^attempt). `random` returns [0, 1) and is injected for tests.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const a = Math.max(0, Math.floor(attempt))
  // 2^a overflows to Infinity for large a, which min() handles.
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** a)
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.round(ceiling / 2 + (ceiling / 2) * r)
}

/** Throws a RangeError naming the field when `policy` is unusable. */
export function checkBackoffPolicy(policy: BackoffPolicy): void {
  if (!Number.isFinite(policy.initialMs) || policy.initialMs <= 0) {
    throw new RangeError(`backoff.initialMs must be a positive number of milliseconds, got ${policy.initialMs}`)
  }
  if (!Number.isFinite(policy.maxMs) || policy.maxMs < policy.initialMs) {
    throw new RangeError(`backoff.maxMs must be at least backoff.initialMs (${policy.initialMs}), got ${policy.maxMs}`)
  }
}
