import { appendFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatchLab, labValidators, ok, type LabEvent, type LabHandler } from '../api'
import { LabServiceError } from '../errors'
import { Recorder } from './recorder'
import { coalesce, markDrillRecording, pageSpan, Recordings, recordTime, timeOrder, toReplayEvent, SOURCE_EVENTS, SOURCE_METRICS } from './recordings'

const cluster = (size: number, profile = 'seed') => ({ runId: 'x', size, settings: { profile, preVote: true, checkQuorum: true }, nodes: [] })

/** A data root with one recorded run written by the real Recorder. */
async function recordRun(root: string, runId: string, startedAt: number, write: (r: Recorder) => void, profile = 'seed'): Promise<string> {
  const runDir = join(root, 'runs', runId)
  const r = new Recorder(runDir, { runId, startedAt, labVersion: 't', nodeVersion: process.version, cluster: cluster(3, profile) })
  write(r)
  await r.close()
  return r.dir
}

const lab = (seq: number, ts: number, body: Record<string, unknown>) => ({ ...body, seq, ts })
const raft = (nodeId: number, nodeSeq: number, at: number, type = 'roleChanged', extra: Record<string, unknown> = {}) => ({
  type: 'raft',
  nodeId,
  nodeSeq,
  nodeTs: at,
  event: { type, node: nodeId, ...extra },
  at
})
const sample = (at: number) => ({ at, intervalMs: 1000, nodes: [], cluster: { size: 3, nodesUp: 3, quorum: 2, leader: 1, qps: 0, p99Ms: null, errorRate: 0, leaderChanges: 0 } })

async function loadAll(recs: Recordings, runId: string, limit: number): Promise<LabEvent[]> {
  const out: LabEvent[] = []
  let from: number | null = 1
  while (from !== null) {
    const page = await recs.load({ runId, fromSeq: from, limit })
    expect(page.events.length).toBeLessThanOrEqual(limit)
    out.push(...page.events)
    from = page.nextSeq
  }
  return out
}

describe('recordings: list', () => {
  it('lists recorded runs newest first with their size, counts, drill and cluster size', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recs-'))
    await recordRun(root, '20260101-100000-aaaa', 1_000, (r) => {
      r.writeMany('events', [lab(1, 1_000, { type: 'cluster.state', state: 'running' }), raft(1, 1, 1_200)])
      r.write('metrics', sample(1_500))
    })
    const drillDir = await recordRun(root, '20260101-110000-bbbb', 5_000, (r) => r.write('events', lab(1, 5_100, { type: 'cluster.state', state: 'running' })))
    await markDrillRecording(join(drillDir, '..'), 'leader-crash')
    // Not recordings: a stray file, a directory without meta.json, a name that is not a run id.
    writeFileSync(join(root, 'runs', 'notes.txt'), 'x')
    mkdirSync(join(root, 'runs', '20260101-120000-cccc'))
    mkdirSync(join(root, 'runs', 'bad.name', 'recording'), { recursive: true })
    writeFileSync(join(root, 'runs', 'bad.name', 'recording', 'meta.json'), JSON.stringify({ runId: 'bad.name', startedAt: 9 }))

    // The current run's meta.json is rewritten only at close: its counts come from the recorder.
    const recs = new Recordings(root, () => ({ runId: '20260101-110000-bbbb', written: { events: 4, metrics: 2, 'logs-index': 9 }, dropped: { events: 1, metrics: 0, 'logs-index': 0 } }))
    const list = await recs.list()
    expect(list.map((r) => r.runId)).toEqual(['20260101-110000-bbbb', '20260101-100000-aaaa'])
    const [drill, free] = list
    expect(drill).toMatchObject({ drill: 'leader-crash', current: true, clusterSize: 3, events: 6, dropped: 1, startedAt: 5_000 })
    expect(free).toMatchObject({ drill: null, current: false, clusterSize: 3, events: 3, dropped: 0, startedAt: 1_000 })
    expect(free!.endedAt).toBeGreaterThan(free!.startedAt)
    expect(free!.durationMs).toBe(free!.endedAt - free!.startedAt)
    expect(free!.sizeBytes).toBeGreaterThan(100)
  })

  it('answers an empty list when the data root has no runs yet', async () => {
    expect(await new Recordings(mkdtempSync(join(tmpdir(), 'recs-'))).list()).toEqual([])
  })
})

describe('recordings: load', () => {
  it('merges lab events, late Raft events and metrics samples into one time-ordered, renumbered stream', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recs-'))
    await recordRun(root, 'run-a', 1_000, (r) => {
      r.writeMany('events', [lab(7, 1_000, { type: 'cluster.state', state: 'running' }), lab(8, 1_400, { type: 'node.exited', nodeId: 2, pid: 5, code: null, signal: 'SIGKILL', expected: false })])
      // The merger lets Raft events go up to 1.5 s late: on disk they follow later lab events.
      r.writeMany('events', [raft(1, 1, 1_100, 'roleChanged', { from: 'follower', to: 'leader', term: 2 }), raft(3, 1, 1_500)])
      r.write('events', lab(9, 1_300, { type: 'ui.command', command: 'view.logs' }))
      r.write('events', lab(0, 1_350, { type: 'events.dropped', count: 12 }))
      r.writeMany('metrics', [sample(1_050), sample(1_450)])
    })
    const page = await new Recordings(root).load({ runId: 'run-a' })
    expect(page).toMatchObject({ runId: 'run-a', startedAt: 1_000, endedAt: 1_500, total: 6, fromSeq: 1, nextSeq: null })
    // A menu command is not replayed (it would switch the viewer's view); a gap is reported, not replayed.
    expect(page.problems).toEqual([{ file: 'events.ndjson', line: 6, reason: "the recorder's queue overflowed here: 12 events are missing" }])
    expect(page.events.map((e) => [e.seq, e.ts, e.type])).toEqual([
      [1, 1_000, 'cluster.state'],
      [2, 1_050, 'metrics.sample'],
      [3, 1_100, 'raft'],
      [4, 1_400, 'node.exited'],
      [5, 1_450, 'metrics.sample'],
      [6, 1_500, 'raft']
    ])
    // The replayed Raft event is a LabEvent like the live one: no merger-only `at` field.
    expect(page.events[2]).toEqual({ type: 'raft', nodeId: 1, nodeSeq: 1, nodeTs: 1_100, event: { type: 'roleChanged', node: 1, from: 'follower', to: 'leader', term: 2 }, seq: 3, ts: 1_100 })
    expect(page.events[1]).toMatchObject({ type: 'metrics.sample', sample: { at: 1_050 } })
  })

  it('streams a long run in bounded pages that add up to the whole run in order', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recs-'))
    const n = 12_000
    await recordRun(root, 'run-long', 0, (r) => {
      // Out of order on disk in blocks, as the merger writes them.
      for (let b = 0; b < n / 1000; b++) {
        const block = Array.from({ length: 1000 }, (_, i) => raft(1 + (i % 3), b * 1000 + i + 1, (b % 2 === 0 ? b + 1 : b - 1) * 1000 + i, 'termChanged'))
        r.writeMany('events', block)
      }
    })
    const recs = new Recordings(root)
    const first = await recs.load({ runId: 'run-long', limit: 100_000 })
    expect(first.events).toHaveLength(5000)
    expect(first.total).toBe(n)
    const all = await loadAll(recs, 'run-long', 3000)
    expect(all).toHaveLength(n)
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    for (let i = 1; i < all.length; i++) expect(all[i]!.ts).toBeGreaterThanOrEqual(all[i - 1]!.ts)
    const beyond = await recs.load({ runId: 'run-long', fromSeq: n + 50 })
    expect(beyond).toMatchObject({ events: [], nextSeq: null, total: n })
  })

  it('samples message events as the live UI got them and says how many it left out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recs-'))
    await recordRun(root, 'run-msgs', 0, (r) => {
      r.writeMany('events', Array.from({ length: 400 }, (_, i) => raft(1, i + 1, i, 'msgSent')))
      r.write('events', raft(1, 401, 1_200, 'msgSent'))
    })
    const page = await new Recordings(root).load({ runId: 'run-msgs' })
    const msgs = page.events.filter((e) => e.type === 'raft')
    expect(msgs).toHaveLength(151)
    expect(page.events.find((e) => e.type === 'trace.sampled')).toMatchObject({ nodeId: 1, kept: 150, skipped: 250 })
    // The teaching profile kept every message live, so its replay does too.
    await recordRun(root, 'run-teach', 0, (r) => r.writeMany('events', Array.from({ length: 400 }, (_, i) => raft(1, i + 1, i, 'msgSent'))), 'teaching')
    expect((await new Recordings(root).load({ runId: 'run-teach' })).total).toBe(400)
  })

  it('skips and reports a torn last line and a damaged line in the middle', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recs-'))
    const dir = await recordRun(root, 'run-torn', 0, (r) => r.writeMany('events', [lab(1, 10, { type: 'cluster.state', state: 'running' })]))
    appendFileSync(join(dir, 'events.ndjson'), '{"type":"cluster.st\n')
    appendFileSync(join(dir, 'events.ndjson'), `${JSON.stringify(lab(2, 20, { type: 'cluster.state', state: 'stopping' }))}\n`)
    appendFileSync(join(dir, 'events.ndjson'), '{"type":"raft","nodeI')
    const page = await new Recordings(root).load({ runId: 'run-torn' })
    expect(page.events.map((e) => e.ts)).toEqual([10, 20])
    expect(page.problems).toEqual([
      { file: 'events.ndjson', line: 2, reason: 'not valid JSON (skipped)' },
      { file: 'events.ndjson', line: 4, reason: 'torn last line (the lab stopped mid-write): skipped' }
    ])
  })

  it('indexes a growing current run again on a first page, but keeps one index across the pages of a replay', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recs-'))
    const dir = await recordRun(root, 'run-grow', 0, (r) => r.writeMany('events', Array.from({ length: 10 }, (_, i) => lab(i + 1, i, { type: 'node.output', nodeId: 1, stream: 'stdout', text: `${i}` }))))
    const recs = new Recordings(root)
    expect((await recs.load({ runId: 'run-grow', limit: 5 })).total).toBe(10)
    appendFileSync(join(dir, 'events.ndjson'), `${JSON.stringify(lab(11, 50, { type: 'cluster.state', state: 'stopped' }))}\n`)
    expect((await recs.load({ runId: 'run-grow', fromSeq: 6, limit: 5 })).total).toBe(10)
    expect((await recs.load({ runId: 'run-grow' })).total).toBe(11)
  })
})

describe('recordings: run ids stay inside the data root', () => {
  it('refuses path traversal at the contract, naming the field', async () => {
    const handler: LabHandler = async () => ok(null as never)
    for (const runId of ['../etc', '..', 'a/b', 'a\\b', '.hidden', '', 'x'.repeat(65), 5, null]) {
      const r = await dispatchLab(handler, 'recording.load', { runId })
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
      if (!r.ok) expect(r.error.message).toMatch(/"runId"/)
    }
    expect(labValidators['recording.load']({ runId: 'run-1', fromSeq: 0 }).ok).toBe(false)
    expect(labValidators['recording.load']({ runId: 'run-1', limit: 5001 }).ok).toBe(false)
    expect(labValidators['recording.load']({ runId: 'run-1', path: '/etc' }).ok).toBe(false)
    expect(labValidators['recording.load']({ runId: '20261124-223512-3fa9', fromSeq: 3, limit: 10 }).ok).toBe(true)
    expect(labValidators['recording.list'](undefined).ok).toBe(true)
  })

  it('refuses in the engine too: bad ids, unknown runs and a symlink out of the data root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'recs-'))
    const outside = mkdtempSync(join(tmpdir(), 'recs-outside-'))
    await recordRun(outside, 'elsewhere', 0, (r) => r.write('events', lab(1, 1, { type: 'cluster.state', state: 'running' })))
    mkdirSync(join(root, 'runs'), { recursive: true })
    symlinkSync(join(outside, 'runs', 'elsewhere'), join(root, 'runs', 'linked'))
    const recs = new Recordings(root)
    for (const runId of ['../x', 'nope', 'linked']) {
      const err = await recs.load({ runId }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(LabServiceError)
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/"runId"/) })
    }
  })
})

describe('recordings: pure parts', () => {
  it('takes a record time from ts, a merged trace event from at, a metrics sample from at', () => {
    expect(recordTime(lab(1, 5, { type: 'cluster.state' }), SOURCE_EVENTS)).toBe(5)
    expect(recordTime(raft(1, 1, 7), SOURCE_EVENTS)).toBe(7)
    expect(recordTime(sample(9), SOURCE_METRICS)).toBe(9)
    expect(recordTime({ type: 'x' }, SOURCE_EVENTS)).toBeNull()
    expect(recordTime('junk', SOURCE_EVENTS)).toBeNull()
    expect(toReplayEvent(sample(9), SOURCE_METRICS, 4, 9)).toMatchObject({ type: 'metrics.sample', seq: 4, ts: 9, sample: { at: 9 } })
  })

  it('orders by time keeping ties in file order, pages within bounds, and coalesces nearby reads', () => {
    expect(Array.from(timeOrder(Float64Array.from([5, 1, 5, 0]), 4))).toEqual([3, 1, 0, 2])
    expect(pageSpan(10, 1, 4)).toEqual({ start: 0, count: 4 })
    expect(pageSpan(10, 9, 4)).toEqual({ start: 8, count: 2 })
    expect(pageSpan(10, 99, 4)).toEqual({ start: 10, count: 0 })
    expect(pageSpan(100_000, 1, 100_000)).toEqual({ start: 0, count: 5000 })
    expect(coalesce([{ offset: 100, length: 10 }, { offset: 0, length: 50 }, { offset: 1_000_000, length: 5 }], 40)).toEqual([
      { offset: 0, length: 50 },
      { offset: 100, length: 10 },
      { offset: 1_000_000, length: 5 }
    ])
    expect(coalesce([{ offset: 0, length: 50 }, { offset: 60, length: 10 }])).toEqual([{ offset: 0, length: 70 }])
  })
})
