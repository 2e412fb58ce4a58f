import { expect, test, type Page } from '@playwright/test'
import { canvasPixels } from './page-helpers'
import { serveLab, type Served } from './serve'

// The whole lab once in each language, as a person meets it: start a cluster from the map, see
// a leader, run a workload, kill the leader with the preset, then walk every view and see what
// the failover left there — the leaderless gap on the timeline, the logs on the strips, the
// charts, the log tail, each node's data. Every view's title must be in the chosen language,
// and the page must log no console error. Each view's screenshot is kept as an artifact.

let served: Served

test.beforeAll(async () => {
  served = await serveLab()
})
test.afterAll(async () => {
  await served?.stop()
})

const CJK = /[\u4e00-\u9fff]/

async function leader(page: Page): Promise<string> {
  return ((await page.getByTestId('map-leader').textContent()) ?? '').replace(/\D/g, '')
}

for (const locale of ['zh-CN', 'en'] as const) {
  test(`the whole flow in ${locale}`, async ({ page }, testInfo) => {
    const consoleErrors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    const shot = async (name: string): Promise<void> => {
      const path = testInfo.outputPath(`${locale}-${name}.png`)
      await page.screenshot({ path })
      await testInfo.attach(`${locale}-${name}`, { path, contentType: 'image/png' })
    }
    /** The open view's title reads in the chosen language. */
    const titleInLocale = async (view: string): Promise<void> => {
      const title = (await page.getByTestId(`view-${view}`).locator('h2').first().textContent()) ?? ''
      if (locale === 'zh-CN') expect(title, `${view} title in Chinese`).toMatch(CJK)
      else expect(title, `${view} title in English`).not.toMatch(CJK)
    }

    await page.goto(served.openUrl)
    await page.getByTestId('lang-switch').selectOption(locale)
    await expect(page.locator('html')).toHaveAttribute('lang', locale)
    if (locale === 'zh-CN') await expect(page.getByTestId('start-cluster')).toHaveText(CJK)

    // Map: start, a leader, a workload.
    await page.getByTestId('cluster-size').selectOption('3')
    await page.getByTestId('start-cluster').click()
    for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
    await expect.poll(() => leader(page), { message: 'the map names a leader', timeout: 20_000 }).toMatch(/^[1-3]$/)
    const first = await leader(page)
    await page.getByTestId('map-workload-rate').fill('50')
    await page.getByTestId('map-workload-start').click()
    await expect(page.getByTestId('map-workload-state')).not.toHaveText(/idle|空闲/, { timeout: 10_000 })

    // Kill the leader with the preset: a new one takes over.
    await page.getByTestId('map-preset-kill-leader').click()
    await expect(page.getByTestId(`node-card-${first}`)).toHaveAttribute('data-state', 'down')
    await expect.poll(() => leader(page), { message: 'a new leader after the kill', timeout: 20_000 }).toMatch(new RegExp(`^[1-3]$`))
    await expect.poll(() => leader(page), { timeout: 20_000 }).not.toBe(first)
    await shot('cluster')

    // Timeline: the gap without a leader is measured.
    await page.getByTestId('nav-timeline').click()
    await titleInLocale('timeline')
    const gap = page.getByTestId('timeline-leaderless').first()
    await expect(gap).toHaveAttribute('data-ms', /^[1-9]\d*$/, { timeout: 20_000 })
    await expect(gap).toContainText(locale === 'zh-CN' ? /\d+\s*毫秒/ : /\d+\s*ms/)
    await expect.poll(() => canvasPixels(page, '[data-testid="timeline-chart"]')).toBeGreaterThan(5_000)
    await shot('timeline')

    // Replication: a strip per node; the two live ones agree on the commit index.
    await page.getByTestId('nav-replication').click()
    await titleInLocale('replication')
    const survivors = ['1', '2', '3'].filter((id) => id !== first)
    for (const id of survivors) await expect(page.getByTestId(`replication-strip-${id}`)).toHaveAttribute('data-commit', /^[1-9]\d*$/, { timeout: 20_000 })
    await shot('replication')

    // Metrics: charts draw.
    await page.getByTestId('nav-metrics').click()
    await titleInLocale('metrics')
    await expect.poll(() => canvasPixels(page, '[data-testid="metrics-chart-commit"]'), { timeout: 20_000 }).toBeGreaterThan(1_000)
    await shot('metrics')

    // Logs: the tail has lines.
    await page.getByTestId('nav-logs').click()
    await titleInLocale('logs')
    await expect(page.getByTestId('logs-row').first()).toBeVisible({ timeout: 20_000 })
    await shot('logs')

    // Data: a column per node, the crashed one not answering.
    await page.getByTestId('nav-data').click()
    await titleInLocale('data')
    for (const id of survivors) await expect(page.getByTestId(`data-column-${id}`)).toBeVisible({ timeout: 20_000 })
    await shot('data')

    // Drills and Settings speak the language too.
    await page.getByTestId('nav-drills').click()
    await titleInLocale('drills')
    await page.getByTestId('nav-settings').click()
    await titleInLocale('settings')

    // Back on the map: stop the workload and the cluster.
    await page.getByTestId('nav-cluster').click()
    await page.getByTestId('map-workload-stop').click()
    await page.getByTestId('stop-cluster').click()
    for (const id of survivors) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'stopped', { timeout: 20_000 })
    expect(consoleErrors).toEqual([])
  })
}
