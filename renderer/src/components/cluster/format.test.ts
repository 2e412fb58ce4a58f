import { describe, expect, it } from 'vitest'
import { ageMs, formatBytes, formatCpu, heartbeatLate, sparkPoints, worstP99 } from './format'

describe('format', () => {
  it('formats memory and CPU', () => {
    expect(formatBytes(null)).toBeNull()
    expect(formatBytes(2048)).toBe('2 KB')
    expect(formatBytes(5.5 * 1024 * 1024)).toBe('5.5 MB')
    expect(formatBytes(87 * 1024 * 1024)).toBe('87 MB')
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB')
    expect(formatCpu(null)).toBeNull()
    expect(formatCpu(0.42)).toBe('0.4%')
    expect(formatCpu(112.4)).toBe('112%')
  })

  it('measures heartbeat age and calls it late past the margin', () => {
    expect(ageMs(null, 10)).toBeNull()
    expect(ageMs(1000, 1250)).toBe(250)
    expect(ageMs(1300, 1250)).toBe(0)
    expect(heartbeatLate(300, false)).toBe(false)
    expect(heartbeatLate(2000, false)).toBe(true)
    expect(heartbeatLate(2000, true)).toBe(false)
    expect(heartbeatLate(null, false)).toBe(false)
  })

  it('draws a sparkline scaled to its highest value', () => {
    expect(sparkPoints([], 100, 20)).toBe('')
    expect(sparkPoints([0, 50, 100], 100, 20)).toBe('0,20 50,10 100,0')
  })

  it('finds the slowest p99 among kinds that completed something', () => {
    expect(worstP99({ get: { p99: 5, ok: 1, fail: 0 }, publish: { p99: 40, ok: 0, fail: 2 }, list: { p99: 99, ok: 0, fail: 0 } })).toBe(40)
    expect(worstP99({})).toBeNull()
  })
})
