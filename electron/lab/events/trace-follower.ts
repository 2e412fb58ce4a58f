/**
 * Follows one node's Raft trace stream (`GET /quorum/v1/admin/trace?after=N&waitMs=…`, a long
 * poll) and hands each batch on. Survives the node being down, paused or restarted: errors
 * back off (100 ms → 2 s); a restarted node's sequence starts again at 1, which is reported as
 * a reset, not as a gap.
 */
import { Agent, request } from 'node:http'
import { ADMIN_TRACE_PATH, type TraceBatch, type TraceRecord } from '../../../node-core/src/protocol/admin'
import type { NodeId } from '../api'

export interface TraceFollowerOptions {
  nodeId: NodeId
  host: string
  port: number
  onRecords: (nodeId: NodeId, records: TraceRecord[], dropped: number) => void
  onReset: (nodeId: NodeId) => void
  waitMs?: number
}

export class TraceFollower {
  private after = 0
  private stopped = false
  private current: ReturnType<typeof request> | null = null
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 })
  private loop: Promise<void> | null = null
  /**
   * Every event of this node stamped before this wall time has been handed on: the send time of
   * the last answered request (the answer holds everything the node had when it answered).
   */
  syncedTo = 0
  /** False while the node does not answer (not up yet, down, paused). */
  healthy = false

  constructor(private readonly o: TraceFollowerOptions) {}

  start(): void {
    this.loop ??= this.run()
  }

  /** The node was restarted: read its new stream from the start. */
  reset(): void {
    if (this.after === 0) return
    this.after = 0
    this.o.onReset(this.o.nodeId)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.current?.destroy()
    this.agent.destroy()
    await this.loop
  }

  private async run(): Promise<void> {
    let backoff = 100
    while (!this.stopped) {
      try {
        const sentAt = Date.now()
        const batch = await this.fetch()
        backoff = 100
        this.healthy = true
        if (batch.lastSeq < this.after) {
          // The ring is younger than what we saw: a new process.
          this.after = 0
          this.o.onReset(this.o.nodeId)
          continue
        }
        if (batch.events.length > 0 || batch.dropped > 0) {
          this.o.onRecords(this.o.nodeId, batch.events, batch.dropped)
          this.after = batch.events[batch.events.length - 1]?.seq ?? batch.lastSeq
        }
        // A batch cut short by the limit holds only what came before its last event: the rest
        // of what the node had at `sentAt` is still to be read (the next request, at once).
        const last = batch.events[batch.events.length - 1]
        const truncated = last !== undefined && last.seq < batch.lastSeq
        this.syncedTo = truncated ? Math.min(sentAt, last.ts - 1) : sentAt
      } catch {
        this.healthy = false
        if (this.stopped) return
        await new Promise((r) => setTimeout(r, backoff))
        backoff = Math.min(2000, backoff * 2)
      }
    }
  }

  private fetch(): Promise<TraceBatch> {
    const path = `${ADMIN_TRACE_PATH}?after=${this.after}&waitMs=${this.o.waitMs ?? 250}&limit=5000`
    return new Promise((resolve, reject) => {
      const req = request({ host: this.o.host, port: this.o.port, path, agent: this.agent, timeout: (this.o.waitMs ?? 250) + 2000 }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`))
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as TraceBatch)
          } catch (err) {
            reject(err as Error)
          }
        })
        res.on('error', reject)
      })
      this.current = req
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', reject)
      req.end()
    })
  }
}
