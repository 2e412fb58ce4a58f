import { resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { electronBinary } from './electron-binary'

// The packaged shell itself: runs wherever an Electron binary exists, and otherwise skips and
// says why (never through require('electron'), which would try to download one).
const bin = electronBinary()
if (!bin.path) console.log(`[electron e2e] skipped: ${bin.reason}`)

test.describe('Electron app', () => {
  test.skip(!bin.path, bin.reason ?? '')

  test('opens a secure window that starts a cluster and crashes a node', async () => {
    const root = resolve(import.meta.dirname, '../..')
    const app = await electron.launch({ executablePath: bin.path!, args: [resolve(root, 'out/main/index.js')], cwd: root })
    try {
      const page = await app.firstWindow()
      await expect(page).toHaveTitle(/Quorum Lab/)
      // The page has no Node: sandbox + contextIsolation leave only window.lab.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
      expect(await page.evaluate(() => typeof (window as { lab?: unknown }).lab)).toBe('object')
      await page.getByTestId('lang-switch').selectOption('en')
      await page.getByTestId('cluster-size').selectOption('3')
      await page.getByTestId('start-cluster').click()
      for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-card-${id}`)).toHaveAttribute('data-state', 'up', { timeout: 30_000 })
      await page.getByTestId('crash-node-1').click()
      await expect(page.getByTestId('node-card-1')).toHaveAttribute('data-state', 'down')
    } finally {
      await app.close()
    }
  })
})
