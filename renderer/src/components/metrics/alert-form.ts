/**
 * The alert rule editor's rules, pure: how each rule's threshold reads in the form (%, ms,
 * nodes, per hour), the form's draft from a rule, and the draft checked into a patch for
 * `alerts.configure`, or errors that name the field and the accepted range.
 */
import { MAX_CLUSTER_SIZE, type AlertRule, type AlertRuleId } from '../../../../electron/lab/api'

export type AlertField = 'threshold' | 'for'
export type AlertFieldProblem = 'required' | 'notNumber' | 'notInteger' | 'range'

export interface AlertFieldError {
  field: AlertField
  problem: AlertFieldProblem
  min: number
  max: number
}

export interface AlertDraft {
  enabled: boolean
  /** As typed, in the form's unit. */
  threshold: string
  /** Seconds, as typed. */
  forSec: string
}

/** The form's unit of each rule's threshold, and what it accepts. */
export interface ThresholdSpec {
  /** Form value = lab value × scale (error rate: a fraction in the lab, % in the form). */
  scale: number
  min: number
  max: number
  integer: boolean
}

export const THRESHOLD_SPECS: Record<AlertRuleId, ThresholdSpec> = {
  // 0 = the cluster's own quorum.
  'quorum-lost': { scale: 1, min: 0, max: MAX_CLUSTER_SIZE, integer: true },
  'latency-high': { scale: 1, min: 1, max: 60_000, integer: false },
  'error-rate-high': { scale: 100, min: 0, max: 100, integer: false },
  'elections-frequent': { scale: 1, min: 0, max: 1000, integer: true }
}

/** The lab's limit on `for`: one hour. */
export const MAX_FOR_SEC = 3600

const trimNumber = (v: number): string => String(Number(v.toFixed(4)))

export function draftOf(rule: AlertRule): AlertDraft {
  return {
    enabled: rule.enabled,
    threshold: trimNumber(rule.threshold * THRESHOLD_SPECS[rule.id].scale),
    forSec: trimNumber(rule.forMs / 1000)
  }
}

/** True when the draft says something else than the rule. */
export function draftChanged(rule: AlertRule, draft: AlertDraft): boolean {
  const base = draftOf(rule)
  return base.enabled !== draft.enabled || base.threshold.trim() !== draft.threshold.trim() || base.forSec.trim() !== draft.forSec.trim()
}

function parseField(field: AlertField, raw: string, min: number, max: number, integer: boolean): number | AlertFieldError {
  const text = raw.trim()
  if (text === '') return { field, problem: 'required', min, max }
  // Number('') and Number('0x1') are numbers; a person types plain decimals.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return { field, problem: 'notNumber', min, max }
  const v = Number(text)
  if (integer && !Number.isInteger(v)) return { field, problem: 'notInteger', min, max }
  if (v < min || v > max) return { field, problem: 'range', min, max }
  return v
}

export type DraftCheck = { ok: true; patch: Omit<AlertRule, 'id'> } | { ok: false; errors: AlertFieldError[] }

/** Check a draft; the patch carries the lab's units (fraction, ms). */
export function checkDraft(id: AlertRuleId, draft: AlertDraft): DraftCheck {
  const spec = THRESHOLD_SPECS[id]
  const threshold = parseField('threshold', draft.threshold, spec.min, spec.max, spec.integer)
  const forSec = parseField('for', draft.forSec, 0, MAX_FOR_SEC, false)
  const errors = [threshold, forSec].filter((x): x is AlertFieldError => typeof x !== 'number')
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    patch: {
      enabled: draft.enabled,
      threshold: (threshold as number) / spec.scale,
      forMs: Math.round((forSec as number) * 1000)
    }
  }
}

/** A rule's figure as the panel prints it: error rate in %, latency in ms, counts as is. */
export function formatRuleFigure(id: AlertRuleId, v: number | null): string | null {
  if (v === null || !Number.isFinite(v)) return null
  switch (id) {
    case 'error-rate-high':
      return `${Number((v * 100).toFixed(2))} %`
    case 'latency-high':
      return `${Number(v.toFixed(1))} ms`
    case 'quorum-lost':
    case 'elections-frequent':
      return String(Math.round(v))
  }
}

/** Whole seconds and minutes since `since`, for "since 12:01:02 (1 min 5 s)". */
export function elapsed(since: number, now: number): { m: number; s: number } {
  const total = Math.max(0, Math.floor((now - since) / 1000))
  return { m: Math.floor(total / 60), s: total % 60 }
}
