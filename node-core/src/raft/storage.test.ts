import { describe, expect, it } from 'vitest'
import { CompactedError, MemoryStorage, SnapshotOutOfDateError, UnavailableError, limitSize } from './storage'
import { RaftInvariantError, type ConfState, type Entry } from './types'

const run = (first: number, ...terms: number[]): Entry[] => terms.map((term, i) => ({ index: first + i, term, type: 'normal', data: new Uint8Array() }))
const ids = (es: Entry[]): string[] => es.map((e) => `${e.index}/${e.term}`)
const conf: ConfState = { voters: [1, 2, 3], learners: [4] }

/** etcd storage_test.go's fixture: a storage compacted at 3 (term 3) holding 4/4 and 5/5. */
function fixture(): MemoryStorage {
  const ms = new MemoryStorage()
  ms.append(run(1, 1, 2, 3, 4, 5))
  ms.createSnapshot(3, conf, new Uint8Array([9]))
  ms.compact(3)
  return ms
}

describe('error classes', () => {
  it('carry a stable code, a message naming the index, and are Errors', () => {
    const cases = [
      { e: new CompactedError(7), code: 'COMPACTED', text: /index 7 is unavailable due to compaction/ },
      { e: new UnavailableError(8), code: 'UNAVAILABLE', text: /entry at index 8 is unavailable/ },
      { e: new SnapshotOutOfDateError(9), code: 'SNAPSHOT_OUT_OF_DATE', text: /snapshot index 9 is older/ }
    ]
    for (const { e, code, text } of cases) {
      expect(e).toBeInstanceOf(Error)
      expect(e.code).toBe(code)
      expect(e.message).toMatch(text)
      expect(e).not.toBeInstanceOf(RaftInvariantError)
    }
  })
})

describe('MemoryStorage basics', () => {
  it('a new storage is empty, with the dummy entry at 0 and empty state', () => {
    const ms = new MemoryStorage()
    expect(ms.firstIndex()).toBe(1)
    expect(ms.lastIndex()).toBe(0)
    expect(ms.term(0)).toBe(0)
    expect(() => ms.term(1)).toThrow(UnavailableError)
    expect(ms.entries(1, 1, Infinity)).toEqual([])
    expect(ms.initialState()).toEqual({ hardState: { term: 0, vote: 0, commit: 0 }, confState: { voters: [], learners: [] } })
    expect(ms.snapshot().metadata.index).toBe(0)
  })

  it('initialState returns copies: mutating them does not change the storage', () => {
    const ms = fixture()
    ms.setHardState({ term: 5, vote: 2, commit: 4 })
    const st = ms.initialState()
    expect(st).toEqual({ hardState: { term: 5, vote: 2, commit: 4 }, confState: conf })
    st.hardState.term = 99
    st.confState.voters.push(42)
    expect(ms.initialState()).toEqual({ hardState: { term: 5, vote: 2, commit: 4 }, confState: conf })
  })
})

describe('MemoryStorage.term', () => {
  it.each([
    { i: 2, want: CompactedError },
    { i: 3, want: 3 }, // the dummy at the snapshot answers for its index
    { i: 4, want: 4 },
    { i: 5, want: 5 },
    { i: 6, want: UnavailableError }
  ])('term($i)', ({ i, want }) => {
    const ms = fixture()
    if (typeof want === 'number') expect(ms.term(i)).toBe(want)
    else expect(() => ms.term(i)).toThrow(want)
  })
})

describe('MemoryStorage.entries', () => {
  // etcd TestStorageEntries: ents 3/3 4/4 5/5 6/6 (3 is the dummy); each entry is 24 bytes here.
  const build = (): MemoryStorage => {
    const ms = new MemoryStorage()
    ms.append(run(1, 1, 2, 3, 4, 5, 6))
    ms.compact(3)
    return ms
  }
  it.each([
    { lo: 2, hi: 6, max: Infinity, want: CompactedError },
    { lo: 3, hi: 4, max: Infinity, want: CompactedError },
    { lo: 4, hi: 5, max: Infinity, want: ['4/4'] },
    { lo: 4, hi: 6, max: Infinity, want: ['4/4', '5/5'] },
    { lo: 4, hi: 7, max: Infinity, want: ['4/4', '5/5', '6/6'] },
    // even if maxBytes is zero, the first entry is returned
    { lo: 4, hi: 7, max: 0, want: ['4/4'] },
    { lo: 4, hi: 7, max: 2 * 24, want: ['4/4', '5/5'] },
    { lo: 4, hi: 7, max: 3 * 24 - 1, want: ['4/4', '5/5'] },
    { lo: 4, hi: 7, max: 3 * 24, want: ['4/4', '5/5', '6/6'] }
  ])('entries($lo, $hi, $max)', ({ lo, hi, max, want }) => {
    const ms = build()
    if (Array.isArray(want)) expect(ids(ms.entries(lo, hi, max))).toEqual(want)
    else expect(() => ms.entries(lo, hi, max)).toThrow(want)
  })

  it('hi beyond lastIndex+1 is a broken invariant', () => {
    expect(() => build().entries(4, 8, Infinity)).toThrow(RaftInvariantError)
  })

  it('counts payload bytes: a large entry stops the batch', () => {
    const ms = new MemoryStorage()
    ms.append([
      { index: 1, term: 1, type: 'normal', data: new Uint8Array(10) }, // 34 bytes
      { index: 2, term: 1, type: 'normal', data: new Uint8Array(100) }, // 124 bytes
      { index: 3, term: 1, type: 'normal', data: new Uint8Array(1) }
    ])
    expect(ids(ms.entries(1, 4, 157))).toEqual(['1/1'])
    expect(ids(ms.entries(1, 4, 158))).toEqual(['1/1', '2/1'])
  })
})

describe('limitSize', () => {
  it('keeps a prefix within the budget and returns the same array when everything fits', () => {
    const es = run(1, 1, 1, 1)
    expect(limitSize([], 0)).toEqual([])
    expect(limitSize(es, Infinity)).toBe(es)
    expect(limitSize(es, 0)).toHaveLength(1)
    expect(limitSize(es, 48)).toHaveLength(2)
    expect(limitSize(es, 71)).toHaveLength(2)
    expect(limitSize(es, 72)).toHaveLength(3)
  })
})

describe('MemoryStorage.compact', () => {
  it.each([
    { i: 2, err: CompactedError, first: 4, last: 5 },
    { i: 3, err: CompactedError, first: 4, last: 5 },
    { i: 4, first: 5, last: 5, dummyTerm: 4 },
    { i: 5, first: 6, last: 5, dummyTerm: 5 }
  ])('compact($i)', ({ i, err, first, last, dummyTerm }) => {
    const ms = fixture()
    if (err) expect(() => ms.compact(i)).toThrow(err)
    else ms.compact(i)
    expect(ms.firstIndex()).toBe(first)
    expect(ms.lastIndex()).toBe(last)
    if (dummyTerm !== undefined) expect(ms.term(i)).toBe(dummyTerm)
  })

  it('beyond lastIndex is a broken invariant', () => {
    expect(() => fixture().compact(6)).toThrow(RaftInvariantError)
  })

  it('does not touch entries handed out earlier (they are immutable)', () => {
    const ms = new MemoryStorage()
    ms.append(run(1, 1, 1, 1))
    const before = ms.entries(1, 4, Infinity)
    ms.compact(2)
    expect(ids(before)).toEqual(['1/1', '2/1', '3/1'])
    expect(ids(ms.entries(3, 4, Infinity))).toEqual(['3/1'])
  })
})

describe('MemoryStorage.createSnapshot', () => {
  it('captures index, term, a copy of the conf state and the data', () => {
    const ms = new MemoryStorage()
    ms.append(run(1, 1, 2, 3, 4, 5))
    const cs: ConfState = { voters: [1, 2], learners: [] }
    const data = new Uint8Array([7, 7])
    const s = ms.createSnapshot(4, cs, data)
    cs.voters.push(3)
    expect(s).toEqual({ metadata: { index: 4, term: 4, confState: { voters: [1, 2], learners: [] } }, data })
    expect(ms.snapshot()).toBe(s)
    // creating a snapshot does not compact
    expect(ms.firstIndex()).toBe(1)
  })

  it('refuses an index at or below the current snapshot, or beyond the log', () => {
    const ms = fixture()
    expect(() => ms.createSnapshot(3, conf, new Uint8Array())).toThrow(SnapshotOutOfDateError)
    expect(() => ms.createSnapshot(2, conf, new Uint8Array())).toThrow(SnapshotOutOfDateError)
    expect(() => ms.createSnapshot(6, conf, new Uint8Array())).toThrow(RaftInvariantError)
    expect(ms.createSnapshot(5, conf, new Uint8Array()).metadata).toEqual({ index: 5, term: 5, confState: conf })
  })
})

describe('MemoryStorage.applySnapshot', () => {
  it('replaces everything and answers the snapshot term at its index', () => {
    const ms = new MemoryStorage()
    ms.append(run(1, 1, 1, 1))
    const s = { metadata: { index: 10, term: 4, confState: conf }, data: new Uint8Array([1]) }
    ms.applySnapshot(s)
    expect(ms.firstIndex()).toBe(11)
    expect(ms.lastIndex()).toBe(10)
    expect(ms.term(10)).toBe(4)
    expect(() => ms.term(9)).toThrow(CompactedError)
    expect(ms.snapshot()).toBe(s)
    expect(ms.initialState().confState).toEqual(conf)
    // the log continues after it
    ms.append(run(11, 4))
    expect(ms.lastIndex()).toBe(11)
  })

  it('refuses an older or equal snapshot', () => {
    const ms = new MemoryStorage()
    const s = (index: number): Parameters<MemoryStorage['applySnapshot']>[0] => ({
      metadata: { index, term: 1, confState: conf },
      data: new Uint8Array()
    })
    ms.applySnapshot(s(4))
    expect(() => ms.applySnapshot(s(4))).toThrow(SnapshotOutOfDateError)
    expect(() => ms.applySnapshot(s(3))).toThrow(SnapshotOutOfDateError)
    ms.applySnapshot(s(5))
    expect(ms.snapshot().metadata.index).toBe(5)
  })
})

describe('MemoryStorage.append', () => {
  // etcd TestStorageAppend, over the fixture: dummy 3/3, then 4/4 5/5.
  it.each([
    { es: run(1, 1, 2), want: ['4/4', '5/5'] }, // entirely compacted: ignored
    { es: run(3, 3, 4, 5), want: ['4/4', '5/5'] },
    { es: run(3, 3, 6, 6), want: ['4/6', '5/6'] }, // overlaps the compacted part: trimmed, then replaces
    { es: run(3, 3, 4, 5, 5), want: ['4/4', '5/5', '6/5'] },
    { es: run(2, 3, 3, 5), want: ['4/5'] }, // truncates the incoming prefix, then conflicts at 4
    { es: run(4, 5), want: ['4/5'] }, // conflicts at 4: 5 is dropped
    { es: run(5, 5), want: ['4/4', '5/5'] },
    { es: run(5, 6), want: ['4/4', '5/6'] },
    { es: run(6, 5), want: ['4/4', '5/5', '6/5'] }
  ])('append $es.0.index.. → $want', ({ es, want }) => {
    const ms = fixture()
    ms.append(es)
    expect(ids(ms.entries(ms.firstIndex(), ms.lastIndex() + 1, Infinity))).toEqual(want)
  })

  it('an empty append is a no-op; a gap after the end is a broken invariant', () => {
    const ms = fixture()
    ms.append([])
    expect(ms.lastIndex()).toBe(5)
    expect(() => ms.append(run(7, 5))).toThrow(RaftInvariantError)
    expect(ms.lastIndex()).toBe(5)
  })
})
