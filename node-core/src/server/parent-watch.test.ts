import { spawn } from 'node:child_process'
import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest'
import { isProcessAlive, watchParent } from './parent-watch'

describe('watchParent', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('calls onGone once, on the first poll that finds the parent gone', () => {
    let alive = true
    let gone = 0
    watchParent({ pid: 4242, intervalMs: 500, isAlive: () => alive, onGone: () => gone++ })
    vi.advanceTimersByTime(1_500)
    expect(gone).toBe(0)
    alive = false
    vi.advanceTimersByTime(499)
    expect(gone).toBe(0)
    vi.advanceTimersByTime(1)
    expect(gone).toBe(1)
    vi.advanceTimersByTime(5_000)
    expect(gone).toBe(1)
  })

  it('stops polling when stopped', () => {
    let polls = 0
    const stop = watchParent({ pid: 4242, isAlive: () => (polls++, true), onGone: () => {} })
    vi.advanceTimersByTime(1_000)
    expect(polls).toBe(2)
    stop()
    vi.advanceTimersByTime(5_000)
    expect(polls).toBe(2)
  })

  it('passes the watched pid to the probe', () => {
    const seen: number[] = []
    watchParent({ pid: 777, isAlive: (p) => (seen.push(p), true), onGone: () => {} })
    vi.advanceTimersByTime(500)
    expect(seen).toEqual([777])
  })
})

describe('isProcessAlive', () => {
  it('is true for this process and false for a process that has exited', async () => {
    expect(isProcessAlive(process.pid)).toBe(true)
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    const pid = child.pid as number
    await new Promise((resolve) => child.once('exit', resolve))
    // Reaped by Node once 'exit' fired, so the pid no longer exists.
    expect(isProcessAlive(pid)).toBe(false)
  })
})
