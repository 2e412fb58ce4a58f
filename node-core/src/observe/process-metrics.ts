/**
 * Host and process load figures for `/nacos/v1/ns/operator/metrics`, with Nacos's meaning:
 * `load` the 1-minute load average, `cpu` the process CPU use, `mem` heap used / heap total.
 */
import { loadavg } from 'node:os'

/** What a {@link ProcessMeter} reads; injectable so tests need no real load. */
export interface ProcessProbe {
  /** Microseconds of CPU (user + system) used by the process so far. */
  cpuMicros(): number
  /** Monotonic wall clock in microseconds. */
  wallMicros(): number
  loadAverage1m(): number
  heap(): { used: number; total: number }
}

/** The real process and host. */
export const systemProbe: ProcessProbe = {
  cpuMicros: () => {
    const u = process.cpuUsage()
    return u.user + u.system
  },
  wallMicros: () => Number(process.hrtime.bigint() / 1000n),
  loadAverage1m: () => loadavg()[0] ?? 0,
  heap: () => {
    const m = process.memoryUsage()
    return { used: m.heapUsed, total: m.heapTotal }
  }
}

/** One reading of {@link ProcessMeter.sample}. */
export interface ProcessSample {
  load: number
  /** CPU seconds per wall second since the previous sample (1 = one core busy). */
  cpu: number
  /** Heap used / heap total, 0..1. */
  mem: number
}

/**
 * Measures CPU use as a rate between consecutive samples (the first sample covers the time
 * since the meter was made), which is what a poller like the lab wants to plot.
 */
export class ProcessMeter {
  readonly #probe: ProcessProbe
  #lastCpu: number
  #lastWall: number

  constructor(probe: ProcessProbe = systemProbe) {
    this.#probe = probe
    this.#lastCpu = probe.cpuMicros()
    this.#lastWall = probe.wallMicros()
  }

  /** Read load, CPU since the previous call, and heap use. */
  sample(): ProcessSample {
    const cpuNow = this.#probe.cpuMicros()
    const wallNow = this.#probe.wallMicros()
    const wall = wallNow - this.#lastWall
    // Two calls within the clock's resolution: report 0 rather than divide by zero.
    const cpu = wall > 0 ? Math.max(0, cpuNow - this.#lastCpu) / wall : 0
    this.#lastCpu = cpuNow
    this.#lastWall = wallNow
    const heap = this.#probe.heap()
    return {
      load: round(this.#probe.loadAverage1m()),
      cpu: round(cpu),
      mem: heap.total > 0 ? round(heap.used / heap.total) : 0
    }
  }
}

/** Four decimals: enough for a chart, short in JSON. */
function round(x: number): number {
  return Math.round(x * 10_000) / 10_000
}
