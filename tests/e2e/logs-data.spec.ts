import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test, type Page, type TestInfo } from '@playwright/test'
import { connectLab, type LabSocket } from './lab-socket'
import { publishConfig } from './page-helpers'
import { serveLab, type Served } from './serve'

// The logs and data views against a real 3-node cluster: the tail shows the nodes' real log
// lines, and a follower cut off from its peers visibly keeps serving its old copy.

let served: Served
let lab: LabSocket

test.beforeAll(async () => {
  served = await serveLab()
  lab = await connectLab(served.openUrl)
})
test.afterAll(async () => {
  lab?.close()
  await served?.stop()
})

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await testInfo.attach(name, { path, contentType: 'image/png' })
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    const dir = resolve(import.meta.dirname, '../../docs/screenshots')
    mkdirSync(dir, { recursive: true })
    copyFileSync(path, join(dir, `${name}.png`))
  }
}

const countAttr = (page: Page, attr: 'data-shown' | 'data-kept' | 'data-new') =>
  page.getByTestId('logs-count').getAttribute(attr).then(Number)

const row = (page: Page, dataId: string) => page.locator(`[data-testid="data-row"][data-key="public/DEFAULT_GROUP/${dataId}"]`)

test('logs tail the real nodes; the data view shows a cut-off follower serving stale data', async ({ page }, testInfo) => {
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
  const port = Number(await page.getByTestId('node-card-1').getByTestId('node-port').textContent())

  // ---- Logs: the start-up lines are there, and new ones arrive.
  await page.getByTestId('nav-logs').click()
  await expect(page.getByTestId('logs-row').first()).toBeVisible()
  const before = await countAttr(page, 'data-kept')
  await publishConfig(port, 'e2e-logs-1.yaml', 'a: 1')
  await expect.poll(() => countAttr(page, 'data-kept')).toBeGreaterThan(before)
  await expect(page.getByTestId('logs-list')).toContainText('publish config')

  // Filter: node 2's cluster log only.
  await page.getByTestId('logs-filter-node').selectOption('2')
  await page.getByTestId('logs-filter-file').selectOption('cluster')
  await expect.poll(() => countAttr(page, 'data-shown')).toBeGreaterThan(0)
  const seen = await page.getByTestId('logs-row').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.node}/${(e as HTMLElement).dataset.file}`))
  expect(seen.length).toBeGreaterThan(0)
  expect(new Set(seen)).toEqual(new Set(['2/cluster']))
  await page.getByTestId('logs-filter-text').fill('leader')
  await expect(page.getByTestId('logs-row').first()).toContainText(/leader/i)
  await page.getByTestId('logs-filter-clear').click()

  // Pause: the list stands still while new lines are counted; resume shows them.
  await page.getByTestId('logs-pause').click()
  const shownPaused = await countAttr(page, 'data-shown')
  await publishConfig(port, 'e2e-logs-2.yaml', 'b: 2')
  await expect.poll(() => countAttr(page, 'data-new')).toBeGreaterThan(0)
  const firstNew = await countAttr(page, 'data-new')
  await publishConfig(port, 'e2e-logs-3.yaml', 'c: 3')
  await expect.poll(() => countAttr(page, 'data-new')).toBeGreaterThan(firstNew)
  expect(await countAttr(page, 'data-shown')).toBe(shownPaused)
  await expect(page.getByTestId('logs-new')).toContainText(/\+\d+ new/)
  await page.getByTestId('logs-pause').click()
  await expect.poll(() => countAttr(page, 'data-shown')).toBeGreaterThan(shownPaused)
  await expect(page.getByTestId('logs-list')).toContainText('e2e-logs-3.yaml')
  // Scrolling up stops following; "jump to latest" follows again.
  await expect(page.getByTestId('logs-list')).toHaveAttribute('data-following', 'true')
  await page.getByTestId('logs-list').evaluate((el) => el.scrollTo({ top: 0 }))
  await expect(page.getByTestId('logs-list')).toHaveAttribute('data-following', 'false')
  await page.getByTestId('logs-jump-latest').click()
  await expect(page.getByTestId('logs-list')).toHaveAttribute('data-following', 'true')
  await expect(page.getByTestId('logs-jump-latest')).toHaveCount(0)
  await page.getByTestId('logs-filter-level').selectOption('info')
  await shot(page, testInfo, 'logs')
  await page.getByTestId('logs-filter-clear').click()

  // ---- Data: every node holds the configs.
  await page.getByTestId('nav-data').click()
  for (const dataId of ['e2e-logs-1.yaml', 'e2e-logs-2.yaml', 'e2e-logs-3.yaml']) {
    await expect(row(page, dataId)).toHaveAttribute('data-divergent', 'false')
  }
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`data-column-${id}`)).toHaveAttribute('data-applied', /^\d+$/)

  // Cut node 3 off from its peers (through the same bridge the page uses), write to node 1.
  await lab.must('link.preset', { preset: 'isolate', nodeId: 3 })
  await publishConfig(port, 'e2e-cut-1.yaml', 'written while node 3 is cut off')
  await publishConfig(port, 'e2e-cut-2.yaml', 'also')
  for (const dataId of ['e2e-cut-1.yaml', 'e2e-cut-2.yaml']) {
    await expect(row(page, dataId)).toHaveAttribute('data-divergent', 'true')
    await expect(row(page, dataId).locator('td[data-node="3"]')).toHaveAttribute('data-divergent', 'true')
    await expect(row(page, dataId).locator('td[data-node="1"]')).toHaveAttribute('data-divergent', 'false')
  }
  // Node 3 still answers, from its stale copy: its applied index lags.
  const applied = async (id: number) => Number(await page.getByTestId(`data-column-${id}`).getAttribute('data-applied'))
  expect(await applied(3)).toBeLessThan(await applied(1))
  await expect(page.getByTestId('data-column-3').getByTestId('data-behind')).toBeVisible()
  await shot(page, testInfo, 'data')
  await page.getByTestId('data-divergent-only').check()
  await expect(page.getByTestId('data-row')).toHaveCount(2)

  // Heal: node 3 catches up and the divergence is gone.
  await lab.must('link.healAll')
  await expect(page.getByTestId('data-row')).toHaveCount(0, { timeout: 30_000 })
  await page.getByTestId('data-divergent-only').uncheck()
  await expect(row(page, 'e2e-cut-2.yaml')).toHaveAttribute('data-divergent', 'false')

  await lab.must('cluster.stop')
  expect(consoleErrors).toEqual([])
})
