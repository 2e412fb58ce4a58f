import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { allocateNodePorts, ephemeralRangeStart, isPortFree, MIN_HTTP_PORT } from './ports'

const open: Server[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((r) => s.close(r))))
})

describe('allocateNodePorts', () => {
  it('hands out distinct pairs below the ephemeral range, both free', async () => {
    const ports = await allocateNodePorts(9)
    const all = ports.flatMap((p) => [p, p - 1000])
    expect(new Set(all).size).toBe(18)
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(MIN_HTTP_PORT)
      // Outgoing connections take source ports from the ephemeral range; ours must not be there.
      expect(p).toBeLessThan(ephemeralRangeStart())
      expect(await isPortFree(p)).toBe(true)
      expect(await isPortFree(p - 1000)).toBe(true)
    }
  })

  it('never hands out a port in use or one to avoid', async () => {
    const [busy] = await allocateNodePorts(1)
    const srv = createServer()
    open.push(srv)
    await new Promise<void>((r) => srv.listen(busy! - 1000, '127.0.0.1', r))
    expect(await isPortFree(busy! - 1000)).toBe(false)
    const avoid = new Set([busy!])
    for (let i = 0; i < 20; i++) {
      const [p] = await allocateNodePorts(1, { avoid })
      expect(p).not.toBe(busy)
      expect(p! - 1000).not.toBe(busy! - 1000)
    }
  })
})
