import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { canvasPixels } from './page-helpers'
import { serveLab, type Served } from './serve'

// The metrics view against a real 3-node cluster: charts drawn from real scrapes, the
// quorum-lost rule firing when two nodes are killed and resolving when they come back.

let served: Served

test.beforeAll(async () => {
  served = await serveLab()
})
test.afterAll(async () => {
  await served?.stop()
})

test('metrics: charts from real scrapes, quorum-lost fires and resolves', async ({ page }, testInfo) => {
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

  await page.getByTestId('nav-metrics').click()
  await expect(page.getByTestId('view-metrics')).toBeVisible()
  const charts = ['qps', 'latency', 'errors', 'commit', 'lag', 'leader-changes', 'cpu', 'memory']
  await expect(page.locator(charts.map((c) => `[data-testid="metrics-chart-${c}"]`).join(','))).toHaveCount(charts.length)
  // One commit-index line per node once the scrapes come in.
  await expect(page.getByTestId('metrics-chart-commit')).toHaveAttribute('data-series', '3')
  await expect.poll(() => canvasPixels(page, `[data-testid="metrics-chart-commit"]`), { message: 'the commit chart draws on its canvas' }).toBeGreaterThan(1000)
  await expect.poll(() => canvasPixels(page, `[data-testid="metrics-chart-memory"]`), { message: 'the memory chart draws on its canvas' }).toBeGreaterThan(1000)
  await expect(page.getByTestId('alert-rule-quorum-lost')).toHaveAttribute('data-state', 'ok')

  // Kill two of three: no majority.
  await page.getByTestId('nav-cluster').click()
  for (const id of [2, 3]) {
    await page.getByTestId(`crash-node-${id}`).click()
    await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'down')
  }
  await page.getByTestId('nav-metrics').click()
  await expect(page.getByTestId('alert-rule-quorum-lost')).toHaveAttribute('data-state', 'firing', { timeout: 15_000 })
  await expect(page.getByTestId('alert-summary')).toHaveAttribute('data-firing', /[1-9]/)
  await expect(page.getByTestId('metrics-nodes-up')).toHaveText('1 of 3')
  await expect(page.locator('[data-testid="alert-history"] li[data-rule="quorum-lost"][data-state="firing"]')).toHaveCount(1)

  // Bring them back: the rule resolves, and the history keeps both transitions.
  await page.getByTestId('nav-cluster').click()
  for (const id of [2, 3]) await page.getByTestId(`restart-node-${id}`).click()
  for (const id of [2, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
  await page.getByTestId('nav-metrics').click()
  await expect(page.getByTestId('alert-rule-quorum-lost')).toHaveAttribute('data-state', 'ok', { timeout: 15_000 })
  const history = page.getByTestId('alert-history')
  await expect(history.locator('li[data-rule="quorum-lost"][data-state="resolved"]')).toHaveCount(1)
  await expect(history.locator('li[data-rule="quorum-lost"][data-state="firing"]')).toHaveCount(1)
  await expect(history.locator('li[data-rule="quorum-lost"]').first()).toHaveAttribute('data-state', 'resolved')
  await expect(page.getByTestId('metrics-chart-commit')).toHaveAttribute('data-series', '3')

  // Bad input gets a message naming the field; nothing is sent.
  await page.getByTestId('alert-threshold-latency-high').fill('fast')
  await page.getByTestId('alert-save-latency-high').click()
  await expect(page.getByTestId('alert-error-latency-high')).toContainText('Latency high · Threshold: “fast” is not a number')
  await page.getByTestId('alert-threshold-latency-high').fill('250')
  await page.getByTestId('alert-save-latency-high').click()
  await expect(page.getByTestId('alert-error-latency-high')).toHaveCount(0)
  await expect(page.getByTestId('alert-save-latency-high')).toHaveText('Saved')

  await page.getByTestId('metrics-window').selectOption(String(60_000))
  await expect.poll(() => canvasPixels(page, `[data-testid="metrics-chart-qps"]`)).toBeGreaterThan(0)
  // The whole view in one frame (the app scrolls inside its own pane, so fullPage would not).
  await page.setViewportSize({ width: 1360, height: 2100 })
  await expect.poll(() => canvasPixels(page, `[data-testid="metrics-chart-wal"]`)).toBeGreaterThan(0)
  const shot = testInfo.outputPath('metrics.png')
  await page.screenshot({ path: shot })
  await page.setViewportSize({ width: 1360, height: 900 })
  // Hovering one chart shows the same moment in the others (a shared, connected time axis).
  const canvas = page.getByTestId('metrics-chart-commit').locator('canvas')
  const box = (await canvas.boundingBox())!
  await canvas.hover({ position: { x: box.width - 60, y: box.height / 2 } })
  await canvas.hover({ position: { x: box.width - 50, y: box.height / 2 } })
  await expect(page.getByTestId('metrics-chart-commit')).toContainText('Node 1')
  await expect(page.getByTestId('metrics-chart-memory')).toContainText(/\d+ MB/)
  await testInfo.attach('metrics', { path: shot, contentType: 'image/png' })
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    const docs = resolve(import.meta.dirname, '../../docs/screenshots')
    mkdirSync(docs, { recursive: true })
    copyFileSync(shot, join(docs, 'metrics.png'))
  }

  await page.getByTestId('nav-cluster').click()
  await page.getByTestId('stop-cluster').click()
  await expect(page.getByTestId('node-card-1')).toHaveAttribute('data-state', 'stopped')
  expect(consoleErrors).toEqual([])
})
