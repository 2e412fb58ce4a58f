import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { serveLab, type Served } from './serve'

// Replay of a real run in a real Chromium: start 3 nodes, crash node 2, stop; then open the
// run from Recordings and watch the map live through it again, back and forth.

let served: Served

test.beforeAll(async () => {
  served = await serveLab()
})
test.afterAll(async () => {
  await served?.stop()
})

test('replay a recorded run: the map follows the crash, forward and back', async ({ page }, testInfo) => {
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))

  await page.goto(served.openUrl)
  await page.getByTestId('lang-switch').selectOption('en')
  await page.getByTestId('cluster-size').selectOption('3')
  await page.getByTestId('start-cluster').click()
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
  // A leader is elected (its role change reaches the event log) before the crash.
  await expect(page.getByTestId('event-log')).toContainText(/became leader|won the election/)
  // Just before the crash every node is up: the replay is sought back to this moment below.
  const beforeCrash = Date.now() - 100
  await page.getByTestId('crash-node-2').click()
  await expect(page.getByTestId('node-card-2')).toHaveAttribute('data-state', 'down')
  await page.getByTestId('stop-cluster').click()
  for (const id of [1, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'stopped')

  // Open the run from the recordings.
  await page.getByTestId('recordings-open').click()
  const dialog = page.getByTestId('recordings-dialog')
  const row = dialog.locator('[data-testid^="recordings-row-"]').first()
  await expect(row).toContainText('Free play')
  await expect(row).toContainText('current run')
  await row.locator('[data-testid^="recordings-open-"]').click()
  await expect(dialog).toBeHidden()

  const bar = page.getByTestId('replay-bar')
  await expect(page.getByTestId('replay-badge')).toBeVisible()
  await expect(page.getByTestId('replay-banner')).toHaveText(/^Replaying run \S+ — live events paused$/)
  // At the very start of the recording the cluster is not even created yet.
  await expect(page.getByTestId('node-card-2')).toHaveCount(0)

  // Play at 10×: node 2 comes up, then goes down as it did.
  await page.getByTestId('replay-speed').selectOption('10')
  await page.getByTestId('replay-play').click()
  await expect(page.getByTestId('node-card-2')).toHaveAttribute('data-state', 'down', { timeout: 30_000 })
  await expect(page.getByTestId('node-card-1')).toHaveAttribute('data-state', /up|stopped/)

  // Seek back to the moment before the crash: node 2 is up again.
  // Let playback reach the end of the run (it pauses there by itself): pausing by a click
  // could race with that end and start it playing again.
  await expect(page.getByTestId('replay-play')).toHaveAttribute('data-state', 'paused', { timeout: 30_000 })
  const runStart = Number(await bar.getAttribute('data-run-start'))
  await page.getByTestId('replay-slider').fill(String(beforeCrash - runStart))
  await expect(page.getByTestId('node-card-2')).toHaveAttribute('data-state', 'up')
  await expect(page.getByTestId('node-card-1')).toHaveAttribute('data-state', 'up')
  await expect(page.getByTestId('replay-badge')).toBeVisible()

  const shot = testInfo.outputPath('replay.png')
  await page.screenshot({ path: shot, fullPage: true })
  await testInfo.attach('replay', { path: shot, contentType: 'image/png' })
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    const docs = resolve(import.meta.dirname, '../../docs/screenshots')
    mkdirSync(docs, { recursive: true })
    copyFileSync(shot, join(docs, 'replay.png'))
  }

  // The keyboard moves it too: → jumps 5 s on, past the crash.
  await bar.focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('node-card-2')).toHaveAttribute('data-state', 'down')

  // Back to live: the lab's real, stopped cluster again.
  await page.getByTestId('replay-back-to-live').click()
  await expect(page.getByTestId('replay-badge')).toBeHidden()
  await expect(bar).toBeHidden()
  await expect(page.getByTestId('node-card-1')).toHaveAttribute('data-state', 'stopped')
  expect(consoleErrors).toEqual([])
})
