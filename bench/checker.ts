// `BENCH_ONLY=checker`: the linearizability checker on seeded synthetic histories of a correct
// store (issue 7's figure: 10,000 ops, 5 keys, 16 clients decided within 10 s).
import { loadavg } from 'node:os'
import { checkHistory } from '../electron/lab/checker/linearizability'
import { syntheticHistory } from '../electron/lab/checker/synthetic'
import type { FigureRow } from './figures'

export async function benchChecker(): Promise<FigureRow[]> {
  const rows: FigureRow[] = []
  for (const [ops, keys, clients] of [
    [10_000, 5, 16],
    [10_000, 1, 16],
    [50_000, 5, 16]
  ] as const) {
    const seed = 42
    const h = syntheticHistory({ ops, keys, clients, seed })
    const t0 = performance.now()
    // One hot key with 16 writers is the hard case (the search window holds up to 2^16 orders): bounded, and said so.
    const res = checkHistory(h, { budgetMs: 10_000 })
    const ms = Math.round(performance.now() - t0)
    const first = ops === 10_000 && keys === 5
    rows.push({
      name: `checker: ${ops} ops, ${keys} keys, ${clients} clients (seed ${seed}) → ${res.verdict}`,
      value: ms,
      unit: 'ms',
      ...(first ? { target: '≤ 10000', pass: ms <= 10_000 && res.verdict === 'ok' } : {}),
      load: Math.round(loadavg()[0]! * 100) / 100
    })
  }
  return rows
}
