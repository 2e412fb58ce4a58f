/**
 * The records of a WAL segment, each one frame (see frame.ts). Compact binary, little-endian:
 *
 *   1 segment header  magic "QLWL", version u16, reserved u16, seq u64, firstIndex u64
 *   2 entries         count u32, then per entry: index u64, term u64, type u8, dataLength u32, data
 *   3 hard state      term u64, vote u64, commit u64
 *   4 snapshot marker index u64, term u64, kind u8 (0 created, 1 installed), flags u8 (bit 0: carried)
 *
 * Every segment starts with its header; the entries of one record are contiguous. Decoding
 * checks everything it can beyond the CRC (counts, bounds, contiguity, enums), because a record
 * that passes its CRC but does not decode means a bug or a format from a newer version.
 */
import type { Entry, EntryType, HardState } from '../raft/types'
import { StorageError } from './errors'
import { FRAME_HEADER_BYTES, MAX_FRAME_PAYLOAD, allocFrame, readU64, sealFrame, writeU64 } from './frame'

export const RECORD_SEGMENT_HEADER = 1
export const RECORD_ENTRIES = 2
export const RECORD_HARD_STATE = 3
export const RECORD_SNAPSHOT_MARKER = 4

export const isWalRecordType = (t: number): boolean => t >= RECORD_SEGMENT_HEADER && t <= RECORD_SNAPSHOT_MARKER

export const WAL_MAGIC = 'QLWL'
export const WAL_VERSION = 1

/**
 * Why a marker: `installed` means the log was replaced by a snapshot from the leader at this
 * point, so replay discards every entry before it. `created` means this node snapshotted its own
 * state; the log is unchanged. `carried` copies (written at the start of each new segment, so the
 * newest marker survives deletion of old segments) are informational and never reset the log.
 */
export type SnapshotMarkerKind = 'created' | 'installed'

export interface SnapshotMarker {
  index: number
  term: number
  kind: SnapshotMarkerKind
  carried: boolean
}

export interface SegmentHeader {
  version: number
  seq: number
  firstIndex: number
}

export type WalRecord =
  | { type: 'segmentHeader'; header: SegmentHeader }
  | { type: 'entries'; entries: Entry[] }
  | { type: 'hardState'; hardState: HardState }
  | { type: 'snapshotMarker'; marker: SnapshotMarker }

/** Per-entry bytes besides the data: index, term, type, data length. */
export const ENTRY_OVERHEAD_BYTES = 8 + 8 + 1 + 4
/** Bytes of an entries record before its first entry: the count. */
const ENTRIES_PREFIX_BYTES = 4
/** The largest entry data a single record can carry. */
export const MAX_ENTRY_DATA_BYTES = MAX_FRAME_PAYLOAD - ENTRIES_PREFIX_BYTES - ENTRY_OVERHEAD_BYTES
/**
 * Target payload of one entries record. A big batch (a follower catching up) is split so no
 * single frame is huge; replay treats consecutive records exactly like one batch.
 */
export const ENTRIES_RECORD_TARGET_BYTES = 4 * 1024 * 1024

const H = FRAME_HEADER_BYTES

export function encodeSegmentHeader(h: { seq: number; firstIndex: number }): Buffer {
  const f = allocFrame(24)
  f.write(WAL_MAGIC, H, 'latin1')
  f.writeUInt16LE(WAL_VERSION, H + 4)
  f.writeUInt16LE(0, H + 6)
  writeU64(f, h.seq, H + 8)
  writeU64(f, h.firstIndex, H + 16)
  return sealFrame(f, RECORD_SEGMENT_HEADER)
}

export function encodeHardState(hs: HardState): Buffer {
  const f = allocFrame(24)
  writeU64(f, hs.term, H)
  writeU64(f, hs.vote, H + 8)
  writeU64(f, hs.commit, H + 16)
  return sealFrame(f, RECORD_HARD_STATE)
}

export function encodeSnapshotMarker(m: SnapshotMarker): Buffer {
  const f = allocFrame(18)
  writeU64(f, m.index, H)
  writeU64(f, m.term, H + 8)
  f[H + 16] = m.kind === 'installed' ? 1 : 0
  f[H + 17] = m.carried ? 1 : 0
  return sealFrame(f, RECORD_SNAPSHOT_MARKER)
}

/**
 * Encode entries as one or more records of about `targetBytes` each (at least one entry per
 * record). The caller has validated the entries (see validateEntries in disk-storage.ts).
 */
export function encodeEntries(entries: readonly Entry[], targetBytes = ENTRIES_RECORD_TARGET_BYTES): Buffer[] {
  const frames: Buffer[] = []
  let start = 0
  while (start < entries.length) {
    let bytes = ENTRIES_PREFIX_BYTES + ENTRY_OVERHEAD_BYTES + entries[start]!.data.length
    let end = start + 1
    while (end < entries.length) {
      const next = ENTRY_OVERHEAD_BYTES + entries[end]!.data.length
      if (bytes + next > targetBytes) break
      bytes += next
      end++
    }
    frames.push(encodeEntriesRecord(entries, start, end, bytes))
    start = end
  }
  return frames
}

function encodeEntriesRecord(entries: readonly Entry[], start: number, end: number, payloadBytes: number): Buffer {
  const f = allocFrame(payloadBytes)
  f.writeUInt32LE(end - start, H)
  let p = H + ENTRIES_PREFIX_BYTES
  for (let i = start; i < end; i++) {
    const e = entries[i]!
    writeU64(f, e.index, p)
    writeU64(f, e.term, p + 8)
    f[p + 16] = e.type === 'confChange' ? 1 : 0
    f.writeUInt32LE(e.data.length, p + 17)
    f.set(e.data, p + ENTRY_OVERHEAD_BYTES)
    p += ENTRY_OVERHEAD_BYTES + e.data.length
  }
  return sealFrame(f, RECORD_ENTRIES)
}

/** A record passed its CRC but does not make sense; the caller adds the file and offset. */
export class RecordDecodeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RecordDecodeError'
  }
}

const need = (payload: Buffer, bytes: number, what: string): void => {
  if (payload.length !== bytes) throw new RecordDecodeError(`${what} record has ${payload.length} payload bytes, expected ${bytes}`)
}

/** Decode one record's payload. Entry data is copied, so the segment buffer can be released. */
export function decodeRecord(type: number, payload: Buffer): WalRecord {
  try {
    switch (type) {
      case RECORD_SEGMENT_HEADER: {
        need(payload, 24, 'segment header')
        const magic = payload.toString('latin1', 0, 4)
        if (magic !== WAL_MAGIC) throw new RecordDecodeError(`segment header has magic ${JSON.stringify(magic)}, expected "${WAL_MAGIC}"`)
        const version = payload.readUInt16LE(4)
        if (version !== WAL_VERSION) {
          throw new RecordDecodeError(`segment format version ${version} is not supported (this build reads version ${WAL_VERSION})`)
        }
        return { type: 'segmentHeader', header: { version, seq: readU64(payload, 8), firstIndex: readU64(payload, 16) } }
      }
      case RECORD_ENTRIES:
        return { type: 'entries', entries: decodeEntries(payload) }
      case RECORD_HARD_STATE:
        need(payload, 24, 'hard state')
        return { type: 'hardState', hardState: { term: readU64(payload, 0), vote: readU64(payload, 8), commit: readU64(payload, 16) } }
      case RECORD_SNAPSHOT_MARKER: {
        need(payload, 18, 'snapshot marker')
        const kind = payload[16]!
        const flags = payload[17]!
        if (kind > 1) throw new RecordDecodeError(`snapshot marker has unknown kind ${kind}`)
        if (flags > 1) throw new RecordDecodeError(`snapshot marker has unknown flags ${flags}`)
        return {
          type: 'snapshotMarker',
          marker: { index: readU64(payload, 0), term: readU64(payload, 8), kind: kind === 1 ? 'installed' : 'created', carried: flags === 1 }
        }
      }
      default:
        throw new RecordDecodeError(`unknown record type ${type} (written by a newer version?)`)
    }
  } catch (e) {
    if (e instanceof RecordDecodeError) throw e
    // readU64 and Buffer bounds errors: the record's contents are impossible.
    throw new RecordDecodeError(e instanceof Error ? e.message : String(e))
  }
}

function decodeEntries(payload: Buffer): Entry[] {
  if (payload.length < ENTRIES_PREFIX_BYTES) throw new RecordDecodeError(`entries record of ${payload.length} bytes has no count`)
  const count = payload.readUInt32LE(0)
  if (count === 0) throw new RecordDecodeError('entries record with zero entries')
  const entries: Entry[] = new Array<Entry>(count)
  let p = ENTRIES_PREFIX_BYTES
  for (let i = 0; i < count; i++) {
    if (p + ENTRY_OVERHEAD_BYTES > payload.length) throw new RecordDecodeError(`entries record ends inside entry ${i} of ${count}`)
    const index = readU64(payload, p)
    const term = readU64(payload, p + 8)
    const t = payload[p + 16]!
    if (t > 1) throw new RecordDecodeError(`entry ${index} has unknown type ${t}`)
    const len = payload.readUInt32LE(p + 17)
    const start = p + ENTRY_OVERHEAD_BYTES
    if (start + len > payload.length) throw new RecordDecodeError(`entry ${index} declares ${len} data bytes past the record's end`)
    if (i > 0 && index !== entries[i - 1]!.index + 1) {
      throw new RecordDecodeError(`entries record is not contiguous: ${entries[i - 1]!.index} is followed by ${index}`)
    }
    if (index === 0) throw new RecordDecodeError('entry with index 0')
    const type: EntryType = t === 1 ? 'confChange' : 'normal'
    // Copy: a view would pin the whole segment buffer (up to 64 MiB) for as long as the entry lives.
    const data = new Uint8Array(len)
    data.set(payload.subarray(start, start + len))
    entries[i] = { index, term, type, data }
    p = start + len
  }
  if (p !== payload.length) throw new RecordDecodeError(`entries record has ${payload.length - p} trailing bytes after ${count} entries`)
  return entries
}

/** Sum of the sizes of frames, as written. */
export const framesBytes = (frames: readonly Buffer[]): number => frames.reduce((n, f) => n + f.length, 0)

/** Make a decode error a WAL_CORRUPT naming the file and offset. */
export function corruptRecord(file: string, offset: number, err: unknown): StorageError {
  const why = err instanceof Error ? err.message : String(err)
  return new StorageError(
    'WAL_CORRUPT',
    `WAL segment ${file} is corrupt at byte ${offset}: the record there passed its CRC check but cannot be decoded (${why}). ` +
      'This is a bug or a WAL written by an incompatible version; refusing to start rather than guess.',
    { file, offset, cause: err }
  )
}
