/**
 * One full garbage collection once a burst of writes is over. Under load, requests that live
 * a few scavenges get promoted, and V8 keeps the old generation it grew for them long after the
 * load ends; on a node holding 10,000 instances and 10,000 configs after a write benchmark that
 * was 30–45 MB of RSS. A full GC when the node has been quiet for a while gives it back, at a
 * moment when the pause costs nobody anything. Runs only where `gc` is exposed (`--expose-gc`,
 * which the lab passes: NODE_CORE_NODE_FLAGS).
 *
 * Two refinements:
 * - The first quiet spell after start collects too: recovery reads the snapshot and replays the
 *   WAL, which left 35 MB of heap and 40 MB of buffers as garbage on a restarted node that
 *   nothing else collected while it idled (RSS 182 MB instead of about 120).
 * - "Quiet" is a trickle, not silence: the leader's health sweep keeps proposing a few entries a
 *   second while clients that stopped beating expire, and must not keep the collection away.
 */
import { setFlagsFromString } from 'node:v8'

export interface IdleGcOptions {
  /** A number that grows with work done (the applied index). */
  progress: () => number
  /** `globalThis.gc` when exposed. */
  gc: (() => void) | undefined
  /** Quiet time before collecting (default 3 s). */
  quietMs?: number
  /** Work per second that still counts as quiet (default 20). */
  quietPerSecond?: number
  /** Work since the last collection that makes one worth it (default 2,000). */
  minProgress?: number
  /** After each collection: how long it took (ms). */
  onCollected?: (ms: number) => void
}

/** Start watching; returns a stop function. A no-op when `gc` is not exposed. */
export function startIdleGc(o: IdleGcOptions): () => void {
  const gc = o.gc
  if (!gc) return () => {}
  const quietMs = o.quietMs ?? 3000
  const allowance = ((o.quietPerSecond ?? 20) * quietMs) / 1000
  const minProgress = o.minProgress ?? 2000
  // Start counts as a burst (see above), so the first quiet spell collects.
  let collectedAt = Number.NEGATIVE_INFINITY
  let windowAt = Date.now()
  let windowFrom = o.progress()
  const timer = setInterval(() => {
    const now = Date.now()
    const cur = o.progress()
    if (cur - windowFrom > allowance) {
      windowAt = now
      windowFrom = cur
      return
    }
    if (now - windowAt < quietMs || cur - collectedAt < minProgress) return
    collectedAt = cur
    const t0 = performance.now()
    gc()
    o.onCollected?.(performance.now() - t0)
  }, Math.max(10, quietMs / 3))
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * `gc` made to compact every page for this one collection. V8's usual full GC evacuates only the
 * pages its heuristics pick, so after a burst the old generation kept ~70 MB of mostly empty pages
 * for ~25 MB of live data (heap used 25 of 73 MB in the bench's RSS figure). Compacting them
 * all hands them back (a 116 MB fragmented heap: 48 ms, heap 116 → 27 MB). A pause nobody waits
 * for, at rest; every other full GC keeps V8's heuristics.
 */
export function compactingGc(gc: (() => void) | undefined): (() => void) | undefined {
  if (!gc) return undefined
  return () => {
    setFlagsFromString('--compact-on-every-full-gc')
    try {
      gc()
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc')
    }
  }
}
