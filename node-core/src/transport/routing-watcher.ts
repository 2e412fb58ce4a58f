/**
 * Follows the lab's routing file so the lab can re-route peer links while nodes run (put a
 * proxy in, take it out). Two triggers, because neither is reliable alone:
 * - fs.watch on the file's DIRECTORY (not the file: the lab replaces the file by rename, which
 *   gives it a new inode that a watch on the old file would never see), for low latency;
 * - a periodic stat (default every second), for file systems and platforms where fs.watch
 *   misses events or is unavailable.
 *
 * A file that disappears means "no routes" (every peer dialed directly). A file that does not
 * parse — a half-written file from a writer that does not rename — is logged and the previous
 * routes stay in force until a valid version appears: half a routing table is worse than an
 * old one. At start, though, an invalid file is an error the owner sees (`start()` throws).
 */
import { watch, type FSWatcher } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { TransportError, describeError, isTransportError } from './errors'
import type { TransportLogLevel } from './hooks'
import { EMPTY_ROUTES, parseRoutingTable, sameRoutes, type RoutingTable } from './routing-table'

export interface RoutingWatcherOptions {
  file: string
  pollMs: number
  log: (level: TransportLogLevel, msg: string, fields: Record<string, unknown>) => void
  /** Called with the new table whenever the routes actually change. */
  onChange: (routes: RoutingTable) => void
}

/** What identifies one version of the file without reading it. */
type Signature = string

export class RoutingWatcher {
  private routes: RoutingTable = EMPTY_ROUTES
  private signature: Signature | undefined
  private watcher: FSWatcher | undefined
  private timer: NodeJS.Timeout | undefined
  private reloading: Promise<void> | undefined
  private again = false
  private closed = false
  /** Successful loads and rejected versions, for stats. */
  loads = 0
  errors = 0

  constructor(private readonly opts: RoutingWatcherOptions) {}

  get current(): RoutingTable {
    return this.routes
  }

  /** Read the file once (throws ROUTING_FILE when it exists and is invalid), then follow it. */
  async start(): Promise<RoutingTable> {
    const first = await this.read()
    if (first.kind === 'invalid') throw first.error
    this.signature = first.signature
    this.routes = first.routes
    this.loads++
    this.opts.log('info', first.kind === 'missing' ? 'routing file absent: dialing peers directly' : 'routing file loaded', {
      file: this.opts.file,
      routes: this.routes.size
    })
    // close() may have been called while the first read was in progress.
    if (this.closed) return this.routes
    try {
      this.watcher = watch(dirname(this.opts.file), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(this.opts.file)) this.trigger()
      })
      this.watcher.on('error', (err) => {
        this.opts.log('warn', 'routing file watch failed; polling only', { file: this.opts.file, error: describeError(err) })
        this.watcher?.close()
        this.watcher = undefined
      })
    } catch (err) {
      // The directory may not exist yet (the lab creates it later); polling covers that.
      this.opts.log('debug', 'routing file directory cannot be watched; polling only', { file: this.opts.file, error: describeError(err) })
    }
    this.timer = setInterval(() => this.trigger(), this.opts.pollMs)
    this.timer.unref()
    return this.routes
  }

  close(): void {
    this.closed = true
    this.watcher?.close()
    this.watcher = undefined
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Re-check now (also what the watch and the poll call). Resolves when the check is done. */
  trigger(): Promise<void> {
    if (this.closed) return Promise.resolve()
    if (this.reloading) {
      // Serialise reloads, and make sure a change that lands during one is not missed.
      this.again = true
      return this.reloading
    }
    this.reloading = (async () => {
      try {
        do {
          this.again = false
          await this.reload()
        } while (this.again && !this.closed)
      } finally {
        this.reloading = undefined
      }
    })()
    return this.reloading
  }

  private async reload(): Promise<void> {
    const sig = await this.stat()
    if (sig === this.signature || this.closed) return
    const next = await this.read()
    if (this.closed) return
    this.signature = next.signature
    if (next.kind === 'invalid') {
      this.errors++
      this.opts.log('error', 'routing file rejected; keeping the previous routes', {
        file: this.opts.file,
        error: next.error.message,
        routes: this.routes.size
      })
      return
    }
    this.loads++
    if (sameRoutes(next.routes, this.routes)) return
    this.routes = next.routes
    this.opts.log('info', next.kind === 'missing' ? 'routing file removed: dialing peers directly' : 'routing file changed', {
      file: this.opts.file,
      routes: this.routes.size
    })
    this.opts.onChange(this.routes)
  }

  private async stat(): Promise<Signature | undefined> {
    try {
      const s = await stat(this.opts.file, { bigint: true })
      return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
    } catch {
      return undefined
    }
  }

  private async read(): Promise<
    | { kind: 'ok' | 'missing'; routes: RoutingTable; signature: Signature | undefined }
    | { kind: 'invalid'; error: Error; signature: Signature | undefined }
  > {
    // Stat first: if the file changes while being read, the next poll sees a newer signature.
    const signature = await this.stat()
    let text: string
    try {
      text = await readFile(this.opts.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', routes: EMPTY_ROUTES, signature: undefined }
      return {
        kind: 'invalid',
        error: new TransportError('ROUTING_FILE', `cannot read routing file ${this.opts.file}: ${describeError(err)}`, { cause: err }),
        signature
      }
    }
    try {
      return { kind: 'ok', routes: parseRoutingTable(text, this.opts.file), signature }
    } catch (err) {
      if (isTransportError(err)) return { kind: 'invalid', error: err, signature }
      throw err
    }
  }
}
