import { expect, it } from 'vitest'
import { describeCpu, startCpuMeter } from './cpu-meter'

it.skipIf(process.platform !== 'linux')('charges the CPU a process burns to it, per operation', () => {
  const meter = startCpuMeter([process.pid])
  const until = performance.now() + 300
  let x = 0
  while (performance.now() < until) x += Math.sqrt(x + 1)
  const c = meter.stop(100)!
  expect(x).toBeGreaterThan(0)
  // ~300 ms over 100 ops is ~3,000 µs/op; /proc counts in 10 ms ticks, cpuUsage in µs.
  expect(c.client).toBeGreaterThan(2000)
  expect(Math.abs(c.nodes[0]! - c.client)).toBeLessThanOrEqual(300)
  expect(c.machine).toBeGreaterThanOrEqual(c.nodes[0]! - 300)
  expect(describeCpu(c)).toMatch(/^CPU µs\/op: nodes \d+, client \d+, machine \d+ \(idle [\d.]+ %\)$/)
})

it('measures nothing for no operations', () => {
  expect(startCpuMeter([process.pid]).stop(0)).toBeUndefined()
  expect(describeCpu(undefined)).toBe('CPU per op not measured here')
})
