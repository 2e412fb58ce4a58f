/**
 * Scrapes every node's `/nacos/actuator/prometheus` once a tick (1 s by default), reads each
 * process's CPU and memory, derives one MetricsSample for the cluster, keeps the last hour,
 * and evaluates the alert rules. A node that does not answer in time (down, paused, cut off)
 * is `up: false`; a slow node never makes scrapes pile up: a tick still running when the next
 * is due makes that one skip, and every request has a deadline shorter than the interval.
 */
import { request } from 'node:http'
import type { AlertStatus, MetricsSample, NodeId } from '../api'
import { AlertEngine, type AlertRulePatch, type AlertTransition } from './alerts'
import { deriveNode, deriveSample, derivedFrom, type NodeFigures } from './derive'
import { processUsage } from './process-usage'
import { parsePromText, type Scrape } from './prom-text'

export interface ScrapeTarget {
  id: NodeId
  host: string
  port: number
  /** The node's process, for CPU and RSS (null: not running or unknown). */
  pid: number | null
}

/** A sample as the scraper makes it: nodes carry the extra figures of {@link NodeFigures}. */
export interface ScrapedSample extends MetricsSample {
  nodes: NodeFigures[]
}

export interface ScraperOptions {
  intervalMs?: number
  /** Per-request deadline (default 80 % of the interval, at most 800 ms). */
  timeoutMs?: number
  /** Samples kept (default one hour at one a second). */
  capacity?: number
  /** Cluster size for the quorum (members, including nodes that are down); default: the number of targets. */
  size?: () => number
  /** Who to scrape, read every tick; `setTargets` replaces it with a fixed list. */
  targets?: () => ScrapeTarget[]
  alertRules?: AlertRulePatch[]
  onSample?: (s: ScrapedSample) => void
  onAlert?: (t: AlertTransition) => void
}

export const PROMETHEUS_PATH = '/nacos/actuator/prometheus'
/** A node's exposition is ~20 kB; anything near this is not a node-core. */
const MAX_BODY_BYTES = 4 << 20

/** GET a text body; rejects on a non-200, a body too large, or no full answer within `timeoutMs`. */
export function fetchText(host: string, port: number, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        body += c
        if (body.length > MAX_BODY_BYTES) req.destroy(new Error('body too large'))
      })
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))))
      res.on('error', reject)
    })
    // A whole-request deadline: a SIGSTOPped node accepts the connection (the kernel does) and never answers.
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    req.on('close', () => clearTimeout(timer))
    req.on('error', reject)
    req.end()
  })
}

function safely(f: () => void): void {
  try {
    f()
  } catch {
    // The listener's bug; the scraper keeps ticking.
  }
}

export class MetricsScraper {
  readonly alerts: AlertEngine
  private readonly ring: ScrapedSample[] = []
  /** Each node's last successful scrape and when it was taken. */
  private readonly last = new Map<NodeId, { scrape: Scrape; at: number }>()
  private fixedTargets: ScrapeTarget[] | null = null
  private timer: ReturnType<typeof setInterval> | null = null
  private running: Promise<ScrapedSample | null> | null = null
  private lastAt = 0
  private stopped = false

  constructor(private readonly opts: ScraperOptions = {}) {
    this.alerts = new AlertEngine(opts.alertRules)
  }

  get intervalMs(): number {
    return this.opts.intervalMs ?? 1000
  }

  start(): void {
    if (this.timer) return
    this.stopped = false
    this.timer = setInterval(() => void this.tick(), this.intervalMs)
    this.timer.unref?.()
  }

  /** Stop ticking; a tick in flight finishes but reports nothing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.stopped = true
  }

  /** Scrape these nodes from now on (takes over from `opts.targets`). Nodes no longer listed are forgotten. */
  setTargets(targets: readonly ScrapeTarget[]): void {
    this.fixedTargets = targets.map((t) => ({ ...t }))
  }

  targets(): ScrapeTarget[] {
    return this.fixedTargets ?? this.opts.targets?.() ?? []
  }

  samples(since = 0): ScrapedSample[] {
    return this.ring.filter((s) => s.at > since)
  }

  latest(): ScrapedSample | null {
    return this.ring[this.ring.length - 1] ?? null
  }

  alertStatus(): AlertStatus[] {
    return this.alerts.status()
  }

  /** Validates (INVALID_ARGUMENT naming the field) and applies; the new rules judge the next sample. */
  configureAlerts(rules: AlertRulePatch[]): AlertStatus[] {
    return this.alerts.configure(rules)
  }

  /** One scrape of every node now (also what the timer calls). Never throws; null when a tick is already running. */
  tick(): Promise<ScrapedSample | null> {
    if (this.running) return Promise.resolve(null)
    const run = this.scrapeAll()
      .catch(() => null)
      .finally(() => {
        this.running = null
      })
    this.running = run
    return run
  }

  private async scrapeAll(): Promise<ScrapedSample | null> {
    const at = Date.now()
    const interval = this.lastAt ? at - this.lastAt : this.intervalMs
    this.lastAt = at
    const timeoutMs = this.opts.timeoutMs ?? Math.min(800, this.intervalMs * 0.8)
    const targets = this.targets()
    const ids = new Set(targets.map((t) => t.id))
    for (const id of this.last.keys()) if (!ids.has(id)) this.last.delete(id)
    const nodes = await Promise.all(
      targets.map(async (t) => {
        const [text, usage] = await Promise.all([fetchText(t.host, t.port, PROMETHEUS_PATH, timeoutMs).catch(() => null), processUsage(t.pid)])
        const cur = text === null ? null : parsePromText(text, derivedFrom)
        const prev = this.last.get(t.id)
        if (cur) this.last.set(t.id, { scrape: cur, at })
        // Rates over the time since this node's previous good scrape (it may have missed ticks).
        return deriveNode({ nodeId: t.id, cur, prev: prev?.scrape ?? null, cpuPct: usage?.cpuPct ?? null, rssBytes: usage?.rssBytes ?? null }, prev ? at - prev.at : interval)
      })
    )
    if (this.stopped) return null
    const sample = deriveSample(at, interval, nodes, this.opts.size?.() ?? targets.length)
    this.ring.push(sample)
    const cap = this.opts.capacity ?? 3600
    if (this.ring.length > cap) this.ring.splice(0, this.ring.length - cap)
    const transitions = this.alerts.evaluate(sample)
    // A listener that throws must not cost the others their sample or alert.
    safely(() => this.opts.onSample?.(sample))
    for (const t of transitions) safely(() => this.opts.onAlert?.(t))
    return sample
  }
}
