/**
 * Recorded runs, read back for replay: `recording.list` and `recording.load` of the LabApi.
 *
 * A recording (recorder.ts) is not in time order on disk: lab events are written as the bus
 * delivers them, Raft trace events when the merger lets them go (up to 1.5 s later), metrics
 * samples to their own file. Replay wants one stream in time order, paged, for runs far larger
 * than memory. So a run is scanned once into an index of (time, file, byte offset, length) —
 * typed arrays, about 20 bytes per event — sorted by time, and pages are read back by byte
 * ranges. Message events are sampled on the way as the live UI got them (MessageSampler), so a
 * replay at 60× carries what the views can draw, with the same `trace.sampled` counts.
 *
 * The pure parts (record → LabEvent, record time, run id and path checks, summaries, the
 * index's ordering, read-range coalescing) come first; the fs parts below them.
 */
import { existsSync, realpathSync, statSync } from 'node:fs'
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import {
  DEFAULT_RECORDING_PAGE,
  MAX_RECORDING_PAGE,
  RUN_ID_PATTERN,
  type LabEvent,
  type MetricsSample,
  type NodeId,
  type RecordingInfo,
  type RecordingPage,
  type RecordingProblem
} from '../api'
import { LabServiceError } from '../errors'
import type { RecordingMeta } from './recorder'
import { MessageSampler, type MergedEvent } from './trace-merger'

/** Message events per node per second the UI gets at the seed profile (as in run.ts). */
export const REPLAY_MESSAGE_EVENTS_PER_SECOND = 150
/** Runs listed at most (newest first). */
export const MAX_LISTED_RECORDINGS = 500
/** A page stops early past this many bytes of JSON, whatever its limit. */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024

// ---- pure ---------------------------------------------------------------------------------

/** Where a replayed record comes from: events.ndjson, metrics.ndjson, or made while indexing. */
export type Source = 0 | 1 | 2
export const SOURCE_EVENTS: Source = 0
export const SOURCE_METRICS: Source = 1
export const SOURCE_MADE: Source = 2

/** Lab events that must not be replayed: a menu command would switch the viewer's own view. */
const NOT_REPLAYED = new Set(['ui.command'])

type AnyRecord = Record<string, unknown>

const isRecord = (v: unknown): v is AnyRecord => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A merged trace record (raft, trace.gap, trace.reset) carries `at` and no bus stamp. */
function isMerged(r: AnyRecord): boolean {
  return typeof r.at === 'number' && typeof r.seq !== 'number' && (r.type === 'raft' || r.type === 'trace.gap' || r.type === 'trace.reset')
}

/** The record's time, or null when it has none (then it is reported, not replayed). */
export function recordTime(record: unknown, source: Source): number | null {
  if (!isRecord(record)) return null
  const t = source === SOURCE_METRICS || isMerged(record) ? record.at : record.ts
  return typeof t === 'number' && Number.isFinite(t) ? t : null
}

/** Whether a record of events.ndjson belongs in the replay. */
export function isReplayed(record: unknown): boolean {
  return isRecord(record) && typeof record.type === 'string' && !NOT_REPLAYED.has(record.type)
}

/** A recorded line as the LabEvent the feed takes: `seq` its replay position, `ts` its time. */
export function toReplayEvent(record: unknown, source: Source, seq: number, ts: number): LabEvent {
  if (source === SOURCE_METRICS) return { type: 'metrics.sample', sample: record as MetricsSample, seq, ts }
  const r = { ...(record as AnyRecord) }
  if (isMerged(r)) delete r.at
  return { ...r, seq, ts } as unknown as LabEvent
}

/** Refuse anything but a plain run id: the path is built from it. */
export function checkRunId(runId: unknown): string {
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw new LabServiceError('INVALID_ARGUMENT', '"runId" must be a run id (letters, digits, - and _, at most 64)')
  }
  return runId
}

/** True when `child` is `root` or lies inside it (both already resolved). */
export function isInside(root: string, child: string): boolean {
  return child === root || child.startsWith(root.endsWith(sep) ? root : root + sep)
}

/** The list entry of one run from its meta.json and what else lies beside it. */
export function summarize(
  meta: RecordingMeta,
  extra: { sizeBytes: number; lastWriteAt: number; drill: string | null; current: boolean }
): RecordingInfo {
  const startedAt = meta.startedAt
  const endedAt = Math.max(startedAt, meta.endedAt ?? extra.lastWriteAt)
  const cluster = isRecord(meta.cluster) ? meta.cluster : null
  const size = cluster && typeof cluster.size === 'number' ? cluster.size : null
  const sum = (r: Record<string, number> | undefined): number => Object.values(r ?? {}).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0)
  return {
    runId: meta.runId,
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    events: (meta.written?.events ?? 0) + (meta.written?.metrics ?? 0),
    dropped: sum(meta.dropped),
    sizeBytes: extra.sizeBytes,
    drill: extra.drill,
    clusterSize: size,
    current: extra.current
  }
}

/** Newest first (by start time, then run id, which sorts by time too). */
export function newestFirst(a: RecordingInfo, b: RecordingInfo): number {
  return b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0)
}

/** Indexes 0..n-1 ordered by time; ties keep the order they were indexed in. */
export function timeOrder(times: Float64Array, n: number): Uint32Array {
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => times[a]! - times[b]! || a - b)
  return order
}

export interface ByteRange {
  offset: number
  length: number
}

/** Merge byte ranges that lie close together into few reads (the file is nearly in order). */
export function coalesce(ranges: readonly ByteRange[], maxGap = 64 * 1024, maxRead = 8 * 1024 * 1024): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset)
  const out: ByteRange[] = []
  for (const r of sorted) {
    const last = out.at(-1)
    const end = r.offset + r.length
    if (last && r.offset - (last.offset + last.length) <= maxGap && end - last.offset <= maxRead) {
      last.length = Math.max(last.length, end - last.offset)
    } else {
      out.push({ offset: r.offset, length: r.length })
    }
  }
  return out
}

/** Clamp a page request to the index: the first position and how many to return. */
export function pageSpan(total: number, fromSeq = 1, limit = DEFAULT_RECORDING_PAGE): { start: number; count: number } {
  const start = Math.min(Math.max(fromSeq, 1), total + 1) - 1
  const count = Math.max(0, Math.min(limit, MAX_RECORDING_PAGE, total - start))
  return { start, count }
}

// ---- the index ----------------------------------------------------------------------------

/** Growable columns of the index (typed arrays, doubled as they fill). */
class Columns {
  n = 0
  times = new Float64Array(1024)
  offsets = new Float64Array(1024)
  lengths = new Uint32Array(1024)
  sources = new Uint8Array(1024)

  add(time: number, source: Source, offset: number, length: number): void {
    if (this.n === this.times.length) {
      const grow = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2)
        b.set(a)
        return b
      }
      this.times = grow(this.times)
      this.offsets = grow(this.offsets)
      this.lengths = grow(this.lengths)
      this.sources = grow(this.sources)
    }
    this.times[this.n] = time
    this.offsets[this.n] = offset
    this.lengths[this.n] = length
    this.sources[this.n] = source
    this.n++
  }
}

export interface RecordingIndex {
  dir: string
  startedAt: number
  endedAt: number
  total: number
  times: Float64Array
  offsets: Float64Array
  lengths: Uint32Array
  sources: Uint8Array
  /** Replay position → row of the columns above. */
  order: Uint32Array
  /** Events made while indexing (`trace.sampled`), by offset. */
  made: LabEvent[]
  problems: RecordingProblem[]
  /** Sizes of the files when indexed: a growing (current) run is indexed again on a first page. */
  sizes: [number, number]
}

/**
 * Every complete line of a file with its byte offset and length (without the newline). A last
 * line without a newline is handed over too, flagged, so the caller can call it torn.
 */
async function scanLines(path: string, onLine: (text: string, offset: number, length: number, lineNo: number, last: boolean) => void): Promise<number> {
  if (!existsSync(path)) return 0
  const fh = await open(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(1 << 20)
    let carry: Buffer = Buffer.alloc(0)
    let carryOffset = 0
    let pos = 0
    let lineNo = 0
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos)
      if (bytesRead === 0) break
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
      let start = 0
      for (;;) {
        const nl = buf.indexOf(10, start)
        if (nl < 0) break
        lineNo++
        onLine(buf.toString('utf8', start, nl), carryOffset + start, nl - start, lineNo, false)
        start = nl + 1
      }
      carry = Buffer.from(buf.subarray(start))
      carryOffset += start
      pos += bytesRead
    }
    if (carry.length > 0) onLine(carry.toString('utf8'), carryOffset, carry.length, lineNo + 1, true)
    return pos
  } finally {
    await fh.close()
  }
}

/** Scan a run's recording into a time-ordered index. */
export async function indexRecording(dir: string, meta: RecordingMeta | null): Promise<RecordingIndex> {
  const cols = new Columns()
  const problems: RecordingProblem[] = []
  const made: LabEvent[] = []
  const cluster = isRecord(meta?.cluster) ? meta.cluster : null
  const teaching = isRecord(cluster?.settings) && cluster.settings.profile === 'teaching'
  const budget = (t: boolean): number => (t ? Number.POSITIVE_INFINITY : REPLAY_MESSAGE_EVENTS_PER_SECOND)
  const sampler = new MessageSampler(budget(teaching))
  const sizes: [number, number] = [0, 0]

  const scan = async (source: Source, file: string): Promise<void> => {
    const path = join(dir, file)
    let pending: { line: number; torn: boolean } | null = null
    sizes[source as 0 | 1] = await scanLines(path, (text, offset, length, line, last) => {
      if (pending) problems.push({ file, line: pending.line, reason: 'not valid JSON (skipped)' })
      pending = null
      if (text.trim() === '') return
      let record: unknown
      try {
        record = JSON.parse(text)
      } catch {
        pending = { line, torn: last }
        return
      }
      if (last) {
        // Whole JSON but no newline yet: the writer may still be finishing it; leave it for later.
        return
      }
      const time = recordTime(record, source)
      if (source === SOURCE_EVENTS && isRecord(record) && record.type === 'events.dropped') {
        // Live, this makes stores fetch a fresh snapshot; in a replay that would be the live
        // lab's, so the gap is reported instead of replayed.
        problems.push({ file, line, reason: `the recorder's queue overflowed here: ${String(record.count)} events are missing` })
        return
      }
      if (time === null || (source === SOURCE_EVENTS && !isReplayed(record))) return
      if (source === SOURCE_EVENTS) {
        const r = record as AnyRecord
        if (r.type === 'cluster.settings' && isRecord(r.settings)) sampler.setBudget(budget(r.settings.profile === 'teaching'))
        if (isMerged(r) && !sampler.keep(r as unknown as MergedEvent, (nodeId: NodeId, kept: number, skipped: number) => {
          made.push({ type: 'trace.sampled', nodeId, kept, skipped, seq: 0, ts: time })
          cols.add(time, SOURCE_MADE, made.length - 1, 0)
        })) return
      }
      cols.add(time, source, offset, length)
    })
    if (pending) {
      const p = pending as { line: number; torn: boolean }
      problems.push({ file, line: p.line, reason: p.torn ? 'torn last line (the lab stopped mid-write): skipped' : 'not valid JSON (skipped)' })
    }
  }
  await scan(SOURCE_EVENTS, 'events.ndjson')
  await scan(SOURCE_METRICS, 'metrics.ndjson')

  const order = timeOrder(cols.times, cols.n)
  const first = cols.n > 0 ? cols.times[order[0]!]! : null
  const last = cols.n > 0 ? cols.times[order[cols.n - 1]!]! : null
  const startedAt = meta?.startedAt ?? first ?? 0
  return {
    dir,
    startedAt: first !== null ? Math.min(startedAt, first) : startedAt,
    endedAt: Math.max(startedAt, last ?? startedAt),
    total: cols.n,
    times: cols.times,
    offsets: cols.offsets,
    lengths: cols.lengths,
    sources: cols.sources,
    order,
    made,
    problems,
    sizes
  }
}

/** Read the events at replay positions [start, start + count), stopping early past MAX_PAGE_BYTES. */
export async function readPage(index: RecordingIndex, start: number, count: number): Promise<LabEvent[]> {
  let bytes = 0
  let n = 0
  while (n < count) {
    const row = index.order[start + n]!
    bytes += index.lengths[row]!
    n++
    if (bytes > MAX_PAGE_BYTES) break
  }
  const rows = Array.from(index.order.subarray(start, start + n))
  const texts = new Map<number, string>()
  for (const source of [SOURCE_EVENTS, SOURCE_METRICS] as const) {
    const mine = rows.filter((r) => index.sources[r] === source)
    if (mine.length === 0) continue
    const fh = await open(join(index.dir, source === SOURCE_EVENTS ? 'events.ndjson' : 'metrics.ndjson'), 'r')
    try {
      const reads = coalesce(mine.map((r) => ({ offset: index.offsets[r]!, length: index.lengths[r]! })))
      const bufs: { offset: number; buf: Buffer }[] = []
      for (const rd of reads) {
        const buf = Buffer.allocUnsafe(rd.length)
        const { bytesRead } = await fh.read(buf, 0, rd.length, rd.offset)
        bufs.push({ offset: rd.offset, buf: buf.subarray(0, bytesRead) })
      }
      for (const r of mine) {
        const off = index.offsets[r]!
        const b = bufs.find((x) => off >= x.offset && off < x.offset + x.buf.length)!
        texts.set(r, b.buf.toString('utf8', off - b.offset, off - b.offset + index.lengths[r]!))
      }
    } finally {
      await fh.close()
    }
  }
  return rows.map((row, i) => {
    const seq = start + i + 1
    const ts = index.times[row]!
    const source = index.sources[row] as Source
    if (source === SOURCE_MADE) return { ...index.made[index.offsets[row]!]!, seq, ts }
    return toReplayEvent(JSON.parse(texts.get(row)!), source, seq, ts)
  })
}

// ---- the store of recordings --------------------------------------------------------------

async function readMeta(dir: string): Promise<RecordingMeta | null> {
  try {
    const m = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as unknown
    return isRecord(m) && typeof m.runId === 'string' && typeof m.startedAt === 'number' ? (m as unknown as RecordingMeta) : null
  } catch {
    return null
  }
}

/** The name of the drill a run was made by (drill.json beside the recording), or null. */
async function readDrill(dir: string): Promise<string | null> {
  try {
    const d = JSON.parse(await readFile(join(dir, 'drill.json'), 'utf8')) as unknown
    return isRecord(d) && typeof d.name === 'string' ? d.name : null
  } catch {
    return null
  }
}

/** Mark a run's recording as made by a drill (the lab calls this when a drill creates its cluster). */
export async function markDrillRecording(runDir: string, name: string): Promise<void> {
  try {
    await writeFile(join(runDir, 'recording', 'drill.json'), `${JSON.stringify({ name })}\n`)
  } catch {
    // The list then shows it as free play; the run itself is unharmed.
  }
}

/** Recorded runs of one data root, listed and paged; keeps the index of the last two runs read. */
export class Recordings {
  private readonly runsDir: string
  private readonly cache = new Map<string, RecordingIndex>()

  /**
   * `current` names the lab's current run and its recorder's live counts: its meta.json is
   * written again only when the recorder closes.
   */
  constructor(
    dataRoot: string,
    private readonly current: () => ({ runId: string } & Pick<RecordingMeta, 'written' | 'dropped'>) | null = () => null
  ) {
    this.runsDir = resolve(dataRoot, 'runs')
  }

  async list(): Promise<RecordingInfo[]> {
    let names: string[]
    try {
      names = (await readdir(this.runsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && RUN_ID_PATTERN.test(d.name)).map((d) => d.name)
    } catch {
      return []
    }
    const current = this.current()
    const out: RecordingInfo[] = []
    for (const name of names) {
      const dir = join(this.runsDir, name, 'recording')
      const meta = await readMeta(dir)
      if (!meta) continue
      let sizeBytes = 0
      let lastWriteAt = meta.startedAt
      for (const f of ['events.ndjson', 'metrics.ndjson', 'logs-index.ndjson', 'meta.json']) {
        try {
          const st = await stat(join(dir, f))
          sizeBytes += st.size
          if (f !== 'meta.json') lastWriteAt = Math.max(lastWriteAt, st.mtimeMs)
        } catch {
          // A missing file adds nothing.
        }
      }
      const live = current?.runId === name ? current : null
      const counts = live ? { written: live.written, dropped: live.dropped } : {}
      out.push(summarize({ ...meta, ...counts, runId: name }, { sizeBytes, lastWriteAt: Math.round(lastWriteAt), drill: await readDrill(dir), current: live !== null }))
    }
    return out.sort(newestFirst).slice(0, MAX_LISTED_RECORDINGS)
  }

  /** The recording directory of a run, checked to lie inside the data root's runs. */
  private dirOf(runId: string): string {
    checkRunId(runId)
    const dir = resolve(this.runsDir, runId, 'recording')
    if (!isInside(this.runsDir, dir) || !existsSync(join(dir, 'meta.json'))) {
      throw new LabServiceError('INVALID_ARGUMENT', `"runId": no recording "${runId}" under the lab's data root`)
    }
    // A symlinked run directory must not lead out of the data root either.
    const real = realpathSync(dir)
    if (!isInside(realpathSync(this.runsDir), real)) throw new LabServiceError('INVALID_ARGUMENT', `"runId": recording "${runId}" lies outside the lab's data root`)
    return real
  }

  async load(req: { runId: string; fromSeq?: number; limit?: number }): Promise<RecordingPage> {
    const dir = this.dirOf(req.runId)
    const index = await this.index(req.runId, dir, (req.fromSeq ?? 1) <= 1)
    const { start, count } = pageSpan(index.total, req.fromSeq, req.limit)
    const events = count > 0 ? await readPage(index, start, count) : []
    const next = start + events.length
    return {
      runId: req.runId,
      startedAt: index.startedAt,
      endedAt: index.endedAt,
      total: index.total,
      fromSeq: start + 1,
      events,
      nextSeq: next < index.total ? next + 1 : null,
      problems: index.problems
    }
  }

  /**
   * The run's index: cached, and built again only for a first page of a run whose files grew
   * (so the pages of one replay all come from one consistent index).
   */
  private async index(runId: string, dir: string, firstPage: boolean): Promise<RecordingIndex> {
    const cached = this.cache.get(runId)
    if (cached && (!firstPage || sameSizes(dir, cached.sizes))) return cached
    const index = await indexRecording(dir, await readMeta(dir))
    this.cache.delete(runId)
    this.cache.set(runId, index)
    while (this.cache.size > 2) this.cache.delete(this.cache.keys().next().value!)
    return index
  }
}

function sameSizes(dir: string, sizes: [number, number]): boolean {
  const size = (f: string): number => {
    try {
      return statSync(join(dir, f)).size
    } catch {
      return 0
    }
  }
  return size('events.ndjson') === sizes[0] && size('metrics.ndjson') === sizes[1]
}
