import { request } from 'node:http'

/**
 * GET `http://host:port/path` and parse JSON, failing after `timeoutMs`. Plain node:http, so
 * the lab reaches nodes without any proxy or keep-alive pool between probes.
 */
export function getJson<T>(host: string, port: number, path: string, timeoutMs = 1000): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))
        try {
          resolve(JSON.parse(body) as T)
        } catch {
          reject(new Error(`GET ${path}: body is not JSON`))
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end()
  })
}

/**
 * POST a form to `http://host:port/path` and return the status and body text, whatever the
 * status (the caller decides what a refusal means). Fails only on no answer.
 */
export function postForm(
  host: string,
  port: number,
  path: string,
  form: Record<string, string>,
  timeoutMs = 1000
): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams(form).toString()
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        path,
        method: 'POST',
        timeout: timeoutMs,
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      }
    )
    req.on('timeout', () => req.destroy(new Error(`POST ${path}: no answer in ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}
