import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test, type Page, type TestInfo } from '@playwright/test'
import { serveLab, type Served } from './serve'

// The drills view against the real lab in web mode: a drill replaces the user's running
// cluster (after a confirmation), runs on real node-core processes, streams its progress,
// judges itself and writes a report the page shows and exports. Then Settings switches the
// language and the drill titles follow.

let served: Served

test.beforeAll(async () => {
  served = await serveLab()
})
test.afterAll(async () => {
  await served?.stop()
})

/** The window as a person sees it (the view scrolls inside the shell, so no full-page shot). */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const shot = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path: shot })
  await testInfo.attach(name, { path: shot, contentType: 'image/png' })
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    const dir = resolve(import.meta.dirname, '../../docs/screenshots')
    mkdirSync(dir, { recursive: true })
    copyFileSync(shot, join(dir, `${name}.png`))
  }
}

test('run the leadership-transfer drill from the app, read and export its report, then Settings in Chinese', async ({ page }, testInfo) => {
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    // Playwright's trace recorder injects its snapshot script into every frame; the report's
    // frame (sandbox="") refuses it, as it must refuse any script. Not an error of the page:
    // the report itself is checked below to hold no script at all.
    if (m.type() === 'error' && !/^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/.test(m.text())) consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))

  await page.goto(served.openUrl)
  await page.getByTestId('lang-switch').selectOption('en')

  // The user's own cluster: the drill must ask before it replaces it.
  await page.getByTestId('cluster-size').selectOption('3')
  await page.getByTestId('start-cluster').click()
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
  const userRunId = await page.getByTestId('cluster-state').textContent()

  await page.getByTestId('nav-drills').click()
  const transfer = page.getByTestId('drills-card-leadership-transfer')
  await expect(transfer).toContainText('Planned leadership transfer')
  // The emergency plans come first, 预案3 among them, disabled with its reason.
  await expect(page.getByTestId('drills-catalog').locator('section').first()).toHaveAttribute('data-testid', 'drills-group-plans')
  const plan3 = page.getByTestId('drills-card-external-database')
  await expect(plan3).toHaveAttribute('data-applicable', 'false')
  await expect(page.getByTestId('drills-run-external-database')).toBeDisabled()
  await expect(page.getByTestId('drills-na-reason-external-database')).toContainText(/Embedded storage/)

  await page.getByTestId('drills-run-leadership-transfer').click()
  await expect(page.getByTestId('drills-confirm')).toBeVisible()
  await expect(page.getByTestId('drills-confirm-replaces')).toBeVisible()
  expect(userRunId).toBeTruthy()
  await page.getByTestId('drills-confirm-run').click()
  await expect(page.getByTestId('drills-confirm')).toHaveCount(0)

  // Live: step lines arrive while the drill is still running.
  const panel = page.getByTestId('drills-run-panel')
  await expect
    .poll(
      async () => {
        const status = await panel.getAttribute('data-status')
        const steps = await page.getByTestId('drills-progress-line').filter({ hasText: /step \d+\/\d+/ }).count()
        return status === 'running' && steps > 0
      },
      { message: 'step lines show while the drill runs', timeout: 40_000 }
    )
    .toBe(true)

  await expect(panel).toHaveAttribute('data-status', /^(done|failed)$/, { timeout: 60_000 })
  // A drill measures real timings: when it fails, say what it measured.
  const measured = await panel.innerText()
  expect(await page.getByTestId('drills-verdict').getAttribute('data-verdict'), measured).toBe('pass')
  await expect(panel).toHaveAttribute('data-status', 'done')
  await expect(page.getByTestId('drills-progress')).toContainText('transfer the follower')
  await expect(page.getByTestId('drills-progress')).toContainText('verdict: PASS')
  const checks = page.getByTestId('drills-checks').locator('tbody tr')
  expect(await checks.count()).toBeGreaterThan(2)
  await expect(page.getByTestId('drills-check-lostWrites')).toHaveAttribute('data-pass', 'true')
  await expect(page.getByTestId('drills-report-dir')).toContainText(served.dataDir)

  // The report, as the engine wrote it, inside a sandboxed frame.
  await page.getByTestId('drills-open-report').click()
  const frame = page.getByTestId('drills-report-frame')
  await expect(frame).toHaveAttribute('sandbox', '')
  await expect(page.frameLocator('[data-testid="drills-report-frame"]').locator('.verdict')).toHaveClass(/pass/)

  // Web mode cannot print to PDF: the button says why.
  await expect(page.getByTestId('drills-export-pdf')).toBeDisabled()
  await expect(page.getByTestId('drills-pdf-reason')).toContainText(/desktop app/)

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('drills-save-html').click()])
  expect(download.suggestedFilename()).toMatch(/^leadership-transfer-.*\.html$/)
  const saved = readFileSync(await download.path(), 'utf8')
  expect(saved).toMatch(/^<!doctype html>/i)
  expect(saved).toContain('class="verdict pass"')
  expect(saved).not.toMatch(/<script/i)

  await expect(page.getByTestId('drills-past')).toContainText('Planned leadership transfer')
  await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await shoot(page, testInfo, 'drills')

  // Settings: what the lab runs on, then the language.
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('settings-data-dir')).toContainText(served.dataDir)
  await expect(page.getByTestId('settings-open-data-dir')).toBeDisabled()
  await expect(page.getByTestId('settings-open-reason')).toBeVisible()
  await shoot(page, testInfo, 'settings')
  await page.getByTestId('settings-language').selectOption('zh-CN')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await page.getByTestId('nav-drills').click()
  await expect(page.getByTestId('drills-card-leadership-transfer')).toContainText('计划内的领导权转移')
  await expect(page.getByTestId('drills-na-reason-external-database')).toContainText('嵌入式存储')

  expect(consoleErrors).toEqual([])
})
