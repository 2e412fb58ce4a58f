import { RaftInvariantError, entrySize, type ConfState, type Entry, type HardState, type Index, type Snapshot, type Term } from './types'

/** Entries below the storage's first index were compacted into a snapshot. */
export class CompactedError extends Error {
  readonly code = 'COMPACTED'
  constructor(index: Index) {
    super(`requested index ${index} is unavailable due to compaction`)
  }
}

/** Entries beyond the last index do not exist (yet). */
export class UnavailableError extends Error {
  readonly code = 'UNAVAILABLE'
  constructor(index: Index) {
    super(`requested entry at index ${index} is unavailable`)
  }
}

/** The snapshot is older than what storage already has. */
export class SnapshotOutOfDateError extends Error {
  readonly code = 'SNAPSHOT_OUT_OF_DATE'
  constructor(index: Index) {
    super(`requested snapshot index ${index} is older than the existing snapshot`)
  }
}

/**
 * The stable log as the core reads it (etcd-io/raft's Storage). The server implements it on
 * its WAL; tests use MemoryStorage. Raft only reads; the caller writes what Ready says.
 */
export interface Storage {
  initialState(): { hardState: HardState; confState: ConfState }
  /** Entries in [lo, hi), at least one if any exist, then up to `maxBytes` in total. */
  entries(lo: Index, hi: Index, maxBytes: number): Entry[]
  /** Term of entry i, for i in [firstIndex()-1, lastIndex()]. */
  term(i: Index): Term
  lastIndex(): Index
  firstIndex(): Index
  snapshot(): Snapshot
}

/** Take a prefix of `ents` that fits `maxBytes`, but always at least one entry. */
export function limitSize(ents: Entry[], maxBytes: number): Entry[] {
  if (ents.length === 0) return ents
  let size = entrySize(ents[0]!)
  let n = 1
  for (; n < ents.length; n++) {
    size += entrySize(ents[n]!)
    if (size > maxBytes) break
  }
  return n === ents.length ? ents : ents.slice(0, n)
}

/**
 * In-memory Storage. `ents[0]` is a dummy entry holding the snapshot's index and term, so
 * term(firstIndex - 1) is always answerable (as in etcd's MemoryStorage).
 */
export class MemoryStorage implements Storage {
  hardState: HardState = { term: 0, vote: 0, commit: 0 }
  private snap: Snapshot = { metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } }, data: new Uint8Array() }
  /** Invariant: ents[0] is the dummy at the snapshot index. */
  private ents: Entry[] = [{ term: 0, index: 0, type: 'normal', data: new Uint8Array() }]

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: { ...this.hardState }, confState: cloneConf(this.snap.metadata.confState) }
  }

  setHardState(h: HardState): void {
    this.hardState = { ...h }
  }

  entries(lo: Index, hi: Index, maxBytes: number): Entry[] {
    const offset = this.ents[0]!.index
    if (lo <= offset) throw new CompactedError(lo)
    if (hi > this.lastIndex() + 1) throw new RaftInvariantError(`entries' hi(${hi}) is out of bound lastindex(${this.lastIndex()})`)
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxBytes)
  }

  term(i: Index): Term {
    const offset = this.ents[0]!.index
    if (i < offset) throw new CompactedError(i)
    if (i - offset >= this.ents.length) throw new UnavailableError(i)
    return this.ents[i - offset]!.term
  }

  lastIndex(): Index {
    return this.ents[0]!.index + this.ents.length - 1
  }

  firstIndex(): Index {
    return this.ents[0]!.index + 1
  }

  snapshot(): Snapshot {
    return this.snap
  }

  /** Replace everything with a snapshot (a follower installing one). */
  applySnapshot(snap: Snapshot): void {
    if (this.snap.metadata.index >= snap.metadata.index) throw new SnapshotOutOfDateError(snap.metadata.index)
    this.snap = snap
    this.ents = [{ term: snap.metadata.term, index: snap.metadata.index, type: 'normal', data: new Uint8Array() }]
  }

  /** Make a snapshot at applied index `i` with the state machine's `data`. */
  createSnapshot(i: Index, confState: ConfState, data: Uint8Array): Snapshot {
    if (i <= this.snap.metadata.index) throw new SnapshotOutOfDateError(i)
    if (i > this.lastIndex()) throw new RaftInvariantError(`snapshot ${i} is out of bound lastindex(${this.lastIndex()})`)
    this.snap = { metadata: { index: i, term: this.term(i), confState: cloneConf(confState) }, data }
    return this.snap
  }

  /** Discard entries before `compactIndex` (they live in the snapshot now). */
  compact(compactIndex: Index): void {
    const offset = this.ents[0]!.index
    if (compactIndex <= offset) throw new CompactedError(compactIndex)
    if (compactIndex > this.lastIndex()) throw new RaftInvariantError(`compact ${compactIndex} is out of bound lastindex(${this.lastIndex()})`)
    const i = compactIndex - offset
    const head = this.ents[i]!
    this.ents = [{ term: head.term, index: head.index, type: 'normal', data: new Uint8Array() }, ...this.ents.slice(i + 1)]
  }

  /**
   * Append entries, truncating any conflicting suffix (what Ready.entries asks for); entries
   * below firstIndex() are ignored. In place: amortised O(1) per entry, so a server appending
   * one entry at a time to a long log stays linear.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return
    const first = this.firstIndex()
    const last = entries[0]!.index + entries.length - 1
    if (last < first) return
    const skip = first > entries[0]!.index ? first - entries[0]!.index : 0
    const offset = entries[skip]!.index - this.ents[0]!.index
    if (offset > this.ents.length) {
      throw new RaftInvariantError(`missing log entry [last: ${this.lastIndex()}, append at: ${entries[skip]!.index}]`)
    }
    this.ents.length = offset
    for (let k = skip; k < entries.length; k++) this.ents.push(entries[k]!)
  }

}

export function cloneConf(c: ConfState): ConfState {
  return { voters: [...c.voters], learners: [...c.learners] }
}
