/**
 * Reading one WAL segment and deciding what its damage, if any, means. Pure: bytes in, verdict
 * out; the I/O (truncating, refusing) is wal.ts's.
 *
 * The rule, the one etcd and most WALs apply:
 * - A bad frame (short, impossible length, CRC mismatch) with no valid frame anywhere after it,
 *   in the LAST segment, is a torn tail: the process died while writing, nothing after it was
 *   ever acknowledged (an acknowledged record was fsynced, and writes are strictly ordered), so
 *   it is cut off and the open succeeds.
 * - A bad frame followed by a valid frame, or in any segment but the last (a segment is fsynced
 *   before its successor is created, so it cannot be torn), is damage in the middle. Truncating
 *   would silently drop acknowledged records, so the open is refused, naming file and offset.
 * - A frame that passes its CRC but does not decode is refused too (a bug or a newer format).
 *
 * "Valid frame after it" is searched byte by byte (findValidFrameAfter), not just at the bad
 * frame's declared end, because the damage may be in the length field itself.
 */
import { findValidFrameAfter, readFrame, type FrameProblem } from './frame'
import { RecordDecodeError, decodeRecord, isWalRecordType, type SegmentHeader, type WalRecord } from './records'

export interface ScannedRecord {
  /** Byte offset of the record's frame in the segment. */
  offset: number
  record: WalRecord
}

export type CorruptProblem = FrameProblem | 'undecodable' | 'bad-header' | 'unprovable-tail'

export type SegmentScan =
  /** Every byte belongs to a valid record. */
  | { status: 'clean'; header: SegmentHeader; records: ScannedRecord[]; validBytes: number }
  /**
   * A torn tail from `validBytes` to the end (only in the last segment). `header` is undefined
   * when even the segment header is torn: the segment holds nothing and can be removed.
   */
  | {
      status: 'torn'
      header: SegmentHeader | undefined
      records: ScannedRecord[]
      validBytes: number
      problem: FrameProblem
      detail: string
    }
  /** Damage that must not be truncated away. */
  | { status: 'corrupt'; offset: number; problem: CorruptProblem; detail: string; cause?: unknown }

export interface ScanOptions {
  /** Only the last segment may have a torn tail. */
  isLast: boolean
  /** What the file name says; the header must agree. */
  expect: { seq: number; firstIndex: number }
  /** CRC bytes the search for a valid frame after damage may spend (see findValidFrameAfter). */
  searchBudgetBytes?: number
}

export function scanSegment(buf: Buffer, opts: ScanOptions): SegmentScan {
  const records: ScannedRecord[] = []
  let header: SegmentHeader | undefined
  let offset = 0
  while (offset < buf.length) {
    const f = readFrame(buf, offset)
    if (!f.ok) return classifyBadFrame(buf, f.offset, f.problem, f.detail, header, records, opts)
    let record: WalRecord
    try {
      record = decodeRecord(f.type, f.payload)
    } catch (e) {
      const detail = e instanceof RecordDecodeError ? e.message : String(e)
      return { status: 'corrupt', offset, problem: 'undecodable', detail, cause: e }
    }
    if (offset === 0) {
      if (record.type !== 'segmentHeader') {
        return { status: 'corrupt', offset, problem: 'bad-header', detail: `the segment starts with a ${record.type} record, not a header` }
      }
      const h = record.header
      if (h.seq !== opts.expect.seq || h.firstIndex !== opts.expect.firstIndex) {
        return {
          status: 'corrupt',
          offset,
          problem: 'bad-header',
          detail: `the header says sequence ${h.seq}, first index ${h.firstIndex}, but the file name says ${opts.expect.seq}, ${opts.expect.firstIndex}`
        }
      }
      header = h
    } else if (record.type === 'segmentHeader') {
      return { status: 'corrupt', offset, problem: 'bad-header', detail: 'a second segment header in the middle of the segment' }
    } else {
      records.push({ offset, record })
    }
    offset = f.end
  }
  if (!header) {
    // An empty file: created, then the process died before the header reached the disk.
    if (opts.isLast) return { status: 'torn', header, records, validBytes: 0, problem: 'short-header', detail: 'the segment is empty' }
    return { status: 'corrupt', offset: 0, problem: 'short-header', detail: 'the segment is empty but it is not the last one' }
  }
  return { status: 'clean', header, records, validBytes: offset }
}

function classifyBadFrame(
  buf: Buffer,
  offset: number,
  problem: FrameProblem,
  detail: string,
  header: SegmentHeader | undefined,
  records: ScannedRecord[],
  opts: ScanOptions
): SegmentScan {
  if (!opts.isLast) {
    return { status: 'corrupt', offset, problem, detail: `${detail}; this is not the last segment, so it cannot be a torn write` }
  }
  const after = findValidFrameAfter(buf, offset + 1, isWalRecordType, { budgetBytes: opts.searchBudgetBytes })
  if (after.found) {
    return { status: 'corrupt', offset, problem, detail: `${detail}; a valid record follows at byte ${after.offset}, so this is not a torn write` }
  }
  if (after.exhausted) {
    return {
      status: 'corrupt',
      offset,
      problem: 'unprovable-tail',
      detail: `${detail}; the ${buf.length - offset} bytes after it are too many to prove that no valid record follows`
    }
  }
  return { status: 'torn', header, records, validBytes: offset, problem, detail }
}
