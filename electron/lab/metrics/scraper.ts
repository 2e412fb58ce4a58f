/**
 * Scrapes every node's `/nacos/actuator/prometheus` once a tick (1 s by default), reads each
 * process's CPU and memory, derives one MetricsSample for the cluster, keeps the last hour,
 * and evaluates the alert rules. A node that does not answer in time (down, paused, cut off)
 * is `up: false`; a slow node never makes scrapes pile up (one request per node in flight).
 */
import { request } from 'node:http'
import pidusage from 'pidusage'
import type { AlertRule, AlertRuleId, AlertStatus, MetricsSample, NodeId } from '../api'
import { AlertEngine, type AlertTransition } from './alerts'
import { deriveNode, deriveSample } from './derive'
import { parsePromText, type Scrape } from './prom-text'

export interface ScrapeTarget {
  id: NodeId
  host: string
  port: number
  pid: number | null
}

export interface ScraperOptions {
  intervalMs?: number
  timeoutMs?: number
  /** Samples kept (default one hour at one a second). */
  capacity?: number
  /** Cluster size for the quorum (members, including nodes that are down). */
  size: () => number
  targets: () => ScrapeTarget[]
  onSample?: (s: MetricsSample) => void
  onAlert?: (t: AlertTransition) => void
}

export const PROMETHEUS_PATH = '/nacos/actuator/prometheus'

function fetchText(host: string, port: number, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

export class MetricsScraper {
  readonly alerts = new AlertEngine()
  private readonly ring: MetricsSample[] = []
  private readonly prev = new Map<NodeId, Scrape>()
  private timer: ReturnType<typeof setInterval> | null = null
  private busy = false
  private lastAt = 0

  constructor(private readonly opts: ScraperOptions) {}

  start(): void {
    if (this.timer) return
    this.lastAt = Date.now()
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs ?? 1000)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  samples(since = 0): MetricsSample[] {
    return this.ring.filter((s) => s.at > since)
  }

  alertStatus(): AlertStatus[] {
    return this.alerts.status()
  }

  configureAlerts(rules: (Partial<AlertRule> & { id: AlertRuleId })[]): AlertStatus[] {
    this.alerts.configure(rules)
    return this.alerts.status()
  }

  /** One scrape of every node now (also what the timer calls). Never throws. */
  async tick(): Promise<MetricsSample | null> {
    if (this.busy) return null
    this.busy = true
    try {
      const at = Date.now()
      const dt = at - this.lastAt
      this.lastAt = at
      const timeoutMs = this.opts.timeoutMs ?? Math.min(800, (this.opts.intervalMs ?? 1000) * 0.8)
      const targets = this.opts.targets()
      const nodes = await Promise.all(
        targets.map(async (t) => {
          const [text, usage] = await Promise.all([
            fetchText(t.host, t.port, PROMETHEUS_PATH, timeoutMs).catch(() => null),
            t.pid ? pidusage(t.pid).catch(() => null) : Promise.resolve(null)
          ])
          const cur = text === null ? null : parsePromText(text)
          const prev = this.prev.get(t.id) ?? null
          if (cur) this.prev.set(t.id, cur)
          return deriveNode({ nodeId: t.id, cur, prev, cpuPct: usage ? Math.round(usage.cpu * 10) / 10 : null, rssBytes: usage ? usage.memory : null }, dt)
        })
      )
      const sample = deriveSample(at, dt, nodes, this.opts.size())
      this.ring.push(sample)
      const cap = this.opts.capacity ?? 3600
      if (this.ring.length > cap) this.ring.splice(0, this.ring.length - cap)
      this.opts.onSample?.(sample)
      for (const t of this.alerts.evaluate(sample)) this.opts.onAlert?.(t)
      return sample
    } finally {
      this.busy = false
    }
  }
}
