/**
 * Snapshot files: `snap/<term>-<index>.snap`, made of CRC-checked frames (frame.ts):
 *
 *   16 meta   magic "QLSN", version u16, reserved u16, index u64, term u64,
 *             voters: count u32 + u64 each, learners: count u32 + u64 each,
 *             data length u64, chunk count u32
 *   17 data   up to 1 MiB of the state machines' snapshot bytes; exactly `chunk count` of them
 *
 * A file is written whole to `<name>.tmp`, fsynced, renamed into place and the directory fsynced,
 * so a crash leaves either the old set of files or the new one, never a half file under a real
 * name. Damage found later (a bad CRC, a short file) is therefore bit rot: recovery sets the file
 * aside as `.broken` and falls back to the next newest, or refuses when there is none.
 */
import { readFile, readdir, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { ConfState, Snapshot } from '../raft/types'
import { StorageError, describeError } from './errors'
import { FRAME_HEADER_BYTES, allocFrame, encodeFrame, readFrame, readU64, sealFrame, writeU64 } from './frame'
import { closeFile, fdatasync, fsyncDir, isErrno, openFile, writeAll } from './fs-util'
import { safely, type StorageLogger, type StorageMetrics } from './hooks'
import { BROKEN_SUFFIX, TEMP_SUFFIX, parseSnapshotFileName, snapshotFileName } from './names'

export const SNAP_RECORD_META = 16
export const SNAP_RECORD_DATA = 17
export const SNAP_MAGIC = 'QLSN'
export const SNAP_VERSION = 1
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024

const H = FRAME_HEADER_BYTES

/** The frames of a snapshot file, produced lazily so a large snapshot is not copied twice. */
export function* snapshotFrames(snap: Snapshot): Generator<Buffer> {
  const { index, term, confState } = snap.metadata
  const data = snap.data
  const chunks = Math.ceil(data.length / SNAPSHOT_CHUNK_BYTES)
  const meta = allocFrame(4 + 2 + 2 + 8 + 8 + 4 + 8 * confState.voters.length + 4 + 8 * confState.learners.length + 8 + 4)
  let p = H
  meta.write(SNAP_MAGIC, p, 'latin1')
  meta.writeUInt16LE(SNAP_VERSION, p + 4)
  meta.writeUInt16LE(0, p + 6)
  writeU64(meta, index, p + 8)
  writeU64(meta, term, p + 16)
  p += 24
  for (const ids of [confState.voters, confState.learners]) {
    meta.writeUInt32LE(ids.length, p)
    p += 4
    for (const id of ids) {
      writeU64(meta, id, p)
      p += 8
    }
  }
  writeU64(meta, data.length, p)
  meta.writeUInt32LE(chunks, p + 8)
  yield sealFrame(meta, SNAP_RECORD_META)
  for (let i = 0; i < chunks; i++) {
    yield encodeFrame(SNAP_RECORD_DATA, data.subarray(i * SNAPSHOT_CHUNK_BYTES, Math.min(data.length, (i + 1) * SNAPSHOT_CHUNK_BYTES)))
  }
}

export function encodeSnapshotFile(snap: Snapshot): Buffer {
  return Buffer.concat([...snapshotFrames(snap)])
}

/** Where and why a snapshot file does not decode. */
export class SnapshotDecodeError extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string
  ) {
    super(`at byte ${offset}: ${detail}`)
    this.name = 'SnapshotDecodeError'
  }
}

export function decodeSnapshotFile(buf: Buffer): Snapshot {
  const m = readFrame(buf, 0)
  if (!m.ok) throw new SnapshotDecodeError(0, m.detail)
  if (m.type !== SNAP_RECORD_META) throw new SnapshotDecodeError(0, `the file starts with record type ${m.type}, not a snapshot header`)
  let index: number, term: number, dataBytes: number, chunks: number
  const voters: number[] = []
  const learners: number[] = []
  try {
    const pl = m.payload
    const magic = pl.toString('latin1', 0, 4)
    if (magic !== SNAP_MAGIC) throw new Error(`magic ${JSON.stringify(magic)}, expected "${SNAP_MAGIC}"`)
    const version = pl.readUInt16LE(4)
    if (version !== SNAP_VERSION) throw new Error(`format version ${version} is not supported (this build reads ${SNAP_VERSION})`)
    index = readU64(pl, 8)
    term = readU64(pl, 16)
    let p = 24
    for (const ids of [voters, learners]) {
      const n = pl.readUInt32LE(p)
      p += 4
      if (p + 8 * n > pl.length) throw new Error(`membership list of ${n} ids runs past the header`)
      for (let i = 0; i < n; i++, p += 8) ids.push(readU64(pl, p))
    }
    dataBytes = readU64(pl, p)
    chunks = pl.readUInt32LE(p + 8)
    if (p + 12 !== pl.length) throw new Error(`${pl.length - p - 12} unexpected bytes at the end of the header`)
  } catch (e) {
    throw new SnapshotDecodeError(0, `the snapshot header does not decode: ${describeError(e)}`)
  }
  const data = new Uint8Array(dataBytes)
  let filled = 0
  let offset = m.end
  for (let i = 0; i < chunks; i++) {
    const f = readFrame(buf, offset)
    if (!f.ok) throw new SnapshotDecodeError(offset, `data chunk ${i + 1} of ${chunks}: ${f.detail}`)
    if (f.type !== SNAP_RECORD_DATA) throw new SnapshotDecodeError(offset, `data chunk ${i + 1} of ${chunks} has record type ${f.type}`)
    if (filled + f.payload.length > dataBytes) throw new SnapshotDecodeError(offset, `data chunks exceed the declared ${dataBytes} bytes`)
    data.set(f.payload, filled)
    filled += f.payload.length
    offset = f.end
  }
  if (filled !== dataBytes) throw new SnapshotDecodeError(offset, `data chunks hold ${filled} bytes, the header declares ${dataBytes}`)
  if (offset !== buf.length) throw new SnapshotDecodeError(offset, `${buf.length - offset} unexpected bytes after the last data chunk`)
  const confState: ConfState = { voters, learners }
  return { metadata: { index, term, confState }, data }
}

export interface SnapshotFileInfo {
  name: string
  path: string
  term: number
  index: number
}

/** Newest first: by index, then term. */
const newestFirst = (a: SnapshotFileInfo, b: SnapshotFileInfo): number => b.index - a.index || b.term - a.term

export class SnapshotStore {
  constructor(
    readonly dir: string,
    private readonly keep: number,
    private readonly log: StorageLogger,
    private readonly metrics: StorageMetrics
  ) {}

  /** Snapshot files, newest first. Other names are ignored. */
  async list(): Promise<SnapshotFileInfo[]> {
    const out: SnapshotFileInfo[] = []
    for (const name of await readdir(this.dir)) {
      const parsed = parseSnapshotFileName(name)
      if (parsed) out.push({ name, path: join(this.dir, name), ...parsed })
    }
    return out.sort(newestFirst)
  }

  /** Index of the oldest snapshot file kept (0 when there is none): WAL before it is still needed. */
  async oldestIndex(): Promise<number> {
    const all = await this.list()
    return all.length === 0 ? 0 : all[all.length - 1]!.index
  }

  /** Remove half-written files left by a crash during write(). */
  async removeTemps(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith(TEMP_SUFFIX)) continue
      await unlink(join(this.dir, name))
      this.logLine('info', 'removed an unfinished snapshot file', { file: join(this.dir, name) })
    }
  }

  /**
   * Load the newest valid snapshot. A damaged newer file is set aside as `.broken` when an older
   * valid one exists; when none does, refuse with SNAPSHOT_CORRUPT (nothing is renamed then, so
   * a person finds the files as they were).
   */
  async loadNewest(): Promise<{ snapshot: Snapshot; info: SnapshotFileInfo } | undefined> {
    const files = await this.list()
    const bad: { info: SnapshotFileInfo; offset: number; detail: string }[] = []
    for (const info of files) {
      const buf = await readFile(info.path)
      let snapshot: Snapshot
      try {
        snapshot = decodeSnapshotFile(buf)
        if (snapshot.metadata.index !== info.index || snapshot.metadata.term !== info.term) {
          throw new SnapshotDecodeError(0, `the file holds term ${snapshot.metadata.term} index ${snapshot.metadata.index}, not what its name says`)
        }
      } catch (e) {
        if (!(e instanceof SnapshotDecodeError)) throw e
        bad.push({ info, offset: e.offset, detail: e.detail })
        continue
      }
      for (const b of bad) {
        const to = `${b.info.path}${BROKEN_SUFFIX}`
        await rename(b.info.path, to)
        this.logLine('error', 'snapshot file is corrupt; set aside, using an older snapshot', {
          file: b.info.path,
          offset: b.offset,
          problem: b.detail,
          renamedTo: to,
          using: info.path
        })
      }
      if (bad.length > 0) await fsyncDir(this.dir)
      return { snapshot, info }
    }
    if (bad.length > 0) {
      const b = bad[0]!
      const others = bad.length > 1 ? ` (the ${bad.length - 1} older snapshot file(s) are corrupt too)` : ''
      throw new StorageError(
        'SNAPSHOT_CORRUPT',
        `snapshot file ${b.info.path} is corrupt at byte ${b.offset}: ${b.detail}; no older valid snapshot exists${others}. ` +
          'Refusing to start: the log entries it replaced are gone. Wipe this data directory so the leader sends a fresh snapshot.',
        { file: b.info.path, offset: b.offset }
      )
    }
    return undefined
  }

  /** Write a snapshot durably (temp file, fsync, rename, directory fsync). */
  async write(snap: Snapshot): Promise<SnapshotFileInfo> {
    const started = performance.now()
    const { index, term } = snap.metadata
    const name = snapshotFileName(term, index)
    const path = join(this.dir, name)
    const tmp = `${path}${TEMP_SUFFIX}`
    const fd = await openFile(tmp, 'w')
    let bytes = 0
    try {
      for (const frame of snapshotFrames(snap)) {
        await writeAll(fd, frame)
        bytes += frame.length
      }
      await fdatasync(fd)
    } catch (e) {
      await closeFile(fd).catch(() => {})
      await unlink(tmp).catch(() => {})
      throw e
    }
    await closeFile(fd)
    await rename(tmp, path)
    await fsyncDir(this.dir)
    const ms = performance.now() - started
    safely(() => this.metrics.onSnapshotSaved?.(bytes, ms))
    this.logLine('info', 'snapshot saved', { file: path, index, term, bytes, durationMs: Math.round(ms * 10) / 10 })
    return { name, path, term, index }
  }

  /** Delete all but the newest `keep` snapshot files. Returns what is left, newest first. */
  async prune(): Promise<SnapshotFileInfo[]> {
    const all = await this.list()
    const drop = all.slice(this.keep)
    for (const info of drop) {
      try {
        await unlink(info.path)
      } catch (e) {
        if (!isErrno(e, 'ENOENT')) throw e
      }
      this.logLine('info', 'old snapshot removed', { file: info.path, index: info.index, term: info.term })
    }
    if (drop.length > 0) await fsyncDir(this.dir)
    return all.slice(0, this.keep)
  }

  private logLine(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    safely(() => this.log({ level, msg, fields }))
  }
}

