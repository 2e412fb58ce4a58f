/**
 * Rebuilding the log from WAL records, after the snapshot recovery chose. Pure.
 *
 * It keeps only entries above the snapshot (those below are in the snapshot), but it honours
 * every truncation exactly as MemoryStorage.append did when the records were written: a batch
 * starting at index f means "the log from f on is this", so it drops every kept entry ≥ f even
 * when the whole batch lies below the snapshot. (Skipping such a batch would resurrect entries
 * the node had already discarded, which changes how it votes: a safety bug.)
 */
import type { Entry, HardState } from '../raft/types'
import { StorageError } from './errors'
import type { SnapshotMarker, WalRecord } from './records'

export interface RecordPosition {
  file: string
  offset: number
}

export class LogReplay {
  /** Entries above the snapshot, contiguous from snapshotIndex + 1. */
  private readonly ents: Entry[] = []
  private hs: HardState | undefined
  private marker: SnapshotMarker | undefined
  private markerAt: RecordPosition | undefined

  constructor(
    readonly snapshotIndex: number,
    readonly snapshotTerm: number
  ) {}

  get lastIndex(): number {
    return this.snapshotIndex + this.ents.length
  }

  /** The newest hard state record, if any. */
  get hardState(): HardState | undefined {
    return this.hs
  }

  /** The newest snapshot marker and where it was, if any. */
  get latestMarker(): { marker: SnapshotMarker; at: RecordPosition } | undefined {
    return this.marker && this.markerAt ? { marker: this.marker, at: this.markerAt } : undefined
  }

  /** The rebuilt entries (above the snapshot). The replay must not be used afterwards. */
  takeEntries(): Entry[] {
    return this.ents
  }

  apply(record: WalRecord, at: RecordPosition): void {
    switch (record.type) {
      case 'segmentHeader':
        return
      case 'hardState':
        this.hs = record.hardState
        return
      case 'snapshotMarker':
        return this.applyMarker(record.marker, at)
      case 'entries':
        return this.applyEntries(record.entries, at)
    }
  }

  private applyEntries(batch: Entry[], at: RecordPosition): void {
    const first = batch[0]!.index
    const last = this.lastIndex
    if (first > last + 1) {
      const base = this.snapshotIndex > 0 ? `the snapshot at ${this.snapshotIndex} and the entries replayed so far end` : 'the log replayed so far ends'
      throw new StorageError(
        'WAL_ENTRIES_MISSING',
        `WAL segment ${at.file} at byte ${at.offset}: entries start at index ${first}, but ${base} at ${last}; ` +
          `entries ${last + 1}..${first - 1} are missing (a WAL segment or the snapshot that covered them was deleted). ` +
          'Refusing to start with a hole in the log.',
        { file: at.file, offset: at.offset }
      )
    }
    // Truncate at `first` (never below the snapshot: those entries are not kept here).
    this.ents.length = Math.max(0, first - (this.snapshotIndex + 1))
    for (const e of batch) if (e.index > this.snapshotIndex) this.ents.push(e)
  }

  private applyMarker(m: SnapshotMarker, at: RecordPosition): void {
    if (m.kind === 'installed') {
      if (m.index > this.snapshotIndex || (m.index === this.snapshotIndex && m.term !== this.snapshotTerm)) {
        const have = this.snapshotIndex > 0 ? `the newest usable snapshot is ${this.snapshotTerm}-${this.snapshotIndex}` : 'there is no usable snapshot'
        throw new StorageError(
          'SNAPSHOT_MISSING',
          `WAL segment ${at.file} at byte ${at.offset} records that the log was replaced by snapshot term ${m.term} index ${m.index}, ` +
            `but ${have} in snap/. The entries up to ${m.index} exist only in that snapshot; refusing to start without them. ` +
            'Wipe this data directory so the leader sends a fresh snapshot.',
          { file: at.file, offset: at.offset }
        )
      }
      // The log before an install is replaced wholesale; carried copies only repeat the fact.
      if (!m.carried) this.ents.length = 0
    }
    this.marker = m
    this.markerAt = at
  }
}
