// `BENCH_ONLY=ui`: the renderer's figures (issue 6), in Debian's Chromium against web mode:
//   - timeline frame rate while following live: 5 nodes, seed profile, a 1,000 ops/s workload,
//     counted by requestAnimationFrame without a break in 2 s buckets for BENCH_UI_MINUTES
//     (default 3; the issue's figure is 30), reported as median, p10 and lowest bucket;
//     BENCH_UI_PROFILE=file.cpuprofile also records 10 s of the page's CPU profile (those
//     seconds' frames are counted too, so read a profiled run's rates with that in mind), and
//     BENCH_UI_SCREENSHOT=file.png a screenshot of the timeline at the end;
//   - the page's JS heap over the same run (the stores are rings with visible limits);
//   - an action's latency on screen: crash a node from the map; the figure is the card painted
//     down against the `node.exited` frame's arrival (≤ 100 ms), with the click → paint time
//     (kill -9 and the call's answer included) beside it.
// The lab runs in this process (as `quorum-lab serve` would), so the workload is driven
// through LabApi directly while the page is driven like a person would.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type CDPSession } from '@playwright/test'
import type { Result } from '../electron/lab/api'
import { Lab } from '../electron/lab/lab'
import { startBridge } from '../electron/lab/web/bridge-server'
import { findChromium } from '../tests/e2e/browser'
import type { FigureRow } from './figures'
import { quantile, summarize } from './stats'

const root = resolve(import.meta.dirname, '..')
const load = (): number => Math.round(loadavg()[0]! * 100) / 100
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
function v<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** Patches WebSocket before the app loads: remembers when each node.exited frame arrived. */
const RECORD_ARRIVALS = `
  (() => {
    window.__exitArrivals = []
    const Native = window.WebSocket
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args)
        this.addEventListener('message', (e) => {
          if (typeof e.data !== 'string' || !e.data.includes('"node.exited"')) return
          const at = performance.now()
          for (const m of e.data.matchAll(/"type":"node\\.exited","nodeId":(\\d+)/g)) window.__exitArrivals.push({ nodeId: Number(m[1]), at })
        })
      }
    }
  })()
`

/**
 * Counts painted frames with requestAnimationFrame, without a break, in buckets of
 * `bucketMs`: each bucket is frames × 1000 / its length. A string, because tsx names the
 * functions it compiles (`__name`), which the page does not have.
 */
const COUNT_FRAMES = (bucketMs: number): string => `(() => {
  const w = window
  w.__fpsBuckets = []
  w.__fpsLow = []
  w.__fpsStop = false
  const start = performance.now()
  let frames = 0
  let t0 = performance.now()
  const step = (t) => {
    frames++
    const now = performance.now()
    if (now - t0 >= ${bucketMs}) {
      const fps = (frames * 1000) / (now - t0)
      w.__fpsBuckets.push(fps)
      // When each slow bucket began (s into the count), to line up with what the cluster did.
      if (fps < 30) w.__fpsLow.push([Math.round((t0 - start) / 100) / 10, Math.round(fps)])
      frames = 0
      t0 = now
    }
    if (!w.__fpsStop) requestAnimationFrame(step)
  }
  requestAnimationFrame(step)
})()`

/** Frames are counted in back-to-back buckets this long. */
const FPS_BUCKET_MS = 2000
/** BENCH_UI_PROFILE=file.cpuprofile: record 10 s of the page's CPU profile while following live. */
const profilePath = process.env.BENCH_UI_PROFILE

async function writeProfile(cdp: CDPSession, path: string, ms: number): Promise<void> {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  await cdp.send('Profiler.start')
  await sleep(ms)
  const { profile } = await cdp.send('Profiler.stop')
  await writeFile(path, JSON.stringify(profile))
  console.log(`bench ui: CPU profile written to ${path}`)
}

export async function benchUi(nodeCoreScript: string): Promise<FigureRow[]> {
  const minutes = Number(process.env.BENCH_UI_MINUTES ?? 3)
  const nodes = 5
  const dataRoot = await mkdtemp(join(tmpdir(), 'quorum-lab-bench-ui-'))
  const lab = new Lab({ dataRoot, nodeCoreScript, host: 'web', version: 'bench' })
  const bridge = await startBridge({ lab, rendererDir: join(root, 'out/renderer'), host: '127.0.0.1', port: 0 })
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--no-first-run']
  })
  const rows: FigureRow[] = []
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } })
    await page.addInitScript(RECORD_ARRIVALS)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const heapMb = async (): Promise<number> => {
      const { metrics } = await cdp.send('Performance.getMetrics')
      return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20
    }

    await page.goto(bridge.openUrl)
    await page.getByTestId('lang-switch').selectOption('en')
    await page.getByTestId('cluster-size').selectOption(String(nodes))
    await page.getByTestId('start-cluster').click()
    for (let id = 1; id <= nodes; id++) await page.getByTestId(`node-card-${id}`).and(page.locator('[data-state="up"]')).waitFor({ timeout: 60_000 })
    // Enough requests in flight to reach the offered 1,000 ops/s: with 5 nodes and Chromium on 2
    // cores a write takes ~80 ms, so 64 slots topped out near 770 ops/s (Little's law).
    v(await lab.handle('workload.start', { ratePerSec: 1000, concurrency: Number(process.env.BENCH_UI_CONCURRENCY ?? 160), beatIntervalMs: 0 }))

    // Follow the timeline live and sample its frame rate and the heap.
    await page.getByTestId('nav-timeline').click()
    // Let the view settle (first option, first batches) before counting.
    await page.getByTestId('timeline-chart').waitFor()
    await sleep(3000)
    await page.evaluate(COUNT_FRAMES(FPS_BUCKET_MS))
    const ok0 = lab.workload.totals().ok
    const t0 = Date.now()
    const heapSamples: number[] = []
    const loads: number[] = []
    const end = Date.now() + minutes * 60_000
    let profiled = !profilePath
    while (Date.now() < end) {
      await sleep(Math.min(5000, Math.max(0, end - Date.now())))
      heapSamples.push(await heapMb())
      loads.push(load())
      if (!profiled) {
        profiled = true
        await writeProfile(cdp, profilePath!, 10_000)
      }
    }
    const fpsSamples = (await page.evaluate('(window.__fpsStop = true, window.__fpsBuckets)')) as number[]
    const lowBuckets = (await page.evaluate('window.__fpsLow')) as [number, number][]
    if (lowBuckets.length > 0) console.log(`bench ui: buckets under 30 fps (s into the count, fps): ${lowBuckets.map(([at, fps]) => `${at}s ${fps}`).join(', ')}`)
    // BENCH_UI_SCREENSHOT=file.png: what the counted frames looked like.
    if (process.env.BENCH_UI_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_UI_SCREENSHOT })
    const achieved = lab.workload.totals()
    const opsPerSec = Math.round((achieved.ok - ok0) / ((Date.now() - t0) / 1000))
    v(await lab.handle('workload.stop', undefined))
    const f = summarize(fpsSamples)
    const p10 = quantile([...fpsSamples].sort((a, b) => a - b), 0.1)
    const during = `load ${Math.min(...loads)}–${Math.max(...loads)} during`
    const below = fpsSamples.filter((x) => x < 30).length
    const buckets = `${f.n} back-to-back ${FPS_BUCKET_MS / 1000} s buckets, ${below} under 30; workload achieved ${opsPerSec} ok ops/s`
    rows.push({ name: `timeline frames/s while following live (5 nodes, 1,000 ops/s, ${minutes} min), median`, value: Math.round(f.p50), unit: 'fps', target: '≥ 30', pass: f.p50 >= 30, load: load(), note: `p10 ${Math.round(p10)}, min ${Math.round(f.min)}, max ${Math.round(f.max)}; ${buckets}; ${during}` })
    rows.push({ name: `timeline frames/s while following live, lowest ${FPS_BUCKET_MS / 1000} s bucket`, value: Math.round(f.min), unit: 'fps', target: '≥ 30', pass: f.min >= 30, load: load(), note: `p10 ${Math.round(p10)}; ${during}` })
    const heapMax = Math.max(...heapSamples)
    rows.push({ name: `renderer JS heap, highest sample over ${minutes} min`, value: Math.round(heapMax), unit: 'MB', target: '< 300', pass: heapMax < 300, load: load(), note: `last ${Math.round(heapSamples.at(-1) ?? 0)} MB, workload ok ${achieved.ok}` })

    // Crash from the map: WebSocket frame → card shows "down" on a painted frame.
    await page.getByTestId('nav-cluster').click()
    const latencies: number[] = []
    // The card may show the crash before the event arrives (the crash call's answer says so).
    const afterEvent: number[] = []
    for (const id of [2, 3, 4]) {
      await page.evaluate((id) => {
        const w = window as unknown as { __shown?: number }
        delete w.__shown
        const card = document.querySelector(`[data-testid="node-card-${id}"]`)!
        const obs = new MutationObserver(() => {
          if (card.getAttribute('data-state') === 'down') {
            obs.disconnect()
            requestAnimationFrame(() => (w.__shown = performance.now()))
          }
        })
        obs.observe(card, { attributes: true, attributeFilter: ['data-state'] })
      }, id)
      // Click in the page itself so the click time and the paint time share one clock.
      await page.evaluate((id) => {
        const w = window as unknown as { __clicked?: number }
        w.__clicked = performance.now()
        ;(document.querySelector(`[data-testid="crash-node-${id}"]`) as HTMLButtonElement).click()
      }, id)
      const latency = await page.waitForFunction(
        (id) => {
          const w = window as unknown as { __shown?: number; __clicked: number; __exitArrivals: { nodeId: number; at: number }[] }
          const arrived = w.__exitArrivals.find((a) => a.nodeId === id)
          return w.__shown !== undefined && arrived ? { click: w.__shown - w.__clicked, event: w.__shown - arrived.at } : null
        },
        id,
        { timeout: 15_000 }
      )
      const l = (await latency.jsonValue()) as { click: number; event: number }
      latencies.push(l.click)
      afterEvent.push(l.event)
      await page.getByTestId(`restart-node-${id}`).click()
      await page.getByTestId(`node-card-${id}`).and(page.locator('[data-state="up"]')).waitFor({ timeout: 30_000 })
    }
    // The issue's figure: the effect on screen within 100 ms of the event arriving. Negative
    // means the card was painted down before the event came (the crash call's own answer).
    const worstAfterEvent = Math.max(...afterEvent)
    rows.push({
      name: 'crash from the map: node.exited frame arrived → card painted down, worst of 3',
      value: Math.round(worstAfterEvent * 10) / 10,
      unit: 'ms',
      target: '≤ 100',
      pass: worstAfterEvent <= 100,
      load: load(),
      note: `${afterEvent.map((l) => Math.round(l)).join(', ')} ms (negative: painted before the event arrived, from the crash call's answer)`
    })
    rows.push({
      name: 'crash from the map: click → card painted down (kill -9 and its answer included), worst of 3',
      value: Math.round(Math.max(...latencies) * 10) / 10,
      unit: 'ms',
      load: load(),
      note: latencies.map((l) => Math.round(l)).join(', ')
    })
  } finally {
    await browser.close()
    await lab.shutdown()
    await bridge.close()
    await rm(dataRoot, { recursive: true, force: true })
  }
  return rows
}
