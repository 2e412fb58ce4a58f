import { describe, expect, it } from 'vitest'
import { createRng, randomInt, type Rng } from '../raft/rand'
import type { Message, MessageType } from '../raft/types'
import { CodecError, decodeMessage, encodeMessage } from './raft-codec'

const TYPES: MessageType[] = ['MsgApp', 'MsgAppResp', 'MsgVote', 'MsgVoteResp', 'MsgPreVote', 'MsgPreVoteResp', 'MsgHeartbeat', 'MsgHeartbeatResp', 'MsgSnap', 'MsgProp', 'MsgReadIndex', 'MsgReadIndexResp', 'MsgTimeoutNow', 'MsgTransferLeader']

function randomMessage(rng: Rng): Message {
  const big = (): number => (rng() < 0.2 ? Number.MAX_SAFE_INTEGER - randomInt(rng, 10) : randomInt(rng, 1_000_000))
  const m: Message = {
    type: TYPES[randomInt(rng, TYPES.length)]!,
    from: big(),
    to: big(),
    term: big(),
    logTerm: big(),
    index: big(),
    commit: big(),
    rejectHint: big(),
    reject: rng() < 0.5,
    context: rng() < 0.5 ? '' : `ctx-${randomInt(rng, 1000)}-节点`,
    entries: Array.from({ length: randomInt(rng, 5) }, () => ({
      index: big(),
      term: big(),
      type: rng() < 0.2 ? ('confChange' as const) : ('normal' as const),
      data: Uint8Array.from({ length: randomInt(rng, 100) }, () => randomInt(rng, 256))
    }))
  }
  if (rng() < 0.2) {
    m.snapshot = {
      metadata: { index: big(), term: big(), confState: { voters: [1, 2, big()], learners: rng() < 0.5 ? [] : [9] } },
      data: Uint8Array.from({ length: randomInt(rng, 500) }, () => randomInt(rng, 256))
    }
  }
  return m
}

describe('raft codec', () => {
  it('round-trips random messages exactly (seeded)', () => {
    const seed = 7
    const rng = createRng(seed)
    for (let i = 0; i < 500; i++) {
      const m = randomMessage(rng)
      expect(decodeMessage(encodeMessage(m)), `seed ${seed}, message ${i}`).toEqual(m)
    }
  })

  it('answers every truncation with a CodecError, never a crash', () => {
    const m = randomMessage(createRng(3))
    m.entries.push({ index: 5, term: 2, type: 'normal', data: new Uint8Array([1, 2, 3]) })
    const buf = encodeMessage(m)
    for (let cut = 0; cut < buf.length; cut++) {
      expect(() => decodeMessage(buf.subarray(0, cut))).toThrow(CodecError)
    }
    expect(() => decodeMessage(new Uint8Array([...buf, 0]))).toThrow(/unexpected bytes/)
  })

  it('answers random garbage and flipped bytes with CodecError only (seeded fuzz)', () => {
    const seed = 11
    const rng = createRng(seed)
    const base = encodeMessage(randomMessage(rng))
    for (let i = 0; i < 3000; i++) {
      const buf = rng() < 0.5 ? Uint8Array.from({ length: randomInt(rng, 200) }, () => randomInt(rng, 256)) : base.slice()
      if (buf === base || buf.length === base.length) buf[randomInt(rng, buf.length)] = randomInt(rng, 256)
      try {
        decodeMessage(buf)
      } catch (err) {
        expect(err, `seed ${seed}, case ${i}`).toBeInstanceOf(CodecError)
      }
    }
  })

  it('refuses numbers it cannot carry exactly', () => {
    const m = randomMessage(createRng(1))
    expect(() => encodeMessage({ ...m, term: 2 ** 53 })).toThrow(CodecError)
    expect(() => encodeMessage({ ...m, index: -1 })).toThrow(CodecError)
  })
})
