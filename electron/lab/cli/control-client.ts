import WebSocket from 'ws'
import { type LabEvent, type LabMethod, type LabRequest, type LabResponse, type Result } from '../api'
import type { ControlInfo } from './control-file'

/**
 * A LabApi client over the bridge WebSocket, for CLI commands that drive a running
 * `quorum-lab up`. Same frames as the renderer's web client: `{id, method, payload}` out,
 * `{id, result}` and `{events}` in.
 */
export class ControlClient {
  private nextId = 1
  private readonly pending = new Map<number, (r: Result<unknown>) => void>()
  private readonly listeners = new Set<(events: LabEvent[]) => void>()

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let frame: { id?: number | null; result?: Result<unknown>; events?: LabEvent[] }
      try {
        frame = JSON.parse(String(data)) as typeof frame
      } catch {
        return
      }
      if (Array.isArray(frame.events)) for (const l of this.listeners) l(frame.events)
      if (typeof frame.id === 'number' && frame.result) {
        this.pending.get(frame.id)?.(frame.result)
        this.pending.delete(frame.id)
      }
    })
    ws.on('close', () => {
      for (const done of this.pending.values()) done({ ok: false, error: { code: 'DISCONNECTED', message: 'the lab closed the connection' } })
      this.pending.clear()
    })
  }

  static connect(info: ControlInfo, timeoutMs = 5_000): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${info.wsUrl}?token=${encodeURIComponent(info.token)}`, { handshakeTimeout: timeoutMs })
      ws.once('open', () => resolve(new ControlClient(ws)))
      ws.once('error', (err) => reject(new Error(`cannot reach the lab at ${info.wsUrl}: ${err.message}`)))
      ws.once('unexpected-response', (_req, res) => reject(new Error(`the lab at ${info.wsUrl} refused the connection (HTTP ${res.statusCode})`)))
    })
  }

  call<M extends LabMethod>(method: M, payload?: LabRequest<M>, timeoutMs = 120_000): Promise<Result<LabResponse<M>>> {
    const id = this.nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({ ok: false, error: { code: 'TIMEOUT', message: `${method}: no answer within ${timeoutMs} ms` } })
      }, timeoutMs)
      this.pending.set(id, (r) => {
        clearTimeout(timer)
        resolve(r as Result<LabResponse<M>>)
      })
      this.ws.send(JSON.stringify({ id, method, payload }))
    })
  }

  onEvents(listener: (events: LabEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.ws.close()
  }
}
