import { describe, expect, it } from 'vitest'
import { forSeconds, thresholdText } from './alert-rules'

const status = (id: 'quorum-lost' | 'latency-high' | 'error-rate-high' | 'elections-frequent', threshold: number) => ({ rule: { id, enabled: true, threshold, forMs: 0 } })

describe('alert rule wording', () => {
  it('states each threshold in its own unit', () => {
    expect(thresholdText(status('quorum-lost', 0))).toEqual({ key: 'quorumLostAuto', n: 0 })
    expect(thresholdText(status('quorum-lost', 2))).toEqual({ key: 'quorumLost', n: 2 })
    expect(thresholdText(status('latency-high', 100))).toEqual({ key: 'latencyHigh', n: 100 })
    expect(thresholdText(status('error-rate-high', 0.01))).toEqual({ key: 'errorRateHigh', n: 1 })
    expect(thresholdText(status('elections-frequent', 5))).toEqual({ key: 'electionsFrequent', n: 5 })
  })

  it('says "at once" for a zero hold time, seconds otherwise', () => {
    expect(forSeconds(0)).toBeNull()
    expect(forSeconds(5000)).toBe(5)
    expect(forSeconds(1250)).toBe(1.3)
  })
})
