import { afterEach, describe, expect, it } from 'vitest'
import { startIdleGc } from './idle-gc'

async function until(what: string, probe: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

let stop: (() => void) | undefined
afterEach(() => stop?.())

describe('startIdleGc', () => {
  it('collects once after a burst of work has gone quiet, and not again while nothing happens', async () => {
    let applied = 0
    let collections = 0
    stop = startIdleGc({ progress: () => applied, gc: () => collections++, quietMs: 30, minProgress: 100 })
    const burst = setInterval(() => (applied += 50), 5)
    await new Promise((r) => setTimeout(r, 120))
    expect(collections).toBe(0) // busy all along
    clearInterval(burst)
    await until('a collection after the burst', () => collections === 1)
    await new Promise((r) => setTimeout(r, 150))
    expect(collections).toBe(1)
  })

  it('leaves a node that did little alone, and is a no-op without an exposed gc', async () => {
    let applied = 0
    let collections = 0
    stop = startIdleGc({ progress: () => applied, gc: () => collections++, quietMs: 20, minProgress: 100 })
    applied += 10
    await new Promise((r) => setTimeout(r, 150))
    expect(collections).toBe(0)
    expect(() => startIdleGc({ progress: () => 0, gc: undefined })()).not.toThrow()
  })
})
