import { describe, expect, it } from 'vitest'
import { HelloVerifier, MAX_HELLO_PAYLOAD, deriveHelloKey, encodeHello } from './handshake'

const key = deriveHelloKey('s3cret')
const A = 1001
const B = 2002
const T0 = 1_700_000_000_000

function verifier(now = T0, opts: { windowMs?: number; replayCacheSize?: number } = {}): HelloVerifier {
  return new HelloVerifier({ key, selfId: B, now: () => now, ...opts })
}
const hello = (o: Partial<Parameters<typeof encodeHello>[0]> = {}): Uint8Array =>
  encodeHello({ key, from: A, to: B, address: '127.0.0.1:8848', nowMs: T0, ...o })

describe('hello handshake', () => {
  it('accepts a fresh hello signed with the cluster secret', () => {
    const v = verifier().verify(A, B, hello())
    expect(v).toEqual({ ok: true, from: A, to: B, address: '127.0.0.1:8848', timestampMs: T0 })
  })

  it('derives the same key from a string and its bytes, and different keys from different secrets', () => {
    expect(deriveHelloKey(new TextEncoder().encode('s3cret'))).toEqual(key)
    expect(deriveHelloKey('other')).not.toEqual(key)
  })

  it('refuses a hello signed with another secret as BAD_SECRET', () => {
    const v = verifier().verify(A, B, hello({ key: deriveHelloKey('wrong') }))
    expect(v).toMatchObject({ ok: false, code: 'BAD_SECRET' })
  })

  it('binds from and to into the signature', () => {
    expect(verifier().verify(A + 1, B, hello())).toMatchObject({ ok: false, code: 'BAD_SECRET' })
    expect(verifier().verify(A, B, hello({ to: 3003 }))).toMatchObject({ ok: false, code: 'BAD_SECRET' })
  })

  it('refuses an authentic hello addressed to another node as WRONG_TARGET', () => {
    const v = verifier().verify(A, 3003, hello({ to: 3003 }))
    expect(v).toMatchObject({ ok: false, code: 'WRONG_TARGET' })
    if (!v.ok) expect(v.detail).toContain('3003')
  })

  it('detects any flipped byte', () => {
    const h = hello()
    for (let i = 0; i < h.length; i++) {
      const t = Uint8Array.from(h)
      t[i] = t[i]! ^ 0x01
      const v = verifier().verify(A, B, t)
      expect(v.ok, `byte ${i}`).toBe(false)
    }
  })

  it('refuses stale and future timestamps outside the window, naming the skew', () => {
    const v1 = verifier(T0 + 60_001).verify(A, B, hello())
    expect(v1).toMatchObject({ ok: false, code: 'STALE_HELLO' })
    if (!v1.ok) expect(v1.detail).toContain('-60001 ms')
    expect(verifier(T0 - 60_001).verify(A, B, hello())).toMatchObject({ ok: false, code: 'STALE_HELLO' })
    expect(verifier(T0 + 60_000).verify(A, B, hello())).toMatchObject({ ok: true })
    expect(verifier(T0 + 5_000, { windowMs: 1_000 }).verify(A, B, hello())).toMatchObject({ ok: false, code: 'STALE_HELLO' })
  })

  it('refuses a replayed nonce inside the window', () => {
    const v = verifier()
    const h = hello()
    expect(v.verify(A, B, h).ok).toBe(true)
    expect(v.verify(A, B, h)).toMatchObject({ ok: false, code: 'REPLAYED_HELLO' })
    // A new hello (new nonce) from the same peer is fine.
    expect(v.verify(A, B, hello()).ok).toBe(true)
  })

  it('forgets nonces once they expire, and bounds the cache', () => {
    let now = T0
    const v = new HelloVerifier({ key, selfId: B, now: () => now, windowMs: 1_000, replayCacheSize: 4 })
    for (let i = 0; i < 10; i++) expect(v.verify(A, B, hello()).ok).toBe(true)
    expect(v.remembered).toBe(4)
    now = T0 + 900
    expect(v.verify(A, B, hello({ nowMs: now })).ok).toBe(true)
    now = T0 + 1_500
    expect(v.verify(A, B, hello({ nowMs: now })).ok).toBe(true)
    expect(v.remembered).toBe(2)
  })

  it('refuses malformed payloads without throwing', () => {
    const h = hello()
    expect(verifier().verify(A, B, h.subarray(0, 40))).toMatchObject({ ok: false, code: 'HELLO_MALFORMED' })
    expect(verifier().verify(A, B, new Uint8Array(MAX_HELLO_PAYLOAD + 1))).toMatchObject({ ok: false, code: 'HELLO_MALFORMED' })
    const badVersion = Uint8Array.from(h)
    badVersion[0] = 9
    expect(verifier().verify(A, B, badVersion)).toMatchObject({ ok: false, code: 'HELLO_MALFORMED' })
    const badLen = Uint8Array.from(h)
    badLen[27] = badLen[27]! + 1
    expect(verifier().verify(A, B, badLen)).toMatchObject({ ok: false, code: 'HELLO_MALFORMED' })
    expect(verifier().verify(A, B, new Uint8Array(100))).toMatchObject({ ok: false })
  })

  it('refuses to encode an address longer than a hello may carry', () => {
    expect(() => hello({ address: 'x'.repeat(400) })).toThrow(RangeError)
  })
})
