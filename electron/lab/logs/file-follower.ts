import { watch, type FSWatcher } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { StringDecoder } from 'node:string_decoder'

export interface FileFollowerOptions {
  /** Read the file from offset 0 instead of its current end (only for the first open). */
  fromStart?: boolean
  /** Poll interval, ms: fs.watch misses events (rename races, network mounts), polling does not. */
  pollMs?: number
  /** A "line" longer than this is emitted in pieces, so a file without newlines cannot grow memory. */
  maxLineChars?: number
  /** Called on a read error other than "the file is not there"; never thrown. */
  onError?: (err: Error) => void
}

const CHUNK = 64 * 1024

/**
 * Follows one file like `tail -F`: appended lines, a partial last line held until its newline,
 * rotation (new inode: finish the old file, then read the new one from 0), truncation (size
 * below our offset: start again from 0), and a file that does not exist yet. fs.watch on the
 * directory gives speed; the poll gives correctness. Nothing is thrown out of it.
 */
export class FileFollower {
  private fh: FileHandle | null = null
  private ino = -1
  private offset = 0
  private partial = ''
  private decoder = new StringDecoder('utf8')
  private firstOpen = true
  private closed = false
  /** The read in progress, if any: reads never overlap. */
  private running: Promise<void> | null = null
  private again = false
  private watcher: FSWatcher | null = null
  private readonly timer: ReturnType<typeof setInterval>
  private readonly maxLineChars: number

  constructor(
    readonly path: string,
    private readonly onLines: (lines: string[]) => void,
    private readonly opts: FileFollowerOptions = {}
  ) {
    this.maxLineChars = opts.maxLineChars ?? 1_000_000
    this.timer = setInterval(() => this.kick(), opts.pollMs ?? 250)
    this.timer.unref?.()
    this.kick()
  }

  /** Resolves after the current read, if any, has finished; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    this.watcher?.close()
    this.watcher = null
    await this.running
    await this.closeHandle()
  }

  /** Read now (the watcher and the timer call this; tests may too). */
  kick(): void {
    if (this.closed) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.step()
      .catch((err: unknown) => this.opts.onError?.(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        this.running = null
        if (this.again && !this.closed) {
          this.again = false
          this.kick()
        }
      })
  }

  private ensureWatcher(): void {
    if (this.watcher || this.closed) return
    try {
      // Watch the directory, not the file: it survives the file being replaced or created late.
      const name = basename(this.path)
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
        if (file === null || file === name) this.kick()
      })
      this.watcher.on('error', () => {
        this.watcher?.close()
        this.watcher = null
      })
    } catch {
      this.watcher = null // the directory is not there yet; the poll retries
    }
  }

  private async step(): Promise<void> {
    this.ensureWatcher()
    let st: Awaited<ReturnType<typeof stat>> | null = null
    try {
      st = await stat(this.path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    if (this.closed) return
    if (this.fh && (!st || st.ino !== this.ino)) {
      // Rotated or removed: whatever the old file still holds was written before the switch.
      await this.readToEnd()
      this.flushPartial()
      await this.closeHandle()
    }
    if (!st) {
      this.firstOpen = false // created later: all of it is new
      return
    }
    if (!this.fh) {
      try {
        this.fh = await open(this.path, 'r')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
        throw err
      }
      const opened = await this.fh.stat()
      this.ino = opened.ino
      this.offset = this.firstOpen && !this.opts.fromStart ? opened.size : 0
      this.firstOpen = false
      this.resetText()
      if (this.closed) return
    }
    const now = await this.fh.stat()
    if (now.size < this.offset) {
      // Truncated in place: the old bytes are gone; keep the held partial rather than lose it.
      this.flushPartial()
      this.offset = 0
      this.resetText()
    }
    await this.readToEnd()
  }

  private async readToEnd(): Promise<void> {
    const fh = this.fh
    if (!fh) return
    const buf = Buffer.allocUnsafe(CHUNK)
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, this.offset)
      if (bytesRead === 0 || this.closed) return
      this.offset += bytesRead
      this.take(this.decoder.write(buf.subarray(0, bytesRead)))
    }
  }

  private take(text: string): void {
    const parts = (this.partial + text).split('\n')
    this.partial = parts.pop() ?? ''
    const lines: string[] = []
    for (const p of parts) lines.push(p.endsWith('\r') ? p.slice(0, -1) : p)
    while (this.partial.length > this.maxLineChars) {
      lines.push(this.partial.slice(0, this.maxLineChars))
      this.partial = this.partial.slice(this.maxLineChars)
    }
    if (lines.length > 0) this.emit(lines)
  }

  private flushPartial(): void {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    if (rest !== '') this.emit([rest])
  }

  private resetText(): void {
    this.partial = ''
    this.decoder = new StringDecoder('utf8')
  }

  private emit(lines: string[]): void {
    try {
      this.onLines(lines)
    } catch (err) {
      this.opts.onError?.(err instanceof Error ? err : new Error(String(err)))
    }
  }

  private async closeHandle(): Promise<void> {
    const fh = this.fh
    this.fh = null
    this.ino = -1
    await fh?.close().catch(() => undefined)
  }
}
