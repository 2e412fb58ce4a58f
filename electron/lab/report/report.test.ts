import Ajv from 'ajv'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { syntheticHistory } from '../checker/synthetic'
import { checkHistory } from '../checker/linearizability'
import type { DrillResult } from '../drills/drill-runner'
import { faultBands } from './charts'
import { reportHtml, reportJson, reportMarkdown } from './report'

const schema = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '../../../resources/schemas'), 'drill-report.schema.json'), 'utf8')) as object

/** A plausible result of a leader-crash drill, with a real (synthetic) history. */
function result(): DrillResult {
  const history = syntheticHistory({ ops: 300, keys: 2, clients: 4, seed: 3 })
  const t0 = history[0]!.invokeAt
  return {
    drill: { name: 'leader-crash', title: { 'zh-CN': '预案1：Leader 节点宕机', en: 'Plan 1: the leader crashes' }, seed: '§8.4' },
    verdict: 'pass',
    startedAt: t0,
    endedAt: t0 + 5000,
    cluster: { runId: 'r', nodes: 3, profile: 'seed', preVote: true, checkQuorum: true, dataDir: '/tmp/r' },
    versions: { lab: '0.1.0', node: process.version, platform: process.platform },
    steps: [
      { index: 0, step: { kind: 'node', action: 'crash', node: { kind: 'leader' } }, text: 'crash the leader → node 1', startedAt: t0 + 1000, endedAt: t0 + 1010, ok: true, nodeId: 1 },
      { index: 1, step: { kind: 'node', action: 'restart', node: { kind: 'label', label: 'x' } }, text: 'restart x → node 1', startedAt: t0 + 3000, endedAt: t0 + 3300, ok: true, nodeId: 1 }
    ],
    faultAt: t0 + 1000,
    measurements: { leaderlessMs: 210, leaderless: [{ from: t0 + 1000, to: t0 + 1210, ms: 210 }], leaderChanges: [{ at: t0 + 1210, from: 1, to: 2, term: 3, gapMs: 250 }], failoverMs: 230, unavailable: { from: t0 + 1000, to: t0 + 1230, ms: 230 }, rejoinMs: 800, lostWrites: 0, phases: [{ phase: 'before', from: t0, to: t0 + 1000, ok: 10, fail: 0, unknown: 0 }], totals: { ok: 300, fail: 0, unknown: 0 } },
    checks: [
      { name: 'failover', expected: '≤ 1000 ms', actual: '230 ms', pass: true },
      { name: 'lostWrites', expected: '0', actual: '0', pass: true }
    ],
    consistency: checkHistory(history),
    durability: { ok: true, keysChecked: 2, lost: [], divergent: [] },
    samples: [
      { at: t0, leader: 1, term: 2 },
      { at: t0 + 1100, leader: null, term: 2 },
      { at: t0 + 1300, leader: 2, term: 3 }
    ],
    events: [],
    throughput: [{ at: t0, ok: 50, fail: 0, unknown: 1, p99: 12 }],
    history,
    command: 'quorum-lab drill leader-crash'
  }
}

describe('drill report', () => {
  it('is one self-contained HTML file with its verdict, charts and checks, in either language', () => {
    const r = result()
    for (const lang of ['en', 'zh-CN'] as const) {
      const html = reportHtml(r, lang)
      expect(html).toMatch(/^<!doctype html>/)
      expect(html).toContain(lang === 'en' ? 'PASS' : '通过')
      expect(html).toContain(lang === 'en' ? 'Plan 1: the leader crashes' : '预案1：Leader 节点宕机')
      expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(3)
      // Nothing to fetch: no external script, style, image or font.
      expect(html).not.toMatch(/<script|<link |src="http|url\(http/)
      expect(html).toContain('quorum-lab drill leader-crash')
    }
    expect(reportMarkdown(r, 'en')).toMatch(/\| Fault → first acknowledged write \| ≤ 1000 ms \| 230 ms \| pass \|/)
  })

  it('draws an anomaly when the checker finds one', () => {
    const r = result()
    const w = r.history.filter((o) => o.kind === 'write' && o.key === 'k0')
    const read = r.history.find((o) => o.kind === 'read' && o.key === 'k0' && w.filter((x) => x.completeAt! < o.invokeAt).length >= 3)!
    read.result = w[0]!.value
    r.consistency = checkHistory(r.history)
    expect(r.consistency.verdict).toBe('violation')
    const html = reportHtml(r, 'en')
    expect(html).toContain('Anomaly')
    expect(html).toMatch(/read &quot;c\d+-\d+&quot;/)
  })

  it('shades faults from each break to its repair', () => {
    const r = result()
    expect(faultBands(r)).toEqual([[1, 3]])
  })

  it('JSON validates against its schema', () => {
    const ajv = new Ajv({ allErrors: true })
    const validate = ajv.compile(schema)
    const json = JSON.parse(JSON.stringify(reportJson(result())))
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
    const broken = { ...json, verdict: 'maybe' }
    expect(validate(broken)).toBe(false)
  })
})
