import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { canvasPixels } from './page-helpers'
import { serveLab, type Served } from './serve'

// The whole product path in a real Chromium: built renderer ← web bridge ← lab engine ← real
// node-core processes. Start a 3-node cluster from the UI, crash one, see it go down.

let served: Served

test.beforeAll(async () => {
  served = await serveLab()
})
test.afterAll(async () => {
  await served?.stop()
})

test('start a 3-node cluster, crash one node, watch it go down', async ({ page }, testInfo) => {
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))

  await page.goto(served.openUrl)
  await expect(page).toHaveTitle(/Quorum Lab/)
  // English first, so the assertions below read the same on every machine.
  await page.getByTestId('lang-switch').selectOption('en')

  await page.getByTestId('cluster-size').selectOption('3')
  await page.getByTestId('start-cluster').click()

  for (const id of [1, 2, 3]) {
    const card = page.getByTestId(`node-card-${id}`)
    await expect(card).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
    await expect(card.getByTestId('node-port')).toHaveText(/\b\d{4,5}\b/)
    await expect(card.getByTestId('node-pid')).toHaveText(/\b\d+\b/)
  }
  await expect(page.getByTestId('quorum-summary')).toContainText('3')

  const pid2 = (await page.getByTestId('node-card-2').getByTestId('node-pid').textContent())!.match(/\d+/)![0]
  await page.getByTestId('crash-node-2').click()
  await expect(page.getByTestId('node-card-2')).toHaveAttribute('data-state', 'down')
  await expect(page.getByTestId('node-card-2')).toContainText(/SIGKILL/)
  await expect(page.getByTestId('quorum-summary')).toContainText(/2\D+3/)
  // The process is really gone.
  expect(() => process.kill(Number(pid2), 0)).toThrow()
  await expect(page.getByTestId('node-card-1')).toHaveAttribute('data-state', 'up')
  await expect(page.getByTestId('event-log')).toContainText(/node 2/i)

  await expect.poll(() => canvasPixels(page, '[data-testid="nodes-up-chart"]'), { message: 'the nodes-up chart draws on its canvas' }).toBeGreaterThan(1000)

  // The same screen in Chinese.
  await page.getByTestId('lang-switch').selectOption('zh-CN')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(page.getByTestId('start-cluster')).toHaveText(/[\u4e00-\u9fff]/)
  await page.getByTestId('lang-switch').selectOption('en')

  const shot = testInfo.outputPath('first-screen.png')
  await page.screenshot({ path: shot, fullPage: true })
  await testInfo.attach('first-screen', { path: shot, contentType: 'image/png' })
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    const docs = resolve(import.meta.dirname, '../../docs')
    mkdirSync(docs, { recursive: true })
    copyFileSync(shot, join(docs, 'first-screen.png'))
  }

  await page.getByTestId('stop-cluster').click()
  for (const id of [1, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'stopped')
  expect(consoleErrors).toEqual([])
})
