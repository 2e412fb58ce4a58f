import { closeSync, fsyncSync, writeSync } from 'node:fs'

/**
 * A log destination that keeps lines in memory while the current event-loop turn runs and
 * writes them with one synchronous write(2) right after it (setImmediate). Why not SonicBoom's
 * buffering: its flushSync() also fsyncs, which per turn would cost more than the write per
 * line it saves. See logger.ts for why the lines must reach the kernel this soon.
 */
export class TurnBufferedFile {
  private pending: string[] = []
  private scheduled = false
  private closed = false
  private failed = false

  constructor(
    private readonly fd: number,
    /** Called once, on the first failed write (a full disk must not crash the server). */
    private readonly onError: (err: Error) => void
  ) {}

  /** pino's destination contract: take one serialized line (with its newline). */
  write(line: string): boolean {
    if (this.closed) return true
    this.pending.push(line)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => {
        this.scheduled = false
        this.flush()
      })
    }
    return true
  }

  /** Write everything pending now, synchronously (no fsync). */
  flush(): void {
    if (this.pending.length === 0 || this.closed) return
    const buf = Buffer.from(this.pending.join(''), 'utf8')
    this.pending = []
    try {
      let off = 0
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off)
    } catch (err) {
      if (!this.failed) this.onError(err instanceof Error ? err : new Error(String(err)))
      this.failed = true
    }
  }

  /** Flush, fsync and close. Later writes are dropped. Idempotent. */
  close(): void {
    if (this.closed) return
    this.flush()
    this.closed = true
    try {
      fsyncSync(this.fd)
    } catch {
      // Some files (pipes, /dev/null) cannot be fsynced; the lines were written anyway.
    }
    try {
      closeSync(this.fd)
    } catch {
      // Already closed.
    }
  }
}
