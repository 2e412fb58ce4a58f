import type { Entry, Index, NodeId, Term } from '../types'

/**
 * Safety invariants of Raft (paper Figure 3), checked incrementally as the simulation runs so
 * each check costs only what changed. A violation is thrown as InvariantViolation with a
 * message that names the property, the nodes and the indexes involved.
 */
export class InvariantViolation extends Error {
  constructor(
    readonly property: string,
    detail: string
  ) {
    super(`${property}: ${detail}`)
    this.name = 'InvariantViolation'
  }
}

/** 53-bit FNV-1a-style hash chain over entries, so log prefixes compare in O(1). */
export function chainHash(prev: number, e: Entry): number {
  let h = prev ^ 0x811c9dc5
  const mix = (x: number): void => {
    h = Math.imul(h ^ x, 16777619) >>> 0
  }
  mix(e.index)
  mix(e.term)
  mix(e.type === 'confChange' ? 1 : 0)
  for (const b of e.data) mix(b)
  // Keep the previous chain in the high part so the chain depends on every earlier entry.
  return (h + prev * 31) % 9007199254740881
}

export class SafetyChecker {
  /** Election safety: the leader of each term. */
  private readonly leaders = new Map<Term, NodeId>()
  /** Log matching: the chain hash of any log containing entry (index, term). */
  private readonly chainAt = new Map<string, number>()
  /**
   * Committed entries as first seen committed: index → (entry term, chain, and the lowest
   * current term of any node that has reported it committed — an upper bound on the term in
   * which it was committed).
   */
  readonly committed = new Map<Index, { term: Term; chain: number; commitTerm: Term }>()
  /** State machine safety: what was applied at each index, by anyone. */
  private readonly applied = new Map<Index, number>()
  /** Highest index known committed anywhere. */
  maxCommitted: Index = 0

  /** Election safety: at most one leader per term. */
  leaderElected(node: NodeId, term: Term): void {
    const prev = this.leaders.get(term)
    if (prev !== undefined && prev !== node) {
      throw new InvariantViolation('election safety', `nodes ${prev} and ${node} were both leader in term ${term}`)
    }
    this.leaders.set(term, node)
  }

  leaderCount(): number {
    return this.leaders.size
  }

  /**
   * Log matching: a node's log holds (index, term) with the given chain; any other log with the
   * same (index, term) must have the same chain, i.e. the same entries up to there.
   */
  logEntry(node: NodeId, index: Index, term: Term, chain: number): void {
    const key = `${index}/${term}`
    const prev = this.chainAt.get(key)
    if (prev === undefined) this.chainAt.set(key, chain)
    else if (prev !== chain) {
      throw new InvariantViolation('log matching', `node ${node} has entry ${term}/${index} but its log differs before it from another log with the same entry`)
    }
  }

  /** The chain of (index, term) if some log has been seen with it. */
  knownChain(index: Index, term: Term): number | undefined {
    return this.chainAt.get(`${index}/${term}`)
  }

  /** A node, now in term `nodeTerm`, reports its log is committed up to `index` with this entry there. */
  commitObserved(node: NodeId, index: Index, term: Term, chain: number, nodeTerm: Term): void {
    const prev = this.committed.get(index)
    if (prev && (prev.term !== term || prev.chain !== chain)) {
      throw new InvariantViolation(
        'committed entries are never lost',
        `node ${node} committed ${term}/${index} but ${prev.term}/${index} was committed before`
      )
    }
    if (!prev) this.committed.set(index, { term, chain, commitTerm: nodeTerm })
    else if (nodeTerm < prev.commitTerm) prev.commitTerm = nodeTerm
    if (index > this.maxCommitted) this.maxCommitted = index
  }

  /**
   * Leader completeness (Raft §5.4): an entry committed in term T is in the log of every
   * leader of a term after T. (A leader of an older term may still be elected later in wall
   * time, with delayed votes, and need not have it.)
   * `termAt` answers the leader's term at an index, undefined when compacted away.
   */
  leaderHasCommitted(node: NodeId, term: Term, lastIndex: Index, termAt: (i: Index) => Term | undefined): void {
    for (const [index, c] of this.committed) {
      if (c.commitTerm >= term) continue
      if (index > lastIndex) {
        throw new InvariantViolation('leader completeness', `leader ${node} of term ${term} lacks committed entry ${c.term}/${index} (its log ends at ${lastIndex})`)
      }
      const t = termAt(index)
      if (t !== undefined && t !== c.term) {
        throw new InvariantViolation('leader completeness', `leader ${node} of term ${term} has ${t}/${index} where ${c.term}/${index} was committed`)
      }
    }
  }

  /** State machine safety: every node applies the same entry at each index. */
  entryApplied(node: NodeId, index: Index, chain: number): void {
    const prev = this.applied.get(index)
    if (prev === undefined) this.applied.set(index, chain)
    else if (prev !== chain) {
      throw new InvariantViolation('state machine safety', `node ${node} applied a different entry at index ${index} than another node`)
    }
  }
}
