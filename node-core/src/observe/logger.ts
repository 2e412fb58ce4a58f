/**
 * The four Nacos log files of a node, as JSON lines the lab can follow and index:
 *
 *     {"level":"info","time":1732480000000,"node":"127.0.0.1:8848","msg":"..."}
 *
 * Why synchronous writes: the lab SIGKILLs nodes on purpose, and the last lines before a crash
 * are exactly the ones a person wants to read. A buffered (async) destination would lose them.
 * At the volumes node-core logs at info level (a few lines per state change) a write(2) per
 * line costs nothing that matters. So lines reach the kernel before the log call returns, and
 * {@link NodeLoggers.close} only has to fsync and close.
 *
 * Why no pino transports: they run in worker threads loaded by file name, which does not
 * survive bundling node-core into one .cjs file.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { pino, type Logger } from 'pino'
import type { LogLevelName } from '../conf/application-properties'
import { NODE_LOG_FILES, type NodeLogChannel } from '../protocol/admin'

/** The SonicBoom stream `pino.destination` returns. */
type FileStream = ReturnType<typeof pino.destination>

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

  const streams: FileStream[] = []
  const make = (channel: NodeLogChannel): Logger => {
    const file = join(dir, NODE_LOG_FILES[channel])
    // Open the fd ourselves so the stream is ready at once: flushSync() on a stream still
    // opening its file throws.
    const fd = openSync(file, 'a')
    let stream: FileStream
    try {
      stream = pino.destination({ dest: fd, sync: true })
    } catch (err) {
      closeSync(fd)
      throw err
    }
    // A full disk must not crash the server: report once per file, keep serving.
    let reported = false
    stream.on('error', (err: Error) => {
      if (!reported) onWriteError(file, err)
      reported = true
    })
    streams.push(stream)
    return pino(
      {
        level,
        base: { node: options.node },
        timestamp: pino.stdTimeFunctions.epochTime,
        formatters: { level: (label) => ({ level: label }) }
      },
      stream
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
      if (closing) return
      for (const s of streams) {
        try {
          s.flushSync()
        } catch {
          // Nothing buffered or already closed: there is nothing left to flush.
        }
      }
    },
    close(): Promise<void> {
      closing ??= (async () => {
        for (const l of all) l.level = 'silent'
        await Promise.all(
          streams.map(
            (s) =>
              new Promise<void>((resolve) => {
                // end() fsyncs, then closes; bound the wait so a stuck disk cannot hang exit.
                const timer = setTimeout(resolve, 1_000)
                timer.unref()
                s.once('close', () => {
                  clearTimeout(timer)
                  resolve()
                })
                try {
                  s.flushSync()
                  s.end()
                } catch {
                  clearTimeout(timer)
                  resolve()
                }
              })
          )
        )
      })()
      return closing
    }
  }
}
