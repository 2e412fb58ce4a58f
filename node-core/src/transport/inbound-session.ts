/**
 * The protocol of ONE inbound connection, as a pure state machine: bytes in, events out. The
 * socket wrapper in peer-transport.ts only feeds it and acts on what it says, so every rule
 * about what a listener accepts is testable without a socket:
 *
 * 1. The first frame must be a `hello` of at most MAX_HELLO_PAYLOAD bytes. Its header is
 *    checked as soon as 24 bytes are in, so a stranger cannot make the node buffer a claimed
 *    8 MiB frame before it has proven anything.
 * 2. The hello must verify (handshake.ts). From then on the peer is known.
 * 3. Every later frame must say from = that peer and to = this node; raft payloads must decode
 *    and repeat the same from/to, and must not be local-only message types.
 * 4. `snapshotChunk` frames are reassembled (snapshot-chunks.ts).
 * 5. The first violation produces a `close` event; nothing after it is looked at.
 *
 * A byte-identical second hello is ignored: the lab's proxy may duplicate any frame.
 */
import { FrameDecoder, FrameError, FRAME_HEADER_BYTES, decodeHeader, type FrameHeader, type FrameType } from '../protocol/frame'
import { CodecError, decodeMessage } from '../protocol/raft-codec'
import { LOCAL_MESSAGES, type Message, type NodeId } from '../raft/types'
import { describeError, type ProtocolViolation } from './errors'
import { MAX_HELLO_PAYLOAD, type Hello, type HelloVerifier } from './handshake'
import { SnapshotAssembler, type ChunkResult, DEFAULT_MAX_SNAPSHOT_BYTES } from './snapshot-chunks'

export type InboundEvent =
  | { kind: 'hello'; hello: Hello }
  /** A whole frame arrived from the authenticated peer (for counters). */
  | { kind: 'frame'; type: FrameType; bytes: number }
  /** A message to deliver to Raft (a snapshot arrives here once reassembled). */
  | { kind: 'message'; message: Message }
  /** Snapshot stream progress other than errors (errors become `close`). */
  | { kind: 'snapshot'; result: Exclude<ChunkResult, { kind: 'error' }> }
  | { kind: 'duplicate-hello' }
  | { kind: 'close'; violation: ProtocolViolation }

export interface InboundSessionOptions {
  selfId: NodeId
  verifier: HelloVerifier
  maxSnapshotBytes?: number
}

export class InboundSession {
  private state: 'hello' | 'open' | 'closed' = 'hello'
  private pre: Uint8Array[] = []
  private preBytes = 0
  private preHeader: FrameHeader | undefined
  private helloPayload: Uint8Array | undefined
  private readonly decoder = new FrameDecoder()
  private assembler: SnapshotAssembler | undefined
  /** The authenticated peer, once the hello verified. */
  peer: NodeId | undefined
  /** The `from` the first frame claimed (authenticated or not), for logs. */
  claimedFrom: NodeId | undefined

  constructor(private readonly opts: InboundSessionOptions) {}

  get closed(): boolean {
    return this.state === 'closed'
  }

  /** Bytes held for unfinished frames and snapshot streams (for tests and stats). */
  get pendingBytes(): number {
    return this.preBytes + this.decoder.pending + (this.assembler?.pendingBytes ?? 0)
  }

  push(chunk: Uint8Array): InboundEvent[] {
    const events: InboundEvent[] = []
    if (this.state === 'closed' || chunk.length === 0) return events
    if (this.state === 'hello') {
      const rest = this.pushHello(chunk, events)
      if (rest === undefined || rest.length === 0) return events
      chunk = rest
    }
    let frames
    try {
      frames = this.decoder.push(chunk)
    } catch (err) {
      // Frames decoded earlier in this same chunk are lost with the throw; the connection is
      // being closed for a protocol error anyway, and Raft tolerates the loss.
      return this.close(events, err instanceof FrameError ? { code: err.code, detail: err.message } : { code: 'FRAME_VERSION', detail: describeError(err) })
    }
    for (const f of frames) {
      this.onFrame(f.header, f.payload, events)
      if (this.closed) break
    }
    return events
  }

  /** Release what the session holds (the connection is gone). */
  reset(): void {
    this.state = 'closed'
    this.pre = []
    this.preBytes = 0
    this.assembler?.reset()
  }

  private close(events: InboundEvent[], violation: ProtocolViolation): InboundEvent[] {
    this.reset()
    events.push({ kind: 'close', violation })
    return events
  }

  /** Accumulate the hello; returns the bytes after it once it verified, else undefined. */
  private pushHello(chunk: Uint8Array, events: InboundEvent[]): Uint8Array | undefined {
    this.pre.push(chunk)
    this.preBytes += chunk.length
    if (this.preBytes < FRAME_HEADER_BYTES) return undefined
    const buf = this.pre.length === 1 ? this.pre[0]! : Buffer.concat(this.pre)
    this.pre = [buf]
    if (!this.preHeader) {
      let header: FrameHeader
      try {
        header = decodeHeader(buf)
      } catch (err) {
        this.close(events, { code: 'HELLO_MISSING', detail: `the first bytes are not a peer frame (${describeError(err)})` })
        return undefined
      }
      this.claimedFrom = header.from
      if (header.type !== 'hello') {
        this.close(events, { code: 'HELLO_MISSING', detail: `the first frame is a ${header.type} frame, not a hello` })
        return undefined
      }
      if (header.length > MAX_HELLO_PAYLOAD) {
        this.close(events, { code: 'HELLO_MALFORMED', detail: `hello of ${header.length} bytes exceeds ${MAX_HELLO_PAYLOAD}` })
        return undefined
      }
      this.preHeader = header
    }
    const header = this.preHeader
    const end = FRAME_HEADER_BYTES + header.length
    if (buf.length < end) return undefined
    // A copy: kept for duplicate detection, it must not pin the socket's whole read buffer.
    const payload = Uint8Array.from(buf.subarray(FRAME_HEADER_BYTES, end))
    const verdict = this.opts.verifier.verify(header.from, header.to, payload)
    if (!verdict.ok) {
      this.close(events, { code: verdict.code, detail: verdict.detail })
      return undefined
    }
    this.state = 'open'
    this.peer = verdict.from
    this.helloPayload = payload
    this.assembler = new SnapshotAssembler(verdict.from, this.opts.selfId, this.opts.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES)
    this.pre = []
    this.preBytes = 0
    events.push({ kind: 'hello', hello: { from: verdict.from, to: verdict.to, address: verdict.address, timestampMs: verdict.timestampMs } })
    events.push({ kind: 'frame', type: 'hello', bytes: end })
    return buf.subarray(end)
  }

  private onFrame(h: FrameHeader, payload: Uint8Array, events: InboundEvent[]): void {
    events.push({ kind: 'frame', type: h.type, bytes: FRAME_HEADER_BYTES + payload.length })
    if (h.from !== this.peer || h.to !== this.opts.selfId) {
      this.close(events, { code: 'WRONG_SENDER', detail: `${h.type} frame ${h.from}→${h.to} on the connection of peer ${this.peer} to node ${this.opts.selfId}` })
      return
    }
    switch (h.type) {
      case 'raft':
        this.onRaft(payload, events)
        return
      case 'snapshotChunk':
        this.onChunk(payload, events)
        return
      case 'hello':
        if (this.helloPayload && Buffer.compare(this.helloPayload, payload) === 0) events.push({ kind: 'duplicate-hello' })
        else this.close(events, { code: 'UNEXPECTED_FRAME', detail: 'a second, different hello on an open connection' })
        return
      default:
        this.close(events, { code: 'UNEXPECTED_FRAME', detail: `${h.type} frames are not used on a peer link` })
    }
  }

  private onRaft(payload: Uint8Array, events: InboundEvent[]): void {
    let m: Message
    try {
      m = decodeMessage(payload)
    } catch (err) {
      this.close(events, { code: 'CODEC', detail: err instanceof CodecError ? err.message : describeError(err) })
      return
    }
    if (m.from !== this.peer || m.to !== this.opts.selfId) {
      this.close(events, { code: 'WRONG_SENDER', detail: `${m.type} ${m.from}→${m.to} on the connection of peer ${this.peer} to node ${this.opts.selfId}` })
      return
    }
    if (LOCAL_MESSAGES.has(m.type)) {
      this.close(events, { code: 'LOCAL_MESSAGE', detail: `${m.type} never crosses the wire` })
      return
    }
    events.push({ kind: 'message', message: m })
  }

  private onChunk(payload: Uint8Array, events: InboundEvent[]): void {
    const r = this.assembler!.accept(payload)
    if (r.kind === 'error') {
      this.close(events, { code: r.code, detail: r.detail })
      return
    }
    events.push({ kind: 'snapshot', result: r })
    if (r.kind === 'complete') events.push({ kind: 'message', message: r.message })
  }
}
