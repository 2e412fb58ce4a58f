import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RawNode } from '../raft/raw-node'
import type { ConfState, Entry, Snapshot } from '../raft/types'
import { DiskStorage, type DiskStorageOptions } from './disk-storage'
import type { StorageLogRecord } from './hooks'
import { MAX_ENTRY_DATA_BYTES } from './records'

const enc = new TextEncoder()
const ent = (index: number, term: number, data = `v${index}`): Entry => ({ index, term, type: 'normal', data: enc.encode(data) })
const run = (first: number, last: number, term: number): Entry[] => Array.from({ length: last - first + 1 }, (_, i) => ent(first + i, term))
const ids = (s: DiskStorage): string[] =>
  s.lastIndex() < s.firstIndex() ? [] : s.entries(s.firstIndex(), s.lastIndex() + 1, Infinity).map((e) => `${e.index}/${e.term}`)
const conf: ConfState = { voters: [1, 2, 3], learners: [] }

describe('DiskStorage', () => {
  let dir: string
  let logs: StorageLogRecord[]
  const open = (o: DiskStorageOptions = {}): Promise<DiskStorage> => DiskStorage.open(dir, { logger: (r) => logs.push(r), ...o })
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-disk-'))
    logs = []
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('starts empty: a LOCK, one WAL segment, no snapshot', async () => {
    const s = await open()
    expect(s.initialState()).toEqual({ hardState: { term: 0, vote: 0, commit: 0 }, confState: { voters: [], learners: [] } })
    expect([s.firstIndex(), s.lastIndex()]).toEqual([1, 0])
    expect((await readdir(dir)).sort()).toEqual(['LOCK', 'snap', 'wal'])
    expect(await readdir(join(dir, 'wal'))).toEqual(['0000000000000001-0000000000000001.wal'])
    await s.close()
    expect((await readdir(dir)).sort()).toEqual(['snap', 'wal'])
  })

  it('serves reads from memory at once and recovers the same state after reopen', async () => {
    const s = await open()
    await s.save({ entries: run(1, 5, 1), hardState: { term: 1, vote: 1, commit: 3 } }, true)
    const p = s.save({ entries: run(4, 6, 2), hardState: { term: 2, vote: 2, commit: 3 } }, true)
    expect(ids(s)).toEqual(['1/1', '2/1', '3/1', '4/2', '5/2', '6/2']) // before the promise resolves
    await p
    await s.close()
    const again = await open()
    expect(ids(again)).toEqual(['1/1', '2/1', '3/1', '4/2', '5/2', '6/2'])
    expect(again.initialState().hardState).toEqual({ term: 2, vote: 2, commit: 3 })
    expect(again.recovery).toMatchObject({ firstIndex: 1, lastIndex: 6, snapshot: undefined, wal: { truncated: [], removed: [] } })
    expect(logs.findLast((l) => l.msg === 'storage recovered')?.fields).toMatchObject({ lastIndex: 6, term: 2, vote: 2 })
    await again.close()
  })

  it('rejects bad input and changes nothing', async () => {
    const s = await open()
    await s.save({ entries: run(1, 3, 1) }, true)
    const bad: [Parameters<DiskStorage['save']>[0], RegExp | string][] = [
      [{ entries: [ent(5, 1)] }, /would leave a hole/],
      [{ entries: [ent(4, 1), ent(6, 1)] }, /not contiguous/],
      [{ entries: [{ ...ent(4, 1), type: 'weird' as Entry['type'] }] }, /unknown type/],
      [{ entries: [ent(4, 1)], hardState: { term: -1, vote: 0, commit: 0 } }, /hard state/],
      [{ entries: [{ ...ent(4, 1), data: 'str' as unknown as Uint8Array }] }, /Uint8Array/]
    ]
    for (const [req, msg] of bad) await expect(s.save(req, true)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(msg) })
    await expect(s.save({ entries: [{ ...ent(4, 1), data: new Uint8Array(MAX_ENTRY_DATA_BYTES + 1) }] }, true)).rejects.toMatchObject({
      code: 'ENTRY_TOO_LARGE'
    })
    expect(ids(s)).toEqual(['1/1', '2/1', '3/1'])
    await s.close()
    await expect(s.save({ entries: [ent(4, 1)] }, true)).rejects.toMatchObject({ code: 'CLOSED' })
    await s.close() // idempotent
  })

  it('installs a snapshot from the leader: stale entries go, later saves stay behind it on disk', async () => {
    const s = await open()
    await s.save({ entries: run(1, 8, 1), hardState: { term: 1, vote: 1, commit: 2 } }, true)
    const snapshot: Snapshot = { metadata: { index: 5, term: 2, confState: conf }, data: enc.encode('state@5') }
    const install = s.save({ snapshot, entries: run(6, 6, 2), hardState: { term: 2, vote: 0, commit: 5 } }, false)
    const after = s.save({ entries: run(7, 9, 2) }, false) // queued while the snapshot file is being written
    expect(ids(s)).toEqual(['6/2', '7/2', '8/2', '9/2'])
    expect(s.snapshot()).toBe(snapshot)
    await Promise.all([install, after])
    await s.close()
    const again = await open()
    expect(again.snapshot().metadata).toEqual(snapshot.metadata)
    expect(new TextDecoder().decode(again.snapshot().data)).toBe('state@5')
    expect(ids(again)).toEqual(['6/2', '7/2', '8/2', '9/2'])
    expect(again.initialState()).toEqual({ hardState: { term: 2, vote: 0, commit: 5 }, confState: conf })
    await again.close()
  })

  it('creates snapshots of its own state, refusing stale or impossible ones', async () => {
    const s = await open()
    await s.save({ entries: run(1, 10, 1), hardState: { term: 1, vote: 1, commit: 10 } }, true)
    const made = await s.createSnapshot(6, conf, enc.encode('six'))
    expect(made.metadata).toEqual({ index: 6, term: 1, confState: conf })
    expect(s.snapshot()).toBe(made)
    expect(s.firstIndex()).toBe(1) // createSnapshot does not compact
    await expect(s.createSnapshot(6, conf, new Uint8Array())).rejects.toMatchObject({ code: 'SNAPSHOT_OUT_OF_DATE' })
    await expect(s.createSnapshot(11, conf, new Uint8Array())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await s.compact(6)
    expect([s.firstIndex(), s.lastIndex()]).toEqual([7, 10])
    await s.close()
    const again = await open()
    expect([again.firstIndex(), again.lastIndex(), again.snapshot().metadata.index]).toEqual([7, 10, 6])
    await again.close()
  })

  it('reports fsync durations, bytes written and batch sizes', async () => {
    const fsyncs: number[] = []
    let bytes = 0
    const batches: number[] = []
    const s = await open({ metrics: { onFsync: (ms) => fsyncs.push(ms), onWrite: (n) => (bytes += n), onBatch: (n) => batches.push(n) } })
    // Creating the first segment was written and fsynced already.
    expect(s.stats()).toMatchObject({ fsyncs: 1, saves: 0 })
    fsyncs.length = 0
    const created = s.stats().bytesWritten
    await Promise.all([s.save({ entries: [ent(1, 1)] }, true), s.save({ entries: [ent(2, 1)] }, true), s.save({ entries: [ent(3, 1)] }, false)])
    expect(batches).toEqual([3]) // all issued in one tick: one batch, one write, one fsync
    expect(fsyncs).toHaveLength(1)
    expect(fsyncs[0]).toBeGreaterThanOrEqual(0)
    expect(bytes).toBe(s.stats().bytesWritten)
    expect(s.stats().bytesWritten - created).toBeGreaterThan(3 * 30)
    expect(s.stats()).toMatchObject({ saves: 3, batches: 1, fsyncs: 2 })
    await s.save({ entries: [ent(4, 1)] }, false)
    expect(s.stats().fsyncs).toBe(2) // sync=false never fsyncs
    await s.sync()
    expect(s.stats().fsyncs).toBe(3)
    await s.sync()
    expect(s.stats().fsyncs).toBe(3) // nothing new to make durable
    await s.close()
  })

  it('drives a real RawNode through Ready: persist, restart, same term, vote and log', async () => {
    const s = await open()
    const node = new RawNode({ id: 1, storage: s })
    node.bootstrap([1])
    const loop = async (): Promise<void> => {
      while (node.hasReady()) {
        const rd = node.ready()
        await s.save(rd, rd.mustSync)
        node.advance()
      }
    }
    await loop()
    node.campaign()
    await loop()
    for (let i = 0; i < 5; i++) {
      expect(node.propose(enc.encode(`p${i}`))).toEqual({ ok: true })
      await loop()
    }
    const before = node.status()
    expect(before.role).toBe('leader')
    await s.close()
    const again = await open()
    const restarted = new RawNode({ id: 1, storage: again, applied: before.applied })
    const after = restarted.status()
    expect([after.term, after.vote, after.commit, after.lastIndex]).toEqual([before.term, before.vote, before.commit, before.lastIndex])
    const data = again.entries(1, again.lastIndex() + 1, Infinity).map((e) => new TextDecoder().decode(e.data))
    expect(data.slice(-5)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4'])
    await again.close()
  })
})
