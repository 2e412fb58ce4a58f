/** How the settings view words an alert rule (pure: unit-tested without a DOM). */
import type { AlertRuleId, AlertStatus } from '../../../../electron/lab/api'

/** Message key suffix per rule (`settings.monitoring.rules.<key>`). */
export const RULE_KEYS: Readonly<Record<AlertRuleId, 'quorumLost' | 'latencyHigh' | 'errorRateHigh' | 'electionsFrequent'>> = {
  'quorum-lost': 'quorumLost',
  'latency-high': 'latencyHigh',
  'error-rate-high': 'errorRateHigh',
  'elections-frequent': 'electionsFrequent'
}

export interface ThresholdText {
  /** `settings.monitoring.thresholds.<key>` */
  key: 'quorumLost' | 'quorumLostAuto' | 'latencyHigh' | 'errorRateHigh' | 'electionsFrequent'
  n: number
}

/** The threshold in the rule's own unit: error rates are fractions, shown as percent. */
export function thresholdText(s: Pick<AlertStatus, 'rule'>): ThresholdText {
  const { id, threshold } = s.rule
  switch (id) {
    case 'quorum-lost':
      return threshold === 0 ? { key: 'quorumLostAuto', n: 0 } : { key: 'quorumLost', n: threshold }
    case 'latency-high':
      return { key: 'latencyHigh', n: threshold }
    case 'error-rate-high':
      return { key: 'errorRateHigh', n: Math.round(threshold * 10_000) / 100 }
    case 'elections-frequent':
      return { key: 'electionsFrequent', n: threshold }
  }
}

/** "for" as seconds, one decimal at most; 0 means the rule fires at once. */
export function forSeconds(forMs: number): number | null {
  return forMs <= 0 ? null : Math.round(forMs / 100) / 10
}
