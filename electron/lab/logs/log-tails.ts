import { join } from 'node:path'
import { NODE_LOG_FILES, type NodeLogChannel } from '../../../node-core/src/protocol/admin'
import { FileFollower } from './file-follower'
import { LOG_CHANNELS, matches, parseLogLine, type LogFilter, type LogLevel, type LogLine } from './log-line'

export interface TailedNode {
  id: number
  /** The node's home; its logs are `<home>/logs/<NODE_LOG_FILES[channel]>`. */
  home: string
}

export interface LogTailsOptions {
  /** Gets new lines in batches (arrival order), at most every `flushMs`. */
  onLines?: (lines: LogLine[]) => void
  /** Lines kept for `query` (oldest fall out first). */
  capacity?: number
  flushMs?: number
  pollMs?: number
  /** Read existing content of files found at start (default true: a node's start-up lines matter). */
  fromStart?: boolean
  now?: () => number
}

export interface LogCounter {
  nodeId: number
  file: NodeLogChannel
  lines: number
  byLevel: Partial<Record<LogLevel, number>>
}

interface Tail {
  home: string
  followers: FileFollower[]
}

/**
 * Follows the four log files of every node of a cluster, parses each line, hands batches to
 * one listener and keeps a bounded ring that the UI can query with a filter.
 */
export class LogTails {
  private readonly tails = new Map<number, Tail>()
  private readonly ring: (LogLine | undefined)[]
  private head = 0
  private size = 0
  private total = 0
  private pending: LogLine[] = []
  private readonly counters = new Map<string, LogCounter>()
  private readonly timer: ReturnType<typeof setInterval>
  private readonly now: () => number
  private closed = false

  constructor(private readonly opts: LogTailsOptions = {}) {
    const capacity = opts.capacity ?? 100_000
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    this.ring = new Array<LogLine | undefined>(capacity)
    this.now = opts.now ?? Date.now
    this.timer = setInterval(() => this.flush(), opts.flushMs ?? 50)
    this.timer.unref?.()
  }

  /** Follow exactly these nodes: new ones start, gone ones stop, a changed home restarts. */
  async setNodes(nodes: readonly TailedNode[]): Promise<void> {
    if (this.closed) return
    const wanted = new Map(nodes.map((n) => [n.id, n]))
    const stopping: Promise<void>[] = []
    for (const [id, t] of this.tails) {
      if (wanted.get(id)?.home !== t.home) {
        this.tails.delete(id)
        stopping.push(...t.followers.map((f) => f.close()))
      }
    }
    await Promise.all(stopping)
    for (const n of nodes) {
      if (this.tails.has(n.id)) continue
      const followers = LOG_CHANNELS.map(
        (ch) =>
          new FileFollower(join(n.home, 'logs', NODE_LOG_FILES[ch]), (lines) => this.take(n.id, ch, lines), {
            fromStart: this.opts.fromStart ?? true,
            pollMs: this.opts.pollMs
          })
      )
      this.tails.set(n.id, { home: n.home, followers })
    }
  }

  /** The newest `limit` lines that pass `filter`, oldest first. */
  query(filter: LogFilter = {}, limit = 1000): LogLine[] {
    const out: LogLine[] = []
    const cap = this.ring.length
    for (let i = 0; i < this.size && out.length < limit; i++) {
      const line = this.ring[(this.head - 1 - i + cap) % cap]!
      if (matches(line, filter)) out.push(line)
    }
    return out.reverse()
  }

  /** Lines seen per node and file since start (including those the ring has dropped). */
  stats(): { counters: LogCounter[]; total: number; held: number; evicted: number } {
    return {
      counters: [...this.counters.values()].map((c) => ({ ...c, byLevel: { ...c.byLevel } })),
      total: this.total,
      held: this.size,
      evicted: this.total - this.size
    }
  }

  /** Deliver what is pending now (the timer does this every flushMs). */
  flush(): void {
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    try {
      this.opts.onLines?.(batch)
    } catch {
      // A listener's bug must not stop the tails.
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.setNodes([])
    this.closed = true
    clearInterval(this.timer)
    this.flush()
  }

  private take(nodeId: number, file: NodeLogChannel, raws: string[]): void {
    const readAt = this.now()
    const key = `${nodeId}/${file}`
    let c = this.counters.get(key)
    if (!c) this.counters.set(key, (c = { nodeId, file, lines: 0, byLevel: {} }))
    const cap = this.ring.length
    for (const raw of raws) {
      const line = parseLogLine(raw, nodeId, file, readAt)
      c.lines++
      c.byLevel[line.level] = (c.byLevel[line.level] ?? 0) + 1
      this.ring[this.head] = line
      this.head = (this.head + 1) % cap
      if (this.size < cap) this.size++
      this.total++
      if (this.opts.onLines) this.pending.push(line)
    }
    // Bound what a stalled listener can pile up to one ring's worth.
    if (this.pending.length > cap) this.pending.splice(0, this.pending.length - cap)
  }
}
