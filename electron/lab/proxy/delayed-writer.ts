import type { Socket } from 'node:net'

/**
 * Writes chunks to a socket in order, each no earlier than its release time: a delayed chunk
 * holds back the ones after it, as on a real link (no reordering within a connection).
 * Backpressure: when the socket's buffer is full the source is paused until it drains.
 */
export class DelayedWriter {
  private queue: { at: number; bytes: Uint8Array }[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastAt = 0
  private closed = false

  constructor(
    private readonly out: Socket,
    private readonly source: Socket
  ) {
    out.on('drain', () => source.resume())
  }

  /** Queue `bytes` for release after `delayMs` (0: now, unless earlier chunks still wait). */
  write(bytes: Uint8Array, delayMs: number): void {
    if (this.closed) return
    const at = Math.max(this.lastAt, performance.now() + delayMs)
    this.lastAt = at
    if (this.queue.length === 0 && at <= performance.now()) {
      this.put(bytes)
      return
    }
    this.queue.push({ at, bytes })
    this.schedule()
  }

  get pending(): number {
    return this.queue.length
  }

  close(): void {
    this.closed = true
    this.queue = []
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private put(bytes: Uint8Array): void {
    if (this.out.destroyed) return
    if (!this.out.write(bytes)) this.source.pause()
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return
    const wait = Math.max(0, this.queue[0]!.at - performance.now())
    this.timer = setTimeout(() => {
      this.timer = null
      const now = performance.now()
      while (this.queue.length > 0 && this.queue[0]!.at <= now + 0.5) this.put(this.queue.shift()!.bytes)
      this.schedule()
    }, wait)
  }
}
