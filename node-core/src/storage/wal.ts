/**
 * The write-ahead log: append-only segment files in `wal/`, recovered on open, written by one
 * group-commit writer.
 *
 * Group commit. save() encodes its records at once (so the order of calls is the order on
 * disk) and queues them. One writer loop takes everything queued, writes it with one write(2),
 * and, if any of it asked for durability, issues one fdatasync(2). Saves that arrive while that
 * fsync is in flight wait in the queue and go out together in the next round. So a burst of N
 * concurrent synced saves costs a handful of fsyncs rather than N, and a lone save costs one
 * write and one fsync with no added delay. A save with sync=false resolves after its write (the
 * data is in the page cache: it survives the process being killed, not a power cut) and never
 * waits for an fsync; ordering is the same single queue, so it cannot overtake anything.
 *
 * Segments. Each starts with a header, then the current hard state and newest snapshot marker
 * (so they survive deletion of older segments). When a write would take the segment past
 * `segmentBytes` it is fsynced and closed and the next one created (durably: file and directory
 * fsynced) before anything is written to it. Hence only the last segment can ever have a torn
 * tail. Old segments are deleted only as a prefix, never leaving a hole in the sequence.
 *
 * Failure. An error from write or fsync poisons the WAL: that batch and every later save reject
 * with code FAILED. Retrying an fsync is unsafe (the kernel may have dropped the dirty pages and
 * cleared the error: "fsyncgate"), so the only safe recovery is a restart, which replays the WAL.
 */
import { readFile, readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { isEmptyHardState, type Entry, type HardState } from '../raft/types'
import { StorageError, describeError } from './errors'
import { closeFile, fdatasync, fsyncDir, ftruncate, isErrno, openFile, writeAll, writeAllSync } from './fs-util'
import { safely, type StorageLogLevel, type StorageLogger, type StorageMetrics, type WalStats } from './hooks'
import { parseSegmentFileName, segmentFileName } from './names'
import { encodeEntries, encodeHardState, encodeSegmentHeader, encodeSnapshotMarker, framesBytes, type SnapshotMarker } from './records'
import { LogReplay } from './replay'
import { scanSegment } from './segment-scan'

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024

export interface WalOptions {
  /** Roll to a new segment when one would grow past this many bytes. */
  segmentBytes: number
  logger: StorageLogger
  metrics: StorageMetrics
  /** Bound on the CRC work spent proving a damaged tail is torn (see findValidFrameAfter). */
  searchBudgetBytes?: number
}

/** What one save() appends, written in this order: marker, entries, hard state. */
export interface WalAppend {
  marker?: SnapshotMarker
  entries?: readonly Entry[]
  hardState?: HardState
}

export interface SegmentInfo {
  seq: number
  firstIndex: number
  name: string
  path: string
  /** Highest entry index written into this segment (0 when it holds none). */
  maxIndex: number
}

/** What recovery did to the WAL on open, for the log and for tests. */
export interface WalRecoveryReport {
  segments: number
  /** Torn tails cut off: file, byte offset where the cut was made, bytes dropped. */
  truncated: { file: string; offset: number; droppedBytes: number; problem: string }[]
  /** Last segments removed because even their header was torn. */
  removed: string[]
}

interface CurrentSegment {
  seg: SegmentInfo
  fd: number
  size: number
  /** Written but not yet fsynced. */
  dirty: boolean
  /** Holds records beyond its preamble (only then may it be rolled). */
  hasData: boolean
  closed: boolean
}

interface Pending {
  frames: Buffer[]
  bytes: number
  sync: boolean
  append: WalAppend
  resolve: () => void
  reject: (e: unknown) => void
}

export class Wal {
  private queue: Pending[] = []
  private draining = false
  private idleWaiters: (() => void)[] = []
  private failure: StorageError | undefined
  private closing: Promise<void> | undefined
  private readonly counters = { saves: 0, batches: 0, fsyncs: 0, fsyncMsTotal: 0, bytesWritten: 0 }
  /** Index of the last entry written (what a new segment's name says the log continues after). */
  private tailIndex: number
  private lastHardState: HardState | undefined
  private lastMarker: SnapshotMarker | undefined
  // Assigned by open() before the instance is handed out.
  private cur!: CurrentSegment

  private constructor(
    readonly dir: string,
    private readonly segments: SegmentInfo[],
    private readonly opts: WalOptions,
    replay: LogReplay
  ) {
    this.tailIndex = replay.lastIndex
    this.lastHardState = replay.hardState
    this.lastMarker = replay.latestMarker?.marker
  }

  /**
   * Recover the WAL in `dir` on top of the snapshot recovery chose (index 0: none), and open it
   * for appending. Throws StorageError WAL_CORRUPT, WAL_SEGMENT_MISSING, WAL_ENTRIES_MISSING or
   * SNAPSHOT_MISSING when the WAL cannot be trusted; cuts a torn tail and logs it.
   */
  static async open(
    dir: string,
    snapshot: { index: number; term: number },
    opts: WalOptions
  ): Promise<{ wal: Wal; replay: LogReplay; report: WalRecoveryReport }> {
    const log = (level: StorageLogLevel, msg: string, fields: Record<string, unknown>): void => safely(() => opts.logger({ level, msg, fields }))
    const segments: SegmentInfo[] = []
    for (const name of await readdir(dir)) {
      const parsed = parseSegmentFileName(name)
      if (parsed) segments.push({ ...parsed, name, path: join(dir, name), maxIndex: 0 })
      else log('warn', 'ignoring a file that is not a WAL segment', { file: join(dir, name) })
    }
    segments.sort((a, b) => a.seq - b.seq)
    for (let i = 1; i < segments.length; i++) {
      const a = segments[i - 1]!
      const b = segments[i]!
      if (b.seq !== a.seq + 1) {
        const missing = b.seq - a.seq - 1 === 1 ? `${a.seq + 1}` : `${a.seq + 1}..${b.seq - 1}`
        throw new StorageError(
          'WAL_SEGMENT_MISSING',
          `WAL segment(s) with sequence ${missing} are missing between ${a.name} and ${b.name} in ${dir}. ` +
            'Refusing to start: the entries, terms and votes they held cannot be recovered. Wipe this data directory so the leader sends a snapshot.',
          { file: b.path }
        )
      }
    }
    if (segments.length === 0 && snapshot.index > 0) {
      throw new StorageError(
        'WAL_SEGMENT_MISSING',
        `${dir} holds no WAL segments, but snap/ holds a snapshot at index ${snapshot.index}: the WAL was deleted, and with it the node's ` +
          'current term and vote. Starting would let this node vote twice in one term. Wipe the whole data directory instead.',
        { file: dir }
      )
    }

    const replay = new LogReplay(snapshot.index, snapshot.term)
    const report: WalRecoveryReport = { segments: segments.length, truncated: [], removed: [] }
    let reuseSeq: number | undefined
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!
      const isLast = i === segments.length - 1
      const buf = await readFile(seg.path)
      const scan = scanSegment(buf, { isLast, expect: seg, searchBudgetBytes: opts.searchBudgetBytes })
      if (scan.status === 'corrupt') {
        throw new StorageError(
          'WAL_CORRUPT',
          `WAL segment ${seg.path} is corrupt at byte ${scan.offset} (of ${buf.length}): ${scan.detail}. ` +
            'Refusing to start: cutting the log here could lose acknowledged writes. Restore this node from a healthy ' +
            'member (wipe its data directory; the leader sends a snapshot), or move the file aside to investigate.',
          { file: seg.path, offset: scan.offset, cause: scan.cause }
        )
      }
      for (const r of scan.records) {
        replay.apply(r.record, { file: seg.path, offset: r.offset })
        if (r.record.type === 'entries') seg.maxIndex = Math.max(seg.maxIndex, r.record.entries[r.record.entries.length - 1]!.index)
      }
      if (scan.status === 'torn') {
        const dropped = buf.length - scan.validBytes
        if (scan.header === undefined) {
          // Even the header is torn: the segment was being created when the process died.
          await unlink(seg.path)
          await fsyncDir(dir)
          segments.pop()
          reuseSeq = seg.seq
          report.removed.push(seg.path)
          log('warn', 'WAL segment with a torn header removed', { file: seg.path, droppedBytes: dropped, problem: scan.problem, detail: scan.detail })
        } else {
          const fd = await openFile(seg.path, 'r+')
          try {
            await ftruncate(fd, scan.validBytes)
            await fdatasync(fd)
          } finally {
            await closeFile(fd)
          }
          report.truncated.push({ file: seg.path, offset: scan.validBytes, droppedBytes: dropped, problem: scan.problem })
          log('warn', 'WAL torn tail truncated', {
            file: seg.path,
            offset: scan.validBytes,
            droppedBytes: dropped,
            problem: scan.problem,
            detail: scan.detail
          })
        }
      }
    }

    const wal = new Wal(dir, segments, opts, replay)
    const last = segments[segments.length - 1]
    if (last) {
      const fd = await openFile(last.path, 'a')
      const { size } = await stat(last.path)
      wal.cur = { seg: last, fd, size, dirty: false, hasData: size > 0, closed: false }
    } else {
      await wal.createSegment(reuseSeq ?? 1, replay.lastIndex + 1)
    }
    report.segments = segments.length
    return { wal, replay, report }
  }

  /**
   * Append records; resolves once written, and (when `sync`) fsynced. Calls are written in call
   * order. Rejects with FAILED after any I/O error, CLOSED after close().
   */
  append(append: WalAppend, sync: boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.closing) return Promise.reject(new StorageError('CLOSED', `the WAL in ${this.dir} is closed`))
    let frames: Buffer[]
    try {
      frames = []
      if (append.marker) frames.push(encodeSnapshotMarker(append.marker))
      if (append.entries && append.entries.length > 0) for (const f of encodeEntries(append.entries)) frames.push(f)
      if (append.hardState) frames.push(encodeHardState(append.hardState))
    } catch (e) {
      return Promise.reject(new StorageError('INVALID_ARGUMENT', `cannot encode WAL records: ${describeError(e)}`, { cause: e }))
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ frames, bytes: framesBytes(frames), sync, append, resolve, reject })
      this.kick()
    })
  }

  /** Make everything written so far durable. */
  sync(): Promise<void> {
    return this.append({}, true)
  }

  /**
   * Delete old segments, oldest first, while every entry in them is ≤ `index` (never the one
   * being written). Returns the names deleted.
   */
  async releaseThrough(index: number): Promise<string[]> {
    const victims: SegmentInfo[] = []
    while (this.segments.length > 1 && this.segments[0] !== this.cur.seg && this.segments[0]!.maxIndex <= index) {
      victims.push(this.segments.shift()!)
    }
    for (const v of victims) {
      try {
        await unlink(v.path)
      } catch (e) {
        if (!isErrno(e, 'ENOENT')) throw e
      }
    }
    if (victims.length > 0) {
      await fsyncDir(this.dir)
      this.log('info', 'old WAL segments deleted', { through: index, files: victims.map((v) => v.name) })
    }
    return victims.map((v) => v.name)
  }

  stats(): WalStats {
    return {
      ...this.counters,
      segments: this.segments.length,
      firstSegmentSeq: this.segments[0]?.seq ?? 0,
      lastSegmentSeq: this.segments[this.segments.length - 1]?.seq ?? 0
    }
  }

  /** The segments on disk, oldest first (a copy). */
  segmentList(): SegmentInfo[] {
    return this.segments.map((s) => ({ ...s }))
  }

  /** The error that poisoned the WAL, if any. */
  get failed(): StorageError | undefined {
    return this.failure
  }

  /** Write and fsync whatever is queued, then close the segment. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await new Promise<void>((resolve) => (this.draining || this.queue.length > 0 ? this.idleWaiters.push(resolve) : resolve()))
      try {
        if (!this.failure && this.cur.dirty) await this.fsyncCurrent()
      } finally {
        if (!this.cur.closed) {
          this.cur.closed = true
          await closeFile(this.cur.fd)
        }
      }
    })()
    return this.closing
  }

  private kick(): void {
    if (this.draining) return
    this.draining = true
    // A microtask, not an immediate write: every save issued in the same tick shares the batch.
    queueMicrotask(() => void this.drain())
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      if (this.failure) {
        for (const p of batch) p.reject(this.failure)
        continue
      }
      try {
        await this.writeBatch(batch)
      } catch (e) {
        this.fail(e, batch)
      }
    }
    this.draining = false
    for (const w of this.idleWaiters.splice(0)) w()
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    this.counters.batches++
    this.counters.saves += batch.length
    let chunk: Buffer[] = []
    let chunkBytes = 0
    for (const item of batch) {
      if (item.bytes > 0 && this.cur.hasData && this.cur.size + chunkBytes + item.bytes > this.opts.segmentBytes) {
        await this.writeChunk(chunk, chunkBytes)
        chunk = []
        chunkBytes = 0
        await this.roll()
      }
      for (const f of item.frames) chunk.push(f)
      chunkBytes += item.bytes
      this.noteQueuedForCurrent(item)
    }
    await this.writeChunk(chunk, chunkBytes)
    for (const item of batch) if (!item.sync) item.resolve()
    if (batch.some((i) => i.sync) && this.cur.dirty) await this.fsyncCurrent()
    for (const item of batch) if (item.sync) item.resolve()
    safely(() => this.opts.metrics.onBatch?.(batch.length))
  }

  /** Track what the current segment holds, for rolling and for deleting it later. */
  private noteQueuedForCurrent(item: Pending): void {
    const a = item.append
    if (item.bytes > 0) this.cur.hasData = true
    if (a.marker) {
      this.lastMarker = { ...a.marker, carried: false }
      if (a.marker.kind === 'installed') this.tailIndex = a.marker.index
    }
    if (a.entries && a.entries.length > 0) {
      this.tailIndex = a.entries[a.entries.length - 1]!.index
      this.cur.seg.maxIndex = Math.max(this.cur.seg.maxIndex, this.tailIndex)
    }
    if (a.hardState) this.lastHardState = a.hardState
  }

  private async writeChunk(chunk: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return
    const buf = chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk, bytes)
    try {
      writeAllSync(this.cur.fd, buf)
    } catch (e) {
      // Cut a partial write back off, so the file does not hold garbage followed by more
      // records (which the next open would have to call corruption). Best effort: we fail anyway.
      await ftruncate(this.cur.fd, this.cur.size).catch(() => {})
      throw e
    }
    this.cur.size += bytes
    this.cur.dirty = true
    this.counters.bytesWritten += bytes
    safely(() => this.opts.metrics.onWrite?.(bytes))
  }

  private async fsyncCurrent(): Promise<void> {
    const t0 = performance.now()
    await fdatasync(this.cur.fd)
    this.recordFsync(performance.now() - t0)
    this.cur.dirty = false
  }

  private recordFsync(ms: number): void {
    this.counters.fsyncs++
    this.counters.fsyncMsTotal += ms
    safely(() => this.opts.metrics.onFsync?.(ms))
  }

  private async roll(): Promise<void> {
    const old = this.cur
    if (old.dirty) await this.fsyncCurrent()
    old.closed = true
    await closeFile(old.fd)
    await this.createSegment(old.seg.seq + 1, this.tailIndex + 1)
    this.log('info', 'WAL segment rolled', { closed: old.seg.name, bytes: old.size, opened: this.cur.seg.name })
  }

  /**
   * Create a segment durably: header, hard state and newest marker, fdatasync, directory fsync.
   * Only then does it join `segments` (so releaseThrough may delete its predecessors).
   */
  private async createSegment(seq: number, firstIndex: number): Promise<void> {
    const name = segmentFileName(seq, firstIndex)
    const path = join(this.dir, name)
    const frames = [encodeSegmentHeader({ seq, firstIndex })]
    if (this.lastHardState && !isEmptyHardState(this.lastHardState)) frames.push(encodeHardState(this.lastHardState))
    if (this.lastMarker) frames.push(encodeSnapshotMarker({ ...this.lastMarker, carried: true }))
    const buf = Buffer.concat(frames)
    // 'ax': append, and fail if it exists: a name clash means our bookkeeping is wrong.
    const fd = await openFile(path, 'ax')
    try {
      await writeAll(fd, buf)
      const t0 = performance.now()
      await fdatasync(fd)
      this.recordFsync(performance.now() - t0)
      await fsyncDir(this.dir)
    } catch (e) {
      await closeFile(fd).catch(() => {})
      throw e
    }
    this.counters.bytesWritten += buf.length
    safely(() => this.opts.metrics.onWrite?.(buf.length))
    const seg: SegmentInfo = { seq, firstIndex, name, path, maxIndex: 0 }
    this.cur = { seg, fd, size: buf.length, dirty: false, hasData: false, closed: false }
    this.segments.push(seg)
  }

  private fail(err: unknown, batch: Pending[]): void {
    if (!this.failure) {
      const file = this.cur.seg.path
      this.failure = new StorageError(
        'FAILED',
        `the WAL could not write or fsync ${file}: ${describeError(err)}. Every later write is refused because a failed ` +
          'fsync cannot be retried safely; restart the node (it recovers from the WAL) after fixing the disk.',
        { file, cause: err }
      )
      this.log('error', 'WAL write failed; refusing further writes', { file, error: describeError(err) })
    }
    // Items that already resolved (sync=false, written) are unaffected: rejecting them is a no-op.
    for (const p of batch) p.reject(this.failure)
  }

  private log(level: StorageLogLevel, msg: string, fields: Record<string, unknown>): void {
    safely(() => this.opts.logger({ level, msg, fields }))
  }
}
