import { describe, expect, it } from 'vitest'
import { TickClock } from './tick-clock'

describe('TickClock', () => {
  it('owes one tick per elapsed tick length, carrying the remainder', () => {
    const c = new TickClock(10, 0)
    // A timer that fires 2 ms late every time still yields one tick per 10 ms of wall clock.
    const fires = [12, 24, 36, 48, 60, 72, 84, 96, 108, 120]
    const ticks = fires.map((t) => c.due(t))
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(12)
    expect(ticks).toContain(2)
  })

  it('owes nothing for an early call', () => {
    const c = new TickClock(10, 100)
    expect(c.due(105)).toBe(0)
    expect(c.due(110)).toBe(1)
    expect(c.due(118.5)).toBe(0)
    // A fraction of a ms early (the timer's clock is coarser) counts, and is not counted twice.
    expect(c.due(119.4)).toBe(1)
    expect(c.due(129.9)).toBe(1)
    expect(c.due(131)).toBe(0)
  })

  it('credits a long stall only up to maxCatchUp and restarts from there', () => {
    const c = new TickClock(10, 0, 3)
    expect(c.due(500)).toBe(3)
    expect(c.due(505)).toBe(0)
    expect(c.due(510)).toBe(1)
  })

  it('survives a clock that steps back', () => {
    const c = new TickClock(10, 100)
    expect(c.due(50)).toBe(0)
    expect(c.due(60)).toBe(1)
    expect(c.due(65)).toBe(0)
  })

  it('refuses a non-positive tick length', () => {
    expect(() => new TickClock(0, 0)).toThrow(RangeError)
  })
})
