/**
 * The seed's §8.3 alert rules, evaluated on every metrics sample: nodes up below quorum,
 * p99 latency above 100 ms, error rate above 1 %, more than 5 elections an hour. Each rule
 * has a `for` duration (as Prometheus's `for:`): the condition must hold that long before the
 * alert fires, so one slow request does not page anyone. Pure.
 */
import { ALERT_RULE_IDS, type AlertRule, type AlertRuleId, type AlertStatus, type MetricsSample } from '../api'

export const DEFAULT_RULES: AlertRule[] = [
  { id: 'quorum-lost', enabled: true, threshold: 0, forMs: 0 },
  { id: 'latency-high', enabled: true, threshold: 100, forMs: 5_000 },
  { id: 'error-rate-high', enabled: true, threshold: 0.01, forMs: 5_000 },
  { id: 'elections-frequent', enabled: true, threshold: 5, forMs: 0 }
]

export interface AlertTransition {
  rule: AlertRuleId
  state: 'firing' | 'resolved'
  value: number | null
  threshold: number
  at: number
}

const HOUR = 3_600_000

export class AlertEngine {
  private rules = new Map<AlertRuleId, AlertRule>(DEFAULT_RULES.map((r) => [r.id, { ...r }]))
  private readonly state = new Map<AlertRuleId, { state: AlertStatus['state']; since: number | null; value: number | null }>()
  /** Leader changes seen, with their times, for the per-hour rule. */
  private elections: number[] = []

  configure(patches: (Partial<AlertRule> & { id: AlertRuleId })[]): void {
    for (const p of patches) {
      const r = this.rules.get(p.id)!
      this.rules.set(p.id, { ...r, ...p })
    }
  }

  status(): AlertStatus[] {
    return ALERT_RULE_IDS.map((id) => {
      const s = this.state.get(id)
      return { rule: { ...this.rules.get(id)! }, state: s?.state ?? 'ok', value: s?.value ?? null, since: s?.since ?? null }
    })
  }

  /** Feed one sample; returns the alerts that started firing or resolved with it. */
  evaluate(sample: MetricsSample): AlertTransition[] {
    const at = sample.at
    if (sample.cluster.leaderChanges > 0) for (let i = 0; i < sample.cluster.leaderChanges; i++) this.elections.push(at)
    this.elections = this.elections.filter((t) => at - t <= HOUR)
    const out: AlertTransition[] = []
    for (const rule of this.rules.values()) {
      const { breach, value, threshold } = this.check(rule, sample)
      const prev = this.state.get(rule.id) ?? { state: 'ok' as const, since: null, value: null }
      let next = prev.state
      let since = prev.since
      if (!rule.enabled || !breach) {
        if (prev.state === 'firing') out.push({ rule: rule.id, state: 'resolved', value, threshold, at })
        next = 'ok'
        since = prev.state === 'ok' ? prev.since : at
      } else if (prev.state === 'ok') {
        next = rule.forMs <= 0 ? 'firing' : 'pending'
        since = at
        if (next === 'firing') out.push({ rule: rule.id, state: 'firing', value, threshold, at })
      } else if (prev.state === 'pending' && at - (prev.since ?? at) >= rule.forMs) {
        next = 'firing'
        since = at
        out.push({ rule: rule.id, state: 'firing', value, threshold, at })
      }
      this.state.set(rule.id, { state: next, since, value })
    }
    return out
  }

  private check(rule: AlertRule, s: MetricsSample): { breach: boolean; value: number | null; threshold: number } {
    switch (rule.id) {
      case 'quorum-lost': {
        const threshold = rule.threshold > 0 ? rule.threshold : s.cluster.quorum
        return { breach: s.cluster.nodesUp < threshold, value: s.cluster.nodesUp, threshold }
      }
      case 'latency-high':
        return { breach: s.cluster.p99Ms !== null && s.cluster.p99Ms > rule.threshold, value: s.cluster.p99Ms, threshold: rule.threshold }
      case 'error-rate-high':
        return { breach: s.cluster.errorRate > rule.threshold, value: s.cluster.errorRate, threshold: rule.threshold }
      case 'elections-frequent':
        return { breach: this.elections.length > rule.threshold, value: this.elections.length, threshold: rule.threshold }
    }
  }
}
