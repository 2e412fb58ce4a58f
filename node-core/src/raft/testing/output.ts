/**
 * The text a command prints, with etcd-style log levels and the two-space indentation that
 * `stabilize` uses under its `> 1 handling Ready` headers.
 *
 *  - none:  only errors and refusals (useful to set a scene quietly; the command prints "ok");
 *  - info:  Ready dumps, delivered messages and the core's trace events that tell the story
 *           (role and term changes, votes, progress, snapshots, conf changes, ...);
 *  - debug: also every message sent or received and every commit advance.
 */
export type LogLevel = 'none' | 'info' | 'debug'

const RANK: Record<LogLevel, number> = { none: 0, info: 1, debug: 2 }

export const isLogLevel = (s: string): s is LogLevel => s in RANK

export class Output {
  level: LogLevel = 'info'
  private lines: string[] = []
  private indent = 0

  /** Print `text` (possibly several lines) when the level is at least `min`. */
  write(text: string, min: Exclude<LogLevel, 'none'> = 'info'): void {
    if (RANK[this.level] < RANK[min]) return
    this.push(text)
  }

  /** Print regardless of the level: errors and refused requests. */
  always(text: string): void {
    this.push(text)
  }

  private push(text: string): void {
    const pad = '  '.repeat(this.indent)
    for (const l of text.split('\n')) this.lines.push(pad + l)
  }

  withIndent(fn: () => void): void {
    this.indent++
    try {
      fn()
    } finally {
      this.indent--
    }
  }

  /** Everything printed since the last take(), and reset. */
  take(): string {
    const s = this.lines.join('\n')
    this.lines = []
    this.indent = 0
    return s
  }
}
