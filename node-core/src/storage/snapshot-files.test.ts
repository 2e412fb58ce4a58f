import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Snapshot } from '../raft/types'
import type { StorageLogRecord } from './hooks'
import { snapshotFileName } from './names'
import { SNAPSHOT_CHUNK_BYTES, SnapshotDecodeError, SnapshotStore, decodeSnapshotFile, encodeSnapshotFile } from './snapshot-files'

const snap = (index: number, term: number, bytes: number): Snapshot => ({
  metadata: { index, term, confState: { voters: [1, 2, 3], learners: [4] } },
  data: Uint8Array.from({ length: bytes }, (_, i) => (i * 31 + index) & 0xff)
})

describe('snapshot file codec', () => {
  it('round-trips metadata and data, across several chunks and with no data', () => {
    for (const s of [snap(10, 2, 0), snap(11, 2, 5), snap(12, 3, SNAPSHOT_CHUNK_BYTES * 2 + 17)]) {
      const back = decodeSnapshotFile(encodeSnapshotFile(s))
      expect(back.metadata).toEqual(s.metadata)
      // Buffer.equals: a deep toEqual over megabytes of bytes takes seconds.
      expect(Buffer.from(back.data).equals(Buffer.from(s.data))).toBe(true)
      expect(back.data).toBeInstanceOf(Uint8Array)
    }
  })

  it('reports where a file is damaged', () => {
    const s = snap(10, 2, SNAPSHOT_CHUNK_BYTES + 100)
    const buf = encodeSnapshotFile(s)
    const metaEnd = buf.length - (SNAPSHOT_CHUNK_BYTES + 100) - 2 * 9
    const flip = (at: number): SnapshotDecodeError => {
      const b = Buffer.from(buf)
      b[at]! ^= 0x10
      try {
        decodeSnapshotFile(b)
      } catch (e) {
        return e as SnapshotDecodeError
      }
      throw new Error(`flipping byte ${at} went unnoticed`)
    }
    expect(flip(20)).toMatchObject({ offset: 0 })
    expect(flip(metaEnd + 50)).toMatchObject({ offset: metaEnd })
    expect(flip(buf.length - 1)).toMatchObject({ offset: metaEnd + 9 + SNAPSHOT_CHUNK_BYTES })
    expect(() => decodeSnapshotFile(buf.subarray(0, buf.length - 1))).toThrow(SnapshotDecodeError)
    expect(() => decodeSnapshotFile(Buffer.concat([buf, Buffer.from([0])]))).toThrow(/1 unexpected bytes/)
  })
})

describe('SnapshotStore', () => {
  let dir: string
  let logs: StorageLogRecord[]
  let store: SnapshotStore
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-snap-'))
    logs = []
    store = new SnapshotStore(dir, 2, (r) => logs.push(r), {})
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('writes files atomically under <term>-<index>.snap and loads the newest', async () => {
    await store.write(snap(100, 2, 10))
    await store.write(snap(200, 3, 10))
    expect((await readdir(dir)).sort()).toEqual([snapshotFileName(2, 100), snapshotFileName(3, 200)])
    const loaded = await store.loadNewest()
    expect(loaded?.snapshot).toEqual(snap(200, 3, 10))
    expect(await store.oldestIndex()).toBe(100)
  })

  it('keeps the newest N and removes leftovers of an interrupted write', async () => {
    for (const i of [1, 2, 3, 4]) await store.write(snap(i * 10, 1, 4))
    expect((await store.prune()).map((f) => f.index)).toEqual([40, 30])
    expect(await readdir(dir)).toHaveLength(2)
    await writeFile(join(dir, `${snapshotFileName(1, 50)}.tmp`), 'half')
    await store.removeTemps()
    expect(await readdir(dir)).toHaveLength(2)
  })

  it('falls back to an older valid snapshot, setting the damaged one aside and logging it', async () => {
    await store.write(snap(100, 2, 1000))
    const newest = await store.write(snap(200, 3, 1000))
    const b = await readFile(newest.path)
    b[b.length - 10]! ^= 0xff
    await writeFile(newest.path, b)
    const loaded = await store.loadNewest()
    expect(loaded?.snapshot.metadata.index).toBe(100)
    expect(await readdir(dir)).toContain(`${newest.name}.broken`)
    expect(logs.find((l) => l.level === 'error')?.fields).toMatchObject({ file: newest.path, offset: expect.any(Number) })
  })

  it('refuses with SNAPSHOT_CORRUPT, naming file and offset, when no valid snapshot is left', async () => {
    const only = await store.write(snap(100, 2, 1000))
    const b = await readFile(only.path)
    b[b.length - 10]! ^= 0xff
    await writeFile(only.path, b)
    await expect(store.loadNewest()).rejects.toMatchObject({
      code: 'SNAPSHOT_CORRUPT',
      file: only.path,
      message: expect.stringMatching(new RegExp(`${only.path} is corrupt at byte \\d+`))
    })
    expect(await readdir(dir)).toEqual([only.name]) // nothing renamed when refusing
  })

  it('refuses a file whose contents disagree with its name', async () => {
    await writeFile(join(dir, snapshotFileName(9, 300)), encodeSnapshotFile(snap(300, 8, 3)))
    await expect(store.loadNewest()).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', message: expect.stringMatching(/not what its name says/) })
  })
})
