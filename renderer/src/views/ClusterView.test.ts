import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type ClusterInfo, type Result } from '../../../electron/lab/api'
import { useClusterStore } from '../stores/cluster'
import { useFeedStore } from '../stores/feed'
import { useLinksStore } from '../stores/links'
import { RAFT_POLL_MS, useRaftStore } from '../stores/raft'
import { useWorkloadStore } from '../stores/workload'
import { createFakeLab, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
import { peerLinks, roleChanged, statusViews } from '../testing/map-fixtures'
import { mountWithApp } from '../testing/mount'
import ClusterView from './ClusterView.vue'

const T0 = 1_700_000_000_000
let wrapper: VueWrapper | undefined
let lab: FakeLab

// The option is a union of many shapes; tests read it as plain data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

function chartOption(w: VueWrapper): Loose {
  const chart = w.get('[data-testid="nodes-up-chart"]').findComponent({ name: 'Echarts' })
  expect(chart.exists()).toBe(true)
  return chart.props('option') as Loose
}

async function mountView(cluster: ClusterInfo | null, locale: 'en' | 'zh-CN' = 'en') {
  lab = createFakeLab(cluster)
  window.lab = lab.api
  wrapper = mountWithApp(ClusterView, { locale }).wrapper
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['Date', 'setInterval', 'clearInterval'] })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useRaftStore().$dispose()
  useLinksStore().$dispose()
  useWorkloadStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('ClusterView', () => {
  it('invites to start a cluster when there is none', async () => {
    const w = await mountView(null)
    expect(lab.api.cluster.get).toHaveBeenCalled()
    expect(w.get('[data-testid="quorum-summary"]').text()).toContain('No cluster yet')
    expect(w.findAll('[data-testid^="node-card-"]')).toHaveLength(0)
    const select = w.get<HTMLSelectElement>('[data-testid="cluster-size"]')
    expect(select.element.value).toBe('3')
    // 2, 3, 5 and 7 first; every other size the lab runs (1–9) after them.
    expect([...select.element.options].map((o) => o.value)).toEqual(['2', '3', '5', '7', '1', '4', '6', '8', '9'])
    expect(select.attributes('title')).toContain('⌊N/2⌋+1')
    expect(w.get('[data-testid="start-cluster"]').attributes('disabled')).toBeUndefined()
    expect(w.get('[data-testid="stop-cluster"]').attributes('disabled')).toBeDefined()
    expect(chartOption(w).title.show).toBe(true)
    expect(w.get('[data-testid="event-log"]').text()).toContain('No events yet')
  })

  it('starts a cluster of the chosen size and shows every node, the quorum and the chart', async () => {
    const w = await mountView(null)
    await w.get('[data-testid="cluster-size"]').setValue('5')
    await w.get('[data-testid="start-cluster"]').trigger('click')
    await flushPromises()

    expect(lab.api.cluster.create).toHaveBeenCalledWith({ size: 5, profile: 'seed', preVote: true, checkQuorum: true })
    expect(lab.api.cluster.start).toHaveBeenCalledTimes(1)
    const cards = w.findAll('[data-testid^="node-card-"]')
    expect(cards.map((c) => c.attributes('data-testid'))).toEqual([1, 2, 3, 4, 5].map((id) => `node-card-${id}`))
    expect(cards.every((c) => c.attributes('data-state') === 'up')).toBe(true)

    const summary = w.get('[data-testid="quorum-summary"]')
    expect(summary.text()).toBe('5 of 5 up, majority = 3')
    expect(summary.attributes('data-quorum')).toBe('held')
    expect(w.get('[data-testid="start-cluster"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="stop-cluster"]').attributes('disabled')).toBeUndefined()
    expect(w.get('[data-testid="cluster-size"]').attributes('disabled')).toBeDefined()

    const option = chartOption(w)
    expect(option.series[0].markLine.data).toEqual([{ yAxis: 3 }])
    expect(option.series[0].markLine.label.formatter).toBe('majority 3')
    expect(option.yAxis.max).toBe(5)
    expect(option.series[0].data.at(-1)[1]).toBe(5)
  })

  it('shows "Starting…" and blocks both buttons while starting', async () => {
    const w = await mountView(null)
    let finish!: (r: Result<ClusterInfo>) => void
    vi.mocked(lab.api.cluster.start).mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)))
    await w.get('[data-testid="start-cluster"]').trigger('click')
    await flushPromises()
    const start = w.get('[data-testid="start-cluster"]')
    expect(start.text()).toBe('Starting…')
    expect(start.attributes('aria-busy')).toBe('true')
    expect(start.attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="stop-cluster"]').attributes('disabled')).toBeDefined()
    finish({ ok: true, value: runningCluster(3) })
    await flushPromises()
    expect(w.get('[data-testid="start-cluster"]').text()).toBe('Start cluster')
  })

  it('turns the summary red when crashes take the majority away, live from events', async () => {
    const w = await mountView(runningCluster(3, T0))
    expect(w.get('[data-testid="quorum-summary"]').text()).toBe('3 of 3 up, majority = 2')

    await w.get('[data-testid="crash-node-1"]').trigger('click')
    expect(lab.api.node.crash).toHaveBeenCalledWith({ nodeId: 1 })
    await flushPromises()
    expect(w.get('[data-testid="quorum-summary"]').text()).toBe('2 of 3 up, majority = 2')
    expect(w.get('[data-testid="quorum-summary"]').attributes('data-quorum')).toBe('held')

    vi.setSystemTime(T0 + 5000)
    lab.emit(
      stamp({ type: 'fault.injected', kind: 'crash', nodeId: 2 }),
      stamp({ type: 'node.exited', nodeId: 2, pid: 4002, code: null, signal: 'SIGKILL', expected: false })
    )
    await flushPromises()
    const summary = w.get('[data-testid="quorum-summary"]')
    expect(summary.text()).toBe('1 of 3 up, majority = 2')
    expect(summary.attributes('data-quorum')).toBe('lost')
    expect(w.find('.quorum--lost').exists()).toBe(true)
    expect(w.text()).toContain('Quorum lost')
    expect(w.get('[data-testid="node-card-2"]').attributes('data-state')).toBe('down')
    expect(chartOption(w).series[0].data.at(-1)).toEqual([T0 + 5000, 1])

    const log = w.get('[data-testid="event-log"]')
    const rows = log.findAll('li')
    expect(rows[0]!.text()).toContain('Node 2 crashed (signal SIGKILL)')
    expect(rows[1]!.text()).toContain('Fault injected: kill -9 node 2')
  })

  it('stops the cluster', async () => {
    const w = await mountView(runningCluster(3))
    await w.get('[data-testid="stop-cluster"]').trigger('click')
    await flushPromises()
    expect(lab.api.cluster.stop).toHaveBeenCalledTimes(1)
    expect(w.findAll('[data-state="stopped"][data-testid^="node-card-"]')).toHaveLength(3)
    expect(w.get('[data-testid="start-cluster"]').attributes('disabled')).toBeUndefined()
  })

  it('hides node output in the log unless asked', async () => {
    const w = await mountView(runningCluster(1))
    lab.emit({ type: 'node.output', nodeId: 1, stream: 'stdout', text: 'raft: became leader at term 2' })
    await flushPromises()
    expect(w.get('[data-testid="event-log"]').text()).not.toContain('became leader')
    await w.get('[data-testid="show-node-output"]').setValue(true)
    expect(w.get('[data-testid="event-log"]').text()).toContain('Node 1 stdout: raft: became leader at term 2')
  })

  it('speaks Chinese', async () => {
    const w = await mountView(runningCluster(5), 'zh-CN')
    expect(w.get('[data-testid="quorum-summary"]').text()).toBe('5 个节点中 5 个在线，多数派 = 3')
    expect(w.get('[data-testid="start-cluster"]').text()).toBe('启动集群')
    expect(w.get('[data-testid="stop-cluster"]').text()).toBe('停止集群')
    expect(chartOption(w).series[0].markLine.label.formatter).toBe('多数派 3')
  })
})

/** A running 3-node cluster whose nodes report node 1 as leader at term 2, links healthy. */
async function mountRunning(size = 3, leader: number | null = 1) {
  const cluster = runningCluster(size, T0)
  lab = createFakeLab(cluster)
  vi.mocked(lab.api.cluster.status).mockResolvedValue(ok(statusViews(cluster.nodes, leader, 2)))
  vi.mocked(lab.api.link.list).mockResolvedValue(ok(peerLinks(cluster.nodes.map((n) => n.id))))
  window.lab = lab.api
  wrapper = mountWithApp(ClusterView, { locale: 'en' }).wrapper
  await flushPromises()
  return { w: wrapper, nodes: cluster.nodes }
}

describe('ClusterView: the map', () => {
  it('puts the nodes on a ring with two links per pair, and shows the leader', async () => {
    const { w } = await mountRunning()
    expect(w.get('[data-testid="map-leader"]').text()).toBe('1')
    expect(w.get('[data-testid="node-card-1"]').attributes('data-role')).toBe('leader')
    expect(w.get('[data-testid="node-card-2"]').attributes('data-role')).toBe('follower')
    const links = w.findAll('[data-testid^="map-link-"]').filter((l) => /^map-link-\d+-\d+$/.test(l.attributes('data-testid')!))
    expect(links.map((l) => l.attributes('data-testid')).sort()).toEqual(['map-link-1-2', 'map-link-1-3', 'map-link-2-1', 'map-link-2-3', 'map-link-3-1', 'map-link-3-2'])
    expect(links.every((l) => l.attributes('data-state') === 'ok')).toBe(true)
    const summary = w.get('[data-testid="quorum-summary"]')
    expect(summary.attributes('data-commit')).toBe('yes')
    expect(w.find('.quorum--lost').exists()).toBe(false)
  })

  it('turns the gauge red while nobody leads, even with a majority up', async () => {
    const { w, nodes } = await mountRunning(3, null)
    expect(w.get('[data-testid="map-leader"]').attributes('data-leader')).toBe('none')
    expect(w.get('[data-testid="quorum-summary"]').attributes('data-commit')).toBe('no')
    expect(w.get('[data-testid="quorum-hint"]').text()).toContain('No leader')
    expect(w.find('.quorum--lost').exists()).toBe(true)
    lab.emit(stamp(roleChanged(nodes[1]!, 'leader', 3, nodes[1]!)))
    await flushPromises()
    expect(w.get('[data-testid="map-leader"]').text()).toBe('2')
    expect(w.get('[data-testid="quorum-summary"]').attributes('data-commit')).toBe('yes')
  })

  it('draws a cut and a one-way link from events, and marks an isolated node', async () => {
    const { w } = await mountRunning()
    const cut = { cut: 'blackhole' as const, delayMs: 0, jitterMs: 0, dropPct: 0, dupPct: 0 }
    lab.emit(
      stamp({ type: 'link.fault', kind: 'peer', from: 3, to: 1, fault: cut }),
      stamp({ type: 'link.fault', kind: 'peer', from: 1, to: 2, fault: { ...cut, cut: 'none', delayMs: 300 } })
    )
    await flushPromises()
    const l31 = w.get('[data-testid="map-link-3-1"]')
    expect(l31.attributes('data-state')).toBe('cut')
    expect(l31.attributes('data-pair')).toBe('oneWay')
    expect(l31.attributes('aria-label')).toContain('one-way')
    expect(w.get('[data-testid="map-link-1-3"]').attributes('data-state')).toBe('ok')
    expect(w.get('[data-testid="map-link-1-2"]').attributes('data-state')).toBe('delayed')
    expect(w.get('[data-testid="map-link-1-2"] .link__badge').text()).toBe('+300 ms')
    expect(w.get('[data-testid="map-faulty-links"]').text()).toBe('2 links faulty')
    lab.emit(stamp({ type: 'link.fault', kind: 'peer', from: 1, to: 3, fault: cut }), stamp({ type: 'link.fault', kind: 'peer', from: 2, to: 3, fault: cut }), stamp({ type: 'link.fault', kind: 'peer', from: 3, to: 2, fault: cut }))
    await flushPromises()
    expect(w.get('[data-testid="node-card-3"]').find('[data-testid="node-isolated"]').exists()).toBe(true)
    expect(w.get('[data-testid="node-card-1"]').find('[data-testid="node-isolated"]').exists()).toBe(false)
  })

  it('edits one direction of a link: cut, latency and loss, heal, the other direction', async () => {
    const { w } = await mountRunning()
    await w.get('[data-testid="map-link-2-3"]').trigger('keydown', { key: 'Enter' })
    const editor = w.get('[data-testid="map-link-editor"]')
    expect(editor.attributes('data-from')).toBe('2')
    expect(editor.text()).toContain('Link 2 → 3')
    vi.mocked(lab.api.link.set).mockResolvedValueOnce(ok(peerLinks([1, 2, 3], { '2>3': { cut: 'reset' } })))
    await w.get('[data-testid="map-link-cut-reset"]').trigger('click')
    await flushPromises()
    expect(lab.api.link.set).toHaveBeenCalledWith({ from: 2, to: 3, fault: expect.objectContaining({ cut: 'reset' }) })
    expect(w.get('[data-testid="map-link-2-3"]').attributes('data-cut')).toBe('reset')

    await w.get('[data-testid="map-link-delay"]').setValue('120')
    await w.get('[data-testid="map-link-jitter"]').setValue('30')
    await w.get('[data-testid="map-link-loss"]').setValue('15')
    vi.mocked(lab.api.link.set).mockResolvedValueOnce(ok(peerLinks([1, 2, 3], { '2>3': { cut: 'reset', delayMs: 120, jitterMs: 30, dropPct: 15 } })))
    await w.get('[data-testid="map-link-apply"]').trigger('submit')
    expect(lab.api.link.set).toHaveBeenLastCalledWith({ from: 2, to: 3, fault: { cut: 'reset', delayMs: 120, jitterMs: 30, dropPct: 15, dupPct: 0 } })
    await flushPromises()
    expect(w.get('[data-testid="map-link-editor-state"]').attributes('data-state')).toBe('cut')

    await w.get('[data-testid="map-link-heal"]').trigger('click')
    expect(lab.api.link.heal).toHaveBeenCalledWith({ from: 2, to: 3 })
    await w.get('[data-testid="map-link-reverse"]').trigger('click')
    expect(w.get('[data-testid="map-link-editor"]').attributes('data-from')).toBe('3')
    await w.get('[data-testid="map-link-close"]').trigger('click')
    expect(w.find('[data-testid="map-link-editor"]').exists()).toBe(false)
    // A press elsewhere on the map closes it too.
    await w.get('[data-testid="map-link-1-2"]').trigger('click')
    await w.get('[data-testid="map-link-editor"]').trigger('mousedown')
    expect(w.find('[data-testid="map-link-editor"]').exists()).toBe(true)
    await w.get('[data-testid="node-card-3"]').trigger('mousedown')
    expect(w.find('[data-testid="map-link-editor"]').exists()).toBe(false)
  })

  it('runs the presets: kill leader, isolate leader, split, isolate a node, heal all', async () => {
    const { w } = await mountRunning(5)
    await w.get('[data-testid="map-preset-kill-leader"]').trigger('click')
    expect(lab.api.node.crash).toHaveBeenCalledWith({ nodeId: 1 })
    await w.get('[data-testid="map-preset-isolate-leader"]').trigger('click')
    expect(lab.api.link.preset).toHaveBeenCalledWith({ preset: 'isolateLeader' })
    await flushPromises()
    const split = w.get('[data-testid="map-preset-split"]')
    expect(split.text()).toBe('Split 3 + 2')
    await split.trigger('click')
    expect(lab.api.link.preset).toHaveBeenCalledWith({ preset: 'split', groups: [[1, 2, 3], [4, 5]] })
    await flushPromises()
    await w.get('[data-testid="map-preset-isolate-node"]').setValue('2')
    await w.get('[data-testid="map-preset-isolate"]').trigger('click')
    expect(lab.api.link.preset).toHaveBeenCalledWith({ preset: 'isolate', nodeId: 2 })
    await flushPromises()
    await w.get('[data-testid="map-preset-heal-all"]').trigger('click')
    expect(lab.api.link.healAll).toHaveBeenCalled()
  })

  it('disables the leader presets while nobody leads, saying why', async () => {
    const { w } = await mountRunning(3, null)
    const kill = w.get('[data-testid="map-preset-kill-leader"]')
    expect(kill.attributes('disabled')).toBeDefined()
    expect(kill.attributes('title')).toBe('There is no leader right now.')
  })

  it('changes PreVote on a running cluster and says it applies at the next start', async () => {
    const { w } = await mountRunning()
    vi.mocked(lab.api.cluster.settings).mockImplementation((patch) => {
      lab.cluster!.settings = { ...lab.cluster!.settings, ...patch }
      return Promise.resolve(ok(JSON.parse(JSON.stringify(lab.cluster))))
    })
    expect(w.get('[data-testid="map-settings-note"]').text()).toContain('next start')
    await w.get('[data-testid="map-prevote"]').setValue(false)
    await flushPromises()
    expect(lab.api.cluster.settings).toHaveBeenCalledWith({ preVote: false })
    // The lab announces it; every node still runs the old settings until it restarts.
    vi.setSystemTime(T0 + 5000)
    lab.emit(stamp({ type: 'cluster.settings', settings: { profile: 'seed', preVote: false, checkQuorum: true } }))
    await flushPromises()
    expect(w.findAll('[data-testid="node-pending-restart"]')).toHaveLength(3)
    await w.get('[data-testid="map-profile"]').setValue('teaching')
    expect(lab.api.cluster.settings).toHaveBeenLastCalledWith({ profile: 'teaching' })
  })

  it('starts a new cluster with the chosen settings, and resets to a fresh one', async () => {
    const w = await mountView(null)
    await w.get('[data-testid="map-prevote"]').setValue(false)
    await w.get('[data-testid="map-profile"]').setValue('teaching')
    expect(lab.api.cluster.settings).not.toHaveBeenCalled()
    await w.get('[data-testid="start-cluster"]').trigger('click')
    await flushPromises()
    expect(lab.api.cluster.create).toHaveBeenCalledWith({ size: 3, profile: 'teaching', preVote: false, checkQuorum: true })
    await w.get('[data-testid="map-reset"]').trigger('click')
    await flushPromises()
    expect(lab.api.cluster.stop).toHaveBeenCalledTimes(1)
    expect(lab.api.cluster.create).toHaveBeenCalledTimes(2)
    expect(lab.api.cluster.start).toHaveBeenCalledTimes(2)
    const order = [lab.api.cluster.stop, lab.api.cluster.create, lab.api.cluster.start].map((f) => vi.mocked(f).mock.invocationCallOrder.at(-1)!)
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  it('adds a node and shows it once the lab reports it', async () => {
    const { w } = await mountRunning()
    vi.mocked(lab.api.cluster.addNode).mockImplementationOnce(() => {
      const c = runningCluster(4, T0)
      lab.cluster = c
      return Promise.resolve(ok(c.nodes[3]!))
    })
    await w.get('[data-testid="map-add-node"]').trigger('click')
    await flushPromises()
    expect(lab.api.cluster.addNode).toHaveBeenCalled()
    expect(w.findAll('[data-testid^="node-card-"]')).toHaveLength(4)
    expect(w.find('[data-testid="map-link-4-1"]').exists()).toBe(true)
  })

  it('removes a node that leaves the membership', async () => {
    const { w, nodes } = await mountRunning()
    lab.emit(stamp({ type: 'member.removed', nodeId: 3, address: nodes[2]!.address }))
    await flushPromises()
    expect(w.findAll('[data-testid^="node-card-"]')).toHaveLength(2)
    expect(w.get('[data-testid="quorum-summary"]').text()).toBe('2 of 2 up, majority = 2')
  })

  it('keeps polling Raft facts once a second while the cluster runs', async () => {
    await mountRunning()
    const calls = vi.mocked(lab.api.cluster.status).mock.calls.length
    await vi.advanceTimersByTimeAsync(RAFT_POLL_MS * 2)
    expect(vi.mocked(lab.api.cluster.status).mock.calls.length).toBe(calls + 2)
  })

  it('starts and stops the workload with rate and routing, and shows its stats', async () => {
    const { w } = await mountRunning()
    const spec = { ratePerSec: 300, writeRouting: 'leader', readRouting: 'linearizable' }
    vi.mocked(lab.api.workload.start).mockResolvedValueOnce(ok({ state: 'running', spec, totals: {}, last: null } as never))
    await w.get('[data-testid="map-workload-rate"]').setValue('300')
    await w.get('[data-testid="map-workload-writes"]').setValue('leader')
    await w.get('[data-testid="map-workload-reads"]').setValue('linearizable')
    await w.get('[data-testid="map-workload-start"]').trigger('submit')
    await flushPromises()
    expect(lab.api.workload.start).toHaveBeenCalledWith(spec)
    expect(w.get('[data-testid="map-workload"]').attributes('data-state')).toBe('running')
    const kind = { ok: 1, fail: 0, unknown: 0, p50: 2, p99: 9, max: 12 }
    lab.emit(stamp({ type: 'workload.stats', stats: { at: T0, intervalMs: 1000, ok: 290, fail: 3, unknown: 1, rate: 294, skipped: 0, inFlight: 4, beats: { sent: 0, ok: 0 }, byKind: { publish: kind, get: kind, register: kind, list: kind } } }))
    await flushPromises()
    expect(w.get('[data-testid="map-workload-rate-now"]').text()).toBe('294')
    expect(w.get('[data-testid="map-workload-stats"]').text()).toContain('9 ms')
    vi.mocked(lab.api.workload.stop).mockResolvedValueOnce(ok({ state: 'idle', spec: null, totals: {}, last: null } as never))
    await w.get('[data-testid="map-workload-stop"]').trigger('click')
    await flushPromises()
    expect(lab.api.workload.stop).toHaveBeenCalled()
    expect(w.get('[data-testid="map-workload"]').attributes('data-state')).toBe('idle')
  })

  it('explains each concept with a pointer to the tutorial section', async () => {
    const { w } = await mountRunning()
    expect(w.get('[data-testid="map-tip-term"]').text()).toContain('Tutorial §3.2')
    expect(w.get('[data-testid="map-tip-quorum"]').text()).toContain('majority')
    expect(w.get('[data-testid="map-tip-commit"]').text()).toContain('§4.3')
    expect(w.get('[data-testid="map-tip-preVote"]').text()).toContain('term')
    expect(w.get('[data-testid="map-tip-checkQuorum"]').text()).toContain('steps down')
    expect(w.get('[data-testid="map-tip-learner"]').text()).toContain('§7.3')
  })
})

describe('ClusterView: event log', () => {
  it('hides Raft events on request and says when old events were dropped', async () => {
    const { w, nodes } = await mountRunning()
    lab.emit(stamp(roleChanged(nodes[1]!, 'leader', 3, nodes[1]!)))
    await flushPromises()
    const log = () => w.get('[data-testid="event-log"]')
    expect(log().text()).toContain('Node 2 became leader at term 3')
    await w.get('[data-testid="event-log-show-raft"]').setValue(false)
    expect(log().text()).not.toContain('became leader')
    expect(w.find('[data-testid="event-log-limit"]').exists()).toBe(false)
    lab.emit(...Array.from({ length: 600 }, () => stamp({ type: 'node.spawned', nodeId: 1, pid: 1 })))
    await flushPromises()
    expect(w.get('[data-testid="event-log-limit"]').text()).toContain('last 500 events')
  })
})

describe('ClusterView: replay', () => {
  it('turns every action off while a recorded run replays', async () => {
    const { w } = await mountRunning()
    expect(w.get('[data-testid="crash-node-2"]').attributes('disabled')).toBeUndefined()
    useFeedStore().beginReplay(T0)
    useFeedStore().pushReplay([stamp({ type: 'cluster.created', cluster: runningCluster(3, T0, 'run-old') })], T0)
    await flushPromises()
    for (const id of ['crash-node-2', 'stop-cluster', 'map-reset', 'map-preset-heal-all', 'map-preset-isolate', 'map-prevote']) {
      expect(w.get(`[data-testid="${id}"]`).attributes('disabled'), id).toBeDefined()
    }
    await w.get('[data-testid="map-node-menu-2"]').trigger('click')
    expect(w.get('[data-testid="map-node-action-restart"]').text()).toContain('replaying')
    // No polling of the live lab while the past is shown.
    const calls = vi.mocked(lab.api.cluster.status).mock.calls.length
    await vi.advanceTimersByTimeAsync(RAFT_POLL_MS * 2)
    expect(vi.mocked(lab.api.cluster.status).mock.calls.length).toBe(calls)
  })
})
