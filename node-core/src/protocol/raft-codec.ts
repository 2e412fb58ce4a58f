import type { ConfState, Entry, EntryType, Message, MessageType, Snapshot } from '../raft/types'

/**
 * Binary encoding of Raft messages for the peer transport (the payload of a 'raft' frame).
 * Compact and versioned; decoding validates every field and throws CodecError on anything
 * malformed, so a bad peer cannot crash a node. Numbers are unsigned and below 2^53.
 */

export const RAFT_CODEC_VERSION = 1

const MESSAGE_TYPES: MessageType[] = [
  'MsgHup',
  'MsgBeat',
  'MsgProp',
  'MsgApp',
  'MsgAppResp',
  'MsgVote',
  'MsgVoteResp',
  'MsgSnap',
  'MsgHeartbeat',
  'MsgHeartbeatResp',
  'MsgUnreachable',
  'MsgSnapStatus',
  'MsgCheckQuorum',
  'MsgTransferLeader',
  'MsgTimeoutNow',
  'MsgReadIndex',
  'MsgReadIndexResp',
  'MsgPreVote',
  'MsgPreVoteResp'
]
const ENTRY_TYPES: EntryType[] = ['normal', 'confChange']

export class CodecError extends Error {
  readonly code = 'CODEC'
  constructor(message: string) {
    super(message)
    this.name = 'CodecError'
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

class Writer {
  private buf = new Uint8Array(256)
  private view = new DataView(this.buf.buffer)
  private off = 0

  private ensure(n: number): void {
    if (this.off + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.off + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.off))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  u8(v: number): void {
    this.ensure(1)
    this.view.setUint8(this.off, v)
    this.off += 1
  }

  u32(v: number): void {
    this.ensure(4)
    this.view.setUint32(this.off, v)
    this.off += 4
  }

  u64(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new CodecError(`cannot encode ${v} as an unsigned integer`)
    this.ensure(8)
    this.view.setUint32(this.off, Math.floor(v / 2 ** 32))
    this.view.setUint32(this.off + 4, v >>> 0)
    this.off += 8
  }

  bytes(b: Uint8Array): void {
    this.u32(b.length)
    this.ensure(b.length)
    this.buf.set(b, this.off)
    this.off += b.length
  }

  string(s: string): void {
    this.bytes(encoder.encode(s))
  }

  ids(list: number[]): void {
    this.u32(list.length)
    for (const id of list) this.u64(id)
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.off)
  }
}

class Reader {
  private off = 0
  private readonly view: DataView

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  private need(n: number, what: string): void {
    if (this.off + n > this.buf.length) throw new CodecError(`truncated message: ${what} at byte ${this.off} needs ${n} bytes`)
  }

  u8(what: string): number {
    this.need(1, what)
    return this.view.getUint8(this.off++)
  }

  u32(what: string): number {
    this.need(4, what)
    const v = this.view.getUint32(this.off)
    this.off += 4
    return v
  }

  u64(what: string): number {
    this.need(8, what)
    const hi = this.view.getUint32(this.off)
    if (hi >= 2 ** 21) throw new CodecError(`${what} at byte ${this.off} exceeds 2^53`)
    const v = hi * 2 ** 32 + this.view.getUint32(this.off + 4)
    this.off += 8
    return v
  }

  bytes(what: string): Uint8Array {
    const n = this.u32(`${what} length`)
    this.need(n, what)
    const out = this.buf.slice(this.off, this.off + n)
    this.off += n
    return out
  }

  string(what: string): string {
    try {
      return decoder.decode(this.bytes(what))
    } catch (err) {
      if (err instanceof CodecError) throw err
      throw new CodecError(`${what} is not valid UTF-8`)
    }
  }

  ids(what: string): number[] {
    const n = this.u32(`${what} count`)
    if (n > 1024) throw new CodecError(`${what}: ${n} ids is more than any cluster has`)
    return Array.from({ length: n }, () => this.u64(what))
  }

  end(): void {
    if (this.off !== this.buf.length) throw new CodecError(`${this.buf.length - this.off} unexpected bytes after the message`)
  }
}

function writeEntry(w: Writer, e: Entry): void {
  w.u64(e.index)
  w.u64(e.term)
  w.u8(ENTRY_TYPES.indexOf(e.type))
  w.bytes(e.data)
}

function readEntry(r: Reader): Entry {
  const index = r.u64('entry index')
  const term = r.u64('entry term')
  const code = r.u8('entry type')
  const type = ENTRY_TYPES[code]
  if (!type) throw new CodecError(`unknown entry type ${code}`)
  return { index, term, type, data: r.bytes('entry data') }
}

function writeConf(w: Writer, c: ConfState): void {
  w.ids(c.voters)
  w.ids(c.learners)
}

function readConf(r: Reader): ConfState {
  return { voters: r.ids('voters'), learners: r.ids('learners') }
}

/** Encode one message. Snapshot data is included as is; the transport chunks large frames. */
export function encodeMessage(m: Message): Uint8Array {
  const w = new Writer()
  w.u8(RAFT_CODEC_VERSION)
  const code = MESSAGE_TYPES.indexOf(m.type)
  if (code < 0) throw new CodecError(`unknown message type ${m.type}`)
  w.u8(code)
  w.u64(m.from)
  w.u64(m.to)
  w.u64(m.term)
  w.u64(m.logTerm)
  w.u64(m.index)
  w.u64(m.commit)
  w.u64(m.rejectHint)
  w.u8(m.reject ? 1 : 0)
  w.string(m.context)
  w.u32(m.entries.length)
  for (const e of m.entries) writeEntry(w, e)
  if (m.snapshot) {
    w.u8(1)
    w.u64(m.snapshot.metadata.index)
    w.u64(m.snapshot.metadata.term)
    writeConf(w, m.snapshot.metadata.confState)
    w.bytes(m.snapshot.data)
  } else {
    w.u8(0)
  }
  return w.done()
}

export function decodeMessage(buf: Uint8Array): Message {
  const r = new Reader(buf)
  const version = r.u8('version')
  if (version !== RAFT_CODEC_VERSION) throw new CodecError(`unsupported raft codec version ${version}`)
  const code = r.u8('message type')
  const type = MESSAGE_TYPES[code]
  if (!type) throw new CodecError(`unknown message type ${code}`)
  const m: Message = {
    type,
    from: r.u64('from'),
    to: r.u64('to'),
    term: r.u64('term'),
    logTerm: r.u64('logTerm'),
    index: r.u64('index'),
    commit: r.u64('commit'),
    rejectHint: r.u64('rejectHint'),
    reject: false,
    context: '',
    entries: []
  }
  const reject = r.u8('reject')
  if (reject > 1) throw new CodecError(`reject flag must be 0 or 1, got ${reject}`)
  m.reject = reject === 1
  m.context = r.string('context')
  const n = r.u32('entry count')
  if (n > buf.length) throw new CodecError(`entry count ${n} cannot fit in ${buf.length} bytes`)
  for (let i = 0; i < n; i++) m.entries.push(readEntry(r))
  const hasSnap = r.u8('snapshot flag')
  if (hasSnap === 1) {
    const snapshot: Snapshot = {
      metadata: { index: r.u64('snapshot index'), term: r.u64('snapshot term'), confState: readConf(r) },
      data: r.bytes('snapshot data')
    }
    m.snapshot = snapshot
  } else if (hasSnap !== 0) {
    throw new CodecError(`snapshot flag must be 0 or 1, got ${hasSnap}`)
  }
  r.end()
  return m
}
