import type { OpOutcome } from './history'

/**
 * Classify how an HTTP op ended, for the history (see history.ts for what each outcome
 * promises). Pure: the I/O shell hands in the status/body or the error code.
 */

/** A reply arrived. 2xx is ok (404 is ok for a read: "no such key" is an answer). */
export function outcomeOfReply(status: number, body: string, isRead: boolean): OpOutcome {
  if (status >= 200 && status < 300) return 'ok'
  if (isRead && status === 404) return 'ok'
  if (status >= 400 && status < 500) return 'fail'
  // node-core answers 503 "no leader: …" before proposing anything; other 503s ("write not
  // applied: … it may still be applied later") and 5xx mean the entry may be in the log.
  if (status === 503 && body.startsWith('no leader')) return 'fail'
  if (isRead) return 'fail' // a read that got an error answer changed nothing and returned nothing
  return 'unknown'
}

/** Error codes that mean the request never reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL'])

/** No reply: refused connections failed for sure; anything after sending is unknown. */
export function outcomeOfError(code: string | undefined): OpOutcome {
  // A read without an answer is 'unknown' too: it tells the checker nothing either way.
  return code !== undefined && NOT_SENT.has(code) ? 'fail' : 'unknown'
}

/** The code of an undici/Node error, looking through `cause` chains. */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'UND_ERR') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
