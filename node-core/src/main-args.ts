/**
 * Command line and environment of the node-core process, parsed into one command. Pure (no
 * process access) so main.ts stays wiring and the rules can be unit tested.
 */
import { parseArgs } from 'node:util'
import type { LogLevelName } from './conf/application-properties'

/** Usage text for `--help` and usage errors. */
export const USAGE = `Usage: node-core --home DIR
       node-core --help | --version

Runs one Nacos-compatible node. DIR holds conf/cluster.conf and conf/application.properties
(same formats as Nacos); logs go to DIR/logs/.

Options:
  --home DIR     node home directory (also --home=DIR)
  -h, --help     show this help and exit
  --version      print the version and exit

Environment:
  QUORUM_LAB_PARENT_PID   shut down when this process is gone (set by the lab)
  NODE_CORE_LOG_LEVEL     trace|debug|info|warn|error|fatal|silent; overrides logging.level.root

Exit codes: 0 clean shutdown, 1 runtime failure (e.g. port in use), 2 usage error,
78 configuration error.
`

/** Environment variable naming the lab's pid; node-core exits when that process is gone. */
export const PARENT_PID_ENV = 'QUORUM_LAB_PARENT_PID'
/** Environment variable overriding the log level of conf/application.properties. */
export const LOG_LEVEL_ENV = 'NODE_CORE_LOG_LEVEL'

const LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']

/** What the process was asked to do. */
export type MainCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run'
      home: string
      /** The lab's pid to watch, from {@link PARENT_PID_ENV}. */
      parentPid: number | undefined
      /** Log level override from {@link LOG_LEVEL_ENV}. */
      logLevel: LogLevelName | undefined
    }

/** The command line or environment is wrong; main prints it with the usage hint, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  readonly code = 'USAGE' as const
}

/** Parse `argv` (without node and script) and the relevant environment variables. */
export function parseMainArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): MainCommand {
  let values: { home?: string; help?: boolean; version?: boolean }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        home: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (err) {
    // node:util's messages are good ("Unknown option '--hom'"); keep them, drop the hint it
    // adds about '--' which does not apply here.
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''))
  }
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  if (values.home === undefined) throw new UsageError('--home DIR is required')
  if (values.home.trim() === '') throw new UsageError('--home needs a directory')

  return { kind: 'run', home: values.home, parentPid: parseParentPid(env[PARENT_PID_ENV]), logLevel: parseLevel(env[LOG_LEVEL_ENV]) }
}

function parseParentPid(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const pid = /^\s*[0-9]+\s*$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new UsageError(`${PARENT_PID_ENV} must be a process id, got "${text}"`)
  return pid
}

function parseLevel(text: string | undefined): LogLevelName | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const level = text.trim().toLowerCase()
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`${LOG_LEVEL_ENV} must be one of ${LEVELS.join(', ')}, got "${text}"`)
  }
  return level as LogLevelName
}
