import { expect, it } from 'vitest'
import { quantile, summarize } from './stats'

it('summarizes samples with interpolated quantiles', () => {
  expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
  expect(summarize([5, 1, 3])).toEqual({ n: 3, min: 1, p50: 3, p90: 4.6, max: 5, mean: 3 })
})
