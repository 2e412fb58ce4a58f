/**
 * Snapshots travel as a stream of `snapshotChunk` frames rather than one `raft` frame: a
 * snapshot can be far larger than a frame may be (MAX_FRAME_PAYLOAD), and sending it in ≤ 1 MiB
 * pieces lets heartbeats and votes slip in between, so a big snapshot never starves a link.
 *
 *   chunk payload (big-endian)
 *     0   u8    chunk format version (1)
 *     1   u8    kind: 0 = meta, 1 = data
 *     2   u32   stream id (increasing per sender link; a new stream supersedes an older one)
 *     6   u32   chunk index: 0 for meta, 1..count for data
 *     10  u64   total bytes of snapshot data
 *     18  u32   count of data chunks
 *     22  ...   body: meta → encodeMessage(the MsgSnap with empty snapshot data);
 *                     data → the next bytes of snapshot.data
 *
 * Why the metadata goes FIRST: the receiver validates sender, type and total size before it
 * holds a single data byte, and can allocate the result once (no concatenation copy).
 * Why every chunk repeats total and count: a chunk can be checked on its own, and a stream
 * whose meta was lost is recognised and ignored instead of misread.
 *
 * The lab's link proxy is frame-aware and may drop or duplicate frames on purpose, so the
 * assembler tells those apart from corruption: a duplicate chunk is ignored, a missing chunk
 * abandons the stream (Raft sends a new snapshot later), and only an inconsistent stream, which
 * no proxy fault can produce, closes the connection.
 */
import { CodecError, decodeMessage, encodeMessage } from '../protocol/raft-codec'
import { MAX_FRAME_PAYLOAD } from '../protocol/frame'
import type { Message, NodeId } from '../raft/types'
import type { ProtocolViolation } from './errors'

export const CHUNK_FORMAT_VERSION = 1
export const CHUNK_HEADER_BYTES = 22
/** Default data bytes per chunk. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024
/** The largest body a chunk frame can carry. */
export const MAX_CHUNK_BODY = MAX_FRAME_PAYLOAD - CHUNK_HEADER_BYTES
/** Default largest snapshot a node accepts. */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024

const KIND_META = 0
const KIND_DATA = 1
const EMPTY = new Uint8Array(0)

export interface ChunkHeader {
  kind: 'meta' | 'data'
  streamId: number
  index: number
  total: number
  count: number
}

function writeHeader(out: Uint8Array, h: ChunkHeader): void {
  const v = new DataView(out.buffer, out.byteOffset, CHUNK_HEADER_BYTES)
  v.setUint8(0, CHUNK_FORMAT_VERSION)
  v.setUint8(1, h.kind === 'meta' ? KIND_META : KIND_DATA)
  v.setUint32(2, h.streamId)
  v.setUint32(6, h.index)
  v.setUint32(10, Math.floor(h.total / 2 ** 32))
  v.setUint32(14, h.total >>> 0)
  v.setUint32(18, h.count)
}

/** Parse a chunk header, or say why it is not one. */
export function decodeChunkHeader(payload: Uint8Array): ChunkHeader | ProtocolViolation {
  if (payload.length < CHUNK_HEADER_BYTES) {
    return { code: 'SNAPSHOT_MALFORMED', detail: `snapshot chunk of ${payload.length} bytes is shorter than its ${CHUNK_HEADER_BYTES}-byte header` }
  }
  const v = new DataView(payload.buffer, payload.byteOffset, CHUNK_HEADER_BYTES)
  const version = v.getUint8(0)
  if (version !== CHUNK_FORMAT_VERSION) return { code: 'SNAPSHOT_MALFORMED', detail: `unsupported snapshot chunk version ${version}` }
  const kindCode = v.getUint8(1)
  if (kindCode !== KIND_META && kindCode !== KIND_DATA) return { code: 'SNAPSHOT_MALFORMED', detail: `unknown snapshot chunk kind ${kindCode}` }
  const hi = v.getUint32(10)
  if (hi >= 2 ** 21) return { code: 'SNAPSHOT_MALFORMED', detail: 'snapshot total size exceeds 2^53' }
  return {
    kind: kindCode === KIND_META ? 'meta' : 'data',
    streamId: v.getUint32(2),
    index: v.getUint32(6),
    total: hi * 2 ** 32 + v.getUint32(14),
    count: v.getUint32(18)
  }
}

const isViolation = (x: ChunkHeader | ProtocolViolation): x is ProtocolViolation => 'code' in x

/**
 * The chunk payloads of one snapshot message, produced lazily (the sender pulls the next one
 * only when its socket has room, so a 1 GiB snapshot never exists twice in memory).
 * Throws CodecError when the message cannot be encoded.
 */
export function* encodeSnapshotChunks(m: Message, streamId: number, chunkBytes = DEFAULT_CHUNK_BYTES): Generator<Uint8Array, void, void> {
  if (!m.snapshot) throw new CodecError(`${m.type} to ${m.to} has no snapshot to stream`)
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BODY) {
    throw new RangeError(`snapshot chunk size must be 1..${MAX_CHUNK_BODY} bytes, got ${chunkBytes}`)
  }
  const data = m.snapshot.data
  const total = data.length
  const count = Math.ceil(total / chunkBytes)
  const meta = encodeMessage({ ...m, snapshot: { metadata: m.snapshot.metadata, data: EMPTY } })
  if (meta.length > MAX_CHUNK_BODY) throw new CodecError(`snapshot metadata of ${meta.length} bytes does not fit in a chunk`)
  const first = new Uint8Array(CHUNK_HEADER_BYTES + meta.length)
  writeHeader(first, { kind: 'meta', streamId, index: 0, total, count })
  first.set(meta, CHUNK_HEADER_BYTES)
  yield first
  for (let i = 1; i <= count; i++) {
    const body = data.subarray((i - 1) * chunkBytes, Math.min(total, i * chunkBytes))
    const out = new Uint8Array(CHUNK_HEADER_BYTES + body.length)
    writeHeader(out, { kind: 'data', streamId, index: i, total, count })
    out.set(body, CHUNK_HEADER_BYTES)
    yield out
  }
}

/** Number of chunk frames (meta included) a snapshot of `total` data bytes takes. */
export const chunkFrameCount = (total: number, chunkBytes = DEFAULT_CHUNK_BYTES): number => 1 + Math.ceil(total / chunkBytes)

/** What one chunk did to the assembler. */
export type ChunkResult =
  /** A new stream began; `superseded` names an unfinished older stream that was dropped. */
  | { kind: 'started'; streamId: number; total: number; superseded?: number }
  | { kind: 'progress'; streamId: number; received: number; total: number }
  /** The stream is whole: deliver `message`. */
  | { kind: 'complete'; streamId: number; message: Message; bytes: number }
  /** A duplicate chunk, or one of a stream this receiver is not assembling (its meta was lost). */
  | { kind: 'ignored'; streamId: number; reason: 'duplicate' | 'orphan' }
  /** A chunk is missing: the stream is dropped and Raft will send a new snapshot. */
  | { kind: 'aborted'; streamId: number; reason: string }
  /** The stream is inconsistent: close the connection. */
  | ({ kind: 'error' } & ProtocolViolation)

interface Assembly {
  streamId: number
  meta: Message
  total: number
  count: number
  data: Uint8Array
  received: number
  nextIndex: number
}

/**
 * Reassembles the snapshot streams of ONE connection (from one peer to this node). Pure: no
 * I/O, no clock. At most one stream is held at a time, bounded by `maxBytes`.
 */
export class SnapshotAssembler {
  private current: Assembly | undefined
  private highestStream = -1

  constructor(
    private readonly from: NodeId,
    private readonly to: NodeId,
    private readonly maxBytes = DEFAULT_MAX_SNAPSHOT_BYTES
  ) {}

  /** Bytes held for an unfinished stream. */
  get pendingBytes(): number {
    return this.current?.received ?? 0
  }

  /** Drop any unfinished stream (the connection is going away). */
  reset(): void {
    this.current = undefined
  }

  accept(payload: Uint8Array): ChunkResult {
    const h = decodeChunkHeader(payload)
    if (isViolation(h)) return { kind: 'error', ...h }
    const body = payload.subarray(CHUNK_HEADER_BYTES)
    return h.kind === 'meta' ? this.acceptMeta(h, body) : this.acceptData(h, body)
  }

  private acceptMeta(h: ChunkHeader, body: Uint8Array): ChunkResult {
    if (h.streamId <= this.highestStream) {
      // A duplicate of a meta already seen (the proxy duplicates frames), or an old stream.
      return { kind: 'ignored', streamId: h.streamId, reason: 'duplicate' }
    }
    if (h.index !== 0) return { kind: 'error', code: 'SNAPSHOT_MALFORMED', detail: `meta chunk of stream ${h.streamId} has index ${h.index}` }
    if (h.total > this.maxBytes) {
      return { kind: 'error', code: 'SNAPSHOT_TOO_LARGE', detail: `snapshot of ${h.total} bytes exceeds this node's limit of ${this.maxBytes}` }
    }
    if ((h.total === 0) !== (h.count === 0) || h.count > h.total || h.count < Math.ceil(h.total / MAX_CHUNK_BODY)) {
      return { kind: 'error', code: 'SNAPSHOT_MALFORMED', detail: `stream ${h.streamId}: ${h.count} chunks cannot carry ${h.total} bytes` }
    }
    let meta: Message
    try {
      meta = decodeMessage(body)
    } catch (err) {
      return { kind: 'error', code: 'CODEC', detail: `snapshot metadata: ${err instanceof Error ? err.message : String(err)}` }
    }
    if (meta.type !== 'MsgSnap' || !meta.snapshot || meta.snapshot.data.length !== 0) {
      return { kind: 'error', code: 'SNAPSHOT_MALFORMED', detail: `stream ${h.streamId}: meta chunk must carry a MsgSnap without data, got ${meta.type}` }
    }
    if (meta.from !== this.from || meta.to !== this.to) {
      return { kind: 'error', code: 'WRONG_SENDER', detail: `snapshot message ${meta.from}→${meta.to} on the link ${this.from}→${this.to}` }
    }
    const superseded = this.current?.streamId
    this.current = undefined
    this.highestStream = h.streamId
    let data: Uint8Array
    try {
      // Zero-filled pages are committed only as they are written, so a claimed size costs
      // memory only as bytes actually arrive; and the result needs no concatenation.
      data = new Uint8Array(h.total)
    } catch {
      return { kind: 'error', code: 'SNAPSHOT_TOO_LARGE', detail: `cannot allocate ${h.total} bytes for a snapshot` }
    }
    const assembly: Assembly = { streamId: h.streamId, meta, total: h.total, count: h.count, data, received: 0, nextIndex: 1 }
    if (h.count === 0) {
      this.current = undefined
      return { kind: 'complete', streamId: h.streamId, message: this.finish(assembly), bytes: 0 }
    }
    this.current = assembly
    return superseded === undefined
      ? { kind: 'started', streamId: h.streamId, total: h.total }
      : { kind: 'started', streamId: h.streamId, total: h.total, superseded }
  }

  private acceptData(h: ChunkHeader, body: Uint8Array): ChunkResult {
    const a = this.current
    if (!a || a.streamId !== h.streamId) return { kind: 'ignored', streamId: h.streamId, reason: 'orphan' }
    if (h.total !== a.total || h.count !== a.count) {
      return { kind: 'error', code: 'SNAPSHOT_MALFORMED', detail: `stream ${h.streamId}: chunk ${h.index} disagrees with its meta on total or count` }
    }
    if (h.index < a.nextIndex) return { kind: 'ignored', streamId: h.streamId, reason: 'duplicate' }
    if (h.index > a.nextIndex) {
      this.current = undefined
      return { kind: 'aborted', streamId: h.streamId, reason: `chunk ${a.nextIndex} of ${a.count} is missing (got ${h.index})` }
    }
    const remaining = a.total - a.received
    const chunksLeft = a.count - h.index
    // Every chunk carries at least one byte, so the rest must leave room for the chunks after it.
    if (body.length === 0 || body.length > remaining - chunksLeft) {
      return { kind: 'error', code: 'SNAPSHOT_MALFORMED', detail: `stream ${h.streamId}: chunk ${h.index} of ${body.length} bytes does not fit the ${remaining} bytes left` }
    }
    a.data.set(body, a.received)
    a.received += body.length
    a.nextIndex++
    if (h.index < a.count) return { kind: 'progress', streamId: h.streamId, received: a.received, total: a.total }
    if (a.received !== a.total) {
      return { kind: 'error', code: 'SNAPSHOT_MALFORMED', detail: `stream ${h.streamId} ended after ${a.received} of ${a.total} bytes` }
    }
    this.current = undefined
    return { kind: 'complete', streamId: h.streamId, message: this.finish(a), bytes: a.total }
  }

  private finish(a: Assembly): Message {
    return { ...a.meta, snapshot: { metadata: a.meta.snapshot!.metadata, data: a.data } }
  }
}
