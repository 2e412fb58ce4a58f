import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { dispatchLab, type LabEvent } from '../api'
import type { Lab } from '../lab'
import { serveStatic } from './static-files'

export interface BridgeOptions {
  lab: Lab
  /** The built renderer (out/renderer); without it only the WebSocket is served (`quorum-lab up`). */
  rendererDir?: string
  /** 127.0.0.1 unless told otherwise. */
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Fixed token (tests); a random 32-byte one otherwise. */
  token?: string
}

export interface RunningBridge {
  url: string
  /** The link to open: carries the token in the fragment, which browsers never send. */
  openUrl: string
  token: string
  port: number
  close(): Promise<void>
}

/** Bridge frames: client → server `{id, method, payload}`; server → client `{id, result}` or `{events}`. */
interface CallFrame {
  id: number
  method: unknown
  payload?: unknown
}

const MAX_FRAME_BYTES = 1 << 20

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Web mode: serve the built renderer over HTTP and implement LabApi over a WebSocket at
 * `/lab`. Guards: loopback bind, a random token on every socket, and Host/Origin checks so a
 * web page elsewhere cannot reach the lab through DNS rebinding.
 */
export async function startBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const host = opts.host ?? '127.0.0.1'
  const token = opts.token ?? randomBytes(32).toString('hex')
  let port = 0
  const allowedHosts = (): Set<string> => new Set([`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`])

  const server: Server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('unexpected Host header\n')
      return
    }
    if (!opts.rendererDir) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('this lab serves no UI; use `quorum-lab serve`\n')
      return
    }
    serveStatic(opts.rendererDir, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end('internal error\n')
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refuse = (status: number, why: string): void => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/lab') return refuse(404, 'Not Found')
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(421, 'Misdirected Request')
    const origin = req.headers.origin
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, ''))) {
      return refuse(403, 'Forbidden')
    }
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return refuse(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.lab))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host, port: opts.port ?? 0 }, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const url = `http://${host}:${port}/`
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
}

function serveSocket(ws: WebSocket, lab: Lab): void {
  const send = (frame: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }
  const unsubscribe = lab.subscribe((events: LabEvent[]) => send({ events }))
  ws.on('close', unsubscribe)
  ws.on('error', () => ws.terminate())
  ws.on('message', (data, isBinary) => {
    let frame: CallFrame
    try {
      if (isBinary) throw new Error('binary')
      frame = JSON.parse(String(data)) as CallFrame
      if (typeof frame !== 'object' || frame === null || !Number.isSafeInteger(frame.id)) throw new Error('shape')
    } catch {
      // A malformed frame gets an answer, not a crash; without an id it cannot be matched.
      send({ id: null, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'frame must be JSON {id, method, payload}' } } })
      return
    }
    void dispatchLab(lab.handle, frame.method, frame.payload).then((result) => send({ id: frame.id, result }))
  })
}
