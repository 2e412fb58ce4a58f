/** Summary statistics for a list of samples (ms). Pure. */
export interface Summary {
  n: number
  min: number
  p50: number
  p90: number
  max: number
  mean: number
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b)
  const r = (x: number): number => Math.round(x * 10) / 10
  return {
    n: s.length,
    min: r(s[0] ?? NaN),
    p50: r(quantile(s, 0.5)),
    p90: r(quantile(s, 0.9)),
    max: r(s[s.length - 1] ?? NaN),
    mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1))
  }
}
