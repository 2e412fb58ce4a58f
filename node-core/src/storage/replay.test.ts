import { describe, expect, it } from 'vitest'
import type { Entry } from '../raft/types'
import { StorageError } from './errors'
import type { SnapshotMarker, WalRecord } from './records'
import { LogReplay } from './replay'

const at = { file: 'wal/0000000000000001-0000000000000001.wal', offset: 42 }
const run = (first: number, ...terms: number[]): WalRecord => ({
  type: 'entries',
  entries: terms.map((term, i): Entry => ({ index: first + i, term, type: 'normal', data: new Uint8Array() }))
})
const marker = (index: number, term: number, kind: SnapshotMarker['kind'], carried = false): WalRecord => ({
  type: 'snapshotMarker',
  marker: { index, term, kind, carried }
})
const ids = (r: LogReplay): string[] => r.takeEntries().map((e) => `${e.index}/${e.term}`)

function replay(snapIndex: number, snapTerm: number, ...records: WalRecord[]): LogReplay {
  const r = new LogReplay(snapIndex, snapTerm)
  for (const rec of records) r.apply(rec, at)
  return r
}

describe('LogReplay', () => {
  it('appends and replaces a conflicting suffix exactly like MemoryStorage.append', () => {
    expect(ids(replay(0, 0, run(1, 1, 1, 1, 1), run(3, 2, 2)))).toEqual(['1/1', '2/1', '3/2', '4/2'])
    expect(ids(replay(0, 0, run(1, 1, 1, 1), run(4, 1)))).toEqual(['1/1', '2/1', '3/1', '4/1'])
  })

  it('keeps only entries above the snapshot', () => {
    const r = replay(3, 1, run(1, 1, 1, 1, 1, 2))
    expect(r.lastIndex).toBe(5)
    expect(ids(r)).toEqual(['4/1', '5/2'])
  })

  it('honours a truncation that lies entirely below the snapshot (no resurrected entries)', () => {
    // Stale 1..6 (term 1), then the leader of term 2 rewrote from 3..4, then we snapshotted at 4.
    const r = replay(4, 2, run(1, 1, 1, 1, 1, 1, 1), run(3, 2, 2))
    expect(r.lastIndex).toBe(4)
    expect(ids(r)).toEqual([])
  })

  it('refuses a gap, naming the file, offset and missing range', () => {
    const fn = (): LogReplay => replay(0, 0, run(1, 1, 1), run(5, 1))
    expect(fn).toThrow(StorageError)
    try {
      fn()
    } catch (e) {
      expect(e).toMatchObject({ code: 'WAL_ENTRIES_MISSING', file: at.file, offset: 42 })
      expect((e as Error).message).toMatch(/entries 3\.\.4 are missing/)
      expect((e as Error).message).toContain(at.file)
    }
    expect(() => replay(10, 3, run(12, 3))).toThrow(/entries 11\.\.11 are missing/)
  })

  it('lets the latest hard state win', () => {
    const hs = (term: number): WalRecord => ({ type: 'hardState', hardState: { term, vote: 1, commit: 0 } })
    expect(replay(0, 0, hs(1), hs(3), hs(2)).hardState).toEqual({ term: 2, vote: 1, commit: 0 })
    expect(replay(0, 0).hardState).toBeUndefined()
  })

  it('an installed-snapshot marker discards the log before it; a carried copy does not', () => {
    // Stale entries up to 8; snapshot 5 installed from the leader; then 6..7 of term 3.
    const r = replay(5, 2, run(1, 1, 1, 1, 1, 1, 1, 1, 1), marker(5, 2, 'installed'), run(6, 3, 3))
    expect(ids(r)).toEqual(['6/3', '7/3'])
    const carried = replay(5, 2, run(6, 3, 3, 3), marker(5, 2, 'installed', true), run(9, 3))
    expect(ids(carried)).toEqual(['6/3', '7/3', '8/3', '9/3'])
    expect(carried.latestMarker).toEqual({ marker: { index: 5, term: 2, kind: 'installed', carried: true }, at })
  })

  it('refuses an installed snapshot that no usable snapshot file covers', () => {
    expect(() => replay(0, 0, run(1, 1), marker(5, 2, 'installed'))).toThrow(expect.objectContaining({ code: 'SNAPSHOT_MISSING' }))
    expect(() => replay(5, 1, marker(5, 2, 'installed', true))).toThrow(/replaced by snapshot term 2 index 5/)
  })

  it('a created-snapshot marker changes nothing (recovery may fall back to an older snapshot)', () => {
    const r = replay(2, 1, run(1, 1, 1, 1, 1), marker(4, 1, 'created'), run(5, 1))
    expect(ids(r)).toEqual(['3/1', '4/1', '5/1'])
  })
})
