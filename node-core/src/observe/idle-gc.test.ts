import { afterEach, describe, expect, it } from 'vitest'
import { startIdleGc } from './idle-gc'

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
