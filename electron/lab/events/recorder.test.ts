import { appendFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Recorder } from './recorder'
import { readRecordingFile, readRecordingMeta } from './recording-reader'

describe('Recorder and reader', () => {
  it('round-trips events and reports a torn last line instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'))
    const r = new Recorder(dir, { runId: 'r1', startedAt: 1, labVersion: 't', nodeVersion: process.version, cluster: { size: 3 } })
    const events = Array.from({ length: 1000 }, (_, i) => ({ type: 'raft', nodeId: (i % 3) + 1, nodeSeq: i, ts: i }))
    r.writeMany('events', events.slice(0, 500))
    for (const e of events.slice(500)) r.write('events', e)
    r.write('metrics', { at: 5 })
    await r.close()
    expect(readRecordingMeta(r.dir)).toMatchObject({ runId: 'r1', written: { events: 1000, metrics: 1 }, dropped: { events: 0 } })
    appendFileSync(join(r.dir, 'events.ndjson'), '{"type":"raft","nodeI')
    const back: unknown[] = []
    const res = await readRecordingFile(r.dir, 'events', (e) => back.push(e))
    expect(back).toEqual(events)
    expect(res.problems).toEqual([{ file: join(r.dir, 'events.ndjson'), line: 1001, reason: 'torn last line (the lab stopped mid-write): skipped' }])
  })

  it('drops and counts when the disk falls behind, never blocking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'))
    const r = new Recorder(dir, { runId: 'r2', startedAt: 1, labVersion: 't', nodeVersion: process.version, cluster: null }, 1024)
    const big = { pad: 'x'.repeat(2000) }
    for (let i = 0; i < 50; i++) r.write('events', big)
    expect(r.stats.dropped.events).toBeGreaterThan(0)
    expect(r.stats.written.events + r.stats.dropped.events).toBe(50)
    await r.close()
    expect(readRecordingMeta(r.dir)?.dropped.events).toBe(r.stats.dropped.events)
  })
})
