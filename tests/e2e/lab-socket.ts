/**
 * The test process's own connection to the lab, through the same web bridge the page uses
 * (`ws://<host>/lab?token=<token>`, frames `{id, method, payload}` → `{id, result}`), for
 * actions whose UI belongs to another view (link cuts). Test-only.
 */
import WebSocket from 'ws'
import type { LabMethod, LabRequest, LabResponse, Result } from '../../electron/lab/api'

export interface LabSocket {
  call<M extends LabMethod>(method: M, payload?: LabRequest<M>): Promise<Result<LabResponse<M>>>
  /** Like `call`, but throws unless the answer is ok. */
  must<M extends LabMethod>(method: M, payload?: LabRequest<M>): Promise<LabResponse<M>>
  close(): void
}

/** Connect with the link `quorum-lab serve` printed (`http://host:port/#token=...`). */
export async function connectLab(openUrl: string): Promise<LabSocket> {
  const url = new URL(openUrl)
  const token = new URLSearchParams(url.hash.replace(/^#/, '')).get('token')
  if (!token) throw new Error(`no token in ${openUrl}`)
  const ws = new WebSocket(`ws://${url.host}/lab?token=${encodeURIComponent(token)}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let nextId = 1
  const waiting = new Map<number, (r: Result<unknown>) => void>()
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { id?: number; result?: Result<unknown> }
    if (typeof frame.id !== 'number' || !frame.result) return
    waiting.get(frame.id)?.(frame.result)
    waiting.delete(frame.id)
  })
  ws.on('close', () => {
    for (const resolve of waiting.values()) resolve({ ok: false, error: { code: 'DISCONNECTED', message: 'socket closed' } })
    waiting.clear()
  })

  const call = <M extends LabMethod>(method: M, payload?: LabRequest<M>): Promise<Result<LabResponse<M>>> =>
    new Promise((resolve) => {
      const id = nextId++
      waiting.set(id, resolve as (r: Result<unknown>) => void)
      ws.send(JSON.stringify({ id, method, payload: payload ?? null }))
    })

  return {
    call,
    async must(method, payload) {
      const r = await call(method, payload)
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`)
      return r.value
    },
    close: () => ws.close()
  }
}
