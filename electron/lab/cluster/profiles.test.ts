import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, electionRangeMs, heartbeatMs, mergeSettings, raftWaitMs, timingOf } from './profiles'

describe('timing profiles', () => {
  it('seed: heartbeat 100 ms, election 150-300 ms', () => {
    const t = timingOf('seed')
    expect(heartbeatMs(t)).toBe(100)
    expect(electionRangeMs(t)).toEqual({ min: 150, max: 300 })
  })

  it('teaching: ten times slower with the same tick counts', () => {
    const t = timingOf('teaching')
    expect(t.tickMs).toBe(100)
    expect(heartbeatMs(t)).toBe(1000)
    expect(electionRangeMs(t)).toEqual({ min: 1500, max: 3000 })
  })

  it('refuses an unknown profile, naming the field', () => {
    expect(() => timingOf('fast' as never)).toThrow(/"profile" must be one of seed, teaching/)
  })

  it('merges partial settings and refuses wrong types by name', () => {
    expect(mergeSettings(DEFAULT_SETTINGS, { preVote: false })).toEqual({ profile: 'seed', preVote: false, checkQuorum: true })
    expect(mergeSettings(DEFAULT_SETTINGS, { profile: 'teaching' }).profile).toBe('teaching')
    expect(mergeSettings(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS)
    expect(() => mergeSettings(DEFAULT_SETTINGS, { checkQuorum: 'yes' as never })).toThrow(/"checkQuorum" must be true or false/)
  })

  it('waits longer for Raft under the teaching profile', () => {
    expect(raftWaitMs(DEFAULT_SETTINGS)).toBe(5000)
    expect(raftWaitMs({ ...DEFAULT_SETTINGS, profile: 'teaching' })).toBe(30_000)
  })
})
