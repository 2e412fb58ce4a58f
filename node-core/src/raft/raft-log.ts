import { CompactedError, limitSize, UnavailableError, type Storage } from './storage'
import { RaftInvariantError, type Entry, type Index, type Snapshot, type Term } from './types'

/**
 * Entries and a snapshot not yet persisted (etcd-io/raft's unstable).
 * Invariant: entries[i].index === offset + i; a snapshot, if any, ends at offset - 1.
 */
export class Unstable {
  snapshot?: Snapshot
  entries: Entry[] = []
  offset: Index

  constructor(offset: Index) {
    this.offset = offset
  }

  maybeFirstIndex(): Index | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined
  }

  maybeLastIndex(): Index | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1
    return this.snapshot ? this.snapshot.metadata.index : undefined
  }

  maybeTerm(i: Index): Term | undefined {
    if (i < this.offset) {
      return this.snapshot && this.snapshot.metadata.index === i ? this.snapshot.metadata.term : undefined
    }
    const last = this.maybeLastIndex()
    if (last === undefined || i > last) return undefined
    return this.entries[i - this.offset]!.term
  }

  /** Entries up to (i, t) reached stable storage. */
  stableTo(i: Index, t: Term): void {
    const gt = this.maybeTerm(i)
    // Only when the term matches: a newer leader may have replaced the entry meanwhile.
    if (gt === t && i >= this.offset) {
      this.entries = this.entries.slice(i + 1 - this.offset)
      this.offset = i + 1
    }
  }

  stableSnapTo(i: Index): void {
    if (this.snapshot && this.snapshot.metadata.index === i) this.snapshot = undefined
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1
    this.entries = []
    this.snapshot = s
  }

  truncateAndAppend(ents: Entry[]): void {
    const after = ents[0]!.index
    if (after === this.offset + this.entries.length) {
      // The common case (a leader appending proposals): extend in place.
      for (const e of ents) this.entries.push(e)
    } else if (after <= this.offset) {
      // Replace everything unstable: the log is being rewritten from `after`.
      this.offset = after
      this.entries = ents.slice()
    } else {
      this.entries = this.entries.slice(0, after - this.offset).concat(ents)
    }
  }

  slice(lo: Index, hi: Index): Entry[] {
    const upper = this.offset + this.entries.length
    if (lo > hi || lo < this.offset || hi > upper) {
      throw new RaftInvariantError(`unstable.slice[${lo},${hi}) out of bound [${this.offset},${upper}]`)
    }
    return this.entries.slice(lo - this.offset, hi - this.offset)
  }
}

/**
 * The log as Raft sees it: stable storage plus the unstable tail.
 * Invariant: applied <= committed <= lastIndex().
 */
export class RaftLog {
  readonly unstable: Unstable
  committed: Index
  applied: Index

  constructor(readonly storage: Storage) {
    const first = storage.firstIndex()
    const last = storage.lastIndex()
    this.unstable = new Unstable(last + 1)
    this.committed = first - 1
    this.applied = first - 1
  }

  firstIndex(): Index {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex()
  }

  lastIndex(): Index {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex()
  }

  /** Term of entry i, or undefined when it is compacted away or does not exist. */
  term(i: Index): Term | undefined {
    const dummy = this.firstIndex() - 1
    if (i < dummy || i > this.lastIndex()) return undefined
    const t = this.unstable.maybeTerm(i)
    if (t !== undefined) return t
    try {
      return this.storage.term(i)
    } catch (err) {
      if (err instanceof CompactedError || err instanceof UnavailableError) return undefined
      throw err
    }
  }

  lastTerm(): Term {
    const t = this.term(this.lastIndex())
    if (t === undefined) throw new RaftInvariantError(`unexpected error when getting the last term`)
    return t
  }

  matchTerm(i: Index, t: Term): boolean {
    return this.term(i) === t
  }

  /** Raft §5.4.1: is a log ending at (lasti, term) at least as up to date as ours? */
  isUpToDate(lasti: Index, term: Term): boolean {
    const lt = this.lastTerm()
    return term > lt || (term === lt && lasti >= this.lastIndex())
  }

  /**
   * The follower side of MsgApp: if our log matches at (index, logTerm), append what is new
   * (truncating a conflicting suffix) and return the last index the leader sent.
   */
  maybeAppend(index: Index, logTerm: Term, committed: Index, ents: Entry[]): { lastNew: Index; truncatedAfter?: Index } | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined
    const lastNew = index + ents.length
    const ci = this.findConflict(ents)
    let truncatedAfter: Index | undefined
    if (ci !== 0) {
      if (ci <= this.committed) {
        throw new RaftInvariantError(`entry ${ci} conflict with committed entry [committed(${this.committed})]`)
      }
      if (ci <= this.lastIndex()) truncatedAfter = ci - 1
      this.append(ents.slice(ci - (index + 1)))
    }
    this.commitTo(Math.min(committed, lastNew))
    return { lastNew, truncatedAfter }
  }

  append(ents: Entry[]): Index {
    if (ents.length === 0) return this.lastIndex()
    const after = ents[0]!.index - 1
    if (after < this.committed) {
      throw new RaftInvariantError(`after(${after}) is out of range [committed(${this.committed})]`)
    }
    this.unstable.truncateAndAppend(ents)
    return this.lastIndex()
  }

  /** The index of the first entry whose term differs from ours (0 if none; new entries count). */
  findConflict(ents: Entry[]): Index {
    for (const e of ents) if (!this.matchTerm(e.index, e.term)) return e.index
    return 0
  }

  /**
   * The fast back-off hint: the largest index <= `index` whose term is <= `term`, so the
   * leader can skip a whole conflicting term in one round trip (Raft paper §5.3, end).
   */
  findConflictByTerm(index: Index, term: Term): { index: Index; term: Term } {
    for (; index > 0; index--) {
      const t = this.term(index)
      if (t === undefined) return { index, term: 0 }
      if (t <= term) return { index, term: t }
    }
    return { index: 0, term: 0 }
  }

  unstableEntries(): Entry[] {
    return this.unstable.entries
  }

  /** Committed entries not yet handed out for applying (none while a snapshot is pending). */
  nextCommittedEnts(maxBytes = Number.MAX_SAFE_INTEGER): Entry[] {
    if (this.unstable.snapshot) return []
    const off = Math.max(this.applied + 1, this.firstIndex())
    if (this.committed + 1 > off) return this.slice(off, this.committed + 1, maxBytes)
    return []
  }

  hasNextCommittedEnts(): boolean {
    if (this.unstable.snapshot) return false
    return this.committed + 1 > Math.max(this.applied + 1, this.firstIndex())
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot()
  }

  commitTo(toCommit: Index): boolean {
    if (this.committed >= toCommit) return false
    if (this.lastIndex() < toCommit) {
      throw new RaftInvariantError(`tocommit(${toCommit}) is out of range [lastIndex(${this.lastIndex()})]`)
    }
    this.committed = toCommit
    return true
  }

  appliedTo(i: Index): void {
    if (i === 0) return
    if (this.committed < i || i < this.applied) {
      throw new RaftInvariantError(`applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`)
    }
    this.applied = i
  }

  stableTo(i: Index, t: Term): void {
    this.unstable.stableTo(i, t)
  }

  stableSnapTo(i: Index): void {
    this.unstable.stableSnapTo(i)
  }

  /** Leader commit rule (Raft §5.4.2, Figure 8): only an entry of the current term commits by counting. */
  maybeCommit(maxIndex: Index, term: Term): boolean {
    if (maxIndex > this.committed && this.term(maxIndex) === term) return this.commitTo(maxIndex)
    return false
  }

  restore(s: Snapshot): void {
    this.committed = s.metadata.index
    this.unstable.restore(s)
  }

  /** Entries from i on, up to maxBytes (throws CompactedError below firstIndex). */
  entries(i: Index, maxBytes: number): Entry[] {
    if (i > this.lastIndex()) return []
    return this.slice(i, this.lastIndex() + 1, maxBytes)
  }

  allEntries(): Entry[] {
    return this.entries(this.firstIndex(), Number.MAX_SAFE_INTEGER)
  }

  slice(lo: Index, hi: Index, maxBytes: number): Entry[] {
    const fi = this.firstIndex()
    if (lo > hi) throw new RaftInvariantError(`invalid slice ${lo} > ${hi}`)
    if (lo < fi) throw new CompactedError(lo)
    if (hi > this.lastIndex() + 1) throw new RaftInvariantError(`slice[${lo},${hi}) out of bound [${fi},${this.lastIndex()}]`)
    if (lo === hi) return []
    let ents: Entry[] = []
    const off = this.unstable.offset
    if (lo < off) {
      const stored = this.storage.entries(lo, Math.min(hi, off), maxBytes)
      if (stored.length < Math.min(hi, off) - lo) return stored
      ents = stored
    }
    if (hi > off) ents = ents.concat(this.unstable.slice(Math.max(lo, off), hi))
    return limitSize(ents, maxBytes)
  }
}
