import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { canvasPixels } from './page-helpers'
import { serveLab, type Served } from './serve'

// The election timeline against a real 3-node cluster: see the elected leader's lane, crash
// that leader from the map, come back and see the new leader and the measured leaderless gap.

let served: Served

test.beforeAll(async () => {
  served = await serveLab()
})
test.afterAll(async () => {
  await served?.stop()
})

async function leaderId(page: Page): Promise<string> {
  return ((await page.getByTestId('timeline-leader').textContent()) ?? '').trim()
}

test('timeline: a leader lane, a crash of the leader, the new leader and the leaderless gap', async ({ page }, testInfo) => {
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

  // Key 2 opens the timeline.
  await page.locator('body').press('2')
  await expect(page.getByTestId('view-timeline')).toBeVisible()
  await expect(page.getByTestId('timeline-follow')).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(() => leaderId(page), { message: 'the timeline names an elected leader', timeout: 20_000 }).toMatch(/^[1-3]$/)
  const oldLeader = await leaderId(page)
  await expect.poll(() => canvasPixels(page, '[data-testid="timeline-chart"]'), { message: 'the timeline draws on its canvas' }).toBeGreaterThan(5_000)

  // Crash the leader from the map.
  await page.getByTestId('nav-cluster').click()
  await page.getByTestId(`crash-node-${oldLeader}`).click()
  await expect(page.getByTestId(`node-card-${oldLeader}`)).toHaveAttribute('data-state', 'down')

  // Back on the timeline: a new leader and the time the cluster went without one.
  await page.getByTestId('nav-timeline').click()
  const gap = page.locator(`[data-testid="timeline-leaderless"][data-old-leader="${oldLeader}"]`)
  await expect(gap, 'a leaderless gap entry for the crashed leader').toHaveCount(1, { timeout: 15_000 })
  await expect(gap).toHaveAttribute('data-cause', 'crash')
  await expect(gap).toContainText(/\d+ ms without a leader/)
  const ms = Number(await gap.getAttribute('data-ms'))
  // A measured, positive time: from the kill to the next leader's election.
  expect(ms).toBeGreaterThan(0)
  expect(ms).toBeLessThan(15_000)
  const newLeader = await leaderId(page)
  expect(newLeader).toMatch(/^[1-3]$/)
  expect(newLeader).not.toBe(oldLeader)
  await expect(gap).toContainText(`node ${newLeader} elected`)

  // Scrolling back stops following; reset brings it back.
  await page.getByTestId('timeline-chart').focus()
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByTestId('timeline-follow')).toHaveAttribute('aria-pressed', 'false')
  await page.getByTestId('timeline-zoom-reset').click()
  await expect(page.getByTestId('timeline-follow')).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(() => canvasPixels(page, '[data-testid="timeline-chart"]')).toBeGreaterThan(5_000)

  // Nothing of the view spills past the window's edge.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)

  const shot = testInfo.outputPath('timeline.png')
  await page.screenshot({ path: shot, fullPage: true })
  await testInfo.attach('timeline', { path: shot, contentType: 'image/png' })
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    const dir = resolve(import.meta.dirname, '../../docs/screenshots')
    mkdirSync(dir, { recursive: true })
    copyFileSync(shot, join(dir, 'timeline.png'))
  }

  await page.getByTestId('nav-cluster').click()
  await page.getByTestId('stop-cluster').click()
  for (const id of [1, 2, 3].filter((n) => String(n) !== oldLeader)) {
    await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'stopped')
  }
  expect(consoleErrors).toEqual([])
})
