import { describe, expect, it } from 'vitest'
import { runSeed, type SimResult } from './sim'

// Randomized, seeded, deterministic simulation of the Raft core (see sim.ts). `npm test` runs
// SIM_SEEDS seeds (default 2000) starting at SIM_FROM (default 1); SIM_SEED=n replays one.
// A failure prints the exact command that replays it.

const single = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : undefined
const from = Number(process.env.SIM_FROM ?? 1)
const count = single !== undefined ? 1 : Number(process.env.SIM_SEEDS ?? 2000)
const seeds = single !== undefined ? [single] : Array.from({ length: count }, (_, i) => from + i)

const replay = (seed: number): string => `SIM_SEED=${seed} npx vitest run node-core/src/raft/simulation`

describe(`raft simulation: ${seeds.length} seeds from ${seeds[0]}`, () => {
  it('keeps every safety property under faults, and recovers once healed', () => {
    const failures: SimResult[] = []
    let leaders = 0
    let crashes = 0
    let confChanges = 0
    let snapshots = 0
    let maxLiveness = 0
    for (const seed of seeds) {
      const r = runSeed(seed)
      leaders += r.stats.leaders
      crashes += r.stats.crashes
      confChanges += r.stats.confChanges
      snapshots += r.stats.snapshotsSent
      maxLiveness = Math.max(maxLiveness, r.stats.livenessTicks)
      if (!r.ok) {
        failures.push(r)
        if (failures.length >= 5) break
      }
    }
    console.log(
      `raft simulation: ${seeds.length} seeds, ${leaders} elections, ${crashes} crashes, ${confChanges} membership changes, ${snapshots} snapshots sent, slowest recovery ${maxLiveness} ticks`
    )
    const report = failures.map((f) => `seed ${f.seed} at tick ${f.tick}: ${f.failure}\n  replay: ${replay(f.seed)}`).join('\n')
    expect(report).toBe('')
  }, 600_000)

  it('is deterministic: the same seed is the same run', () => {
    const seed = seeds[0]!
    expect(runSeed(seed)).toEqual(runSeed(seed))
  })
})
