/**
 * Seeded synthetic histories of a correct (linearizable) register store with concurrent
 * clients, for tests and the checker benchmark: each op takes effect at one instant inside
 * its invoke–complete interval, as a real linearizable server would.
 */
import type { HistoryOp } from '../workload/history'

export interface SyntheticOptions {
  ops: number
  keys: number
  clients: number
  seed: number
  /** Share of reads, 0–1. */
  readShare?: number
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    // xorshift32: small, seedable, good enough to spread op timings.
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 0x1_0000_0000
  }
}

export function syntheticHistory(o: SyntheticOptions): HistoryOp[] {
  const rand = rng(o.seed)
  const state = new Map<string, string | null>()
  const clock = Array.from({ length: o.clients }, () => rand() * 5)
  const pending: { op: HistoryOp; at: number }[] = []
  const out: HistoryOp[] = []
  let seq = 0
  for (let i = 0; i < o.ops; i++) {
    // The client that is free first issues the next op.
    let c = 0
    for (let j = 1; j < o.clients; j++) if (clock[j]! < clock[c]!) c = j
    const invokeAt = clock[c]!
    const effectAt = invokeAt + 0.5 + rand() * 4
    const completeAt = effectAt + 0.5 + rand() * 4
    const key = `k${Math.floor(rand() * o.keys)}`
    const isRead = rand() < (o.readShare ?? 0.5)
    const op: HistoryOp = isRead
      ? { id: i + 1, client: c, node: String(c % 3), kind: 'read', key, invokeAt, completeAt, outcome: 'ok' }
      : { id: i + 1, client: c, node: String(c % 3), kind: 'write', key, value: `c${c}-${++seq}`, invokeAt, completeAt, outcome: 'ok' }
    pending.push({ op, at: effectAt })
    out.push(op)
    clock[c] = completeAt + rand() * 2
  }
  // Apply in effect order: reads see exactly the state at their instant.
  pending.sort((a, b) => a.at - b.at)
  for (const { op } of pending) {
    if (op.kind === 'write') state.set(op.key, op.value ?? null)
    else op.result = state.get(op.key) ?? null
  }
  return out.sort((a, b) => a.invokeAt - b.invokeAt)
}
