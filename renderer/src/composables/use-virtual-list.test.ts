import { describe, expect, it } from 'vitest'
import { isAtBottom, scrollToReveal, visibleRange } from './use-virtual-list'

describe('visibleRange', () => {
  it('covers the viewport plus the overscan, clamped to the list', () => {
    expect(visibleRange(0, 240, 24, 100_000, 5)).toEqual({ start: 0, end: 15 })
    expect(visibleRange(2400, 240, 24, 100_000, 5)).toEqual({ start: 95, end: 115 })
    // At the end of the list.
    expect(visibleRange(100_000 * 24 - 240, 240, 24, 100_000, 5)).toEqual({ start: 99_985, end: 100_000 })
  })

  it('renders few rows whatever the list length', () => {
    const r = visibleRange(1_234_560, 600, 24, 100_000, 12)
    expect(r.end - r.start).toBeLessThanOrEqual(600 / 24 + 2 * 12 + 1)
  })

  it('handles empty lists and scroll positions past the end', () => {
    expect(visibleRange(0, 300, 24, 0, 5)).toEqual({ start: 0, end: 0 })
    const r = visibleRange(99_999, 300, 24, 10, 5)
    expect(r.end).toBe(10)
    expect(r.start).toBeLessThan(r.end)
  })
})

describe('isAtBottom and scrollToReveal', () => {
  it('tells the end of the list within a few pixels', () => {
    expect(isAtBottom(760, 240, 1000)).toBe(true)
    expect(isAtBottom(757, 240, 1000)).toBe(true)
    expect(isAtBottom(700, 240, 1000)).toBe(false)
  })

  it('scrolls as little as possible to show a row', () => {
    expect(scrollToReveal(5, 0, 240, 24)).toBe(0)
    expect(scrollToReveal(20, 0, 240, 24)).toBe(21 * 24 - 240)
    expect(scrollToReveal(2, 480, 240, 24)).toBe(48)
  })
})
