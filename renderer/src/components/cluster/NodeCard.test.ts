import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ClusterInfo, NodeInfo } from '../../../../electron/lab/api'
import { useClusterStore } from '../../stores/cluster'
import { createFakeLab, makeCluster, makeNode, runningCluster, type FakeLab } from '../../testing/fake-lab'
import { mountWithApp } from '../../testing/mount'
import NodeCard from './NodeCard.vue'

let wrapper: VueWrapper | undefined

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useClusterStore().$dispose()
  delete window.lab
})

async function mountCard(cluster: ClusterInfo, nodeId: number, locale: 'en' | 'zh-CN' = 'en') {
  const lab: FakeLab = createFakeLab(cluster)
  window.lab = lab.api
  const mounted = mountWithApp(NodeCard, { locale, props: { node: cluster.nodes[nodeId - 1]! } })
  wrapper = mounted.wrapper
  const store = useClusterStore()
  await store.init()
  // Feed the card the store's (reactive) node, as ClusterView does.
  await wrapper.setProps({ node: store.cluster!.nodes[nodeId - 1] as NodeInfo })
  return { lab, store, w: mounted.wrapper }
}

describe('NodeCard', () => {
  it('shows where the node listens, its pid and its state', async () => {
    const { w } = await mountCard(runningCluster(3), 2)
    const card = w.get('[data-testid="node-card-2"]')
    expect(card.attributes('data-state')).toBe('up')
    expect(card.text()).toContain('Node 2')
    expect(card.text()).toContain('127.0.0.1:18858')
    expect(w.get('[data-testid="node-port"]').text()).toBe('18858')
    expect(w.get('[data-testid="node-raft-port"]').text()).toBe('17858')
    expect(w.get('[data-testid="node-pid"]').text()).toBe('4002')
    expect(w.get('[data-testid="node-state"]').text()).toBe('up')
    expect(w.find('[data-testid="node-exit"]').exists()).toBe(false)
  })

  it('crashes the node with a real kill -9, then offers a restart', async () => {
    const { lab, store, w } = await mountCard(runningCluster(3), 2)
    const crash = w.get('[data-testid="crash-node-2"]')
    const restart = w.get('[data-testid="restart-node-2"]')
    expect(crash.attributes('title')).toContain('kill -9')
    expect(crash.attributes('disabled')).toBeUndefined()
    expect(restart.attributes('disabled')).toBeDefined()

    await crash.trigger('click')
    expect(lab.api.node.crash).toHaveBeenCalledWith({ nodeId: 2 })
    await flushPromises()
    await w.setProps({ node: store.cluster!.nodes[1] as NodeInfo })

    expect(w.get('[data-testid="node-card-2"]').attributes('data-state')).toBe('down')
    expect(w.get('[data-testid="node-state"]').text()).toBe('down')
    expect(w.get('[data-testid="node-pid"]').text()).toBe('—')
    const exit = w.get('[data-testid="node-exit"]')
    expect(exit.text()).toContain('Crashed')
    expect(exit.text()).toContain('signal SIGKILL')
    expect(w.get('[data-testid="crash-node-2"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="restart-node-2"]').attributes('disabled')).toBeUndefined()

    await w.get('[data-testid="restart-node-2"]').trigger('click')
    expect(lab.api.node.restart).toHaveBeenCalledWith({ nodeId: 2 })
  })

  it('disables both buttons while its call is in flight', async () => {
    const { lab, w } = await mountCard(runningCluster(3), 1)
    let answer!: () => void
    vi.mocked(lab.api.node.crash).mockImplementationOnce(
      () => new Promise((resolve) => (answer = () => resolve({ ok: true, value: makeNode(1, { state: 'down' }) })))
    )
    await w.get('[data-testid="crash-node-1"]').trigger('click')
    expect(w.get('[data-testid="crash-node-1"]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid="crash-node-1"]').trigger('click')
    expect(lab.api.node.crash).toHaveBeenCalledTimes(1)
    answer()
    await flushPromises()
  })

  it('says "stopped" for a stop the lab asked for, and offers no restart in a stopped cluster', async () => {
    const cluster = makeCluster(3, {
      state: 'stopped',
      nodes: [1, 2, 3].map((id) =>
        makeNode(id, { state: 'stopped', lastExit: { code: 0, signal: null, at: 1, expected: true } })
      )
    })
    const { w } = await mountCard(cluster, 3)
    expect(w.get('[data-testid="node-card-3"]').attributes('data-state')).toBe('stopped')
    expect(w.get('[data-testid="node-exit"]').text()).toContain('Stopped')
    expect(w.get('[data-testid="node-exit"]').text()).toContain('exit code 0')
    expect(w.get('[data-testid="restart-node-3"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="crash-node-3"]').attributes('disabled')).toBeDefined()
  })

  it('speaks Chinese', async () => {
    const { w } = await mountCard(runningCluster(3), 1, 'zh-CN')
    expect(w.text()).toContain('节点 1')
    expect(w.get('[data-testid="node-state"]').text()).toBe('在线')
    expect(w.get('[data-testid="crash-node-1"]').text()).toBe('崩溃')
    expect(w.get('[data-testid="restart-node-1"]').text()).toBe('重启')
    expect(w.text()).toContain('HTTP 端口')
  })
})
