/**
 * DiskStorage: the Raft `Storage` on real files, with the writes Ready asks for.
 *
 *     <dir>/LOCK   <dir>/wal/*.wal   <dir>/snap/*.snap        (see names.ts, wal.ts, snapshot-files.ts)
 *
 * The Raft core reads synchronously, so reads are served from an in-memory copy of the log
 * since the last snapshot (raft's MemoryStorage), rebuilt by recovery and kept current by save(). Writes
 * are asynchronous and durable:
 *
 *     const rd = node.ready()
 *     await storage.save(rd, rd.mustSync)   // hard state, entries, snapshot: on disk first
 *     send(rd.messages); apply(rd.snapshot, rd.committedEntries); node.advance()
 *
 * and, every N applied entries, as the server decides:
 *
 *     await storage.createSnapshot(applied, confState, fsm.snapshot())
 *     await storage.compact(applied - catchUpEntries)
 *
 * Why the memory copy is updated when save() is called rather than when it resolves: the core
 * reads the stable log only after advance(), which the caller does after the promise resolves;
 * updating at call time keeps the memory copy in exactly the order of the WAL, as etcd does.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { MemoryStorage, SnapshotOutOfDateError, cloneConf, type Storage } from '../raft/storage'
import { isEmptySnapshot, type ConfState, type Entry, type HardState, type Index, type Snapshot, type Term } from '../raft/types'
import { DirLock } from './dir-lock'
import { StorageError, describeError } from './errors'
import { isU64 } from './frame'
import { fsyncDir } from './fs-util'
import { noopLogger, safely, type StorageLogLevel, type StorageLogger, type StorageMetrics, type WalStats } from './hooks'
import { LOCK_FILE, SNAP_DIR, WAL_DIR } from './names'
import { MAX_ENTRY_DATA_BYTES } from './records'
import { SnapshotStore } from './snapshot-files'
import { DEFAULT_SEGMENT_BYTES, Wal, type WalRecoveryReport } from './wal'

export const DEFAULT_KEEP_SNAPSHOTS = 2
/** Smallest segment size accepted (tests use small segments to exercise rolling). */
export const MIN_SEGMENT_BYTES = 1024

export interface DiskStorageOptions {
  /** Roll WAL segments at about this size. Default 64 MiB. */
  segmentBytes?: number
  /** Snapshot files to keep (the WAL is kept back to the oldest of them). Default 2. */
  keepSnapshots?: number
  /** Receives every log line (torn tails, recovery, rolls, deletions). Default: none. */
  logger?: StorageLogger
  metrics?: StorageMetrics
}

/** What one Ready asks to persist; a Ready itself fits (`save(rd, rd.mustSync)`). */
export interface SaveRequest {
  hardState?: HardState
  entries?: readonly Entry[]
  snapshot?: Snapshot
}

/** What open() found and did, for the node's startup log line and status endpoint. */
export interface RecoveryInfo {
  durationMs: number
  /** The snapshot recovery started from, if any. */
  snapshot: { index: Index; term: Term; file: string } | undefined
  wal: WalRecoveryReport
  firstIndex: Index
  lastIndex: Index
  hardState: HardState
}

const EMPTY_HARD_STATE: HardState = { term: 0, vote: 0, commit: 0 }

export class DiskStorage implements Storage {
  private closing: Promise<void> | undefined
  /** Set when memory and disk may disagree (a snapshot install failed half way). */
  private broken: StorageError | undefined
  /** While a snapshot install is being written, later saves queue behind it (order on disk). */
  private installGate: Promise<void> | undefined
  /** Snapshot file writes, one at a time. */
  private snapChain: Promise<void> = Promise.resolve()
  /** Removal of old snapshot files and WAL segments after a snapshot (close() waits for it). */
  private cleanup: Promise<void> = Promise.resolve()

  private constructor(
    readonly dir: string,
    private readonly lock: DirLock,
    private readonly wal: Wal,
    private readonly snaps: SnapshotStore,
    private readonly mem: MemoryStorage,
    private readonly logger: StorageLogger,
    /** What open() found and did. */
    readonly recovery: RecoveryInfo
  ) {}

  /**
   * Open (creating if needed) the storage in `dir` and recover it: newest valid snapshot, then
   * every WAL segment after it. Refuses with a StorageError (WAL_CORRUPT, WAL_SEGMENT_MISSING,
   * WAL_ENTRIES_MISSING, SNAPSHOT_CORRUPT, SNAPSHOT_MISSING, LOCKED) when it cannot be trusted.
   */
  static async open(dir: string, options: DiskStorageOptions = {}): Promise<DiskStorage> {
    const started = performance.now()
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES
    const keepSnapshots = options.keepSnapshots ?? DEFAULT_KEEP_SNAPSHOTS
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES) {
      throw new StorageError('INVALID_ARGUMENT', `segmentBytes must be an integer ≥ ${MIN_SEGMENT_BYTES}, got ${segmentBytes}`)
    }
    if (!Number.isSafeInteger(keepSnapshots) || keepSnapshots < 1) {
      throw new StorageError('INVALID_ARGUMENT', `keepSnapshots must be an integer ≥ 1, got ${keepSnapshots}`)
    }
    const logger = options.logger ?? noopLogger
    const metrics = options.metrics ?? {}
    const log = (level: StorageLogLevel, msg: string, fields: Record<string, unknown>): void => safely(() => logger({ level, msg, fields }))

    // A fresh directory tree must itself survive a power cut, or the first synced save would be
    // durable inside a directory that is not: fsync the parent of each directory we create.
    const createdRoot = await mkdir(dir, { recursive: true })
    let createdSub = false
    for (const sub of [WAL_DIR, SNAP_DIR]) if ((await mkdir(join(dir, sub), { recursive: true })) !== undefined) createdSub = true
    if (createdRoot !== undefined) await fsyncDir(dirname(createdRoot))
    if (createdRoot !== undefined || createdSub) await fsyncDir(dir)
    const lock = await DirLock.acquire(join(dir, LOCK_FILE), logger)
    try {
      const snaps = new SnapshotStore(join(dir, SNAP_DIR), keepSnapshots, logger, metrics)
      await snaps.removeTemps()
      const loaded = await snaps.loadNewest()
      const base = loaded ? { index: loaded.snapshot.metadata.index, term: loaded.snapshot.metadata.term } : { index: 0, term: 0 }
      const { wal, replay, report } = await Wal.open(join(dir, WAL_DIR), base, { segmentBytes, logger, metrics })
      try {
        const mem = new MemoryStorage()
        if (loaded) mem.applySnapshot(loaded.snapshot)
        mem.append(replay.takeEntries())
        const hs = replay.hardState ?? EMPTY_HARD_STATE
        // A snapshot is committed state by definition; a hard state written before it (the
        // install's own record was lost, or never needed) may name an older commit.
        const commit = Math.max(hs.commit, base.index)
        if (commit > mem.lastIndex()) {
          throw new StorageError(
            'WAL_CORRUPT',
            `the WAL in ${join(dir, WAL_DIR)} records commit index ${commit}, but its log ends at ${mem.lastIndex()}: ` +
              'committed entries are missing. Refusing to start; wipe this data directory so the leader sends a snapshot.',
            { file: join(dir, WAL_DIR) }
          )
        }
        mem.setHardState({ ...hs, commit })
        const marker = replay.latestMarker
        if (marker && marker.marker.index > base.index) {
          log('warn', 'the WAL knows a newer snapshot than the newest usable snapshot file; recovered from the older one', {
            walSnapshot: { index: marker.marker.index, term: marker.marker.term },
            usedSnapshot: base,
            at: marker.at
          })
        }
        const recovery: RecoveryInfo = {
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          snapshot: loaded ? { ...base, file: loaded.info.path } : undefined,
          wal: report,
          firstIndex: mem.firstIndex(),
          lastIndex: mem.lastIndex(),
          hardState: mem.initialState().hardState
        }
        log('info', 'storage recovered', {
          dir,
          snapshotIndex: base.index,
          firstIndex: recovery.firstIndex,
          lastIndex: recovery.lastIndex,
          term: recovery.hardState.term,
          vote: recovery.hardState.vote,
          commit: recovery.hardState.commit,
          segments: report.segments,
          tornTails: report.truncated.length + report.removed.length,
          durationMs: recovery.durationMs
        })
        return new DiskStorage(dir, lock, wal, snaps, mem, logger, recovery)
      } catch (e) {
        await wal.close().catch(() => {})
        throw e
      }
    } catch (e) {
      await lock.release()
      throw e
    }
  }

  // ---- Storage (synchronous reads, from memory) ----

  initialState(): { hardState: HardState; confState: ConfState } {
    return this.mem.initialState()
  }

  entries(lo: Index, hi: Index, maxBytes: number): Entry[] {
    return this.mem.entries(lo, hi, maxBytes)
  }

  term(i: Index): Term {
    return this.mem.term(i)
  }

  lastIndex(): Index {
    return this.mem.lastIndex()
  }

  firstIndex(): Index {
    return this.mem.firstIndex()
  }

  snapshot(): Snapshot {
    return this.mem.snapshot()
  }

  // ---- Writes ----

  /**
   * Persist what a Ready asks for, in this order on disk: snapshot (file, then a marker in the
   * WAL), entries, hard state. Resolves when written and, if `sync`, fsynced: an acknowledged
   * synced save survives SIGKILL and power loss. Saves are written in call order and batched
   * (group commit). A snapshot install is always synced.
   *
   * Entries below the first index are ignored, a conflicting suffix is replaced (as
   * MemoryStorage.append). Invalid input rejects with INVALID_ARGUMENT / ENTRY_TOO_LARGE /
   * SNAPSHOT_OUT_OF_DATE and changes nothing.
   */
  save(req: SaveRequest, sync: boolean): Promise<void> {
    let plan: { snapshot: Snapshot | undefined; entries: readonly Entry[]; hardState: HardState | undefined }
    try {
      plan = this.applyToMemory(req)
    } catch (e) {
      return Promise.reject(e)
    }
    const { snapshot, entries, hardState } = plan
    if (!snapshot) {
      const write = (): Promise<void> => this.wal.append({ entries, hardState }, sync)
      return this.installGate ? this.installGate.then(write) : write()
    }
    const { index, term } = snapshot.metadata
    const fileWritten = this.snapshotOp(async () => {
      await this.snaps.write(snapshot)
    })
    const gate = fileWritten.catch((e: unknown) => {
      // Memory already holds the snapshot and disk does not: nothing later may be written.
      this.broken ??= new StorageError('FAILED', `writing the installed snapshot ${term}-${index} failed: ${describeError(e)}`, { cause: e })
      throw this.broken
    })
    this.installGate = gate
    const clear = (): void => {
      if (this.installGate === gate) this.installGate = undefined
    }
    gate.then(clear, clear)
    // Old files are cleaned up after the save resolves, not before: the follower's answer to the
    // leader (and its catching up) need not wait for unlinks and directory fsyncs.
    return gate
      .then(() => this.wal.append({ marker: { index, term, kind: 'installed', carried: false }, entries, hardState }, true))
      .then(() => void this.afterSnapshot())
  }

  /**
   * Snapshot this node's own state at applied index `index`: the file is made durable, then a
   * marker goes into the WAL, then snapshot files beyond the newest `keepSnapshots` are removed.
   * The log is not compacted here; call compact() for that.
   */
  async createSnapshot(index: Index, confState: ConfState, data: Uint8Array): Promise<Snapshot> {
    this.assertWritable()
    if (!isU64(index) || index === 0) throw new StorageError('INVALID_ARGUMENT', `snapshot index must be a positive integer, got ${index}`)
    validateConfState(confState)
    if (!(data instanceof Uint8Array)) throw new StorageError('INVALID_ARGUMENT', 'snapshot data must be a Uint8Array')
    if (index <= this.mem.snapshot().metadata.index) throw new SnapshotOutOfDateError(index)
    if (index > this.mem.lastIndex()) {
      throw new StorageError('INVALID_ARGUMENT', `cannot snapshot at ${index}: the log ends at ${this.mem.lastIndex()}`)
    }
    const term = this.mem.term(index)
    const snap: Snapshot = { metadata: { index, term, confState: cloneConf(confState) }, data }
    await this.snapshotOp(async () => {
      await this.snaps.write(snap)
    })
    // An installed snapshot may have overtaken this one while its file was written.
    if (index <= this.mem.snapshot().metadata.index) throw new SnapshotOutOfDateError(index)
    const made = this.mem.createSnapshot(index, confState, data)
    await this.wal.append({ marker: { index, term, kind: 'created', carried: false } }, true)
    await this.afterSnapshot()
    return made
  }

  /**
   * Drop the in-memory log before `index` (it must be covered by a snapshot the caller made),
   * and delete WAL segments whose entries are all at or below both `index` and the oldest
   * snapshot file kept (so falling back to that snapshot still finds its log).
   */
  async compact(index: Index): Promise<void> {
    this.assertWritable()
    this.mem.compact(index)
    await this.releaseWal()
  }

  /** Make everything saved so far durable (e.g. after saves with sync=false, before exit). */
  sync(): Promise<void> {
    try {
      this.assertWritable()
    } catch (e) {
      return Promise.reject(e)
    }
    const run = (): Promise<void> => this.wal.sync()
    return this.installGate ? this.installGate.then(run) : run()
  }

  /** Counters: saves, batches, fsyncs, bytes written, segments. */
  stats(): WalStats {
    return this.wal.stats()
  }

  /** Finish pending writes, fsync, close files, release the lock. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.cleanup
      await this.snapChain
      await this.installGate?.catch(() => {})
      try {
        await this.wal.close()
      } finally {
        await this.lock.release()
      }
      this.log('info', 'storage closed', { dir: this.dir })
    })()
    return this.closing
  }

  // ---- internals ----

  private assertWritable(): void {
    if (this.closing) throw new StorageError('CLOSED', `the storage in ${this.dir} is closed`)
    const failed = this.broken ?? this.wal.failed
    if (failed) throw failed
  }

  /** Validate a save and apply it to the memory copy; nothing changes if it throws. */
  private applyToMemory(req: SaveRequest): { snapshot: Snapshot | undefined; entries: readonly Entry[]; hardState: HardState | undefined } {
    this.assertWritable()
    const snapshot = req.snapshot && !isEmptySnapshot(req.snapshot) ? req.snapshot : undefined
    if (snapshot) {
      const { index, term, confState } = snapshot.metadata
      if (!isU64(index) || !isU64(term)) throw new StorageError('INVALID_ARGUMENT', `snapshot index/term must be non-negative integers, got ${index}/${term}`)
      validateConfState(confState)
      if (!(snapshot.data instanceof Uint8Array)) throw new StorageError('INVALID_ARGUMENT', 'snapshot data must be a Uint8Array')
      if (index <= this.mem.snapshot().metadata.index) throw new SnapshotOutOfDateError(index)
    }
    const hardState = req.hardState
    if (hardState && !(isU64(hardState.term) && isU64(hardState.vote) && isU64(hardState.commit))) {
      throw new StorageError('INVALID_ARGUMENT', `hard state fields must be non-negative integers, got ${JSON.stringify(hardState)}`)
    }
    let entries = req.entries ?? []
    validateEntries(entries)
    const first = snapshot ? snapshot.metadata.index + 1 : this.mem.firstIndex()
    const last = snapshot ? snapshot.metadata.index : this.mem.lastIndex()
    if (entries.length > 0 && entries[0]!.index < first) entries = entries.slice(Math.min(entries.length, first - entries[0]!.index))
    if (entries.length > 0 && entries[0]!.index > last + 1) {
      throw new StorageError('INVALID_ARGUMENT', `entries start at ${entries[0]!.index}, but the log ends at ${last}: they would leave a hole`)
    }
    if (snapshot) this.mem.applySnapshot(snapshot)
    this.mem.append(entries)
    if (hardState) this.mem.setHardState(hardState)
    return { snapshot, entries, hardState }
  }

  /** Run snapshot file work one operation at a time. */
  private snapshotOp<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.snapChain.then(fn)
    this.snapChain = run.then(
      () => undefined,
      () => undefined
    )
    return run
  }

  /** After a snapshot is durable: drop old snapshot files, then the WAL no snapshot needs. */
  private afterSnapshot(): Promise<void> {
    const run = async (): Promise<void> => {
      try {
        await this.snapshotOp(() => this.snaps.prune())
        await this.releaseWal()
      } catch (e) {
        // The snapshot itself is durable; failing to delete old files only costs disk space.
        this.log('error', 'could not remove old snapshot files or WAL segments', { error: describeError(e) })
      }
    }
    this.cleanup = this.cleanup.then(run)
    return this.cleanup
  }

  private async releaseWal(): Promise<void> {
    await this.snapshotOp(async () => {
      const oldest = await this.snaps.oldestIndex()
      await this.wal.releaseThrough(Math.min(oldest, this.mem.firstIndex() - 1))
    })
  }

  private log(level: StorageLogLevel, msg: string, fields: Record<string, unknown>): void {
    safely(() => this.logger({ level, msg, fields }))
  }
}

function validateConfState(cs: ConfState): void {
  const ok = cs && Array.isArray(cs.voters) && Array.isArray(cs.learners) && [...cs.voters, ...cs.learners].every((id) => isU64(id))
  if (!ok) throw new StorageError('INVALID_ARGUMENT', `conf state must hold lists of node ids, got ${JSON.stringify(cs)}`)
}

/** Entries must be well-formed and contiguous; each one must fit in a WAL frame. */
export function validateEntries(entries: readonly Entry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!
    if (!isU64(e.index) || e.index === 0 || !isU64(e.term)) {
      throw new StorageError('INVALID_ARGUMENT', `entry ${i} has index/term ${e.index}/${e.term}; they must be integers, index ≥ 1`)
    }
    if (e.type !== 'normal' && e.type !== 'confChange') throw new StorageError('INVALID_ARGUMENT', `entry ${e.index} has unknown type ${String(e.type)}`)
    if (!(e.data instanceof Uint8Array)) throw new StorageError('INVALID_ARGUMENT', `entry ${e.index} data must be a Uint8Array`)
    if (e.data.length > MAX_ENTRY_DATA_BYTES) {
      throw new StorageError('ENTRY_TOO_LARGE', `entry ${e.index} holds ${e.data.length} bytes; the most one entry may hold is ${MAX_ENTRY_DATA_BYTES}`)
    }
    if (i > 0 && e.index !== entries[i - 1]!.index + 1) {
      throw new StorageError('INVALID_ARGUMENT', `entries are not contiguous: ${entries[i - 1]!.index} is followed by ${e.index}`)
    }
  }
}
