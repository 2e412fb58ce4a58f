import { describe, it, expect } from 'vitest'
import { ProcessMeter, systemProbe, type ProcessProbe } from './process-metrics'

/** A probe whose readings the test moves by hand. */
function fakeProbe(): ProcessProbe & { cpu: number; wall: number; load: number; used: number; total: number } {
  const p = {
    cpu: 0,
    wall: 0,
    load: 0.5,
    used: 30,
    total: 120,
    cpuMicros: () => p.cpu,
    wallMicros: () => p.wall,
    loadAverage1m: () => p.load,
    heap: () => ({ used: p.used, total: p.total })
  }
  return p
}

describe('ProcessMeter', () => {
  it('reports CPU as CPU time per wall time since the previous sample', () => {
    const probe = fakeProbe()
    const meter = new ProcessMeter(probe)
    probe.wall = 1_000_000
    probe.cpu = 250_000
    expect(meter.sample()).toEqual({ load: 0.5, cpu: 0.25, mem: 0.25 })
    probe.wall = 2_000_000
    probe.cpu = 1_750_000 // 1.5 cores busy over the last second
    expect(meter.sample().cpu).toBe(1.5)
  })

  it('reports 0 when no wall time passed, and never a negative rate', () => {
    const probe = fakeProbe()
    const meter = new ProcessMeter(probe)
    expect(meter.sample().cpu).toBe(0)
    probe.wall = 10
    probe.cpu = -5
    expect(meter.sample().cpu).toBe(0)
  })

  it('rounds to four decimals and guards an empty heap', () => {
    const probe = fakeProbe()
    probe.load = 1.234567
    probe.total = 0
    const meter = new ProcessMeter(probe)
    expect(meter.sample()).toMatchObject({ load: 1.2346, mem: 0 })
  })

  it('reads plausible numbers from the real process', () => {
    const s = new ProcessMeter(systemProbe).sample()
    expect(s.load).toBeGreaterThanOrEqual(0)
    expect(s.cpu).toBeGreaterThanOrEqual(0)
    expect(s.mem).toBeGreaterThan(0)
    expect(s.mem).toBeLessThanOrEqual(1)
  })
})
