import { NODE_LOG_FILES, type NodeLogChannel } from '../../../node-core/src/protocol/admin'
import { LOG_LEVELS, type LogLevel, type LogLine } from '../api'

/**
 * One line of a node's log files, parsed. Pure: the follower hands raw text in, the tails
 * keep these in a ring and filter them.
 */

// Level and line shapes are the LabApi contract's (api.ts), which the UI reads.
export { LOG_LEVELS }
export type { LogLevel, LogLine }

export interface LogFilter {
  nodes?: readonly number[]
  files?: readonly NodeLogChannel[]
  levels?: readonly LogLevel[]
  /** Case-insensitive substring of msg or the raw line. */
  text?: string
}

export const LOG_CHANNELS = Object.keys(NODE_LOG_FILES) as NodeLogChannel[]

/** pino's numeric levels, in case a logger is configured without level labels. */
const PINO_LEVELS: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

export function levelOf(v: unknown): LogLevel {
  if (typeof v === 'number') return PINO_LEVELS[v] ?? 'unknown'
  if (typeof v === 'string') {
    const l = v.toLowerCase()
    if ((LOG_LEVELS as readonly string[]).includes(l)) return l as LogLevel
    if (l === 'warning') return 'warn'
  }
  return 'unknown'
}

/**
 * Parse one line (without its newline). A line that is not a JSON object (a crash trace, a
 * torn write) is kept as raw text with level 'unknown': the lines nobody expected are often
 * the ones that explain a failure.
 */
export function parseLogLine(raw: string, nodeId: number, file: NodeLogChannel, readAt: number): LogLine {
  let obj: unknown
  const t = raw.trimStart()
  if (t.startsWith('{')) {
    try {
      obj = JSON.parse(raw)
    } catch {
      obj = undefined
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return { nodeId, file, level: 'unknown', time: readAt, msg: raw, fields: {}, raw }
  }
  const { level, time, msg, ...fields } = obj as Record<string, unknown>
  return {
    nodeId,
    file,
    level: levelOf(level),
    time: typeof time === 'number' && Number.isFinite(time) ? time : readAt,
    msg: typeof msg === 'string' ? msg : msg === undefined ? '' : JSON.stringify(msg),
    fields,
    raw
  }
}

/** True when `line` passes every criterion given; an empty or absent list means "any". */
export function matches(line: LogLine, f: LogFilter): boolean {
  if (f.nodes && f.nodes.length > 0 && !f.nodes.includes(line.nodeId)) return false
  if (f.files && f.files.length > 0 && !f.files.includes(line.file)) return false
  if (f.levels && f.levels.length > 0 && !f.levels.includes(line.level)) return false
  if (f.text) {
    const needle = f.text.toLowerCase()
    if (!line.msg.toLowerCase().includes(needle) && !line.raw.toLowerCase().includes(needle)) return false
  }
  return true
}
