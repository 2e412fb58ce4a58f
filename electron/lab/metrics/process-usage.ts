/**
 * CPU and resident memory of node processes, read by the lab from the outside (pidusage reads
 * /proc on Linux, ps elsewhere) so a node that is paused or hung still reports its memory.
 */
import pidusage from 'pidusage'

export interface ProcessUsage {
  /** Percent of one core since the previous reading of this pid (so 0–100 × cores). */
  cpuPct: number
  rssBytes: number
}

/** One process's usage, or null when the pid is gone (crashed, reaped) or unreadable. Never throws. */
export async function processUsage(pid: number | null | undefined): Promise<ProcessUsage | null> {
  if (!pid || pid <= 0) return null
  try {
    const s = await pidusage(pid)
    return { cpuPct: Math.round(s.cpu * 10) / 10, rssBytes: s.memory }
  } catch {
    return null
  }
}

/** Usage of several processes at once; a pid that vanished maps to null. */
export async function processesUsage(pids: readonly number[]): Promise<Map<number, ProcessUsage | null>> {
  const entries = await Promise.all(pids.map(async (pid) => [pid, await processUsage(pid)] as const))
  return new Map(entries)
}

/** Drop pidusage's per-pid history (its CPU baselines) and its expiry timer. */
export function forgetProcessUsage(): void {
  pidusage.clear()
}
