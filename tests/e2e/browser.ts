import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/**
 * Find a Chromium to drive, in this order: CHROME_PATH, Debian/Ubuntu's chromium, Google
 * Chrome, Playwright's own download. None is a hard error that says how to get one: the e2e
 * suite must never pass by skipping.
 */
export function findChromium(): string {
  const env = process.env.CHROME_PATH
  if (env) {
    if (!existsSync(env)) throw new Error(`CHROME_PATH is set to ${env}, which does not exist`)
    return env
  }
  const candidates = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
  ]
  for (const c of candidates) if (existsSync(c)) return c
  try {
    const own = chromium.executablePath()
    if (own && existsSync(own)) return own
  } catch {
    // Playwright has no browser of its own here.
  }
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one: on Debian/Ubuntu `sudo apt-get install -y chromium`; ' +
      'or set CHROME_PATH to a Chrome/Chromium binary; or `npx playwright install chromium` where downloads are allowed.'
  )
}
