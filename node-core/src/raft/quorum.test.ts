import { describe, expect, it } from 'vitest'
import { committedIndex, majority, voteResult } from './quorum'
import { createRng, randomInt, type Rng } from './rand'
import type { Index, NodeId } from './types'

/** Build the `matchOf` lookup from a plain record. Unknown ids match 0, as in raft.ts. */
const matches =
  (m: Record<NodeId, Index>) =>
  (id: NodeId): Index =>
    m[id] ?? 0

/**
 * The deliberately naive commit index (etcd-io/raft quorum/quick_test.go's alternative):
 * try every index that occurs, from the largest down, and return the first one that at
 * least a majority of voters have reached. No sorting, no positions: just counting.
 */
function naiveCommittedIndex(voters: NodeId[], matchOf: (id: NodeId) => Index): Index {
  if (voters.length === 0) return 0
  const need = Math.floor(voters.length / 2) + 1
  const candidates = [...new Set(voters.map(matchOf)), 0]
  let best = 0
  for (const c of candidates) {
    let reached = 0
    for (const id of voters) if (matchOf(id) >= c) reached++
    if (reached >= need && c > best) best = c
  }
  return best
}

/** A random configuration: 0..maxVoters distinct ids (not necessarily 1..n) with random matches. */
function randomInput(rng: Rng, maxVoters: number, maxIndex: number): { voters: NodeId[]; match: Record<NodeId, Index> } {
  const n = randomInt(rng, maxVoters + 1)
  const ids = new Set<NodeId>()
  while (ids.size < n) ids.add(1 + randomInt(rng, 3 * maxVoters))
  const voters = [...ids]
  const match: Record<NodeId, Index> = {}
  // Small index ranges make ties (equal matches) frequent, which is where off-by-ones hide.
  const range = 1 + randomInt(rng, maxIndex)
  for (const id of voters) if (rng() < 0.9) match[id] = randomInt(rng, range)
  return { voters, match }
}

describe('majority', () => {
  it('is floor(n/2)+1', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 9].map(majority)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5])
  })
})

describe('committedIndex', () => {
  it.each<{ voters: NodeId[]; match: Record<NodeId, Index>; want: Index }>([
    { voters: [], match: {}, want: 0 },
    { voters: [1], match: { 1: 0 }, want: 0 },
    { voters: [1], match: { 1: 12 }, want: 12 },
    { voters: [1, 2], match: { 1: 12, 2: 5 }, want: 5 },
    { voters: [1, 2, 3], match: { 1: 12, 2: 5, 3: 7 }, want: 7 },
    { voters: [1, 2, 3], match: { 1: 12, 2: 12, 3: 1 }, want: 12 },
    { voters: [1, 2, 3], match: { 1: 12 }, want: 0 },
    { voters: [1, 2, 3, 4], match: { 1: 10, 2: 9, 3: 8, 4: 7 }, want: 8 },
    { voters: [1, 2, 3, 4, 5], match: { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 }, want: 3 },
    { voters: [5, 4, 3, 2, 1], match: { 1: 100, 2: 100, 3: 0, 4: 0, 5: 0 }, want: 0 },
    // ids need not be dense or ordered
    { voters: [7, 30, 2], match: { 7: 4, 30: 9, 2: 6 }, want: 6 }
  ])('voters=$voters match=$match → $want', ({ voters, match, want }) => {
    expect(committedIndex(voters, matches(match))).toBe(want)
  })

  it('only counts the given voters (learners are not in the iterable)', () => {
    // 4 has a huge match but is not a voter: the commit index of {1,2,3} is 2.
    expect(committedIndex(new Set([1, 2, 3]), matches({ 1: 5, 2: 2, 3: 1, 4: 99 }))).toBe(2)
  })

  it('agrees with a naive count-the-voters oracle on random inputs', () => {
    const seed = Number(process.env.QUORUM_SEED ?? 20260101)
    const rng = createRng(seed)
    const runs = 5000
    for (let run = 0; run < runs; run++) {
      const { voters, match } = randomInput(rng, 9, 20)
      const want = naiveCommittedIndex(voters, matches(match))
      const got = committedIndex(voters, matches(match))
      if (got !== want) {
        throw new Error(
          `committedIndex disagrees with the oracle (seed ${seed}, run ${run}): voters=${JSON.stringify(voters)} ` +
            `match=${JSON.stringify(match)} got ${got}, want ${want}. Re-run with QUORUM_SEED=${seed}.`
        )
      }
    }
  })

  it('the oracle itself is not trivially equal to committedIndex (sanity: it would catch an off-by-one)', () => {
    // A wrong "fast" version that picks the position one too far must be caught by the oracle.
    const offByOne = (voters: NodeId[], matchOf: (id: NodeId) => Index): Index => {
      const ms = voters.map(matchOf).sort((a, b) => b - a)
      return ms[majority(ms.length)] ?? 0
    }
    const rng = createRng(7)
    let caught = false
    for (let run = 0; run < 200 && !caught; run++) {
      const { voters, match } = randomInput(rng, 9, 20)
      if (offByOne(voters, matches(match)) !== naiveCommittedIndex(voters, matches(match))) caught = true
    }
    expect(caught).toBe(true)
  })
})

describe('voteResult', () => {
  const votes = (v: Record<NodeId, boolean>): Map<NodeId, boolean> => new Map(Object.entries(v).map(([k, b]) => [Number(k), b]))

  it.each<{ voters: NodeId[]; v: Record<NodeId, boolean>; want: string }>([
    // An empty configuration wins (etcd: a joint half with no voters never blocks).
    { voters: [], v: {}, want: 'won' },
    { voters: [1], v: {}, want: 'pending' },
    { voters: [1], v: { 1: true }, want: 'won' },
    { voters: [1], v: { 1: false }, want: 'lost' },
    { voters: [1, 2], v: { 1: true }, want: 'pending' },
    { voters: [1, 2], v: { 1: true, 2: true }, want: 'won' },
    { voters: [1, 2], v: { 1: true, 2: false }, want: 'lost' },
    { voters: [1, 2, 3], v: { 1: true }, want: 'pending' },
    { voters: [1, 2, 3], v: { 1: true, 2: true }, want: 'won' },
    { voters: [1, 2, 3], v: { 1: true, 2: false }, want: 'pending' },
    { voters: [1, 2, 3], v: { 1: true, 2: false, 3: false }, want: 'lost' },
    { voters: [1, 2, 3], v: { 2: false, 3: false }, want: 'lost' },
    { voters: [1, 2, 3, 4], v: { 1: true, 2: true }, want: 'pending' },
    { voters: [1, 2, 3, 4], v: { 1: true, 2: true, 3: false, 4: false }, want: 'lost' },
    { voters: [1, 2, 3, 4], v: { 1: true, 2: true, 3: true }, want: 'won' },
    { voters: [1, 2, 3, 4, 5], v: { 1: true, 2: false, 3: false }, want: 'pending' },
    { voters: [1, 2, 3, 4, 5], v: { 1: true, 2: false, 3: false, 4: false }, want: 'lost' }
  ])('voters=$voters votes=$v → $want', ({ voters, v, want }) => {
    expect(voteResult(voters, votes(v))).toBe(want)
  })

  it('ignores votes from non-voters', () => {
    // 4, 5 and 6 granting does not make a win in {1,2,3}.
    expect(voteResult([1, 2, 3], votes({ 1: true, 4: true, 5: true, 6: true }))).toBe('pending')
    expect(voteResult([1, 2, 3], votes({ 2: false, 3: false, 9: true }))).toBe('lost')
  })

  it('agrees with a naive tally on random inputs', () => {
    const seed = 4242
    const rng = createRng(seed)
    for (let run = 0; run < 3000; run++) {
      const n = randomInt(rng, 8)
      const voters = Array.from({ length: n }, (_, i) => i + 1)
      const v = new Map<NodeId, boolean>()
      for (const id of voters) {
        const r = rng()
        if (r < 0.4) v.set(id, true)
        else if (r < 0.7) v.set(id, false)
      }
      const yes = [...v.values()].filter(Boolean).length
      const no = [...v.values()].filter((b) => !b).length
      const q = Math.floor(n / 2) + 1
      const want = n === 0 || yes >= q ? 'won' : n - no >= q ? 'pending' : 'lost'
      const got = voteResult(voters, v)
      if (got !== want) throw new Error(`seed ${seed} run ${run}: n=${n} votes=${JSON.stringify([...v])} got ${got} want ${want}`)
    }
  })
})
