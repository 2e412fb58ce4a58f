#!/usr/bin/env node
// `npm test`: every check the project has, in one run, ending with one plain line
// `N passed, M failed, K skipped` that sums them all. Steps:
//   build → lint → typecheck → vitest (unit, renderer, integration) → Playwright (Chromium, Electron)
// A step that cannot run (say the build fails) counts as one failure, and later steps that
// need it still run and fail loudly rather than being skipped silently.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const results = join(root, 'test-results')
mkdirSync(results, { recursive: true })
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)

let passed = 0
let failed = 0
let skipped = 0
const failures = []

function run(title, cmd, args, env = {}) {
  const t0 = Date.now()
  process.stdout.write(`\n── ${title} ──\n`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  const secs = ((Date.now() - t0) / 1000).toFixed(1)
  process.stdout.write(`── ${title}: ${r.status === 0 ? 'ok' : `exit ${r.status ?? r.signal}`} in ${secs} s ──\n`)
  return r.status === 0
}

/** A step that is one check: lint, typecheck, build. */
function check(title, cmd, args) {
  if (run(title, cmd, args)) passed++
  else {
    failed++
    failures.push(title)
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

check('build', 'npm', ['run', '--silent', 'build'])
check('lint', bin('eslint'), ['.'])
check('typecheck', 'npm', ['run', '--silent', 'typecheck'])

// vitest: unit + renderer + integration projects.
const vitestJson = join(results, 'vitest.json')
rmSync(vitestJson, { force: true })
const vitestOk = run('vitest (unit, renderer, integration)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], {
  QUORUM_SKIP_BUILD: '1'
})
const v = readJson(vitestJson)
if (v) {
  passed += v.numPassedTests
  failed += v.numFailedTests
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  if (v.numFailedTests > 0) failures.push(`vitest: ${v.numFailedTests} failed`)
  // A suite that failed to load has no test results but must not pass silently.
  const broken = (v.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).every((a) => a.status !== 'failed'))
  if (broken.length > 0) {
    failed += broken.length
    failures.push(`vitest: ${broken.length} file(s) failed to run`)
  }
}
if (!v || (!vitestOk && v.numFailedTests === 0 && failures.every((f) => !f.startsWith('vitest')))) {
  failed++
  failures.push('vitest did not complete')
}

// Playwright: the web-mode e2e in Chromium, and the Electron e2e where a binary exists.
const pwJson = join(results, 'playwright.json')
rmSync(pwJson, { force: true })
const pwOk = run('playwright (e2e)', bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson })
const p = readJson(pwJson)
if (p?.stats) {
  passed += p.stats.expected + (p.stats.flaky ?? 0)
  failed += p.stats.unexpected
  skipped += p.stats.skipped
  if (p.stats.unexpected > 0) failures.push(`playwright: ${p.stats.unexpected} failed`)
  if ((p.errors ?? []).length > 0) {
    failed += p.errors.length
    failures.push(`playwright: ${p.errors.length} error(s) outside tests`)
  }
}
if (!p?.stats || (!pwOk && p.stats.unexpected === 0 && (p.errors ?? []).length === 0)) {
  failed++
  failures.push('playwright did not complete')
}

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join('; ')}\n`)
if (existsSync(join(results, 'e2e'))) process.stdout.write(`Artifacts (screenshots, traces): ${join(results, 'e2e')}\n`)
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`)
process.exit(failed === 0 ? 0 : 1)
