/**
 * Durability: at the end of a run every acknowledged write must still be there. With
 * overwrites "there" means: each node's final value of a key is a write that no acknowledged
 * write strictly followed (one of the writes that may legitimately be last), and every node
 * agrees. A final value older than that is an acknowledged write lost.
 */
import type { HistoryOp } from '../workload/history'

export interface FinalRead {
  node: string
  /** key → value read at the end (null: the key is missing). */
  values: ReadonlyMap<string, string | null>
}

export interface LostWrite {
  key: string
  node: string
  found: string | null
  /** The values that could legitimately be last. */
  expectedOneOf: (string | null)[]
}

export interface DurabilityResult {
  ok: boolean
  keysChecked: number
  lost: LostWrite[]
  /** Keys whose final value differs between nodes. */
  divergent: { key: string; values: Record<string, string | null> }[]
}

/** The values a key may hold at the end: writes not strictly followed by an acknowledged write. */
export function possibleFinalValues(key: string, history: readonly HistoryOp[]): (string | null)[] {
  const writes = history.filter((o) => o.key === key && o.kind === 'write' && o.outcome !== 'fail')
  const acked = writes.filter((o) => o.outcome === 'ok' && o.completeAt !== undefined)
  const end = (o: HistoryOp): number => (o.outcome === 'ok' && o.completeAt !== undefined ? o.completeAt : Number.POSITIVE_INFINITY)
  const last = writes.filter((wr) => !acked.some((a) => a !== wr && a.invokeAt > end(wr))).map((wr) => wr.value ?? null)
  // With no acknowledged write the key may still be missing.
  return acked.length === 0 ? [null, ...last] : last
}

export function checkDurability(history: readonly HistoryOp[], finals: readonly FinalRead[]): DurabilityResult {
  const keys = [...new Set(history.filter((o) => o.kind === 'write').map((o) => o.key))].sort()
  const lost: LostWrite[] = []
  const divergent: DurabilityResult['divergent'] = []
  for (const key of keys) {
    const expected = possibleFinalValues(key, history)
    const seen: Record<string, string | null> = {}
    for (const f of finals) {
      const v = f.values.has(key) ? f.values.get(key)! : null
      seen[f.node] = v
      if (!expected.includes(v)) lost.push({ key, node: f.node, found: v, expectedOneOf: expected })
    }
    if (new Set(Object.values(seen)).size > 1) divergent.push({ key, values: seen })
  }
  return { ok: lost.length === 0 && divergent.length === 0, keysChecked: keys.length, lost, divergent }
}
