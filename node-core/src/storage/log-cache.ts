/**
 * The in-memory copy of the log since the last snapshot, from which DiskStorage answers the
 * Raft core's synchronous reads. Same semantics as raft/storage.ts's MemoryStorage (same errors,
 * same dummy entry at the snapshot index), but appends are amortised O(1): MemoryStorage
 * rebuilds its whole array on every append, which is fine for tests and quadratic for a server
 * appending one entry at a time to a 100,000-entry log.
 */
import { CompactedError, SnapshotOutOfDateError, UnavailableError, cloneConf, limitSize, type Storage } from '../raft/storage'
import { RaftInvariantError, type ConfState, type Entry, type HardState, type Index, type Snapshot, type Term } from '../raft/types'

const EMPTY = new Uint8Array()

export class LogCache implements Storage {
  hardState: HardState = { term: 0, vote: 0, commit: 0 }
  private snap: Snapshot = { metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } }, data: EMPTY }
  /** Invariant: ents[0] is a dummy holding the index and term the log starts after. */
  private ents: Entry[] = [{ term: 0, index: 0, type: 'normal', data: EMPTY }]

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
    this.ents = [{ term: snap.metadata.term, index: snap.metadata.index, type: 'normal', data: EMPTY }]
  }

  /** Record a snapshot at applied index `i` made of the state machines' `data`. */
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
    const rest = this.ents.slice(i)
    rest[0] = { term: head.term, index: head.index, type: 'normal', data: EMPTY }
    this.ents = rest
  }

  /** Append entries, truncating any conflicting suffix; entries below firstIndex() are ignored. */
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
