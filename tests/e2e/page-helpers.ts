import type { Page } from '@playwright/test'

/** Non-transparent pixels on the first canvas inside `selector`: proof that ECharts drew something. */
export async function canvasPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((selector) => {
    const canvas = document.querySelector(`${selector} canvas`) as HTMLCanvasElement | null
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx || canvas.width === 0) return 0
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
    let n = 0
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
    return n
  }, selector)
}

/**
 * Publish a config over plain HTTP (the Nacos open API) through the node on `port`. A failure
 * while the cluster elects (503, a reset) is retried until `deadlineMs`, as the Nacos SDK does;
 * what the node last said is in the error.
 */
export async function publishConfig(port: number, dataId: string, content: string, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs
  let last = ''
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/nacos/v1/cs/configs`, {
        method: 'POST',
        body: new URLSearchParams({ dataId, group: 'DEFAULT_GROUP', content }),
        signal: AbortSignal.timeout(3000)
      })
      last = `${res.status} ${await res.text()}`
      if (res.ok) return
    } catch (err) {
      last = String(err)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`publishing ${dataId} through :${port} kept failing: ${last}`)
}
