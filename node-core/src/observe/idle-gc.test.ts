import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { compactingGc, startIdleGc } from './idle-gc'

async function until(what: string, probe: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

let stop: (() => void) | undefined
afterEach(() => stop?.())

describe('startIdleGc', () => {
  it('collects once after a burst of work has gone quiet, and not again while nothing happens', async () => {
    let applied = 0
    let collections = 0
    stop = startIdleGc({ progress: () => applied, gc: () => collections++, quietMs: 30, minProgress: 100 })
    // The quiet spell right after start collects what recovery left behind.
    await until('the collection after start', () => collections === 1)
    const burst = setInterval(() => (applied += 50), 5)
    await pause(120)
    expect(collections).toBe(1) // busy all along
    clearInterval(burst)
    await until('a collection after the burst', () => collections === 2)
    await pause(150)
    expect(collections).toBe(2)
  })

  it('counts a trickle of work as quiet', async () => {
    let applied = 0
    let collections = 0
    stop = startIdleGc({ progress: () => applied, gc: () => collections++, quietMs: 60, quietPerSecond: 100, minProgress: 100 })
    await until('the collection after start', () => collections === 1)
    applied += 1000
    // 1 per 20 ms is 50 a second, under the 100 allowed: the burst's collection still comes.
    const trickle = setInterval(() => applied++, 20)
    try {
      await until('a collection during the trickle', () => collections === 2)
    } finally {
      clearInterval(trickle)
    }
  })

  it('leaves a node that did little since alone, and is a no-op without an exposed gc', async () => {
    let applied = 0
    let collections = 0
    stop = startIdleGc({ progress: () => applied, gc: () => collections++, quietMs: 20, minProgress: 100 })
    await until('the collection after start', () => collections === 1)
    applied += 10
    await pause(150)
    expect(collections).toBe(1)
    expect(() => startIdleGc({ progress: () => 0, gc: undefined })()).not.toThrow()
  })
})

describe('compactingGc', () => {
  it('gives back in one collection the pages a plain full GC leaves fragmented (real V8, child process)', () => {
    // Keep every 8th of 600k small objects: one plain gc() frees the rest but keeps their pages.
    const heapAfterOneGc = (compacting: boolean): number => {
      const script = `
        import { compactingGc } from ${JSON.stringify(fileURLToPath(new URL('./idle-gc.ts', import.meta.url)))}
        const keep = []
        let all = []
        for (let i = 0; i < 600000; i++) { const o = { k: 'key' + i, v: i }; all.push(o); if (i % 8 === 0) keep.push(o) }
        all = null
        ${compacting ? 'compactingGc(gc)()' : 'gc()'}
        console.log(JSON.stringify({ heapTotal: process.memoryUsage().heapTotal, kept: keep.length }))`
      const out = execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=4', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
      const r = JSON.parse(out.trim().split('\n').pop()!) as { heapTotal: number; kept: number }
      expect(r.kept).toBe(75000)
      return r.heapTotal
    }
    const plain = heapAfterOneGc(false)
    const compacted = heapAfterOneGc(true)
    expect(compacted, `heap total after one plain GC ${plain}, after one compacting GC ${compacted}`).toBeLessThan(plain * 0.6)
  })

  it('is absent without an exposed gc, and otherwise collects once per call', () => {
    expect(compactingGc(undefined)).toBeUndefined()
    let calls = 0
    const gc = compactingGc(() => calls++)!
    gc()
    gc()
    expect(calls).toBe(2)
  })
})
