import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { processesUsage, processUsage } from './process-usage'

describe('processUsage', () => {
  it('reads CPU and RSS of a live process', async () => {
    const u = await processUsage(process.pid)
    expect(u).not.toBeNull()
    expect(u!.rssBytes).toBeGreaterThan(1_000_000)
    expect(u!.cpuPct).toBeGreaterThanOrEqual(0)
  })

  it('answers null (never throws) for a pid that does not exist or none', async () => {
    // Above the kernel's pid_max no process can exist.
    const gone = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1
    expect(await processUsage(gone)).toBeNull()
    expect(await processUsage(null)).toBeNull()
    const both = await processesUsage([process.pid, gone])
    expect(both.get(process.pid)).not.toBeNull()
    expect(both.get(gone)).toBeNull()
  })
})
