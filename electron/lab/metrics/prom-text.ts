/**
 * Prometheus text exposition (format 0.0.4) → samples. Small and strict on purpose: the
 * package we tried first (parse-prometheus-text-format) drops the labels, _sum and _count of
 * labelled histograms, which are exactly the series the lab reads (request latency by API).
 * Pure.
 */

export interface Sample {
  name: string
  labels: Record<string, string>
  /** The label text as exposed (`a="1",b="2"`): one process prints a series' labels the same way every scrape, so it keys the series cheaply. */
  key: string
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
    const name = body.slice(i, eq).trim()
    if (body[eq + 1] !== '"') throw new SyntaxError(`label ${name}: value must be quoted`)
    // Copy runs between escapes whole: most values have none, and this is the scrape's hot loop.
    let j = eq + 2
    let value = ''
    for (;;) {
      const quote = body.indexOf('"', j)
      const esc = body.indexOf('\\', j)
      if (quote < 0) throw new SyntaxError(`label ${name}: unterminated value`)
      if (esc < 0 || esc > quote) {
        value += body.slice(j, quote)
        j = quote
        break
      }
      const n = body[esc + 1]
      value += body.slice(j, esc) + (n === 'n' ? '\n' : (n ?? ''))
      j = esc + 2
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

/**
 * Every sample by metric name (histogram series keep their `_bucket`/`_sum`/`_count` names).
 * Bad lines are skipped. `keep` picks metric names before their labels are parsed (the cost).
 */
export function parsePromText(text: string, keep?: (name: string) => boolean): Scrape {
  const out: Scrape = new Map()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (keep) {
      const end = line.search(/[{\s]/)
      if (!keep(end < 0 ? line : line.slice(0, end))) continue
    }
    const m = LINE.exec(line)
    if (!m) continue
    try {
      const sample: Sample = { name: m[1]!, labels: m[3] ? parseLabels(m[3]) : {}, key: m[3] ?? '', value: parseValue(m[4]!) }
      const list = out.get(sample.name)
      if (list) list.push(sample)
      else out.set(sample.name, [sample])
    } catch {
      // One malformed line must not cost the whole scrape.
    }
  }
  return out
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
