import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ClusterInfo, Result } from '../../../electron/lab/api'
import { useClusterStore } from '../stores/cluster'
import { createFakeLab, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
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
  useClusterStore().$dispose()
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
    expect([...select.element.options].map((o) => o.value)).toEqual(['1', '2', '3', '5', '7', '9'])
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

    expect(lab.api.cluster.create).toHaveBeenCalledWith({ size: 5 })
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
