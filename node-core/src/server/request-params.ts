import type { IncomingMessage } from 'node:http'

/**
 * Request parameters as a Java servlet's getParameter sees them: the query string merged with
 * an urlencoded body (the Node SDK puts naming parameters in the query and config writes in
 * the body; other v1 clients send naming as a form). Query values win on a clash.
 */

/** Bodies larger than this get 413 (a 100 KB config is ~185 KB urlencoded; Nacos allows ~10 MB). */
export const MAX_BODY_BYTES = 12 * 1024 * 1024

export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE'
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`)
  }
}

/** Bodies already read, so the auth check and the handler can both see the form. */
const bodies = new WeakMap<IncomingMessage, string>()

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const cached = bodies.get(req)
  if (cached !== undefined) return cached
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw new BodyTooLargeError(limit)
  // Plain listeners rather than `for await`: the async iterator costs a promise and a tick per
  // chunk, on every write request.
  const body = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        done()
        req.destroy()
        reject(new BodyTooLargeError(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      done()
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'))
    }
    const onError = (err: Error): void => {
      done()
      reject(err)
    }
    const onClose = (): void => {
      // Closed before the end: the client went away mid-body.
      done()
      reject(new Error('request closed before its body ended'))
    }
    function done(): void {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
  bodies.set(req, body)
  return body
}

/** Merge query and urlencoded body into one map (empty strings kept: validation treats them as absent). */
export async function readParams(req: IncomingMessage, url: URL, limit = MAX_BODY_BYTES): Promise<Map<string, string>> {
  const params = new Map<string, string>()
  const method = req.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') {
    const type = String(req.headers['content-type'] ?? '')
    const body = await readBody(req, limit)
    // The config SDK labels GET/DELETE requests as forms too ("charset=utf8"); parse any
    // non-empty body that is not declared as something else.
    if (body.length > 0 && (type === '' || type.startsWith('application/x-www-form-urlencoded'))) {
      for (const [k, v] of new URLSearchParams(body)) if (!params.has(k)) params.set(k, v)
    }
  }
  for (const [k, v] of url.searchParams) params.set(k, v)
  return params
}
