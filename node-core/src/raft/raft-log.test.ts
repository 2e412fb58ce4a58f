import { describe, expect, it } from 'vitest'
import { RaftLog, Unstable } from './raft-log'
import { CompactedError, MemoryStorage } from './storage'
import { RaftInvariantError, type Entry, type Snapshot } from './types'

/** Entries from [index, term] pairs (empty normal data: 24 bytes each by entrySize). */
const ents = (...pairs: [number, number][]): Entry[] => pairs.map(([index, term]) => ({ index, term, type: 'normal', data: new Uint8Array() }))

/** Consecutive entries starting at `first` with the given terms. */
const run = (first: number, ...terms: number[]): Entry[] => terms.map((term, i) => ({ index: first + i, term, type: 'normal', data: new Uint8Array() }))

const ids = (es: Entry[]): string[] => es.map((e) => `${e.index}/${e.term}`)

const snap = (index: number, term: number): Snapshot => ({
  metadata: { index, term, confState: { voters: [1, 2, 3], learners: [] } },
  data: new Uint8Array([1, 2, 3])
})

/** A log whose entries are all in stable storage (what a restarted node sees). */
function stableLog(es: Entry[], snapshot?: Snapshot): { log: RaftLog; storage: MemoryStorage } {
  const storage = new MemoryStorage()
  if (snapshot) storage.applySnapshot(snapshot)
  storage.append(es)
  return { log: new RaftLog(storage), storage }
}

/** A log whose entries are all unstable (appended but not yet persisted). */
function unstableLog(es: Entry[]): RaftLog {
  const log = new RaftLog(new MemoryStorage())
  log.append(es)
  return log
}

/** Persist what is unstable, the way a server does between ready() and advance(). */
function persist(log: RaftLog, storage: MemoryStorage): void {
  const u = log.unstableEntries()
  if (u.length === 0) return
  const last = u[u.length - 1]!
  storage.append(u.slice())
  log.stableTo(last.index, last.term)
}

describe('RaftLog construction', () => {
  it('an empty storage gives an empty log with the dummy entry at 0', () => {
    const log = new RaftLog(new MemoryStorage())
    expect(log.firstIndex()).toBe(1)
    expect(log.lastIndex()).toBe(0)
    expect(log.term(0)).toBe(0)
    expect(log.lastTerm()).toBe(0)
    expect(log.committed).toBe(0)
    expect(log.applied).toBe(0)
    expect(log.allEntries()).toEqual([])
  })

  it('after a snapshot, committed and applied start at the snapshot and older terms are gone', () => {
    const { log } = stableLog(run(6, 2, 3, 3), snap(5, 2))
    expect(log.firstIndex()).toBe(6)
    expect(log.lastIndex()).toBe(8)
    expect(log.committed).toBe(5)
    expect(log.applied).toBe(5)
    expect(log.term(5)).toBe(2) // the snapshot's term answers for its index
    expect(log.term(4)).toBeUndefined()
    expect(log.term(9)).toBeUndefined()
    expect(log.unstable.offset).toBe(9)
  })
})

describe('term / matchTerm / lastTerm across stable and unstable', () => {
  it('reads terms from both parts', () => {
    const { log } = stableLog(run(1, 1, 1, 2))
    log.append(run(4, 3, 3))
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => log.term(i))).toEqual([0, 1, 1, 2, 3, 3, undefined])
    expect(log.lastTerm()).toBe(3)
    expect(log.matchTerm(3, 2)).toBe(true)
    expect(log.matchTerm(3, 3)).toBe(false)
    expect(log.matchTerm(6, 3)).toBe(false)
  })
})

describe('isUpToDate (§5.4.1)', () => {
  const log = unstableLog(run(1, 1, 2, 3))
  it.each([
    { lasti: 2, term: 4, want: true }, // higher last term wins whatever the length
    { lasti: 3, term: 4, want: true },
    { lasti: 4, term: 4, want: true },
    { lasti: 2, term: 2, want: false }, // lower last term loses whatever the length
    { lasti: 9, term: 2, want: false },
    { lasti: 2, term: 3, want: false }, // same last term: the longer log wins
    { lasti: 3, term: 3, want: true },
    { lasti: 4, term: 3, want: true }
  ])('($lasti, term $term) → $want', ({ lasti, term, want }) => {
    expect(log.isUpToDate(lasti, term)).toBe(want)
  })
})

describe('findConflict', () => {
  const previous = ents([1, 1], [2, 2], [3, 3])
  it.each([
    { es: [], want: 0 },
    // no conflict
    { es: ents([1, 1], [2, 2], [3, 3]), want: 0 },
    { es: ents([2, 2], [3, 3]), want: 0 },
    { es: ents([3, 3]), want: 0 },
    // no conflict, but new entries
    { es: ents([1, 1], [2, 2], [3, 3], [4, 4], [5, 4]), want: 4 },
    { es: ents([2, 2], [3, 3], [4, 4], [5, 4]), want: 4 },
    { es: ents([3, 3], [4, 4], [5, 4]), want: 4 },
    { es: ents([4, 4], [5, 4]), want: 4 },
    // conflicts with existing entries
    { es: ents([1, 4], [2, 4]), want: 1 },
    { es: ents([2, 1], [3, 4], [4, 4]), want: 2 },
    { es: ents([3, 1], [4, 2], [5, 4], [6, 4]), want: 3 }
  ])('$es.length entries → $want', ({ es, want }) => {
    expect(unstableLog(previous).findConflict(es)).toBe(want)
    expect(stableLog(previous).log.findConflict(es)).toBe(want)
  })
})

describe('findConflictByTerm', () => {
  it.each([
    // log: dummy 0, then terms 2 2 5 5 5 at 1..5
    { index: 100, term: 2, want: { index: 100, term: 0 } }, // beyond the log: unknown, assume a match
    { index: 5, term: 6, want: { index: 5, term: 5 } },
    { index: 5, term: 5, want: { index: 5, term: 5 } },
    { index: 5, term: 4, want: { index: 2, term: 2 } },
    { index: 5, term: 2, want: { index: 2, term: 2 } },
    { index: 5, term: 1, want: { index: 0, term: 0 } },
    { index: 1, term: 2, want: { index: 1, term: 2 } },
    { index: 1, term: 1, want: { index: 0, term: 0 } },
    { index: 0, term: 0, want: { index: 0, term: 0 } }
  ])('uncompacted: ($index, $term) → $want', ({ index, term, want }) => {
    expect(stableLog(run(1, 2, 2, 5, 5, 5)).log.findConflictByTerm(index, term)).toEqual(want)
  })

  it.each([
    // snapshot at 10 (term 3), then terms 3 3 4 4 4 at 11..15 (etcd's index(10).terms(3,3,3,4,4,4))
    { index: 30, term: 3, want: { index: 30, term: 0 } },
    { index: 14, term: 9, want: { index: 14, term: 4 } },
    { index: 14, term: 4, want: { index: 14, term: 4 } },
    { index: 14, term: 3, want: { index: 12, term: 3 } },
    { index: 14, term: 2, want: { index: 9, term: 0 } }, // walks into the compacted prefix: unknown
    { index: 11, term: 5, want: { index: 11, term: 3 } },
    { index: 10, term: 5, want: { index: 10, term: 3 } },
    { index: 10, term: 3, want: { index: 10, term: 3 } },
    { index: 10, term: 2, want: { index: 9, term: 0 } },
    { index: 9, term: 2, want: { index: 9, term: 0 } }
  ])('compacted: ($index, $term) → $want', ({ index, term, want }) => {
    expect(stableLog(run(11, 3, 3, 4, 4, 4), snap(10, 3)).log.findConflictByTerm(index, term)).toEqual(want)
  })
})

describe('maybeAppend (the follower side of MsgApp)', () => {
  // etcd-io/raft log_test.go TestLogMaybeAppend: log 1/1 2/2 3/3, committed 1.
  const lastindex = 3
  const lastterm = 3
  const commit = 1
  type Case = { logTerm: number; index: number; committed: number; es: Entry[]; want?: number; wcommit: number }
  const cases: Case[] = [
    // no match: term differs / index out of range
    { logTerm: lastterm - 1, index: lastindex, committed: lastindex, es: ents([lastindex + 1, 4]), wcommit: commit },
    { logTerm: lastterm, index: lastindex + 1, committed: lastindex, es: ents([lastindex + 2, 4]), wcommit: commit },
    // match with the last existing entry
    { logTerm: lastterm, index: lastindex, committed: lastindex, es: [], want: lastindex, wcommit: lastindex },
    { logTerm: lastterm, index: lastindex, committed: lastindex + 1, es: [], want: lastindex, wcommit: lastindex }, // not past lastNew
    { logTerm: lastterm, index: lastindex, committed: lastindex - 1, es: [], want: lastindex, wcommit: lastindex - 1 },
    { logTerm: lastterm, index: lastindex, committed: 0, es: [], want: lastindex, wcommit: commit }, // never decreases
    { logTerm: 0, index: 0, committed: lastindex, es: [], want: 0, wcommit: commit },
    { logTerm: lastterm, index: lastindex, committed: lastindex, es: ents([lastindex + 1, 4]), want: lastindex + 1, wcommit: lastindex },
    { logTerm: lastterm, index: lastindex, committed: lastindex + 1, es: ents([lastindex + 1, 4]), want: lastindex + 1, wcommit: lastindex + 1 },
    { logTerm: lastterm, index: lastindex, committed: lastindex + 2, es: ents([lastindex + 1, 4]), want: lastindex + 1, wcommit: lastindex + 1 },
    {
      logTerm: lastterm,
      index: lastindex,
      committed: lastindex + 2,
      es: ents([lastindex + 1, 4], [lastindex + 2, 4]),
      want: lastindex + 2,
      wcommit: lastindex + 2
    },
    // match in the middle: the suffix after the match is replaced
    { logTerm: lastterm - 1, index: lastindex - 1, committed: lastindex, es: ents([lastindex, 4]), want: lastindex, wcommit: lastindex },
    { logTerm: lastterm - 2, index: lastindex - 2, committed: lastindex, es: ents([lastindex - 1, 4]), want: lastindex - 1, wcommit: lastindex - 1 },
    {
      logTerm: lastterm - 2,
      index: lastindex - 2,
      committed: lastindex,
      es: ents([lastindex - 1, 4], [lastindex, 4]),
      want: lastindex,
      wcommit: lastindex
    }
  ]

  for (const stable of [false, true]) {
    it.each(cases)(`${stable ? 'stable' : 'unstable'}: (${'$index'}/${'$logTerm'}, commit ${'$committed'}) → ${'$want'}`, (c) => {
      const log = stable ? stableLog(ents([1, 1], [2, 2], [3, 3])).log : unstableLog(ents([1, 1], [2, 2], [3, 3]))
      log.committed = commit
      const r = log.maybeAppend(c.index, c.logTerm, c.committed, c.es)
      expect(r?.lastNew).toBe(c.want)
      expect(log.committed).toBe(c.wcommit)
      if (r && c.es.length > 0) {
        // the log now holds exactly what the leader sent from index+1 on
        expect(log.slice(c.index + 1, r.lastNew + 1, Infinity)).toEqual(c.es)
        expect(log.lastIndex()).toBe(r.lastNew)
      }
    })
  }

  it('reports the truncation point only when an existing suffix was replaced', () => {
    const log = unstableLog(ents([1, 1], [2, 2], [3, 3]))
    expect(log.maybeAppend(3, 3, 0, ents([4, 3]))?.truncatedAfter).toBeUndefined() // pure append
    expect(log.maybeAppend(1, 1, 0, ents([2, 2], [3, 3]))?.truncatedAfter).toBeUndefined() // all duplicates
    expect(log.maybeAppend(1, 1, 0, ents([2, 4]))).toEqual({ lastNew: 2, truncatedAfter: 1 })
    expect(ids(log.allEntries())).toEqual(['1/1', '2/4'])
  })

  it('a duplicate, shorter append does not truncate newer entries (a reordered old MsgApp)', () => {
    const log = unstableLog(run(1, 1, 1, 1, 1, 1))
    expect(log.maybeAppend(1, 1, 0, run(2, 1, 1))?.lastNew).toBe(3)
    expect(log.lastIndex()).toBe(5)
  })

  it('a conflict with a committed entry is a broken invariant', () => {
    const log = unstableLog(ents([1, 1], [2, 2], [3, 3]))
    log.committed = 1
    expect(() => log.maybeAppend(0, 0, 3, ents([1, 4]))).toThrow(RaftInvariantError)
    // the log is left untouched
    expect(ids(log.allEntries())).toEqual(['1/1', '2/2', '3/3'])
    log.committed = 2
    expect(() => log.maybeAppend(1, 1, 3, ents([2, 4]))).toThrow(/conflict with committed entry/)
  })

  it('Figure 7 (f): the leader finds the match point with two hint rounds and the follower drops its stale suffix', () => {
    // Raft paper Figure 7: leader for term 8 has 1 1 1 4 4 5 5 6 6 6; follower (f) has 1 1 1 2 2 2 3 3 3 3 3.
    const leaderEnts = run(1, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6)
    const leader = unstableLog(leaderEnts)
    const { log: follower, storage } = stableLog(run(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3))
    follower.committed = 3

    // The leader probes at its last index (10, term 6): no match on the follower.
    expect(follower.maybeAppend(10, 6, 10, [])).toBeUndefined()
    // Follower hint: the largest index <= 10 whose term <= 6 → (10, 3).
    const hint = follower.findConflictByTerm(Math.min(10, follower.lastIndex()), 6)
    expect(hint).toEqual({ index: 10, term: 3 })
    // Leader: the largest index <= 10 in its own log with term <= 3 → index 3 (term 1).
    const probe = leader.findConflictByTerm(hint.index, hint.term)
    expect(probe).toEqual({ index: 3, term: 1 })
    // The next probe matches; the follower takes 4..10 and drops everything after 3.
    const r = follower.maybeAppend(probe.index, probe.term, 10, leader.slice(probe.index + 1, 11, Infinity))
    expect(r).toEqual({ lastNew: 10, truncatedAfter: 3 })
    expect(follower.lastIndex()).toBe(10)
    expect(follower.term(11)).toBeUndefined()
    expect(ids(follower.allEntries())).toEqual(ids(leaderEnts))
    expect(follower.committed).toBe(10)
    // The replacement lives in unstable until persisted; persisting truncates storage too.
    expect(follower.unstable.offset).toBe(4)
    persist(follower, storage)
    expect(storage.lastIndex()).toBe(10)
    expect(ids(storage.entries(1, 11, Infinity))).toEqual(ids(leaderEnts))
    expect(follower.unstableEntries()).toEqual([])
  })
})

describe('append', () => {
  it('truncates an unstable suffix and refuses to rewrite committed entries', () => {
    const log = unstableLog(run(1, 1, 1, 1))
    expect(log.append([])).toBe(3)
    expect(log.append(run(3, 2, 2))).toBe(4)
    expect(ids(log.allEntries())).toEqual(['1/1', '2/1', '3/2', '4/2'])
    log.committed = 2
    expect(() => log.append(run(2, 3))).toThrow(RaftInvariantError)
    expect(log.append(run(3, 3))).toBe(3)
  })
})

describe('commitTo / appliedTo / maybeCommit', () => {
  it('commitTo only moves forward and never past the last index', () => {
    const log = unstableLog(run(1, 1, 1, 2))
    expect(log.commitTo(2)).toBe(true)
    expect(log.committed).toBe(2)
    expect(log.commitTo(1)).toBe(false)
    expect(log.commitTo(2)).toBe(false)
    expect(log.committed).toBe(2)
    expect(() => log.commitTo(4)).toThrow(RaftInvariantError)
    expect(log.committed).toBe(2)
  })

  it('appliedTo stays within [applied, committed]; 0 is a no-op', () => {
    const log = unstableLog(run(1, 1, 1, 2))
    log.commitTo(2)
    log.appliedTo(0)
    expect(log.applied).toBe(0)
    log.appliedTo(1)
    log.appliedTo(1)
    expect(log.applied).toBe(1)
    expect(() => log.appliedTo(3)).toThrow(RaftInvariantError) // beyond committed
    log.appliedTo(2)
    expect(() => log.appliedTo(1)).toThrow(RaftInvariantError) // backwards
    expect(log.applied).toBe(2)
  })

  it('maybeCommit commits only an entry of the given (current) term — Figure 8', () => {
    const log = unstableLog(run(1, 1, 2, 2, 4))
    expect(log.maybeCommit(3, 4)).toBe(false) // entry 3 is from term 2: counting replicas cannot commit it
    expect(log.committed).toBe(0)
    expect(log.maybeCommit(4, 4)).toBe(true) // committing 4 (term 4) commits 1..3 with it
    expect(log.committed).toBe(4)
    expect(log.maybeCommit(3, 2)).toBe(false) // never backwards
  })
})

describe('slice across stable and unstable', () => {
  // stable 1..5 (terms 1), unstable 6..10 (terms 2); every entry is 24 bytes.
  const build = (): RaftLog => {
    const { log } = stableLog(run(1, 1, 1, 1, 1, 1))
    log.append(run(6, 2, 2, 2, 2, 2))
    return log
  }

  it('joins the two parts', () => {
    const log = build()
    expect(ids(log.slice(3, 8, Infinity))).toEqual(['3/1', '4/1', '5/1', '6/2', '7/2'])
    expect(ids(log.slice(1, 6, Infinity))).toEqual(['1/1', '2/1', '3/1', '4/1', '5/1'])
    expect(ids(log.slice(6, 11, Infinity))).toEqual(['6/2', '7/2', '8/2', '9/2', '10/2'])
    expect(log.slice(4, 4, Infinity)).toEqual([])
    expect(ids(log.entries(9, Infinity))).toEqual(['9/2', '10/2'])
    expect(log.entries(11, Infinity)).toEqual([])
  })

  it('limits by bytes, always returning at least one entry', () => {
    const log = build()
    expect(ids(log.slice(4, 9, 3 * 24))).toEqual(['4/1', '5/1', '6/2']) // limit crosses the boundary
    expect(ids(log.slice(2, 9, 2 * 24))).toEqual(['2/1', '3/1']) // limit hit inside storage
    expect(ids(log.slice(2, 9, 2 * 24 + 23))).toEqual(['2/1', '3/1'])
    expect(ids(log.slice(7, 9, 0))).toEqual(['7/2'])
    expect(ids(log.slice(1, 11, 0))).toEqual(['1/1'])
  })

  it('never returns a gap: when storage stops early on a big entry, nothing from unstable follows', () => {
    const storage = new MemoryStorage()
    storage.append([...run(1, 1, 1, 1), { index: 4, term: 1, type: 'normal', data: new Uint8Array(100) }, ...run(5, 1)])
    const log = new RaftLog(storage)
    log.append(run(6, 2, 2, 2))
    // 2 and 3 take 48 bytes; 4 (124 bytes) does not fit in 75, though 6 (24 bytes) would.
    expect(ids(log.slice(2, 9, 75))).toEqual(['2/1', '3/1'])
  })

  it('rejects bad bounds: compacted, beyond the end, inverted', () => {
    const { log } = stableLog(run(6, 2, 2), snap(5, 2))
    expect(() => log.slice(5, 7, Infinity)).toThrow(CompactedError)
    expect(() => log.slice(6, 9, Infinity)).toThrow(RaftInvariantError)
    expect(() => log.slice(7, 6, Infinity)).toThrow(RaftInvariantError)
    expect(() => log.entries(3, Infinity)).toThrow(CompactedError)
  })
})

describe('nextCommittedEnts / hasNextCommittedEnts', () => {
  it('hands out (applied, committed], capped by bytes', () => {
    const { log } = stableLog(run(1, 1, 1, 1))
    log.append(run(4, 2, 2))
    expect(log.nextCommittedEnts()).toEqual([])
    expect(log.hasNextCommittedEnts()).toBe(false)
    log.commitTo(4)
    expect(log.hasNextCommittedEnts()).toBe(true)
    expect(ids(log.nextCommittedEnts())).toEqual(['1/1', '2/1', '3/1', '4/2'])
    expect(ids(log.nextCommittedEnts(2 * 24))).toEqual(['1/1', '2/1'])
    log.appliedTo(2)
    expect(ids(log.nextCommittedEnts())).toEqual(['3/1', '4/2'])
    log.appliedTo(4)
    expect(log.hasNextCommittedEnts()).toBe(false)
    expect(log.nextCommittedEnts()).toEqual([])
  })

  it('starts at firstIndex when applied is behind a compaction', () => {
    const { log, storage } = stableLog(run(1, 1, 1, 1, 1, 1))
    log.commitTo(5)
    storage.compact(3) // entries 1..3 are gone; applied is still 0
    expect(ids(log.nextCommittedEnts())).toEqual(['4/1', '5/1'])
  })
})

describe('restore and stable snapshots', () => {
  it('restore replaces the log with the snapshot; nothing to apply until it is persisted', () => {
    const { log, storage } = stableLog(run(1, 1, 1, 1))
    log.commitTo(2)
    log.appliedTo(2)
    const s = snap(20, 5)
    log.restore(s)
    expect(log.committed).toBe(20)
    expect(log.firstIndex()).toBe(21)
    expect(log.lastIndex()).toBe(20)
    expect(log.term(20)).toBe(5)
    expect(log.lastTerm()).toBe(5)
    expect(log.term(3)).toBeUndefined()
    expect(log.snapshot()).toBe(s)
    expect(log.unstable.snapshot).toBe(s)
    expect(log.hasNextCommittedEnts()).toBe(false)
    expect(log.nextCommittedEnts()).toEqual([])
    // New entries go after the snapshot.
    log.append(run(21, 5))
    expect(log.lastIndex()).toBe(21)
    // The server persists the snapshot; the log then reads it from storage.
    storage.applySnapshot(s)
    log.stableSnapTo(19) // the wrong index does nothing
    expect(log.unstable.snapshot).toBe(s)
    log.stableSnapTo(20)
    expect(log.unstable.snapshot).toBeUndefined()
    expect(log.firstIndex()).toBe(21)
    expect(log.term(20)).toBe(5)
    expect(log.snapshot()).toBe(s)
  })

  it('stableTo moves entries to storage only when the term still matches', () => {
    const { log, storage } = stableLog(run(1, 1))
    log.append(run(2, 2, 2, 2))
    storage.append(log.unstableEntries().slice())
    log.stableTo(3, 1) // wrong term: a newer leader may have replaced it; ignored
    expect(log.unstable.offset).toBe(2)
    log.stableTo(3, 2)
    expect(log.unstable.offset).toBe(4)
    expect(ids(log.unstableEntries())).toEqual(['4/2'])
    log.stableTo(9, 2) // beyond the log: ignored
    expect(log.unstable.offset).toBe(4)
    expect(ids(log.allEntries())).toEqual(['1/1', '2/2', '3/2', '4/2'])
  })
})

describe('Unstable', () => {
  it('truncateAndAppend: append at the end, replace all, or truncate in the middle', () => {
    const u = new Unstable(5)
    u.truncateAndAppend(run(5, 1, 1))
    expect(ids(u.entries)).toEqual(['5/1', '6/1'])
    u.truncateAndAppend(run(7, 1)) // directly after
    expect(ids(u.entries)).toEqual(['5/1', '6/1', '7/1'])
    u.truncateAndAppend(run(6, 2)) // in the middle
    expect(ids(u.entries)).toEqual(['5/1', '6/2'])
    u.truncateAndAppend(run(3, 3, 3)) // before the offset: replace everything
    expect(u.offset).toBe(3)
    expect(ids(u.entries)).toEqual(['3/3', '4/3'])
  })

  it('maybeTerm / maybeLastIndex / maybeFirstIndex with and without a snapshot', () => {
    const u = new Unstable(5)
    expect(u.maybeLastIndex()).toBeUndefined()
    expect(u.maybeFirstIndex()).toBeUndefined()
    expect(u.maybeTerm(5)).toBeUndefined()
    u.truncateAndAppend(run(5, 2))
    expect(u.maybeTerm(5)).toBe(2)
    expect(u.maybeTerm(4)).toBeUndefined()
    u.restore(snap(9, 3))
    expect(u.offset).toBe(10)
    expect(u.entries).toEqual([])
    expect(u.maybeFirstIndex()).toBe(10)
    expect(u.maybeLastIndex()).toBe(9)
    expect(u.maybeTerm(9)).toBe(3)
    expect(u.maybeTerm(8)).toBeUndefined()
    expect(u.maybeTerm(10)).toBeUndefined()
    // stableTo at the snapshot index is not an entry: ignored
    u.stableTo(9, 3)
    expect(u.offset).toBe(10)
  })

  it('slice checks its bounds', () => {
    const u = new Unstable(5)
    u.truncateAndAppend(run(5, 1, 1, 1))
    expect(ids(u.slice(6, 8))).toEqual(['6/1', '7/1'])
    expect(() => u.slice(4, 6)).toThrow(RaftInvariantError)
    expect(() => u.slice(6, 9)).toThrow(RaftInvariantError)
    expect(() => u.slice(7, 6)).toThrow(RaftInvariantError)
  })
})
