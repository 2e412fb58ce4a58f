import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DrillScriptError, parseDrillScript, parseDuration } from './drill-script'

const dir = resolve(import.meta.dirname, '../../../resources/drills')

describe('built-in drills', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'))

  it('cover every drill the issue lists', () => {
    expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(
      [
        'disk-wipe',
        'external-database',
        'flaky-network',
        'follower-crash',
        'isolated-leader',
        'leader-crash',
        'leadership-transfer',
        'minority-partition',
        'one-way-partition',
        'paused-leader',
        'rolling-restart',
        'scale-out-in',
        'split-brain-3-2',
        'stale-read',
        'stale-read-linearizable',
        'whole-cluster-restart'
      ].sort()
    )
  })

  it.each(files)('%s parses, is named after its file and speaks both languages', (f) => {
    const d = parseDrillScript(readFileSync(join(dir, f), 'utf8'), f)
    expect(d.name).toBe(f.replace(/\.yaml$/, ''))
    expect(d.title['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    expect(d.title.en).toMatch(/[A-Za-z]/)
    expect(d.expect.lostWrites).toBe(0)
    if (d.notApplicable) expect(d.steps).toEqual([])
    else expect(d.steps.length).toBeGreaterThan(2)
  })

  it('pairs the stale-read lesson with its linearizable twin', () => {
    const any = parseDrillScript(readFileSync(join(dir, 'stale-read.yaml'), 'utf8'))
    const lin = parseDrillScript(readFileSync(join(dir, 'stale-read-linearizable.yaml'), 'utf8'))
    expect([any.workload?.readRouting, any.expect.consistency]).toEqual(['any', 'violation'])
    expect([lin.workload?.readRouting, lin.expect.consistency]).toEqual(['linearizable', 'linearizable'])
    expect(lin.steps).toEqual(any.steps)
  })
})

const base = `name: t
title: { zh-CN: 测试, en: test }
description: { zh-CN: 测试, en: test }
`

function errorOf(src: string): DrillScriptError {
  try {
    parseDrillScript(src, 't.yaml')
  } catch (e) {
    if (e instanceof DrillScriptError) return e
    throw e
  }
  throw new Error('expected a DrillScriptError')
}

describe('parseDrillScript errors name the line and the field', () => {
  it('an unknown node', () => {
    const e = errorOf(`${base}steps:\n  - wait: 1s\n  - crash: leadr\n`)
    expect(e.message).toBe('t.yaml:6: steps[1].crash: unknown node "leadr": use leader, follower, a node id, or a label set earlier with "as"')
  })

  it('a label used before it is set, and one that is set', () => {
    expect(errorOf(`${base}steps:\n  - restart: old\n`).message).toMatch(/^t\.yaml:5: steps\[0\]\.restart: unknown node "old"/)
    const ok = parseDrillScript(`${base}steps:\n  - crash: { node: leader, as: old }\n  - restart: old\n`)
    expect(ok.steps[1]).toEqual({ kind: 'node', action: 'restart', node: { kind: 'label', label: 'old' } })
  })

  it('bad durations, sizes, fields and YAML', () => {
    expect(errorOf(`${base}steps:\n  - wait: soon\n`).message).toMatch(/^t\.yaml:5: steps\[0\]\.wait: must be a duration/)
    expect(errorOf(`${base}cluster: { nodes: 12 }\nsteps:\n  - wait: 1s\n`).message).toMatch(/^t\.yaml:4: cluster\.nodes: must be a whole number from 1 to 9/)
    expect(errorOf(`${base}expect: { lostWrites: 3 }\nsteps:\n  - wait: 1s\n`).message).toMatch(/expect\.lostWrites: must be a whole number from 0 to 0/)
    expect(errorOf(`${base}colour: red\nsteps:\n  - wait: 1s\n`).message).toMatch(/^t\.yaml:4: colour: unknown field/)
    expect(errorOf(`${base}steps:\n  - explode: 1\n`).message).toMatch(/^t\.yaml:5: steps\[0\]\.explode: unknown step/)
    expect(errorOf(`${base}steps: [\n`).message).toMatch(/^t\.yaml:\d+: not valid YAML/)
    expect(errorOf(`name: t\ntitle: { en: only english }\n`).message).toMatch(/^t\.yaml:2: title: must give the text in both languages/)
  })

  it('reads durations', () => {
    expect([parseDuration('500ms'), parseDuration('2s'), parseDuration('1.5s'), parseDuration('1m'), parseDuration(250), parseDuration('fast')]).toEqual([500, 2000, 1500, 60000, 250, undefined])
  })
})
