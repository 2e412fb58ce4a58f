// node-core's durable storage on real files: round trips, group commit, torn tails at every cut
// point, corruption in the middle, snapshots and compaction, and a child process SIGKILLed while
// it writes. Every wait polls with a deadline; nothing sleeps.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConfState, Entry } from '../../node-core/src/raft/types'
import { DiskStorage, StorageError, type DiskStorageOptions, type StorageLogRecord } from '../../node-core/src/storage'
import { readFrame } from '../../node-core/src/storage/frame'
import { isAlive, waitFor } from '../support/wait'

const root = resolve(import.meta.dirname, '../..')
const enc = new TextEncoder()
const dec = new TextDecoder()
const conf: ConfState = { voters: [1, 2, 3], learners: [] }

const payload = (index: number, term: number, size = 0): string => `entry-${index}-t${term}`.padEnd(size, '.')
const ent = (index: number, term = 1, size = 0): Entry => ({ index, term, type: 'normal', data: enc.encode(payload(index, term, size)) })
const run = (first: number, last: number, term = 1, size = 0): Entry[] =>
  Array.from({ length: last - first + 1 }, (_, i) => ent(first + i, term, size))

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'quorum-storage-it-'))
  dirs.push(d)
  return d
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

function opener(dir: string, opts: DiskStorageOptions = {}): { open: () => Promise<DiskStorage>; logs: StorageLogRecord[] } {
  const logs: StorageLogRecord[] = []
  return { open: () => DiskStorage.open(dir, { logger: (r) => logs.push(r), ...opts }), logs }
}

/** Every entry of the storage, checked for exact contents and terms by the caller. */
function allEntries(s: DiskStorage): Entry[] {
  return s.lastIndex() < s.firstIndex() ? [] : s.entries(s.firstIndex(), s.lastIndex() + 1, Number.MAX_SAFE_INTEGER)
}

async function walSegments(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'wal'))).filter((n) => n.endsWith('.wal')).sort()
}

/** Byte offsets of the frames in a WAL segment file. */
async function frameOffsets(file: string): Promise<number[]> {
  const buf = await readFile(file)
  const out: number[] = []
  for (let o = 0; o < buf.length; ) {
    const f = readFrame(buf, o)
    if (!f.ok) throw new Error(`unexpected damage in ${file} at ${o}: ${f.detail}`)
    out.push(o)
    o = f.end
  }
  return out
}

async function openError(open: () => Promise<DiskStorage>): Promise<StorageError> {
  try {
    const s = await open()
    await s.close()
  } catch (e) {
    if (e instanceof StorageError) return e
    throw e
  }
  throw new Error('open succeeded but should have been refused')
}

describe('DiskStorage on real files', () => {
  it('round-trips entries, overwritten suffixes and hard state across reopen and many segments', async () => {
    const dir = await tempDir()
    const { open } = opener(dir, { segmentBytes: 4096 })
    let s = await open()
    await s.save({ entries: run(1, 300, 1, 40), hardState: { term: 1, vote: 1, commit: 100 } }, true)
    // A new leader overwrites 251.. with its own entries (a conflicting suffix).
    await s.save({ entries: run(251, 260, 2, 40), hardState: { term: 2, vote: 3, commit: 250 } }, true)
    for (let i = 261; i <= 400; i++) await s.save({ entries: [ent(i, 2, i % 7 === 0 ? 500 : 10)] }, i % 3 === 0)
    await s.save({ entries: [{ index: 401, term: 2, type: 'confChange', data: enc.encode('{"type":"addVoter","nodeId":4}') }] }, true)
    await s.close()
    expect((await walSegments(dir)).length).toBeGreaterThan(5)

    s = await open()
    const got = allEntries(s)
    expect(got).toHaveLength(401)
    for (const e of got) {
      const term = e.index <= 250 ? 1 : 2
      expect(e.term).toBe(term)
      if (e.index <= 400) expect(dec.decode(e.data)).toBe(payload(e.index, term, e.index <= 260 ? 40 : e.index % 7 === 0 ? 500 : 10))
    }
    expect(got[400]).toMatchObject({ index: 401, type: 'confChange' })
    expect(s.initialState().hardState).toEqual({ term: 2, vote: 3, commit: 250 })
    // Keep writing after a reopen, then reopen again.
    await s.save({ entries: run(402, 420, 3), hardState: { term: 3, vote: 3, commit: 410 } }, true)
    await s.close()
    s = await open()
    expect([s.firstIndex(), s.lastIndex(), s.term(420)]).toEqual([1, 420, 3])
    expect(s.initialState().hardState).toEqual({ term: 3, vote: 3, commit: 410 })
    await s.close()
  })

  it('group commit: 2,000 synced saves from 64 concurrent writers need far fewer fsyncs, and all are durable', async () => {
    const dir = await tempDir()
    const { open } = opener(dir)
    const s = await open()
    const before = s.stats().fsyncs
    let next = 0
    const total = 2000
    const acked: number[] = []
    const writer = async (): Promise<void> => {
      while (next < total) {
        const i = ++next
        await s.save({ entries: [ent(i, 1, 64)] }, true)
        acked.push(i)
      }
    }
    await Promise.all(Array.from({ length: 64 }, writer))
    const fsyncs = s.stats().fsyncs - before
    expect(acked).toHaveLength(total)
    expect(fsyncs).toBeGreaterThan(0)
    expect(fsyncs).toBeLessThanOrEqual(total / 8)
    expect(s.stats().batches).toBeLessThanOrEqual(total / 8)

    // One writer at a time: every synced save pays its own fsync (so the count above is batching).
    const solo = s.stats().fsyncs
    for (let i = total + 1; i <= total + 50; i++) await s.save({ entries: [ent(i, 1, 64)] }, true)
    expect(s.stats().fsyncs - solo).toBe(50)
    // Unsynced saves never fsync.
    const unsynced = s.stats().fsyncs
    for (let i = total + 51; i <= total + 100; i++) await s.save({ entries: [ent(i, 1, 64)] }, false)
    expect(s.stats().fsyncs).toBe(unsynced)
    await s.close()

    const again = await open()
    const got = allEntries(again)
    expect(got.map((e) => e.index)).toEqual(Array.from({ length: total + 100 }, (_, i) => i + 1))
    expect(got.every((e) => dec.decode(e.data) === payload(e.index, 1, 64))).toBe(true)
    await again.close()
  })

  it('a torn tail cut at every byte of the last record opens, loses only that record, and logs the cut', async () => {
    const dir = await tempDir()
    const { open } = opener(dir)
    const s = await open()
    await s.save({ hardState: { term: 4, vote: 2, commit: 0 } }, true)
    for (let i = 1; i <= 20; i++) await s.save({ entries: [ent(i, 4, 30)] }, true)
    await s.save({ entries: [ent(21, 4, 100)] }, true) // the last record: one entries frame
    await s.close()
    const [segName] = await walSegments(dir)
    const segment = join(dir, 'wal', segName!)
    const pristine = await readFile(segment)
    const offsets = await frameOffsets(segment)
    const lastStart = offsets[offsets.length - 1]!
    expect(pristine.length - lastStart).toBe(9 + 4 + 21 + payload(21, 4, 100).length)

    let cuts = 0
    for (let cut = lastStart + 1; cut < pristine.length; cut++) {
      await writeFile(segment, pristine.subarray(0, cut))
      const { open: reopen, logs } = opener(dir)
      const r = await reopen()
      expect(r.lastIndex(), `cut at byte ${cut}`).toBe(20)
      expect(dec.decode(r.entries(20, 21, Infinity)[0]!.data)).toBe(payload(20, 4, 30))
      expect(r.initialState().hardState).toEqual({ term: 4, vote: 2, commit: 0 })
      expect(logs.find((l) => l.msg === 'WAL torn tail truncated')?.fields).toMatchObject({
        file: segment,
        offset: lastStart,
        droppedBytes: cut - lastStart
      })
      expect(logs.find((l) => l.msg === 'WAL torn tail truncated')?.level).toBe('warn')
      await r.close()
      expect((await stat(segment)).size).toBe(lastStart) // really truncated on disk
      cuts++
    }
    expect(cuts).toBe(pristine.length - lastStart - 1)

    // A whole last record with a bad CRC (a torn write whose length made it) is a torn tail too.
    const flipped = Buffer.from(pristine)
    flipped[pristine.length - 5]! ^= 0x40
    await writeFile(segment, flipped)
    const r = await open()
    expect(r.lastIndex()).toBe(20)
    // ...and the log goes on from there.
    await r.save({ entries: [ent(21, 5)] }, true)
    await r.close()
    const after = await open()
    expect([after.lastIndex(), after.term(21)]).toEqual([21, 5])
    await after.close()
  })

  it('refuses to open on corruption in the middle, naming the file and the byte offset', async () => {
    const dir = await tempDir()
    const { open } = opener(dir)
    const s = await open()
    for (let i = 1; i <= 10; i++) await s.save({ entries: [ent(i, 1, 20)], hardState: { term: 1, vote: 1, commit: i - 1 } }, true)
    await s.close()
    const [segName] = await walSegments(dir)
    const segment = join(dir, 'wal', segName!)
    const pristine = await readFile(segment)
    const offsets = await frameOffsets(segment)
    const early = offsets[3]! // an early record, with plenty of valid ones after it

    for (const at of [early + 4, early + 8, early + 15]) {
      const bad = Buffer.from(pristine)
      bad[at]! ^= 0x01
      await writeFile(segment, bad)
      const err = await openError(open)
      expect(err.code).toBe('WAL_CORRUPT')
      expect(err.file).toBe(segment)
      expect(err.offset).toBe(early)
      expect(err.message).toContain(segment)
      expect(err.message).toContain(`at byte ${early}`)
    }
    // An impossible length in the middle is refused too (not mistaken for a torn tail).
    const huge = Buffer.from(pristine)
    huge.writeUInt32LE(0x7fff_ffff, early)
    await writeFile(segment, huge)
    expect(await openError(open)).toMatchObject({ code: 'WAL_CORRUPT', offset: early, message: expect.stringMatching(/exceeds the maximum/) })

    // The refused opens left no lock behind: with the file repaired, the storage opens.
    await writeFile(segment, pristine)
    const ok = await open()
    expect(ok.lastIndex()).toBe(10)
    await ok.close()
  })

  it('refuses damage in a segment that is not the last, and a missing segment', async () => {
    const dir = await tempDir()
    const { open } = opener(dir, { segmentBytes: 2048 })
    const s = await open()
    for (let i = 1; i <= 100; i++) await s.save({ entries: [ent(i, 1, 100)] }, i % 10 === 0)
    await s.close()
    const segs = await walSegments(dir)
    expect(segs.length).toBeGreaterThanOrEqual(4)

    const first = join(dir, 'wal', segs[0]!)
    const firstBytes = await readFile(first)
    await truncate(first, firstBytes.length - 1) // a "torn" end, but not in the last segment
    const torn = await openError(open)
    expect(torn).toMatchObject({ code: 'WAL_CORRUPT', file: first })
    expect(torn.message).toMatch(/not the last segment/)
    await writeFile(first, firstBytes)

    const middle = join(dir, 'wal', segs[2]!)
    await unlink(middle)
    const missing = await openError(open)
    expect(missing.code).toBe('WAL_SEGMENT_MISSING')
    expect(missing.message).toContain(`sequence 3 are missing between ${segs[1]} and ${segs[3]}`)
  })

  it('snapshots and compaction: old segments deleted, the right first index on reopen, fallback to an older snapshot', async () => {
    const dir = await tempDir()
    const { open, logs } = opener(dir, { segmentBytes: 4096, keepSnapshots: 2 })
    const s = await open()
    // The term and vote are written once, at the start: they must survive deletion of that segment.
    await s.save({ hardState: { term: 7, vote: 2, commit: 0 } }, true)
    for (let i = 1; i <= 1000; i += 10) await s.save({ entries: run(i, i + 9, 7, 90) }, true)
    const segsBefore = await walSegments(dir)
    expect(segsBefore.length).toBeGreaterThan(20)

    await s.createSnapshot(400, conf, enc.encode('fsm@400'))
    await s.compact(400)
    const segsAfter = await walSegments(dir)
    expect(segsAfter.length).toBeLessThan(segsBefore.length - 5)
    expect(await readdir(join(dir, 'snap'))).toEqual(['0000000000000007-0000000000000400.snap'])
    expect(logs.some((l) => l.msg === 'old WAL segments deleted')).toBe(true)
    // Only whole segments go: the first one left still holds entry 400's successor.
    expect(Number(segsAfter[0]!.split('-')[1]!.slice(0, 16))).toBeLessThanOrEqual(401)
    expect(s.firstIndex()).toBe(401)

    // With two snapshots kept, the WAL is kept back to the older one (so falling back works).
    await s.createSnapshot(700, conf, enc.encode('fsm@700'))
    await s.compact(700)
    expect((await walSegments(dir))[0]).toBe(segsAfter[0])
    await s.createSnapshot(900, conf, enc.encode('fsm@900'))
    await s.compact(900)
    expect((await readdir(join(dir, 'snap'))).sort()).toEqual(['0000000000000007-0000000000000700.snap', '0000000000000007-0000000000000900.snap'])
    const segsLate = await walSegments(dir)
    expect(segsLate.length).toBeLessThan(segsAfter.length)
    await s.close()

    const again = await open()
    expect([again.firstIndex(), again.lastIndex()]).toEqual([901, 1000])
    expect(again.snapshot().metadata).toEqual({ index: 900, term: 7, confState: conf })
    expect(dec.decode(again.snapshot().data)).toBe('fsm@900')
    // Term and vote came from the copy carried into each new segment (the original is deleted);
    // the commit index is raised to the snapshot's, which is committed by definition.
    expect(segsLate.some((n) => n === segsBefore[0])).toBe(false)
    expect(again.initialState().hardState).toEqual({ term: 7, vote: 2, commit: 900 })
    expect(allEntries(again).every((e) => dec.decode(e.data) === payload(e.index, 7, 90))).toBe(true)
    await again.close()

    // Damage the newest snapshot: recovery falls back to the one at 700 and replays the WAL from there.
    const newest = join(dir, 'snap', '0000000000000007-0000000000000900.snap')
    const b = await readFile(newest)
    b[b.length - 3]! ^= 0xff
    await writeFile(newest, b)
    const { open: reopen, logs: logs2 } = opener(dir)
    const fallback = await reopen()
    expect([fallback.firstIndex(), fallback.lastIndex(), fallback.snapshot().metadata.index]).toEqual([701, 1000, 700])
    expect(allEntries(fallback).every((e) => dec.decode(e.data) === payload(e.index, 7, 90))).toBe(true)
    expect(logs2.find((l) => l.level === 'error')?.fields).toMatchObject({ file: newest, offset: expect.any(Number) })
    expect(await readdir(join(dir, 'snap'))).toContain('0000000000000007-0000000000000900.snap.broken')
    await fallback.close()

    // The only snapshot damaged, no older one: refused, naming the file and offset.
    const only = join(dir, 'snap', '0000000000000007-0000000000000700.snap')
    const c = await readFile(only)
    c[40]! ^= 0xff
    await writeFile(only, c)
    const err = await openError(reopen)
    expect(err).toMatchObject({ code: 'SNAPSHOT_CORRUPT', file: only })
    expect(err.message).toMatch(new RegExp(`${only} is corrupt at byte \\d+`))
  })

  it('refuses a second open of the same directory while the first is open', async () => {
    const dir = await tempDir()
    const s = await DiskStorage.open(dir)
    expect(await openError(() => DiskStorage.open(dir))).toMatchObject({ code: 'LOCKED' })
    await s.close()
    await (await DiskStorage.open(dir)).close()
  })
})

/**
 * The child: opens the storage, then 8 concurrent writers append synced entries forever and
 * print "ack <index>" after each save resolves. Run with `node --import tsx` so it loads the
 * TypeScript sources directly.
 */
const CHILD = `
import { DiskStorage } from ${JSON.stringify(pathToFileURL(join(root, 'node-core/src/storage/index.ts')).href)}
const s = await DiskStorage.open(process.argv[2], { segmentBytes: 32 * 1024 })
const enc = new TextEncoder()
let next = s.lastIndex()
await s.save({ hardState: { term: 1, vote: 1, commit: 0 } }, true)
process.stdout.write('ready ' + next + '\\n')
async function writer() {
  for (;;) {
    const i = ++next
    await s.save({ entries: [{ index: i, term: 1, type: 'normal', data: enc.encode('acked-' + i + '-'.repeat(i % 50)) }] }, true)
    process.stdout.write('ack ' + i + '\\n')
  }
}
await Promise.all(Array.from({ length: 8 }, writer))
`

const node22 = process.env.QUORUM_NODE22_PATH
const runtimes: [string, string][] = [[`Node ${process.version}`, process.execPath]]
if (node22) runtimes.push(['Node 22 (QUORUM_NODE22_PATH)', node22])

describe.each(runtimes)('SIGKILL while writing (%s)', (_label, execPath) => {
  it('every acknowledged write survives, over three kill/restart rounds', async () => {
    const dir = await tempDir()
    const script = join(await tempDir(), 'writer.mjs')
    await writeFile(script, CHILD)
    const acked = new Set<number>()
    for (let round = 1; round <= 3; round++) {
      const child = spawn(execPath, ['--import', 'tsx', script, dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      let exited = false
      child.on('exit', () => (exited = true))
      const lines = createInterface({ input: child.stdout })
      let roundAcks = 0
      lines.on('line', (l) => {
        if (!l.startsWith('ack ')) return
        acked.add(Number(l.slice(4)))
        roundAcks++
      })
      try {
        // Kill at a different point each round: after 150, 400, 777 acknowledged writes.
        const target = [150, 400, 777][round - 1]!
        await waitFor(
          `round ${round}: ${target} acknowledged writes from the child`,
          () => {
            if (exited) throw new Error(`the child exited early: ${stderr}`)
            return roundAcks >= target
          },
          { timeoutMs: 30_000, intervalMs: 5 }
        )
        child.kill('SIGKILL')
        await waitFor(`round ${round}: the child to die`, () => exited && !isAlive(child.pid!), { timeoutMs: 10_000 })
      } finally {
        if (!exited) child.kill('SIGKILL')
      }
      expect(child.signalCode).toBe('SIGKILL')

      const s = await DiskStorage.open(dir)
      const missing = [...acked].filter((i) => i > s.lastIndex() || dec.decode(s.entries(i, i + 1, Infinity)[0]!.data) !== `acked-${i}${'-'.repeat(i % 50)}`)
      expect(missing, `round ${round}: acknowledged but lost`).toEqual([])
      expect(s.initialState().hardState.term).toBe(1)
      expect(s.lastIndex()).toBeGreaterThanOrEqual(Math.max(...acked))
      await s.close()
    }
    expect(acked.size).toBeGreaterThanOrEqual(150 + 400 + 777)
  })
})
