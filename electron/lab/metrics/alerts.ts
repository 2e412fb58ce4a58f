/**
 * The seed's §8.3 alert rules, evaluated on every metrics sample: nodes up below quorum,
 * p99 latency above 100 ms, error rate above 1 %, more than 5 elections an hour (sliding
 * window). Each rule has a `for` duration (as Prometheus's `for:`): the condition must hold
 * that long before the alert fires, so one slow second does not page anyone. Pure.
 *
 * States per rule: ok → pending (breached, `for` not yet elapsed) → firing; any sample without
 * the breach (or the rule disabled) returns it to ok, and a firing rule then reports `resolved`.
 */
import { ALERT_RULE_IDS, type AlertRule, type AlertRuleId, type AlertStatus, type MetricsSample } from '../api'
import { LabServiceError } from '../errors'

export const DEFAULT_RULES: readonly AlertRule[] = [
  // threshold 0: the cluster's own quorum, ⌊size/2⌋ + 1, which follows membership changes.
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

export type AlertRulePatch = Partial<AlertRule> & { id: AlertRuleId }

/** The elections window of the per-hour rule. */
export const ELECTIONS_WINDOW_MS = 3_600_000
const MAX_FOR_MS = 3_600_000

const bad = (field: string, why: string): LabServiceError => new LabServiceError('INVALID_ARGUMENT', `${field}: ${why}`)

/** Throws INVALID_ARGUMENT naming the field (`rules[1].threshold: ...`) unless every patch is valid. */
export function validateRulePatches(patches: readonly AlertRulePatch[]): void {
  patches.forEach((p, i) => {
    const at = `rules[${i}]`
    if (!ALERT_RULE_IDS.includes(p.id)) throw bad(`${at}.id`, `unknown rule ${JSON.stringify(p.id)} (one of ${ALERT_RULE_IDS.join(', ')})`)
    if (p.enabled !== undefined && typeof p.enabled !== 'boolean') throw bad(`${at}.enabled`, 'must be true or false')
    if (p.forMs !== undefined && !(Number.isInteger(p.forMs) && p.forMs >= 0 && p.forMs <= MAX_FOR_MS))
      throw bad(`${at}.forMs`, `must be an integer from 0 to ${MAX_FOR_MS} ms`)
    const t = p.threshold
    if (t === undefined) return
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw bad(`${at}.threshold`, 'must be a number ≥ 0')
    switch (p.id) {
      case 'quorum-lost':
        if (!Number.isInteger(t)) throw bad(`${at}.threshold`, 'nodes up: a whole number (0 = the cluster quorum)')
        break
      case 'error-rate-high':
        if (t > 1) throw bad(`${at}.threshold`, 'an error rate is a fraction from 0 to 1 (0.01 = 1 %)')
        break
      case 'elections-frequent':
        if (!Number.isInteger(t)) throw bad(`${at}.threshold`, 'elections per hour: a whole number')
        break
      case 'latency-high':
        break
    }
  })
}

interface RuleState {
  state: AlertStatus['state']
  since: number | null
  value: number | null
}

export class AlertEngine {
  private readonly rules = new Map<AlertRuleId, AlertRule>(DEFAULT_RULES.map((r) => [r.id, { ...r }]))
  private readonly state = new Map<AlertRuleId, RuleState>()
  /** When each leader change in the window was seen, for the per-hour rule. */
  private elections: number[] = []

  constructor(patches: readonly AlertRulePatch[] = []) {
    this.configure(patches)
  }

  /** Change rules (all patches or none); takes effect at the next `evaluate`. */
  configure(patches: readonly AlertRulePatch[]): AlertStatus[] {
    validateRulePatches(patches)
    for (const p of patches) this.rules.set(p.id, { ...this.rules.get(p.id)!, ...p })
    return this.status()
  }

  rule(id: AlertRuleId): AlertRule {
    return { ...this.rules.get(id)! }
  }

  status(): AlertStatus[] {
    return ALERT_RULE_IDS.map((id) => {
      const s = this.state.get(id)
      return { rule: this.rule(id), state: s?.state ?? 'ok', value: s?.value ?? null, since: s?.since ?? null }
    })
  }

  /** Feed one sample (in time order); returns the alerts that started firing or resolved with it. */
  evaluate(sample: MetricsSample): AlertTransition[] {
    const at = sample.at
    for (let i = 0; i < sample.cluster.leaderChanges; i++) this.elections.push(at)
    this.elections = this.elections.filter((t) => at - t < ELECTIONS_WINDOW_MS)
    const out: AlertTransition[] = []
    for (const id of ALERT_RULE_IDS) {
      const rule = this.rules.get(id)!
      const { breach, value, threshold } = this.check(rule, sample)
      const prev = this.state.get(id) ?? { state: 'ok', since: null, value: null }
      let next: RuleState
      if (!rule.enabled || !breach) {
        if (prev.state === 'firing') out.push({ rule: id, state: 'resolved', value, threshold, at })
        next = { state: 'ok', since: prev.state === 'ok' ? prev.since : at, value }
      } else if (prev.state === 'firing') {
        next = { ...prev, value }
      } else {
        const since = prev.state === 'pending' ? prev.since! : at
        const held = at - since >= rule.forMs
        next = { state: held ? 'firing' : 'pending', since: held ? at : since, value }
        if (held) out.push({ rule: id, state: 'firing', value, threshold, at })
      }
      this.state.set(id, next)
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
