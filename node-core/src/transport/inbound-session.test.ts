import { describe, expect, it } from 'vitest'
import { FRAME_HEADER_BYTES, encodeFrame } from '../protocol/frame'
import { encodeMessage } from '../protocol/raft-codec'
import { emptyMessage, type Message } from '../raft/types'
import { HelloVerifier, deriveHelloKey, encodeHello } from './handshake'
import { InboundSession, type InboundEvent } from './inbound-session'
import { encodeSnapshotChunks } from './snapshot-chunks'

const key = deriveHelloKey('cluster-secret')
const A = 1001
const B = 2002
const NOW = 1_700_000_000_000

const session = (): InboundSession => new InboundSession({ selfId: B, verifier: new HelloVerifier({ key, selfId: B, now: () => NOW }) })
const helloFrame = (o: { key?: Uint8Array; from?: number; to?: number } = {}): Uint8Array =>
  encodeFrame('hello', o.from ?? A, o.to ?? B, encodeHello({ key: o.key ?? key, from: o.from ?? A, to: o.to ?? B, address: '127.0.0.1:28848', nowMs: NOW }))
const msg = (type: Message['type'] = 'MsgHeartbeat', from = A, to = B): Message => ({ ...emptyMessage(type, from, to, 5), commit: 9 })
const raftFrame = (m: Message, from = A, to = B): Uint8Array => encodeFrame('raft', from, to, encodeMessage(m))
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]))

const closeCode = (events: InboundEvent[]): string | undefined => {
  const c = events.find((e) => e.kind === 'close')
  return c?.kind === 'close' ? c.violation.code : undefined
}
const messages = (events: InboundEvent[]): Message[] => events.flatMap((e) => (e.kind === 'message' ? [e.message] : []))

describe('InboundSession', () => {
  it('accepts a hello then delivers raft messages, byte by byte or all at once', () => {
    const stream = cat(helloFrame(), raftFrame(msg()), raftFrame(msg('MsgApp')))
    const whole = session().push(stream)
    expect(whole[0]).toMatchObject({ kind: 'hello', hello: { from: A, to: B, address: '127.0.0.1:28848' } })
    expect(messages(whole).map((m) => m.type)).toEqual(['MsgHeartbeat', 'MsgApp'])

    const s = session()
    const trickled: InboundEvent[] = []
    for (const b of stream) trickled.push(...s.push(Uint8Array.of(b)))
    expect(messages(trickled)).toEqual(messages(whole))
    expect(s.peer).toBe(A)
    expect(trickled.filter((e) => e.kind === 'frame').map((e) => (e.kind === 'frame' ? e.type : ''))).toEqual(['hello', 'raft', 'raft'])
  })

  it('refuses a wrong secret, a hello for another node, garbage and a frame before hello', () => {
    expect(closeCode(session().push(helloFrame({ key: deriveHelloKey('nope') })))).toBe('BAD_SECRET')
    expect(closeCode(session().push(helloFrame({ to: 3003 })))).toBe('WRONG_TARGET')
    expect(closeCode(session().push(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')))).toBe('HELLO_MISSING')
    expect(closeCode(session().push(raftFrame(msg())))).toBe('HELLO_MISSING')
  })

  it('refuses an oversized hello as soon as its header is in', () => {
    const header = encodeFrame('hello', A, B, new Uint8Array(0))
    new DataView(header.buffer).setUint32(20, 1_000_000)
    const s = session()
    expect(closeCode(s.push(header.subarray(0, FRAME_HEADER_BYTES)))).toBe('HELLO_MALFORMED')
    expect(s.pendingBytes).toBe(0)
  })

  it('closes on malformed frames after the hello', () => {
    const open = (): InboundSession => {
      const s = session()
      expect(s.push(helloFrame())[0]!.kind).toBe('hello')
      return s
    }
    const oversize = encodeFrame('raft', A, B, new Uint8Array(0))
    new DataView(oversize.buffer).setUint32(20, 9 * 1024 * 1024)
    expect(closeCode(open().push(oversize))).toBe('FRAME_TOO_LARGE')
    const badType = Uint8Array.from(raftFrame(msg()))
    badType[1] = 99
    expect(closeCode(open().push(badType))).toBe('FRAME_TYPE')
    expect(closeCode(open().push(encodeFrame('raft', A, B, Uint8Array.of(1, 2, 3))))).toBe('CODEC')
    expect(closeCode(open().push(raftFrame(msg('MsgHeartbeat', 3003, B), 3003, B)))).toBe('WRONG_SENDER')
    expect(closeCode(open().push(raftFrame(msg('MsgHeartbeat', 3003, B))))).toBe('WRONG_SENDER')
    expect(closeCode(open().push(raftFrame(msg('MsgHeartbeat', A, 4004))))).toBe('WRONG_SENDER')
    expect(closeCode(open().push(raftFrame(msg('MsgHup'))))).toBe('LOCAL_MESSAGE')
    expect(closeCode(open().push(encodeFrame('forward', A, B, new Uint8Array(4))))).toBe('UNEXPECTED_FRAME')
    expect(closeCode(open().push(helloFrame()))).toBe('UNEXPECTED_FRAME')
  })

  it('delivers nothing after a close, and ignores an identical duplicated hello', () => {
    const s = session()
    const h = helloFrame()
    const events = s.push(cat(h, h, raftFrame(msg())))
    expect(events.map((e) => e.kind)).toEqual(['hello', 'frame', 'frame', 'duplicate-hello', 'frame', 'message'])
    const bad = s.push(cat(encodeFrame('raft', A, B, Uint8Array.of(9)), raftFrame(msg())))
    expect(closeCode(bad)).toBe('CODEC')
    expect(messages(bad)).toHaveLength(0)
    expect(s.closed).toBe(true)
    expect(s.push(raftFrame(msg()))).toEqual([])
  })

  it('reassembles snapshot chunks with raft frames interleaved', () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i)
    const snap: Message = { ...emptyMessage('MsgSnap', A, B, 4), snapshot: { metadata: { index: 50, term: 4, confState: { voters: [A, B], learners: [] } }, data } }
    const chunks = [...encodeSnapshotChunks(snap, 1, 30)].map((c) => encodeFrame('snapshotChunk', A, B, c))
    const stream = cat(helloFrame(), chunks[0]!, chunks[1]!, raftFrame(msg()), chunks[2]!, chunks[3]!, chunks[4]!)
    const got = messages(session().push(stream))
    expect(got.map((m) => m.type)).toEqual(['MsgHeartbeat', 'MsgSnap'])
    expect(got[1]!.snapshot!.data).toEqual(data)
    expect(got[1]!.snapshot!.metadata.index).toBe(50)
  })

  it('closes on a snapshot above the size limit', () => {
    const s = new InboundSession({ selfId: B, verifier: new HelloVerifier({ key, selfId: B, now: () => NOW }), maxSnapshotBytes: 10 })
    const snap: Message = { ...emptyMessage('MsgSnap', A, B, 4), snapshot: { metadata: { index: 5, term: 4, confState: { voters: [A, B], learners: [] } }, data: new Uint8Array(11) } }
    const [meta] = [...encodeSnapshotChunks(snap, 1, 30)]
    expect(closeCode(s.push(cat(helloFrame(), encodeFrame('snapshotChunk', A, B, meta!))))).toBe('SNAPSHOT_TOO_LARGE')
  })
})
