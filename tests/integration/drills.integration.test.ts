/**
 * Every built-in drill, run from the CLI as a team's CI would (`quorum-lab drill <name>`),
 * against a real cluster: each reaches its verdict (exit 0 = every expectation held), writes
 * its three reports, the HTML carries its verdict and charts, and the JSON validates against
 * its schema. This includes the stale-read pair: local reads during a partition must be caught
 * by the checker, and the same drill with linearizable reads must pass.
 */
import Ajv from 'ajv'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cliBundle, repoRoot } from '../support/lab-fixture'

const drills = readdirSync(join(repoRoot, 'resources/drills'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort()
const dir = mkdtempSync(join(tmpdir(), 'quorum-lab-drills-'))
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repoRoot, 'resources/schemas/drill-report.schema.json'), 'utf8')) as object)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('built-in drills from the CLI', () => {
  it.each(drills)('%s reaches a passing verdict and writes its reports', (name) => {
    const out = join(dir, name)
    const r = spawnSync(process.execPath, [cliBundle, 'drill', name, '--out', out, '--data-dir', join(dir, 'data'), '--lang', name.startsWith('s') ? 'zh-CN' : 'en'], { encoding: 'utf8', timeout: 170_000 })
    const verdictLine = r.stdout.trim().split('\n').at(-1) ?? ''
    expect(r.status, `${name}: ${r.stdout}\n${r.stderr.split('\n').slice(-15).join('\n')}`).toBe(0)
    expect(verdictLine).toMatch(new RegExp(`^${name}: (PASS|NOT-APPLICABLE)$`))
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { verdict: string; checks: { name: string; pass: boolean; actual: string }[] }
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    if (json.verdict !== 'not-applicable') {
      expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(3)
      expect(json.checks.find((c) => c.name === 'lostWrites')).toMatchObject({ pass: true, actual: '0' })
    }
    if (name === 'stale-read') expect(json.checks.find((c) => c.name === 'consistency')?.actual).toMatch(/^violation/)
    if (name === 'stale-read-linearizable') expect(json.checks.find((c) => c.name === 'consistency')?.actual).toBe('linearizable')
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(name.startsWith('s') ? '演练报告' : 'Drill report')
  }, 180_000)

  it('refuses a bad script with the line and the field, exit 2', () => {
    const file = join(dir, 'bad.yaml')
    const w = spawnSync('sh', ['-c', `printf 'name: bad\\ntitle: { zh-CN: 坏, en: bad }\\ndescription: { zh-CN: 坏, en: bad }\\nsteps:\\n  - crash: leadr\\n' > ${file}`])
    expect(w.status).toBe(0)
    const r = spawnSync(process.execPath, [cliBundle, 'drill', file, '--data-dir', join(dir, 'data')], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/bad\.yaml:5: steps\[0\]\.crash: unknown node "leadr"/)
  })
})
