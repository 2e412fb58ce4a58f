import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../electron/lab/api'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { logLine, logLines, logSource } from '../testing/logsdata-fixtures'
import { useFeedStore } from './feed'
import { LOG_POLL_MS, useLogsStore } from './logs'

let lab: FakeLab
let source: ReturnType<typeof logSource>

function setup() {
  lab = createFakeLab(runningCluster(3))
  source = logSource()
  vi.mocked(lab.api.logs.query).mockImplementation((q) => Promise.resolve(ok(source.answer(q.limit))))
  window.lab = lab.api
  setActivePinia(createPinia())
  const store = useLogsStore()
  store.init()
  return store
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] })
})

afterEach(() => {
  useLogsStore().$dispose()
  useFeedStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

async function tick(): Promise<void> {
  await vi.advanceTimersByTimeAsync(LOG_POLL_MS)
}

describe('logs store', () => {
  it('polls the lab and keeps only the lines it has not seen', async () => {
    const store = setup()
    source.add(logLines(1, 5))
    await tick()
    expect(store.rows.map((r) => r.msg)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5'])
    source.add(logLines(6, 3))
    await tick()
    await tick()
    expect(store.rows.map((r) => r.msg)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8'])
    expect(store.received).toBe(8)
    // Each poll asks the lab without a filter: filtering is local.
    for (const [q] of vi.mocked(lab.api.logs.query).mock.calls) expect(q.filter).toBeUndefined()
  })

  it('asks for a handful of lines while the tail is idle', async () => {
    setup()
    source.add(logLines(1, 3))
    await tick()
    await tick()
    await tick()
    const limits = vi.mocked(lab.api.logs.query).mock.calls.map(([q]) => q.limit ?? 1000)
    expect(Math.max(...limits.slice(-2))).toBeLessThanOrEqual(10)
  })

  it('asks again with a larger limit when more lines arrived than the limit let through', async () => {
    const store = setup()
    await tick()
    source.add(logLines(1, 1500))
    await tick()
    expect(store.rows).toHaveLength(1500)
    expect(store.rows[0]!.msg).toBe('line 1')
    expect(store.missed).toBe(0)
  })

  it('filters locally and at once, without asking the lab again', async () => {
    const store = setup()
    source.add(logLines(0, 120))
    await tick()
    const calls = vi.mocked(lab.api.logs.query).mock.calls.length
    store.setFilter({ nodes: [2], files: ['cluster'] })
    expect(store.filtered.length).toBeGreaterThan(0)
    expect(store.filtered.every((r) => r.nodeId === 2 && r.file === 'cluster')).toBe(true)
    store.setFilter({ text: 'LINE 11' })
    expect(store.filtered.every((r) => r.msg.startsWith('line 11'))).toBe(true)
    expect(vi.mocked(lab.api.logs.query).mock.calls.length).toBe(calls)
    // New lines are filtered as they come.
    source.add([logLine(1000, { nodeId: 2, file: 'cluster', msg: 'line 11 again' }), logLine(1001, { nodeId: 1, file: 'cluster', msg: 'line 11 other' })])
    await tick()
    expect(store.filtered.at(-1)!.msg).toBe('line 11 again')
    store.clearFilter()
    expect(store.filtered).toHaveLength(122)
  })

  it('holds new lines while paused, counts them, and shows them on resume', async () => {
    const store = setup()
    source.add(logLines(1, 3))
    await tick()
    store.pause()
    source.add(logLines(4, 4))
    await tick()
    expect(store.filtered).toHaveLength(3)
    expect(store.newWhilePaused).toBe(4)
    store.setFilter({ nodes: [2] })
    // "+N new" follows the filter: lines 4 and 7 are node 2's ((i % 3) + 1).
    expect(store.newWhilePaused).toBe(2)
    store.clearFilter()
    store.resume()
    expect(store.filtered.map((r) => r.msg)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7'])
    expect(store.newWhilePaused).toBe(0)
  })

  it('keeps a ring of 100,000 lines and says how many older ones it dropped', async () => {
    const store = setup()
    for (let k = 0; k < 6; k++) {
      source.add(logLines(k * 20_000, 20_000))
      await tick()
    }
    expect(store.rows).toHaveLength(100_000)
    expect(store.dropped).toBe(20_000)
    expect(store.rows[0]!.msg).toBe('line 20000')
    expect(store.filtered).toHaveLength(100_000)
  })

  it('starts empty again for a new cluster', async () => {
    const store = setup()
    source.add(logLines(1, 10))
    await tick()
    expect(store.rows).toHaveLength(10)
    lab.emit({ type: 'cluster.created', cluster: runningCluster(3, 1, 'run-2') })
    expect(store.rows).toHaveLength(0)
    // The new run's counter starts from zero.
    source.all.length = 0
    source.add(logLines(500, 2))
    await tick()
    expect(store.rows.map((r) => r.msg)).toEqual(['line 500', 'line 501'])
  })

  it('shows a real failure but not "no cluster yet"', async () => {
    const store = setup()
    vi.mocked(lab.api.logs.query).mockResolvedValueOnce(failed('NO_CLUSTER'))
    await tick()
    expect(store.lastError).toBeNull()
    vi.mocked(lab.api.logs.query).mockResolvedValueOnce(failed('TIMEOUT', 'slow'))
    await tick()
    expect(store.lastError?.message).toBe('slow')
    await tick()
    expect(store.lastError).toBeNull()
  })

  it('does not poll in replay, and drops its lines when the replay starts', async () => {
    const store = setup()
    source.add(logLines(1, 4))
    await tick()
    useFeedStore().beginReplay(1)
    expect(store.rows).toHaveLength(0)
    const calls = vi.mocked(lab.api.logs.query).mock.calls.length
    await tick()
    expect(vi.mocked(lab.api.logs.query).mock.calls.length).toBe(calls)
  })
})
