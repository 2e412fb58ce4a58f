import type { Index, NodeId } from './types'

export type VoteResult = 'pending' | 'lost' | 'won'

/** Majority of n voters: ⌊n/2⌋ + 1. */
export const majority = (n: number): number => Math.floor(n / 2) + 1

/**
 * The largest index acknowledged by a majority of `voters` (etcd-io/raft quorum.MajorityConfig
 * CommittedIndex). 0 for an empty configuration: nothing commits without voters.
 */
export function committedIndex(voters: Iterable<NodeId>, matchOf: (id: NodeId) => Index): Index {
  const matches: Index[] = []
  for (const id of voters) matches.push(matchOf(id))
  if (matches.length === 0) return 0
  matches.sort((a, b) => b - a)
  return matches[majority(matches.length) - 1]!
}

/** Tally an election: won with a majority of grants, lost once a majority can no longer grant. */
export function voteResult(voters: Iterable<NodeId>, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  let n = 0
  let granted = 0
  let missing = 0
  for (const id of voters) {
    n++
    const v = votes.get(id)
    if (v === undefined) missing++
    else if (v) granted++
  }
  if (n === 0) return 'won'
  const q = majority(n)
  if (granted >= q) return 'won'
  if (granted + missing >= q) return 'pending'
  return 'lost'
}
