import { describe, expect, it } from 'vitest'
import { availability, MENU_ACTIONS, type ActionContext } from './node-actions'

const ctx = (over: Partial<ActionContext> = {}, state: ActionContext['node']['state'] = 'up'): ActionContext => ({
  node: { id: 2, state },
  role: 'follower',
  clusterState: 'running',
  clusterSize: 3,
  hasLeader: true,
  canPause: true,
  busy: false,
  connected: true,
  live: true,
  ...over
})

const enabled = (c: ActionContext) => MENU_ACTIONS.filter((a) => availability(a, c).ok)

describe('availability', () => {
  it('offers everything but resume on a running follower', () => {
    expect(enabled(ctx())).toEqual(['crash', 'stop', 'pause', 'restart', 'wipe', 'transfer', 'remove'])
    expect(availability('resume', ctx())).toEqual({ ok: false, why: 'notPaused' })
  })

  it('offers resume, crash and stop on a paused node', () => {
    expect(enabled(ctx({ role: 'paused' }, 'paused'))).toEqual(['crash', 'stop', 'resume', 'restart', 'wipe', 'remove'])
    expect(availability('pause', ctx({}, 'paused'))).toEqual({ ok: false, why: 'paused' })
  })

  it('says why on a down node', () => {
    const c = ctx({ role: 'down' }, 'down')
    expect(availability('crash', c)).toEqual({ ok: false, why: 'notRunning' })
    expect(availability('stop', c)).toEqual({ ok: false, why: 'alreadyStopped' })
    expect(availability('transfer', c)).toEqual({ ok: false, why: 'notUp' })
    expect(availability('restart', c).ok).toBe(true)
  })

  it('explains pause where the lab cannot pause', () => {
    expect(availability('pause', ctx({ canPause: false }))).toEqual({ ok: false, why: 'pauseUnsupported' })
    expect(availability('resume', ctx({ canPause: false }, 'paused'))).toEqual({ ok: false, why: 'pauseUnsupported' })
  })

  it('guards leadership transfer', () => {
    expect(availability('transfer', ctx({ role: 'leader' }))).toEqual({ ok: false, why: 'alreadyLeader' })
    expect(availability('transfer', ctx({ role: 'learner' }))).toEqual({ ok: false, why: 'learner' })
    expect(availability('transfer', ctx({ hasLeader: false }))).toEqual({ ok: false, why: 'noLeader' })
  })

  it('keeps the last node and a stopped cluster safe, and blocks everything while busy or offline', () => {
    expect(availability('remove', ctx({ clusterSize: 1 }))).toEqual({ ok: false, why: 'lastNode' })
    expect(availability('restart', ctx({ clusterState: 'stopped' }, 'stopped'))).toEqual({ ok: false, why: 'clusterNotLive' })
    expect(enabled(ctx({ busy: true }))).toEqual([])
    expect(availability('crash', ctx({ connected: false }))).toEqual({ ok: false, why: 'disconnected' })
    expect(enabled(ctx({ live: false }))).toEqual([])
    expect(availability('crash', ctx({ live: false }))).toEqual({ ok: false, why: 'replay' })
  })
})
