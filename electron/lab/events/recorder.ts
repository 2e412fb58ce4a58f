/**
 * Records a lab run to `<runDir>/recording/` so it can be replayed and reported later:
 *   events.ndjson      every lab event and every Raft trace event (unsampled), one per line
 *   metrics.ndjson     one metrics sample per line
 *   logs-index.ndjson  one entry per log line (node, file, time, level), not the text: the
 *                      node's own log files stay the source
 *   meta.json          run id, settings, versions, start/end, and what was dropped
 * Writing never blocks the lab: lines go to write streams, and when the disk falls more than
 * `maxPendingBytes` behind, lines are dropped and counted (the count lands in meta.json).
 */
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'

export type RecordingFile = 'events' | 'metrics' | 'logs-index'

export interface RecordingMeta {
  runId: string
  startedAt: number
  endedAt?: number
  labVersion: string
  nodeVersion: string
  cluster: unknown
  dropped: Record<RecordingFile, number>
  written: Record<RecordingFile, number>
}

export class Recorder {
  readonly dir: string
  private readonly streams: Record<RecordingFile, WriteStream>
  private readonly meta: RecordingMeta
  private closed = false

  constructor(
    runDir: string,
    meta: Omit<RecordingMeta, 'dropped' | 'written'>,
    private readonly maxPendingBytes = 8 * 1024 * 1024
  ) {
    this.dir = join(runDir, 'recording')
    mkdirSync(this.dir, { recursive: true })
    const open = (f: RecordingFile): WriteStream => {
      const s = createWriteStream(join(this.dir, `${f}.ndjson`), { flags: 'a' })
      s.on('error', () => undefined)
      return s
    }
    this.streams = { events: open('events'), metrics: open('metrics'), 'logs-index': open('logs-index') }
    this.meta = { ...meta, dropped: { events: 0, metrics: 0, 'logs-index': 0 }, written: { events: 0, metrics: 0, 'logs-index': 0 } }
    this.writeMeta()
  }

  /** Append one record (any JSON value) to a file of the recording. */
  write(file: RecordingFile, record: unknown): void {
    if (this.closed) return
    const s = this.streams[file]
    if (s.writableLength > this.maxPendingBytes) {
      this.meta.dropped[file]++
      return
    }
    s.write(`${JSON.stringify(record)}\n`)
    this.meta.written[file]++
  }

  /** Many records at once (one write call). */
  writeMany(file: RecordingFile, records: readonly unknown[]): void {
    if (this.closed || records.length === 0) return
    const s = this.streams[file]
    if (s.writableLength > this.maxPendingBytes) {
      this.meta.dropped[file] += records.length
      return
    }
    let text = ''
    for (const r of records) text += `${JSON.stringify(r)}\n`
    s.write(text)
    this.meta.written[file] += records.length
  }

  get stats(): Pick<RecordingMeta, 'dropped' | 'written'> {
    return { dropped: { ...this.meta.dropped }, written: { ...this.meta.written } }
  }

  updateMeta(patch: Partial<Pick<RecordingMeta, 'cluster'>>): void {
    Object.assign(this.meta, patch)
    this.writeMeta()
  }

  /** Flush every file and write the final meta.json. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.meta.endedAt = Date.now()
    await Promise.all(Object.values(this.streams).map((s) => new Promise<void>((r) => s.end(() => r()))))
    this.writeMeta()
  }

  private writeMeta(): void {
    try {
      writeFileSync(join(this.dir, 'meta.json'), `${JSON.stringify(this.meta, null, 2)}\n`)
    } catch {
      // A full disk must not stop the lab; the streams count their own losses.
    }
  }
}
