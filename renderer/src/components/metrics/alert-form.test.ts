import { describe, expect, it } from 'vitest'
import { RULES } from '../../testing/metrics-fixtures'
import { checkDraft, draftChanged, draftOf, elapsed, formatRuleFigure } from './alert-form'

describe('alert rule form', () => {
  it('shows each threshold in the unit a person reads (error rate in %)', () => {
    expect(draftOf(RULES['error-rate-high'])).toEqual({ enabled: true, threshold: '1', forSec: '5' })
    expect(draftOf(RULES['latency-high'])).toEqual({ enabled: true, threshold: '100', forSec: '5' })
    expect(draftOf(RULES['quorum-lost']).threshold).toBe('0')
  })

  it('turns a valid draft into the lab units (fraction, ms)', () => {
    expect(checkDraft('error-rate-high', { enabled: false, threshold: '2.5', forSec: '10' })).toEqual({
      ok: true,
      patch: { enabled: false, threshold: 0.025, forMs: 10_000 }
    })
    expect(checkDraft('latency-high', { enabled: true, threshold: ' 250 ', forSec: '0.5' })).toEqual({
      ok: true,
      patch: { enabled: true, threshold: 250, forMs: 500 }
    })
  })

  it('names the field and the range of every bad input', () => {
    const bad = checkDraft('error-rate-high', { enabled: true, threshold: 'abc', forSec: '' })
    expect(bad).toEqual({
      ok: false,
      errors: [
        { field: 'threshold', problem: 'notNumber', min: 0, max: 100 },
        { field: 'for', problem: 'required', min: 0, max: 3600 }
      ]
    })
    expect(checkDraft('error-rate-high', { enabled: true, threshold: '150', forSec: '1' })).toMatchObject({ ok: false, errors: [{ field: 'threshold', problem: 'range' }] })
    expect(checkDraft('quorum-lost', { enabled: true, threshold: '1.5', forSec: '0' })).toMatchObject({ ok: false, errors: [{ field: 'threshold', problem: 'notInteger' }] })
    expect(checkDraft('elections-frequent', { enabled: true, threshold: '-1', forSec: '0' })).toMatchObject({ ok: false, errors: [{ field: 'threshold', problem: 'range' }] })
    expect(checkDraft('latency-high', { enabled: true, threshold: '0x10', forSec: '4000' })).toMatchObject({
      ok: false,
      errors: [{ field: 'threshold', problem: 'notNumber' }, { field: 'for', problem: 'range' }]
    })
  })

  it('knows when the draft differs from the rule', () => {
    const rule = RULES['latency-high']
    expect(draftChanged(rule, draftOf(rule))).toBe(false)
    expect(draftChanged(rule, { ...draftOf(rule), threshold: '120' })).toBe(true)
    expect(draftChanged(rule, { ...draftOf(rule), enabled: false })).toBe(true)
  })
})

describe('alert figures', () => {
  it('prints each rule in its unit', () => {
    expect(formatRuleFigure('error-rate-high', 0.0125)).toBe('1.25 %')
    expect(formatRuleFigure('latency-high', 123.456)).toBe('123.5 ms')
    expect(formatRuleFigure('quorum-lost', 1)).toBe('1')
    expect(formatRuleFigure('latency-high', null)).toBeNull()
    expect(elapsed(0, 65_400)).toEqual({ m: 1, s: 5 })
    expect(elapsed(10_000, 0)).toEqual({ m: 0, s: 0 })
  })
})
