/**
 * The one error type for configuration problems, so main can turn any of them into the same
 * `node-core: <file>:<line>: <what is wrong>` line and exit code 78 (EX_CONFIG).
 */

/**
 * Stable reasons a configuration is refused. Callers (main, the lab) branch on these, never on
 * the message text.
 *
 * - `CONF_MISSING`: a required file does not exist.
 * - `CONF_UNREADABLE`: the file exists but cannot be read (permissions, a directory, ...).
 * - `CONF_MALFORMED`: text that cannot be parsed at all (a member with three colons, a broken
 *   `\uXXXX` escape).
 * - `CONF_INVALID`: parsed, but a value is out of range or not allowed (port 99999, `256.0.0.1`).
 * - `CONF_DUPLICATE`: the same member listed twice.
 * - `CONF_EMPTY`: cluster.conf names no member at all.
 * - `CONF_SELF_NOT_MEMBER`: this node's own address is not in cluster.conf.
 */
export type ConfErrorCode =
  | 'CONF_MISSING'
  | 'CONF_UNREADABLE'
  | 'CONF_MALFORMED'
  | 'CONF_INVALID'
  | 'CONF_DUPLICATE'
  | 'CONF_EMPTY'
  | 'CONF_SELF_NOT_MEMBER'

/** Where a configuration problem sits, beyond the file. */
export interface ConfErrorLocation {
  /** 1-based line number of the offending (logical) line. */
  line?: number
  /** The property key involved, for application.properties problems. */
  key?: string
  cause?: unknown
}

/**
 * A configuration file was missing or wrong. `message` is ready to show a person:
 * `conf/cluster.conf:3: "127.0.0.1:99999" is not a valid member: port must be 1-65535`
 * (`file: detail` when there is no line).
 */
export class ConfError extends Error {
  override readonly name = 'ConfError'
  readonly code: ConfErrorCode
  /** The file as the caller named it (the full path when loaded from a home directory). */
  readonly file: string
  readonly line: number | undefined
  readonly key: string | undefined
  /** The message without the `file:line:` prefix. */
  readonly detail: string

  constructor(code: ConfErrorCode, file: string, detail: string, where: ConfErrorLocation = {}) {
    super(`${file}${where.line !== undefined ? `:${where.line}` : ''}: ${detail}`, { cause: where.cause })
    this.code = code
    this.file = file
    this.line = where.line
    this.key = where.key
    this.detail = detail
  }
}
