import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { publishConfig } from './page-helpers'
import { serveLab, type Served } from './serve'

// The replication view against a real 3-node cluster: configs published over the real Nacos
// HTTP API show up as entries on every node's strip and commit everywhere; a crashed follower
// stays behind, greyed, and catches up when it comes back.

let served: Served

test.beforeAll(async () => {
  served = await serveLab()
})
test.afterAll(async () => {
  await served?.stop()
})

/** Publish `count` configs through one node's Nacos API (a follower forwards to the leader). */
async function publish(port: number, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await publishConfig(port, `replication-e2e-${i}.yaml`, `key: value-${i}\n`)
}

async function commits(page: Page): Promise<number[]> {
  const out: number[] = []
  for (const id of [1, 2, 3]) out.push(Number((await page.getByTestId(`replication-strip-${id}`).getAttribute('data-commit')) || -1))
  return out
}

async function leaderId(page: Page): Promise<number> {
  await expect(page.locator('[data-testid^="replication-strip-"][data-role="leader"]')).toHaveCount(1)
  const testId = await page.locator('[data-testid^="replication-strip-"][data-role="leader"]').getAttribute('data-testid')
  return Number(testId!.split('-').at(-1))
}

test('entries replicate to every node, and a crashed follower catches up after a restart', async ({ page }, testInfo) => {
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))

  await page.goto(served.openUrl)
  await page.getByTestId('lang-switch').selectOption('en')
  await page.getByTestId('cluster-size').selectOption('3')
  await page.getByTestId('start-cluster').click()
  const ports: Record<number, number> = {}
  for (const id of [1, 2, 3]) {
    const card = page.getByTestId(`node-card-${id}`)
    await expect(card).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
    ports[id] = Number(await card.getByTestId('node-port').textContent())
  }

  await page.getByTestId('nav-replication').click()
  await expect(page.getByTestId('view-replication')).toHaveAttribute('data-polling', 'true')
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`replication-strip-${id}`)).toHaveAttribute('data-answering', 'true')
  const leader = await leaderId(page)
  const follower = leader === 3 ? 2 : 3
  const before = Math.max(...(await commits(page)))

  // 20 configs through a follower's API: it forwards to the leader, which replicates them.
  await publish(ports[follower]!, 0, 20)
  await expect
    .poll(async () => {
      const c = await commits(page)
      return c.every((x) => x === c[0]) ? c[0]! : -1
    }, { message: 'every node commits the same index, 20 entries on' })
    .toBeGreaterThanOrEqual(before + 20)
  const strip = page.getByTestId(`replication-strip-${follower}`)
  await expect(strip.locator('[data-testid="replication-entry"][data-committed="true"]').first()).toBeVisible()
  const lastCommit = Number(await strip.getAttribute('data-commit'))
  const entry = strip.locator(`[data-testid="replication-entry"][data-index="${lastCommit}"]`)
  await expect(entry).toHaveAttribute('title', /config\.publish .*replication-e2e-19\.yaml/)
  await entry.hover()
  await expect(page.getByTestId('replication-entry-detail')).toHaveAttribute('data-index', String(lastCommit))
  await expect(page.getByTestId(`replication-progress-${follower}`)).toHaveAttribute('data-state', 'replicate')
  await expect(page.getByTestId(`replication-progress-${follower}`)).toHaveAttribute('data-match', /\d+/)

  // Crash the follower on the map; back here its strip keeps its last log, greyed.
  await page.getByTestId('nav-cluster').click()
  await page.getByTestId(`crash-node-${follower}`).click()
  await expect(page.getByTestId(`node-card-${follower}`)).toHaveAttribute('data-state', 'down')
  await page.getByTestId('nav-replication').click()
  await expect(strip).toHaveAttribute('data-answering', 'false')
  await expect(strip.getByTestId('replication-strip-silent')).toContainText('not answering since')
  const frozen = Number(await strip.getAttribute('data-commit'))

  await publish(ports[leader]!, 20, 10)
  const leaderStrip = page.getByTestId(`replication-strip-${leader}`)
  await expect.poll(async () => Number(await leaderStrip.getAttribute('data-commit'))).toBeGreaterThanOrEqual(frozen + 10)
  await expect(strip).toHaveAttribute('data-commit', String(frozen))
  // The leader knows it is behind: its match stays below what the others committed.
  const matchOf = async (): Promise<number> => Number(await page.getByTestId(`replication-progress-${follower}`).getAttribute('data-match'))
  expect(await matchOf()).toBeLessThan(Number(await leaderStrip.getAttribute('data-commit')))
  // The moment worth a picture: one follower behind and greyed, the leader's newest entry on every node.
  const newest = Number(await leaderStrip.getAttribute('data-last'))
  await leaderStrip.locator(`[data-testid="replication-entry"][data-index="${newest}"]`).hover()
  await expect(page.getByTestId(`replication-detail-${follower}`)).toHaveAttribute('data-kind', 'empty')
  const shot = testInfo.outputPath('replication.png')
  await page.screenshot({ path: shot, fullPage: true })
  await testInfo.attach('replication', { path: shot, contentType: 'image/png' })
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
    const docs = resolve(import.meta.dirname, '../../docs/screenshots')
    mkdirSync(docs, { recursive: true })
    copyFileSync(shot, join(docs, 'replication.png'))
  }

  // Restart it: the leader sends what it missed and its commit reaches the leader's.
  await page.getByTestId('nav-cluster').click()
  await page.getByTestId(`restart-node-${follower}`).click()
  await expect(page.getByTestId(`node-card-${follower}`)).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
  await page.getByTestId('nav-replication').click()
  await expect(strip).toHaveAttribute('data-answering', 'true')
  await expect
    .poll(async () => {
      const l = Number(await leaderStrip.getAttribute('data-commit'))
      const f = Number(await strip.getAttribute('data-commit'))
      return f === l ? f : -1
    }, { message: 'the restarted follower catches up with the leader' })
    .toBeGreaterThanOrEqual(frozen + 10)
  await expect(page.getByTestId(`replication-progress-${follower}`)).toHaveAttribute('data-state', 'replicate')

  await page.getByTestId('nav-cluster').click()
  await page.getByTestId('stop-cluster').click()
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'stopped')
  expect(consoleErrors).toEqual([])
})
