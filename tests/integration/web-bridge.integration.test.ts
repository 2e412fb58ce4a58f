// The web-mode bridge on a real loopback socket: static files, token, Host/Origin guards, LabApi calls.
import { request } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, Result } from '../../electron/lab/api'
import { startBridge, type RunningBridge } from '../../electron/lab/web/bridge-server'
import { makeLab } from '../support/lab-fixture'
import { waitFor } from '../support/wait'

let fx: Awaited<ReturnType<typeof makeLab>>
let bridge: RunningBridge

beforeAll(async () => {
  fx = await makeLab()
  const rendererDir = join(fx.dataRoot, 'renderer')
  await mkdir(rendererDir)
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Quorum Lab</title>')
  bridge = await startBridge({ lab: fx.lab, rendererDir })
})
afterAll(async () => {
  await bridge.close()
  await fx.dispose()
})

function httpGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, headers }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Try to open the socket; resolve with the HTTP status of a refused upgrade, or the open socket. */
function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/lab${query}`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(-1))
  })
}

describe('web bridge', () => {
  it('binds to loopback and prints a link that carries the token in the fragment', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(bridge.openUrl).toBe(`${bridge.url}#token=${bridge.token}`)
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/)
  })

  it('serves the renderer and nothing outside it', async () => {
    const index = await httpGet('/')
    expect(index).toMatchObject({ status: 200, body: expect.stringContaining('Quorum Lab') })
    expect(index.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self';/)
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    expect((await httpGet('/../../etc/passwd')).status).toBe(404)
    expect((await httpGet('/', { Host: 'evil.example:80' })).status).toBe(421)
  })

  it('refuses sockets without the right token, from another origin, or to another path', async () => {
    expect(await connect('')).toBe(401)
    expect(await connect('?token=nope')).toBe(401)
    expect(await connect(`?token=${bridge.token}`, { Origin: 'http://evil.example' })).toBe(403)
    expect(await connect(`?token=${bridge.token}`, { Host: 'rebound.example' })).toBe(421)
  })

  it('answers LabApi calls, validates payloads and pushes events', async () => {
    const ws = await connect(`?token=${bridge.token}`, { Origin: `http://127.0.0.1:${bridge.port}` })
    if (typeof ws === 'number') throw new Error(`socket refused: ${ws}`)
    const answers = new Map<number, Result<unknown>>()
    const events: LabEvent[] = []
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: number; result?: Result<unknown>; events?: LabEvent[] }
      if (frame.events) events.push(...frame.events)
      else if (typeof frame.id === 'number') answers.set(frame.id, frame.result!)
    })
    const call = async (id: number, method: string, payload?: unknown): Promise<Result<unknown>> => {
      ws.send(JSON.stringify({ id, method, payload }))
      return waitFor(`answer ${id}`, () => answers.get(id))
    }
    expect(await call(1, 'lab.info')).toMatchObject({ ok: true, value: { host: 'cli' } })
    expect(await call(2, 'cluster.create', { size: 12 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect(await call(3, 'shell.exec', 'rm -rf /')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    ws.send('not json')
    const created = await call(4, 'cluster.create', { size: 1 })
    expect(created).toMatchObject({ ok: true, value: { size: 1, state: 'created' } })
    await waitFor('cluster.created pushed', () => events.some((e) => e.type === 'cluster.created'))
    ws.close()
  })
})
