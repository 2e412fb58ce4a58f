import { describe, expect, it } from 'vitest'
import { DRILLS, REPORTS } from '../../testing/drills-fixtures'
import { currentStep, exportFileName, findReport, formatElapsed, groupDrills, groupOf, parseProgress, planNumber, progressRows, verdictOfLines } from './drill-model'

describe('drill grouping', () => {
  it('puts the emergency plans first, in plan order, then the other groups in a fixed order', () => {
    const sections = groupDrills(DRILLS)
    expect(sections.map((s) => s.group)).toEqual(['plans', 'partitions', 'operations'])
    expect(sections[0]!.drills.map((d) => d.name)).toEqual(['leader-crash', 'whole-cluster-restart', 'external-database'])
    expect(sections[2]!.drills.map((d) => d.name)).toEqual(['rolling-restart', 'leadership-transfer'])
  })

  it('reads the plan number from the seed text and files unknown drills under "other"', () => {
    expect(planNumber({ seed: '§8.4 预案2' })).toBe(2)
    expect(planNumber({ seed: '§5.2' })).toBeNull()
    expect(groupOf({ name: 'my-own-drill', seed: '§8.4 预案1' })).toBe('plans')
    expect(groupOf({ name: 'my-own-drill' })).toBe('other')
  })
})

describe('progress lines', () => {
  it('recognises steps, failures, checks and the verdict', () => {
    expect(parseProgress('step 3/7: crash the leader → node 2', 5)).toEqual({ at: 5, text: 'crash the leader → node 2', kind: 'step', step: { index: 3, total: 7 } })
    expect(parseProgress('  failed: there is no leader to act on', 6)).toMatchObject({ kind: 'failed', text: 'there is no leader to act on' })
    expect(parseProgress('verdict: FAIL', 7)).toMatchObject({ kind: 'verdict', verdict: 'fail' })
    expect(parseProgress('external-database: not applicable — Embedded storage', 1)).toMatchObject({ kind: 'verdict', verdict: 'not-applicable' })
    expect(parseProgress('checking durability: reading every key', 8).kind).toBe('check')
    expect(parseProgress('creating a 3-node cluster', 0).kind).toBe('setup')
  })

  it('marks steps done, failed or active and measures time from the first line', () => {
    const lines = [parseProgress('creating a 3-node cluster', 1000), parseProgress('step 1/2: wait 1000 ms', 1500), parseProgress('step 2/2: crash the leader', 2600)]
    expect(progressRows(lines, true).map((r) => [r.state, r.elapsedMs])).toEqual([
      ['done', 0],
      ['done', 500],
      ['active', 1600]
    ])
    expect(progressRows(lines, false).at(-1)!.state).toBe('done')
    const failing = [...lines, parseProgress('  failed: no leader', 2700)]
    expect(progressRows(failing, false).map((r) => r.state)).toEqual(['done', 'done', 'failed', 'failed'])
    expect(currentStep(lines)?.step).toEqual({ index: 2, total: 2 })
    expect(verdictOfLines([...lines, parseProgress('verdict: PASS', 3000)])).toBe('pass')
    expect(progressRows([parseProgress('verdict: FAIL', 1)], false)[0]!.state).toBe('failed')
    expect(progressRows([parseProgress('verdict: PASS', 1)], false)[0]!.state).toBe('done')
    expect(verdictOfLines(lines)).toBeNull()
  })

  it('formats elapsed time in seconds, then minutes', () => {
    expect(formatElapsed(1234)).toBe('1.2 s')
    expect(formatElapsed(-5)).toBe('0.0 s')
    expect(formatElapsed(125_000)).toBe('2 min 05 s')
  })
})

describe('report files', () => {
  it('names downloads after the report folder, safely', () => {
    expect(exportFileName('/tmp/lab/reports/leader-crash-20261124-223512-3fa9', 'html')).toBe('leader-crash-20261124-223512-3fa9.html')
    expect(exportFileName('C:\\Users\\me\\lab\\reports\\a b:c', 'md')).toBe('a_b_c.md')
  })

  it('finds the summary of a run’s report folder', () => {
    expect(findReport(REPORTS, REPORTS[1]!.dir)?.name).toBe('split-brain-3-2')
    expect(findReport(REPORTS, '/elsewhere/reports/missing')).toBeNull()
    expect(findReport(REPORTS, null)).toBeNull()
  })
})
