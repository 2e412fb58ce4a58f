/**
 * The proxy for one directed peer link a → b. node-core's a dials it instead of b (the routing
 * file says so); it dials b and forwards a's frames, each judged by the link's current fault:
 * passed (maybe delayed, maybe twice), dropped, or held in a black hole. Because a response
 * travels on the responder's own connection, this proxy controls exactly what a says to b.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { decodeHeader, FRAME_HEADER_BYTES, FrameDecoder, FrameError } from '../../../node-core/src/protocol/frame'
import { HEALTHY_LINK, type LinkFault, type LinkStats } from '../api'
import { DelayedWriter } from './delayed-writer'
import { decideFrame, isHealthy, seededRandom } from './link-fault'

/** A black hole keeps at most this much per connection; beyond it frames are dropped and counted. */
export const MAX_HELD_BYTES = 4 * 1024 * 1024

interface Conn {
  inbound: Socket
  outbound: Socket
  decoder: FrameDecoder
  writer: DelayedWriter
  held: Uint8Array[]
  heldBytes: number
  /**
   * Fast path (healthy link, nothing queued): chunks pass whole, and only frame boundaries are
   * tracked — bytes left of the current frame, and a partial header — so judging can resume
   * exactly at the next frame when a fault arrives.
   */
  remaining: number
  partialHeader: Uint8Array | null
  /** True once the connection has been judged frame by frame (it then stays so). */
  slow: boolean
}

export interface PeerProxyOptions {
  from: number
  to: number
  target: { host: string; port: number }
  seed?: number
  /** Told about connections closed for malformed input (never thrown). */
  onProblem?: (what: string) => void
}

export class PeerProxy {
  private server: Server | null = null
  private readonly conns = new Set<Conn>()
  private fault: LinkFault = HEALTHY_LINK
  private readonly rand: () => number
  private port = 0
  private readonly counters = { passed: 0, bytes: 0, dropped: 0, duplicated: 0, delayed: 0, connections: 0, malformed: 0 }

  constructor(private readonly opts: PeerProxyOptions) {
    this.rand = seededRandom(opts.seed ?? (opts.from * 1000 + opts.to))
  }

  async listen(host = '127.0.0.1', port = 0): Promise<number> {
    const server = createServer((s) => this.accept(s))
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host, port }, () => resolve())
    })
    this.port = (server.address() as { port: number }).port
    return this.port
  }

  get listenPort(): number {
    return this.port
  }

  get currentFault(): LinkFault {
    return this.fault
  }

  /** Change the fault live. Healing a black hole releases what it held, in order. */
  setFault(f: LinkFault): void {
    const was = this.fault
    this.fault = f
    if (f.cut === 'reset') {
      for (const c of [...this.conns]) this.drop(c)
      return
    }
    if (was.cut === 'blackhole' && f.cut !== 'blackhole') {
      for (const c of this.conns) {
        const held = c.held
        c.held = []
        c.heldBytes = 0
        for (const frame of held) this.forward(c, frame, false)
      }
    }
  }

  stats(): LinkStats {
    let held = 0
    for (const c of this.conns) held += c.held.length
    return { passed: this.counters.passed, bytes: this.counters.bytes, dropped: this.counters.dropped, duplicated: this.counters.duplicated, held, delayed: this.counters.delayed, connections: this.conns.size }
  }

  get malformed(): number {
    return this.counters.malformed
  }

  async close(): Promise<void> {
    for (const c of [...this.conns]) this.drop(c)
    const s = this.server
    this.server = null
    if (s) await new Promise<void>((r) => s.close(() => r()))
  }

  private accept(inbound: Socket): void {
    if (this.fault.cut === 'reset') {
      inbound.destroy()
      return
    }
    this.counters.connections++
    inbound.setNoDelay(true)
    const outbound = createConnection({ host: this.opts.target.host, port: this.opts.target.port })
    outbound.setNoDelay(true)
    const c: Conn = { inbound, outbound, decoder: new FrameDecoder(), writer: new DelayedWriter(outbound, inbound), held: [], heldBytes: 0, remaining: 0, partialHeader: null, slow: false }
    this.conns.add(c)
    // node-core never writes on a connection it accepted; pass anything anyway, unjudged.
    outbound.on('data', (d) => inbound.write(d))
    const end = (): void => this.drop(c)
    inbound.on('error', end)
    outbound.on('error', end)
    inbound.on('close', end)
    outbound.on('close', end)
    inbound.on('data', (data: Buffer) => {
      let chunk = data
      if (!c.slow) {
        const healthy = isHealthy(this.fault) && c.writer.pending === 0
        // Healthy: pass the whole chunk. A fault just arrived: pass only up to the next frame
        // boundary (that frame is already partly on its way), then judge frame by frame.
        const used = this.passThrough(c, chunk, !healthy)
        if (used < 0) return
        if (used === chunk.length && healthy) return
        chunk = chunk.subarray(used)
        if (c.remaining > 0 || c.partialHeader) return
        c.slow = true
        if (chunk.length === 0) return
      }
      let frames
      try {
        frames = c.decoder.push(chunk)
      } catch (err) {
        this.counters.malformed++
        this.opts.onProblem?.(`link ${this.opts.from}→${this.opts.to}: closed a connection that sent a malformed frame (${err instanceof FrameError ? err.code : String(err)})`)
        this.drop(c)
        return
      }
      for (const f of frames) {
        const raw = new Uint8Array(f.payload.buffer, f.payload.byteOffset - FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + f.payload.length)
        this.judge(c, raw, f.header.type === 'hello')
      }
    })
  }

  /**
   * Forward bytes untouched while tracking frame boundaries (headers are still checked).
   * With `untilBoundary`, stops at the first frame boundary. Returns the bytes forwarded, or
   * -1 when the connection was closed for a malformed header.
   */
  private passThrough(c: Conn, chunk: Buffer, untilBoundary: boolean): number {
    let off = 0
    let frames = 0
    let header = c.partialHeader
    let remaining = c.remaining
    while (off < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - off)
        remaining -= take
        off += take
        continue
      }
      if (untilBoundary && !header) break
      // Assemble the next 24-byte header (it may straddle chunks).
      const need = FRAME_HEADER_BYTES - (header?.length ?? 0)
      const part = chunk.subarray(off, off + need)
      header = header ? Buffer.concat([header, part]) : part
      off += part.length
      if (header.length < FRAME_HEADER_BYTES) break
      try {
        remaining = decodeHeader(header).length
      } catch {
        this.counters.malformed++
        this.opts.onProblem?.(`link ${this.opts.from}→${this.opts.to}: closed a connection that sent a malformed frame`)
        this.drop(c)
        return -1
      }
      header = null
      frames++
    }
    c.partialHeader = header && header.length > 0 ? Buffer.from(header) : null
    c.remaining = remaining
    if (off > 0) c.writer.write(off === chunk.length ? chunk : chunk.subarray(0, off), 0)
    this.counters.passed += frames
    this.counters.bytes += off
    return off
  }

  private judge(c: Conn, raw: Uint8Array, isHello: boolean): void {
    const d = decideFrame(this.fault, this.rand, isHello)
    if (d.action === 'drop') {
      this.counters.dropped++
      return
    }
    if (d.action === 'hold') {
      if (c.heldBytes + raw.length > MAX_HELD_BYTES) {
        this.counters.dropped++
        return
      }
      // Copy: the decoder's buffers may be reused.
      c.held.push(raw.slice())
      c.heldBytes += raw.length
      return
    }
    this.forward(c, raw, d.copies === 2, d.delayMs)
  }

  private forward(c: Conn, raw: Uint8Array, twice: boolean, delayMs = this.fault.delayMs): void {
    if (delayMs > 0) this.counters.delayed++
    c.writer.write(raw, delayMs)
    this.counters.passed++
    this.counters.bytes += raw.length
    if (twice) {
      c.writer.write(raw, delayMs)
      this.counters.duplicated++
    }
  }

  private drop(c: Conn): void {
    if (!this.conns.delete(c)) return
    c.writer.close()
    c.inbound.destroy()
    c.outbound.destroy()
  }
}
