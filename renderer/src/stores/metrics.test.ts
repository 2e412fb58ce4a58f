import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../electron/lab/api'
import { createFakeLab, runningCluster, stamp, failed, type FakeLab } from '../testing/fake-lab'
import { downNode, nodeMetrics, sample, samplesEverySecond, statuses } from '../testing/metrics-fixtures'
import { useFeedStore } from './feed'
import { ALERT_POLL_MS, DEFAULT_WINDOW_MS, MAX_SAMPLES, mergeSamples, ruleValue, useMetricsStore } from './metrics'

const T0 = 1_700_000_000_000
let lab: FakeLab

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['Date', 'setInterval', 'clearInterval'] })
  setActivePinia(createPinia())
  lab = createFakeLab(runningCluster(3))
  window.lab = lab.api
})

afterEach(() => {
  useMetricsStore().$dispose()
  useFeedStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

async function started() {
  const store = useMetricsStore()
  store.init()
  await flushPromises()
  return store
}

describe('mergeSamples', () => {
  it('appends newer samples, sorts and de-duplicates older ones, and keeps the last max', () => {
    const a = samplesEverySecond(T0, 3)
    expect(mergeSamples(a, [sample(T0 + 3000)]).samples.map((s) => s.at)).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000])
    const merged = mergeSamples(a, [sample(T0 + 1000), sample(T0 - 1000)])
    expect(merged.samples.map((s) => s.at)).toEqual([T0 - 1000, T0, T0 + 1000, T0 + 2000])
    const capped = mergeSamples(a, samplesEverySecond(T0 + 3000, 3), 4)
    expect(capped.samples.map((s) => s.at)).toEqual([T0 + 2000, T0 + 3000, T0 + 4000, T0 + 5000])
    expect(capped.evicted).toBe(2)
  })
})

describe('ruleValue', () => {
  it('reads what each rule judges; elections over the last hour', () => {
    const samples = [sample(T0 - 3_700_000, undefined, { leaderChanges: 4 }), sample(T0 - 1000, undefined, { leaderChanges: 1 }), sample(T0, undefined, { leaderChanges: 2, errorRate: 0.2 })]
    const last = samples[2]!
    expect(ruleValue('elections-frequent', last, samples)).toBe(3)
    expect(ruleValue('quorum-lost', last, samples)).toBe(3)
    expect(ruleValue('error-rate-high', last, samples)).toBe(0.2)
    expect(ruleValue('latency-high', last, samples)).toBe(8)
  })
})

describe('useMetricsStore', () => {
  it('loads the last hour and the rules on init, then follows metrics.sample events', async () => {
    vi.mocked(lab.api.metrics.get).mockResolvedValue(ok(samplesEverySecond(T0 - 10_000, 5)))
    vi.mocked(lab.api.alerts.get).mockResolvedValue(ok(statuses()))
    const store = await started()
    expect(lab.api.metrics.get).toHaveBeenCalledWith({ since: T0 - 3_600_000 })
    expect(store.samples).toHaveLength(5)
    expect(store.alertRows.map((r) => r.rule?.threshold)).toEqual([0, 100, 0.01, 5])

    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0) }), stamp({ type: 'metrics.sample', sample: sample(T0 + 1000) }))
    expect(store.samples.map((s) => s.at).slice(-2)).toEqual([T0, T0 + 1000])
    expect(store.latest?.at).toBe(T0 + 1000)
  })

  it('shows only the window, which slides with feed.now()', async () => {
    const store = await started()
    lab.emit(...samplesEverySecond(T0 - 120_000, 121).map((s) => stamp({ type: 'metrics.sample', sample: s })))
    expect(store.windowMs).toBe(DEFAULT_WINDOW_MS)
    expect(store.visibleSamples).toHaveLength(121)
    store.setWindow(60_000)
    expect(store.visibleSamples[0]!.at).toBe(T0 - 60_000)
    store.setWindow(12_345)
    expect(store.windowMs).toBe(60_000)
    vi.advanceTimersByTime(30_000)
    expect(store.windowStart).toBe(T0 + 30_000 - 60_000)
    expect(store.visibleSamples[0]!.at).toBe(T0 - 30_000)
    expect([store.axisFrom, store.axisTo]).toEqual([T0 - 30_000, T0 + 30_000])
  })

  it('lets a young series fill at least a minute of axis from the left', async () => {
    const store = await started()
    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0 - 5000) }))
    expect([store.axisFrom, store.axisTo]).toEqual([T0 - 5000, T0 + 55_000])
  })

  it('leaves the charts alone for batches without samples or alerts (Raft traffic is most of them)', async () => {
    const store = await started()
    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0) }))
    const before = { now: store.now, samples: store.samples }
    vi.setSystemTime(T0 + 300)
    lab.emit(stamp({ type: 'raft', nodeId: 1, nodeSeq: 1, nodeTs: T0, event: { type: 'msgSent', node: 1 } }))
    vi.advanceTimersByTime(500)
    expect(store.now).toBe(before.now)
    expect(store.samples).toBe(before.samples)
    // With no sample for a while, the window still slides.
    vi.advanceTimersByTime(1000)
    expect(store.now).toBeGreaterThan(before.now)
  })

  it('keeps at most an hour of samples and counts what it dropped', async () => {
    const store = await started()
    lab.emit(...samplesEverySecond(T0 - 3_700_000, MAX_SAMPLES + 10).map((s) => stamp({ type: 'metrics.sample', sample: s })))
    expect(store.samples).toHaveLength(MAX_SAMPLES)
    expect(store.evicted).toBe(10)
    expect(store.full).toBe(true)
  })

  it('turns alert events into rule states and a newest-first history', async () => {
    vi.mocked(lab.api.alerts.get).mockResolvedValue(ok(statuses()))
    const store = await started()
    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0, [nodeMetrics(1), downNode(2), downNode(3)]) }))
    lab.emit(stamp({ type: 'alert', rule: 'quorum-lost', state: 'firing', value: 1, threshold: 2 }, T0 + 10))
    const quorum = () => store.alertRows.find((r) => r.id === 'quorum-lost')!
    expect(quorum()).toMatchObject({ state: 'firing', value: 1, threshold: 2, since: T0 + 10 })
    expect(store.firingCount).toBe(1)
    lab.emit(stamp({ type: 'alert', rule: 'quorum-lost', state: 'resolved', value: 3, threshold: 2 }, T0 + 5000))
    expect(quorum().state).toBe('ok')
    expect(store.history.map((h) => [h.rule, h.state, h.at])).toEqual([
      ['quorum-lost', 'resolved', T0 + 5000],
      ['quorum-lost', 'firing', T0 + 10]
    ])
  })

  it('asks for the rules state while watched (pending is only known to the lab), and stops', async () => {
    const store = await started()
    vi.mocked(lab.api.alerts.get).mockResolvedValue(ok(statuses({ 'latency-high': { state: 'pending', since: T0, value: 150 } })))
    const stop = store.watchAlerts()
    vi.advanceTimersByTime(ALERT_POLL_MS)
    await flushPromises()
    expect(store.alertRows.find((r) => r.id === 'latency-high')!.state).toBe('pending')
    const calls = vi.mocked(lab.api.alerts.get).mock.calls.length
    stop()
    vi.advanceTimersByTime(ALERT_POLL_MS * 3)
    expect(vi.mocked(lab.api.alerts.get).mock.calls.length).toBe(calls)
  })

  it('saves a rule and records what the lab refused', async () => {
    vi.mocked(lab.api.alerts.get).mockResolvedValue(ok(statuses()))
    const store = await started()
    const changed = statuses({ 'latency-high': { rule: { id: 'latency-high', enabled: true, threshold: 250, forMs: 1000 } } })
    vi.mocked(lab.api.alerts.configure).mockResolvedValueOnce(ok(changed))
    expect(await store.configureRule('latency-high', { enabled: true, threshold: 250, forMs: 1000 })).toBe(true)
    expect(lab.api.alerts.configure).toHaveBeenCalledWith({ rules: [{ id: 'latency-high', enabled: true, threshold: 250, forMs: 1000 }] })
    expect(store.rules['latency-high']?.threshold).toBe(250)

    vi.mocked(lab.api.alerts.configure).mockResolvedValueOnce(failed('INVALID_ARGUMENT', 'rules[0].threshold: must be a number ≥ 0'))
    expect(await store.configureRule('latency-high', { threshold: -1 })).toBe(false)
    expect(store.ruleErrors['latency-high']).toEqual({ code: 'INVALID_ARGUMENT', message: 'rules[0].threshold: must be a number ≥ 0' })
    expect(store.rules['latency-high']?.threshold).toBe(250)
  })

  it('treats "no cluster yet" as an empty lab, not an error; shows other failures', async () => {
    vi.mocked(lab.api.metrics.get).mockResolvedValueOnce(failed('NO_CLUSTER'))
    vi.mocked(lab.api.alerts.get).mockResolvedValueOnce(failed('NO_CLUSTER'))
    const store = await started()
    expect(store.lastError).toBeNull()
    expect(store.alertRows.every((r) => r.rule === null)).toBe(true)
    vi.mocked(lab.api.metrics.get).mockResolvedValueOnce(failed('TIMEOUT', 'slow'))
    await store.load()
    expect(store.lastError?.code).toBe('TIMEOUT')
  })

  it('starts afresh for a new run', async () => {
    vi.mocked(lab.api.alerts.get).mockResolvedValue(ok(statuses()))
    const store = await started()
    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0) }))
    const before = vi.mocked(lab.api.alerts.get).mock.calls.length
    lab.emit(stamp({ type: 'cluster.created', cluster: runningCluster(5, T0, 'run-2') }))
    await flushPromises()
    expect(store.samples).toEqual([])
    expect(vi.mocked(lab.api.alerts.get).mock.calls.length).toBe(before + 1)
  })

  it('drops everything on a feed reset; in replay it asks the lab nothing and follows the replay clock', async () => {
    vi.mocked(lab.api.alerts.get).mockResolvedValue(ok(statuses()))
    const store = await started()
    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0) }), stamp({ type: 'alert', rule: 'latency-high', state: 'firing', value: 200, threshold: 100 }))
    const feed = useFeedStore()
    const calls = vi.mocked(lab.api.metrics.get).mock.calls.length
    const replayAt = T0 - 86_400_000
    feed.beginReplay(replayAt)
    await flushPromises()
    expect(store.samples).toEqual([])
    expect(store.history).toEqual([])
    expect(store.alertRows.every((r) => r.rule === null && r.state === 'ok')).toBe(true)
    expect(vi.mocked(lab.api.metrics.get).mock.calls.length).toBe(calls)

    // Live events are ignored in replay; the replay's own events and clock drive the window.
    lab.emit(stamp({ type: 'metrics.sample', sample: sample(T0 + 1000) }))
    expect(store.samples).toEqual([])
    feed.pushReplay([stamp({ type: 'metrics.sample', sample: sample(replayAt + 1000) }, replayAt + 1000)], replayAt + 1500)
    expect(store.now).toBe(replayAt + 1500)
    expect(store.visibleSamples.map((s) => s.at)).toEqual([replayAt + 1000])

    feed.endReplay()
    await flushPromises()
    expect(vi.mocked(lab.api.metrics.get).mock.calls.length).toBe(calls + 1)
  })
})
