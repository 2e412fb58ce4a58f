import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatchLab } from '../api'
import { Lab } from '../lab'
import { listReports, readReport, resolveReportDir, summarizeReport } from './report-files'

let root: string
let outside: string

function writeReport(name: string, startedAt: number, verdict = 'pass', extra: Record<string, string> = {}): string {
  const dir = join(root, 'reports', `${name}-${startedAt}`)
  mkdirSync(dir, { recursive: true })
  const json = { schemaVersion: 1, drill: { name, title: { 'zh-CN': `演练 ${name}`, en: `Drill ${name}` } }, verdict, startedAt, endedAt: startedAt + 5000, checks: [] }
  writeFileSync(join(dir, 'report.json'), JSON.stringify(json))
  writeFileSync(join(dir, 'report.html'), `<!doctype html><title>${name}</title><div class="verdict">${verdict}</div>`)
  writeFileSync(join(dir, 'report.md'), `# ${name}\n`)
  for (const [f, text] of Object.entries(extra)) writeFileSync(join(dir, f), text)
  return dir
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ql-reports-'))
  outside = mkdtempSync(join(tmpdir(), 'ql-outside-'))
  writeFileSync(join(outside, 'report.html'), '<p>secret</p>')
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

describe('resolveReportDir', () => {
  it('accepts a report folder directly inside <dataRoot>/reports', () => {
    const dir = writeReport('leader-crash', 1000)
    expect(resolveReportDir(root, dir)).toMatch(/reports[\\/]leader-crash-1000$/)
  })

  it('refuses paths outside the data root, naming the field', () => {
    writeReport('leader-crash', 1000)
    const cases = [
      outside,
      join(root, 'reports', '..', '..'),
      join(root, 'reports'),
      root,
      'reports/leader-crash-1000',
      join(root, 'reports', 'missing'),
      '/etc'
    ]
    for (const dir of cases) {
      expect(() => resolveReportDir(root, dir), dir).toThrow(/"dir" must/)
    }
  })

  it('refuses a symlink that leads out of the data root', () => {
    mkdirSync(join(root, 'reports'), { recursive: true })
    const link = join(root, 'reports', 'sneaky')
    symlinkSync(outside, link)
    expect(() => resolveReportDir(root, link)).toThrow(/inside the lab's data root/)
  })

  it('refuses a nested folder and a folder without report.html', () => {
    const dir = writeReport('leader-crash', 1000)
    mkdirSync(join(dir, 'deeper'))
    writeFileSync(join(dir, 'deeper', 'report.html'), 'x')
    expect(() => resolveReportDir(root, join(dir, 'deeper'))).toThrow(/directly inside/)
    mkdirSync(join(root, 'reports', 'empty'))
    expect(() => resolveReportDir(root, join(root, 'reports', 'empty'))).toThrow(/without a report.html/)
  })

  it('says there are no reports yet when the folder does not exist', () => {
    expect(() => resolveReportDir(root, join(root, 'reports', 'x'))).toThrow(/no report was written yet/)
  })
})

describe('listReports and readReport', () => {
  it('lists reports newest first with verdict, titles and whether a PDF exists', async () => {
    writeReport('leader-crash', 1000, 'pass')
    writeReport('split-brain-3-2', 3000, 'fail', { 'report.pdf': '%PDF' })
    writeReport('external-database', 2000, 'not-applicable')
    // Not ours: skipped rather than failing the list.
    mkdirSync(join(root, 'reports', 'junk'))
    writeFileSync(join(root, 'reports', 'junk', 'report.json'), '{not json')
    const list = await listReports(root)
    expect(list.map((r) => [r.name, r.verdict, r.hasPdf])).toEqual([
      ['split-brain-3-2', 'fail', true],
      ['external-database', 'not-applicable', false],
      ['leader-crash', 'pass', false]
    ])
    expect(list[0]!.title).toEqual({ 'zh-CN': '演练 split-brain-3-2', en: 'Drill split-brain-3-2' })
    expect(list[0]!.endedAt - list[0]!.startedAt).toBe(5000)
  })

  it('sees a report rewritten in place (the cache follows the file)', async () => {
    const dir = writeReport('leader-crash', 1000, 'pass')
    expect((await listReports(root))[0]!.verdict).toBe('pass')
    const json = { drill: { name: 'leader-crash' }, verdict: 'fail', startedAt: 1000, endedAt: 2000, padding: 'x'.repeat(50) }
    writeFileSync(join(dir, 'report.json'), JSON.stringify(json))
    expect((await listReports(root))[0]!.verdict).toBe('fail')
  })

  it('answers an empty list before any drill ran', async () => {
    expect(await listReports(root)).toEqual([])
  })

  it('reads the three forms of a report', async () => {
    const dir = writeReport('leader-crash', 1000)
    const r = await readReport(root, dir)
    expect(r.html).toContain('class="verdict"')
    expect(r.markdown).toBe('# leader-crash\n')
    expect(JSON.parse(r.json)).toMatchObject({ verdict: 'pass' })
  })

  it('summarizes only well-formed report JSON', () => {
    expect(summarizeReport('/d', { drill: { name: 'x' }, verdict: 'maybe', startedAt: 1, endedAt: 2 }, false)).toBeNull()
    expect(summarizeReport('/d', { drill: { name: 'x' }, verdict: 'pass', startedAt: 1, endedAt: 2 }, false)).toMatchObject({ title: { en: 'x', 'zh-CN': 'x' } })
    expect(summarizeReport('/d', [], false)).toBeNull()
  })
})

describe('Lab report methods', () => {
  const makeLab = (hostActions?: ConstructorParameters<typeof Lab>[0]['hostActions']): Lab =>
    new Lab({ dataRoot: root, nodeCoreScript: '/nonexistent.cjs', host: hostActions ? 'electron' : 'web', version: 't', hostActions })

  it('lists and reads reports through the validated dispatch, refusing other folders', async () => {
    const dir = writeReport('leader-crash', 1000)
    const lab = makeLab()
    const list = await dispatchLab(lab.handle, 'report.list', undefined)
    expect(list).toMatchObject({ ok: true, value: [{ name: 'leader-crash', verdict: 'pass' }] })
    expect(await dispatchLab(lab.handle, 'report.get', { dir })).toMatchObject({ ok: true, value: { markdown: '# leader-crash\n' } })
    const refused = await dispatchLab(lab.handle, 'report.get', { dir: outside })
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/"dir"/) } })
    expect(await dispatchLab(lab.handle, 'report.get', { dir: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/"dir"/) } })
  })

  it('answers UNSUPPORTED for PDF and open-folder where the host cannot', async () => {
    const dir = writeReport('leader-crash', 1000)
    const lab = makeLab()
    expect(await dispatchLab(lab.handle, 'report.pdf', { dir })).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringMatching(/desktop app/) } })
    expect(await dispatchLab(lab.handle, 'lab.openDataDir', undefined)).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } })
  })

  it('hands the desktop host the checked report.html and report.pdf paths', async () => {
    const dir = writeReport('leader-crash', 1000)
    const printToPdf = vi.fn(async (_html: string, pdf: string) => writeFileSync(pdf, '%PDF-1.7'))
    const openFolder = vi.fn(async () => {})
    const lab = makeLab({ printToPdf, openFolder })
    const r = await dispatchLab(lab.handle, 'report.pdf', { dir })
    expect(r).toMatchObject({ ok: true, value: { path: expect.stringMatching(/leader-crash-1000[\\/]report\.pdf$/) } })
    expect(printToPdf.mock.calls[0]![0]).toMatch(/leader-crash-1000[\\/]report\.html$/)
    expect((await listReports(root))[0]!.hasPdf).toBe(true)
    // Outside folders never reach the host.
    await dispatchLab(lab.handle, 'report.pdf', { dir: outside })
    expect(printToPdf).toHaveBeenCalledTimes(1)
    expect(await dispatchLab(lab.handle, 'lab.openDataDir', undefined)).toEqual({ ok: true, value: { path: root } })
    expect(openFolder).toHaveBeenCalledWith(root)
  })
})
