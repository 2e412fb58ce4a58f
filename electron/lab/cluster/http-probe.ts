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
