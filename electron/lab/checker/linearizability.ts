/**
 * A linearizability checker for the config key/value history a workload records (issue 7):
 * Wing & Gong's search with Lowe's memoisation, as in Porcupine, over a register model, with
 * the history split per key first (P-compositionality: a history is linearizable iff each
 * key's sub-history is). Pure: ops in, verdict out; the time budget reads an injected clock.
 *
 * What each recorded outcome means here:
 * - ok write / ok read: happened between its invoke and its completion;
 * - fail: certainly not applied — left out;
 * - unknown write: may have been applied at any time after its invoke, or never (its return
 *   is at +∞, so the search may place it last, which no read can observe);
 * - unknown read: tells nothing — left out.
 */
import type { HistoryOp } from '../workload/history'

export type CheckVerdict = 'ok' | 'violation' | 'unknown'

export interface KeyResult {
  key: string
  verdict: CheckVerdict
  ops: number
  /** Search steps taken, for the report. */
  steps: number
}

export interface Anomaly {
  key: string
  /** What went wrong, for people. */
  summary: 'stale-read' | 'phantom-read' | 'lost-write' | 'no-linearization'
  /** The few ops that show it, oldest first. */
  ops: HistoryOp[]
  /** One line per op: what it did and when, relative to the first op shown. */
  explanation: string[]
}

export interface CheckResult {
  verdict: CheckVerdict
  keys: KeyResult[]
  /** The first violation found, explained; absent when the verdict is not 'violation'. */
  anomaly?: Anomaly
  elapsedMs: number
  /** Ops the checker used (ok and unknown writes, ok reads). */
  opsChecked: number
}

export interface CheckOptions {
  /** Give up (verdict 'unknown') after this long. Default 10 s. */
  budgetMs?: number
  now?: () => number
}

/** Register model: the value of one key, null when it does not exist. */
type State = string | null

interface Entry {
  op: number
  isCall: boolean
  time: number
  match: Entry | null
  prev: Entry | null
  next: Entry | null
}

class BitSet {
  readonly words: Uint32Array
  constructor(n: number) {
    this.words = new Uint32Array(Math.ceil(n / 32) || 1)
  }
  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31)
  }
  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31))
  }
  key(): string {
    // Words as one string: a compact, exact cache key (no hashing collisions to reason about).
    return String.fromCharCode(...new Uint16Array(this.words.buffer))
  }
}

/** Check one key's ops. `deadline` in the injected clock's ms. */
export function checkKey(key: string, all: readonly HistoryOp[], now: () => number, deadline: number): KeyResult {
  // An unknown write whose value no read returned can be taken as never applied: with unique
  // values nothing can tell, and leaving it out keeps a crash (many unknown writes) from
  // blowing up the search.
  const read = new Set(all.filter((o) => o.key === key && o.kind === 'read' && o.outcome === 'ok').map((o) => o.result ?? null))
  const ops = all.filter((o) => o.key === key && (o.outcome === 'ok' || (o.outcome === 'unknown' && o.kind === 'write' && read.has(o.value ?? null))))
  const entries: Entry[] = []
  ops.forEach((o, i) => {
    const call: Entry = { op: i, isCall: true, time: o.invokeAt, match: null, prev: null, next: null }
    const end = o.outcome === 'ok' && o.completeAt !== undefined ? o.completeAt : Number.POSITIVE_INFINITY
    const ret: Entry = { op: i, isCall: false, time: end, match: null, prev: null, next: null }
    call.match = ret
    entries.push(call, ret)
  })
  // Calls before returns at equal times: ops that touch at a millisecond count as concurrent,
  // so clock granularity can never manufacture a violation.
  entries.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1))
  const head: Entry = { op: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null }
  let prev = head
  for (const e of entries) {
    prev.next = e
    e.prev = prev
    prev = e
  }

  const lift = (e: Entry): void => {
    e.prev!.next = e.next
    if (e.next) e.next.prev = e.prev
    const m = e.match!
    m.prev!.next = m.next
    if (m.next) m.next.prev = m.prev
  }
  const unlift = (e: Entry): void => {
    const m = e.match!
    m.prev!.next = m
    if (m.next) m.next.prev = m
    e.prev!.next = e
    if (e.next) e.next.prev = e
  }
  const step = (s: State, o: HistoryOp): { ok: boolean; next: State } => {
    if (o.kind === 'write') return { ok: true, next: o.value ?? null }
    return { ok: (o.result ?? null) === s, next: s }
  }

  const linearized = new BitSet(ops.length)
  const cache = new Set<string>()
  const calls: { entry: Entry; state: State }[] = []
  let state: State = null
  let entry = head.next
  let steps = 0
  while (head.next !== null) {
    if (++steps % 4096 === 0 && now() > deadline) return { key, verdict: 'unknown', ops: ops.length, steps }
    if (entry === null) break
    if (entry.isCall) {
      const r = step(state, ops[entry.op]!)
      if (r.ok) {
        linearized.set(entry.op)
        const k = `${linearized.key()}|${r.next === null ? '\u0000' : r.next}`
        if (!cache.has(k)) {
          cache.add(k)
          calls.push({ entry, state })
          state = r.next
          lift(entry)
          entry = head.next
          continue
        }
        linearized.clear(entry.op)
      }
      entry = entry.next
    } else {
      const top = calls.pop()
      // Nothing left to undo: this op's deadline passed with no order that explains it.
      if (!top) return { key, verdict: 'violation', ops: ops.length, steps }
      entry = top.entry
      state = top.state
      linearized.clear(entry.op)
      unlift(entry)
      entry = entry.next
    }
  }
  return { key, verdict: 'ok', ops: ops.length, steps }
}

/** Check a whole history, key by key, within one time budget. */
export function checkHistory(history: readonly HistoryOp[], options: CheckOptions = {}): CheckResult {
  const now = options.now ?? (() => performance.now())
  const start = now()
  const deadline = start + (options.budgetMs ?? 10_000)
  const keys = [...new Set(history.map((o) => o.key))].sort()
  const results: KeyResult[] = []
  let anomaly: Anomaly | undefined
  let verdict: CheckVerdict = 'ok'
  for (const key of keys) {
    const r = checkKey(key, history, now, deadline)
    results.push({ key: r.key, verdict: r.verdict, ops: r.ops, steps: r.steps })
    if (r.verdict === 'violation') {
      verdict = 'violation'
      anomaly ??= explain(key, history)
    } else if (r.verdict === 'unknown' && verdict === 'ok') verdict = 'unknown'
  }
  return {
    verdict,
    keys: results,
    ...(anomaly ? { anomaly } : {}),
    elapsedMs: now() - start,
    opsChecked: results.reduce((n, r) => n + r.ops, 0)
  }
}

const fmt = (o: HistoryOp, t0: number): string => {
  const at = `${(o.invokeAt - t0).toFixed(0)}–${o.completeAt === undefined ? '?' : (o.completeAt - t0).toFixed(0)} ms`
  const who = `client ${o.client} via node ${o.node}`
  if (o.kind === 'write') return `${at}: ${who} wrote ${JSON.stringify(o.value)} (${o.outcome})`
  return `${at}: ${who} read ${o.result === null || o.result === undefined ? 'nothing' : JSON.stringify(o.result)}`
}

/**
 * The smallest story that shows a register violation: a read that returned a value some
 * later-completed write had already replaced before the read began (stale), a value nobody
 * wrote (phantom), or nothing after a write had completed. Found directly from the ops'
 * intervals, which is what a person needs to see on a timeline.
 */
export function explain(key: string, history: readonly HistoryOp[]): Anomaly {
  const ops = history.filter((o) => o.key === key)
  const writes = ops.filter((o) => o.kind === 'write' && o.outcome !== 'fail')
  const okWrites = writes.filter((o) => o.outcome === 'ok' && o.completeAt !== undefined)
  const byValue = new Map(writes.map((w) => [w.value, w]))
  const reads = ops.filter((o) => o.kind === 'read' && o.outcome === 'ok').sort((a, b) => a.invokeAt - b.invokeAt)
  const story = (summary: Anomaly['summary'], shown: HistoryOp[]): Anomaly => {
    const sorted = [...new Set(shown)].sort((a, b) => a.invokeAt - b.invokeAt)
    const t0 = sorted[0]?.invokeAt ?? 0
    return { key, summary, ops: sorted, explanation: sorted.map((o) => fmt(o, t0)) }
  }
  for (const r of reads) {
    const v = r.result ?? null
    if (v === null) {
      const before = okWrites.filter((w) => w.completeAt! < r.invokeAt).sort((a, b) => b.completeAt! - a.completeAt!)[0]
      if (before) return story('lost-write', [before, r])
      continue
    }
    const src = byValue.get(v)
    if (!src || src.invokeAt > r.completeAt!) return story('phantom-read', src ? [src, r] : [r])
    // A write that began after the source completed and itself completed before the read began
    // must be visible to the read (or something newer must be).
    const newer = okWrites
      .filter((w) => w !== src && src.completeAt !== undefined && w.invokeAt > src.completeAt && w.completeAt! < r.invokeAt)
      .sort((a, b) => b.completeAt! - a.completeAt!)[0]
    if (newer) return story('stale-read', [src, newer, r])
  }
  // No single read explains it (e.g. two readers disagreeing on the order): show the key's
  // reads and writes that overlap the first pair of reads that saw different orders.
  return story('no-linearization', ops.filter((o) => o.outcome === 'ok').slice(0, 6))
}
