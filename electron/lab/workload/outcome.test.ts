import { describe, expect, it } from 'vitest'
import { errorCode, outcomeOfError, outcomeOfReply } from './outcome'

describe('outcome classification', () => {
  it('maps replies: 2xx ok, 404 ok for reads, 4xx fail, 503 no-leader fail, other 5xx unknown for writes', () => {
    expect(outcomeOfReply(200, 'true', false)).toBe('ok')
    expect(outcomeOfReply(404, 'config data not exist\n', true)).toBe('ok')
    expect(outcomeOfReply(404, '', false)).toBe('fail')
    expect(outcomeOfReply(400, 'caused: x; (field: dataId)', false)).toBe('fail')
    expect(outcomeOfReply(503, 'no leader: no leader elected within 3000 ms', false)).toBe('fail')
    expect(outcomeOfReply(503, 'write not applied: it may still be applied later', false)).toBe('unknown')
    expect(outcomeOfReply(500, 'boom', false)).toBe('unknown')
    expect(outcomeOfReply(503, 'linearizable read unavailable', true)).toBe('fail')
  })

  it('fails only errors that happen before sending', () => {
    expect(outcomeOfError('ECONNREFUSED')).toBe('fail')
    expect(outcomeOfError('UND_ERR_CONNECT_TIMEOUT')).toBe('fail')
    for (const c of ['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED', undefined]) {
      expect(outcomeOfError(c)).toBe('unknown')
    }
  })

  it('finds the code through cause chains', () => {
    const inner = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })
    expect(errorCode(new Error('fetch failed', { cause: inner }))).toBe('ECONNREFUSED')
    expect(errorCode(new Error('plain'))).toBeUndefined()
    expect(errorCode('text')).toBeUndefined()
  })
})
