/** Number formats of the node cards: memory, CPU, heartbeat age. Pure and locale-free. */

/** "45 MB", "1.2 GB"; null → null (the caller shows a dash). */
export function formatBytes(bytes: number | null): string | null {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return null
  const mb = bytes / (1024 * 1024)
  if (mb < 1) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  if (mb < 1024) return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`
  return `${(mb / 1024).toFixed(1)} GB`
}

/** "3%", "0.4%", "112%" (a busy process can use more than one core). */
export function formatCpu(pct: number | null): string | null {
  if (pct === null || !Number.isFinite(pct) || pct < 0) return null
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`
}

/** How long ago, in whole ms (never negative: clocks of events and page may differ slightly). */
export function ageMs(at: number | null, now: number): number | null {
  return at === null ? null : Math.max(0, Math.round(now - at))
}

/**
 * A follower hears from its leader at least every heartbeat; well past the longest election
 * timeout something is wrong (the margin covers message events the lab samples out at full speed).
 */
export function heartbeatLate(age: number | null, teaching: boolean): boolean {
  return age !== null && age > (teaching ? 6000 : 1500)
}

/** SVG polyline points for a small sparkline of `values` in a w×h box (0 at the bottom). */
export function sparkPoints(values: readonly number[], w: number, h: number): string {
  if (values.length === 0) return ''
  const max = Math.max(1, ...values)
  const step = values.length > 1 ? w / (values.length - 1) : 0
  return values
    .map((v, i) => `${Math.round(i * step * 10) / 10},${Math.round((h - (Math.max(0, v) / max) * h) * 10) / 10}`)
    .join(' ')
}

/** The slowest kind's p99 of one stats interval, ms (null when nothing completed). */
export function worstP99(byKind: Record<string, { p99: number; ok: number; fail: number }>): number | null {
  let worst: number | null = null
  for (const k of Object.values(byKind)) if (k.ok + k.fail > 0 && (worst === null || k.p99 > worst)) worst = k.p99
  return worst
}
