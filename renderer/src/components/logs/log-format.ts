/** How a log line reads in the list: level tones and the detail panel's fields. Pure. */
import type { LogLevel } from '../../../../electron/lab/api'

export type LevelTone = 'muted' | 'info' | 'warn' | 'bad' | 'neutral'

export function levelTone(level: LogLevel): LevelTone {
  switch (level) {
    case 'trace':
    case 'debug':
      return 'muted'
    case 'info':
      return 'info'
    case 'warn':
      return 'warn'
    case 'error':
    case 'fatal':
      return 'bad'
    default:
      return 'neutral'
  }
}

/**
 * The fields of a raw JSON line besides level, time and msg (the engine's `LogLine.fields`,
 * derived again here because the store does not keep them). [] for a line that is not JSON.
 */
export function fieldsOf(raw: string): Array<[string, string]> {
  let obj: unknown
  try {
    obj = JSON.parse(raw)
  } catch {
    return []
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return []
  const out: Array<[string, string]> = []
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (k === 'level' || k === 'time' || k === 'msg') continue
    out.push([k, typeof v === 'string' ? v : JSON.stringify(v)])
  }
  return out
}

/** The raw line, indented when it is JSON (easier to read in the detail panel). */
export function prettyRaw(raw: string): string {
  try {
    const obj: unknown = JSON.parse(raw)
    if (typeof obj === 'object' && obj !== null) return JSON.stringify(obj, null, 2)
  } catch {
    // Not JSON: show it as it was written.
  }
  return raw
}
