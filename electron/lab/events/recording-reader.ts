/**
 * Reads a recording back, line by line. A last line cut short (the lab was killed while
 * writing it) is skipped and reported, not an error; a bad line in the middle is reported
 * with its line number and skipped too, so one damaged line never hides a whole run.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { RecordingFile, RecordingMeta } from './recorder'

export interface ReadProblem {
  file: string
  line: number
  reason: string
}

export async function readRecordingFile<T>(dir: string, file: RecordingFile, onRecord: (r: T) => void): Promise<{ records: number; problems: ReadProblem[] }> {
  const path = join(dir, `${file}.ndjson`)
  const problems: ReadProblem[] = []
  if (!existsSync(path)) return { records: 0, problems: [{ file: path, line: 0, reason: 'missing' }] }
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  let n = 0
  let records = 0
  let pending: { line: number; text: string } | null = null
  for await (const text of rl) {
    n++
    if (pending) problems.push({ file: path, line: pending.line, reason: 'not valid JSON (skipped)' })
    pending = null
    if (text.trim() === '') continue
    try {
      onRecord(JSON.parse(text) as T)
      records++
    } catch {
      pending = { line: n, text }
    }
  }
  if (pending) problems.push({ file: path, line: pending.line, reason: 'torn last line (the lab stopped mid-write): skipped' })
  return { records, problems }
}

export function readRecordingMeta(dir: string): RecordingMeta | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as RecordingMeta
  } catch {
    return null
  }
}
