/**
 * Prometheus text exposition (format 0.0.4) → samples. Small and strict on purpose: the
 * package we tried first (parse-prometheus-text-format) drops the labels, _sum and _count of
 * labelled histograms, which are exactly the series the lab reads (request latency by API).
 * Pure.
 */

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export type Scrape = Map<string, Sample[]>

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/

function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {}
  let i = 0
  while (i < body.length) {
    const eq = body.indexOf('=', i)
    if (eq < 0) break
    const name = body.slice(i, eq).trim().replace(/^,/, '').trim()
    if (body[eq + 1] !== '"') throw new SyntaxError(`label ${name}: value must be quoted`)
    let j = eq + 2
    let value = ''
    while (j < body.length && body[j] !== '"') {
      if (body[j] === '\\') {
        const n = body[j + 1]
        value += n === 'n' ? '\n' : n
        j += 2
      } else value += body[j++]
    }
    labels[name] = value
    i = j + 1
    while (body[i] === ',' || body[i] === ' ') i++
  }
  return labels
}

function parseValue(s: string): number {
  if (s === '+Inf') return Number.POSITIVE_INFINITY
  if (s === '-Inf') return Number.NEGATIVE_INFINITY
  if (s === 'NaN') return Number.NaN
  const v = Number(s)
  if (Number.isNaN(v)) throw new SyntaxError(`not a number: ${s}`)
  return v
}

/** Every sample by metric name (histogram series keep their `_bucket`/`_sum`/`_count` names). Bad lines are skipped. */
export function parsePromText(text: string): Scrape {
  const out: Scrape = new Map()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (!m) continue
    try {
      const sample: Sample = { name: m[1]!, labels: m[3] ? parseLabels(m[3]) : {}, value: parseValue(m[4]!) }
      const list = out.get(sample.name)
      if (list) list.push(sample)
      else out.set(sample.name, [sample])
    } catch {
      // One malformed line must not cost the whole scrape.
    }
  }
  return out
}

/** Sum of a metric's samples whose labels match `where` (all when omitted). */
export function sum(s: Scrape, name: string, where: (l: Record<string, string>) => boolean = () => true): number {
  let total = 0
  for (const x of s.get(name) ?? []) if (where(x.labels)) total += x.value
  return total
}

/** The single value of a gauge (first sample), or null. */
export function gauge(s: Scrape, name: string): number | null {
  const x = s.get(name)?.[0]
  return x ? x.value : null
}

/** Cumulative bucket counts (le → count) summed over the series that match `where`. */
export function buckets(s: Scrape, name: string, where: (l: Record<string, string>) => boolean = () => true): Map<number, number> {
  const out = new Map<number, number>()
  for (const x of s.get(`${name}_bucket`) ?? []) {
    if (!where(x.labels)) continue
    const le = parseValue(x.labels.le ?? '+Inf')
    out.set(le, (out.get(le) ?? 0) + x.value)
  }
  return out
}

/**
 * The q-quantile from cumulative bucket counts, as Prometheus's histogram_quantile: find the
 * bucket the rank falls in and interpolate linearly inside it (the +Inf bucket answers its
 * lower bound). null when there were no observations.
 */
export function quantile(q: number, cumulative: Map<number, number>): number | null {
  const les = [...cumulative.keys()].sort((a, b) => a - b)
  if (les.length === 0) return null
  const total = cumulative.get(les[les.length - 1]!) ?? 0
  if (total <= 0) return null
  const rank = q * total
  let prevLe = 0
  let prevCount = 0
  for (const le of les) {
    const count = cumulative.get(le)!
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return prevLe
      const inBucket = count - prevCount
      return inBucket <= 0 ? le : prevLe + ((le - prevLe) * (rank - prevCount)) / inBucket
    }
    prevLe = le
    prevCount = count
  }
  return prevLe
}

/** cur − prev per bucket (counters only grow; a restart shows as a drop and yields cur). */
export function deltaBuckets(cur: Map<number, number>, prev: Map<number, number> | undefined): Map<number, number> {
  const out = new Map<number, number>()
  const reset = !!prev && [...cur].some(([le, c]) => c < (prev.get(le) ?? 0))
  for (const [le, c] of cur) out.set(le, reset || !prev ? c : c - (prev.get(le) ?? 0))
  return out
}
