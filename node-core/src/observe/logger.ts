/**
 * The four Nacos log files of a node, as JSON lines the lab can follow and index:
 *
 *     {"level":"info","time":1732480000000,"node":"127.0.0.1:8848","msg":"..."}
 *
 * Why synchronous writes, flushed at the end of each event-loop turn: the lab SIGKILLs nodes on
 * purpose, and the last lines before a crash are exactly the ones a person wants to read, so a
 * line must not sit in a buffer for long. But under write load every applied entry logs a line
 * on every node, and a write(2) per line was ~6 % of a node's CPU. So lines collect in memory
 * while the current turn runs and go to the kernel in one synchronous write per file right
 * after it (setImmediate): a SIGKILL can lose only lines of the turn it lands in, and
 * {@link NodeLoggers.flush} (uncaught errors, exit) writes them at once.
 *
 * Why no pino transports: they run in worker threads loaded by file name, which does not
 * survive bundling node-core into one .cjs file.
 */
import { mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { pino, type Logger } from 'pino'
import type { LogLevelName } from '../conf/application-properties'
import { NODE_LOG_FILES, type NodeLogChannel } from '../protocol/admin'
import { TurnBufferedFile } from './turn-buffered-file'


/** One logger per Nacos log file, plus the means to get every line on disk before exit. */
export interface NodeLoggers extends Record<NodeLogChannel, Logger> {
  /** Absolute `<home>/logs`. */
  readonly dir: string
  /** Push anything still buffered to the files. Safe to call at any time, any number of times. */
  flush(): void
  /**
   * Flush, fsync and close every file. Later log calls are silently dropped, so a late
   * callback during shutdown cannot throw. Idempotent.
   */
  close(): Promise<void>
}

/** Options for {@link createNodeLoggers}. */
export interface NodeLoggerOptions {
  /** Node home; files go to `<home>/logs/` (created when missing). */
  home: string
  /** The node's member address, written as `node` on every line. */
  node: string
  level?: LogLevelName
  /** Where to report a log file that cannot be written (default: stderr). */
  onWriteError?: (file: string, err: Error) => void
}

/** Open (append) the four log files of a node under `<home>/logs/`. */
export function createNodeLoggers(options: NodeLoggerOptions): NodeLoggers {
  const dir = join(options.home, 'logs')
  mkdirSync(dir, { recursive: true })
  const level = options.level ?? 'info'
  const onWriteError =
    options.onWriteError ?? ((file: string, err: Error) => process.stderr.write(`node-core: cannot write ${file}: ${err.message}\n`))

  const files: TurnBufferedFile[] = []
  const make = (channel: NodeLogChannel): Logger => {
    const file = join(dir, NODE_LOG_FILES[channel])
    const out = new TurnBufferedFile(openSync(file, 'a'), (err) => onWriteError(file, err))
    files.push(out)
    return pino(
      {
        level,
        base: { node: options.node },
        timestamp: pino.stdTimeFunctions.epochTime,
        formatters: { level: (label) => ({ level: label }) }
      },
      out
    )
  }

  const loggers = {
    main: make('main'),
    naming: make('naming'),
    config: make('config'),
    cluster: make('cluster')
  }
  const all = Object.values(loggers)

  let closing: Promise<void> | undefined
  return {
    ...loggers,
    dir,
    flush(): void {
      for (const f of files) f.flush()
    },
    close(): Promise<void> {
      closing ??= (() => {
        for (const l of all) l.level = 'silent'
        for (const f of files) f.close()
        return Promise.resolve()
      })()
      return closing
    }
  }
}
