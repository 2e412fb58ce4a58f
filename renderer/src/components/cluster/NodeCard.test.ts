import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ok, type ClusterInfo, type NodeInfo } from '../../../../electron/lab/api'
import { useClusterStore } from '../../stores/cluster'
import { emptyFacts, type DisplayRole, type RaftFacts } from '../../stores/raft-model'
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

const NOW = 1_700_000_000_000

function facts(id: number, over: Partial<RaftFacts> = {}): RaftFacts {
  return { ...emptyFacts(id), role: 'follower', term: 7, leaderId: 1, commit: 42, applied: 40, lastIndex: 43, lastHeartbeatAt: NOW - 120, cpuPct: 3.25, rssBytes: 64 * 1024 * 1024, ...over }
}

async function mountCard(cluster: ClusterInfo, nodeId: number, props: { facts?: RaftFacts; role?: DisplayRole; isolated?: boolean; pendingRestart?: boolean } = {}, locale: 'en' | 'zh-CN' = 'en') {
  const lab: FakeLab = createFakeLab(cluster)
  window.lab = lab.api
  const mounted = mountWithApp(NodeCard, { locale, props: { node: cluster.nodes[nodeId - 1]!, now: NOW, ...props } })
  wrapper = mounted.wrapper
  const store = useClusterStore()
  await store.init()
  // Feed the card the store's (reactive) node, as the ring does.
  await wrapper.setProps({ node: store.cluster!.nodes[nodeId - 1] as NodeInfo })
  return { lab, store, w: mounted.wrapper }
}

describe('NodeCard', () => {
  it('shows its Raft facts, where it listens, its process and its role', async () => {
    const { w } = await mountCard(runningCluster(3), 2, { facts: facts(2), role: 'follower' })
    const card = w.get('[data-testid="node-card-2"]')
    expect(card.attributes('data-state')).toBe('up')
    expect(card.attributes('data-role')).toBe('follower')
    expect(card.attributes('data-term')).toBe('7')
    expect(card.text()).toContain('Node 2')
    expect(card.text()).toContain('127.0.0.1:18858')
    expect(w.get('[data-testid="node-port"]').text()).toBe('18858')
    expect(w.get('[data-testid="node-pid"]').text()).toBe('4002')
    expect(w.get('[data-testid="node-state"]').text()).toBe('up')
    expect(w.get('[data-testid="node-role"]').text()).toBe('follower')
    expect(w.get('[data-testid="node-term"]').text()).toBe('7')
    expect(w.get('[data-testid="node-commit"]').text()).toBe('42')
    expect(w.get('[data-testid="node-applied"]').text()).toBe('40')
    expect(w.get('[data-testid="node-heartbeat"]').text()).toBe('120 ms ago')
    expect(w.get('[data-testid="node-heartbeat"]').attributes('data-late')).toBe('false')
    expect(w.get('[data-testid="node-cpu"]').text()).toBe('3.3%')
    expect(w.get('[data-testid="node-memory"]').text()).toBe('64 MB')
    expect(w.find('[data-testid="node-exit"]').exists()).toBe(false)
  })

  it('marks a late heartbeat, and a leader as the sender', async () => {
    const { w } = await mountCard(runningCluster(3), 2, { facts: facts(2, { lastHeartbeatAt: NOW - 4200 }), role: 'follower' })
    expect(w.get('[data-testid="node-heartbeat"]').text()).toBe('4.2 s ago')
    expect(w.get('[data-testid="node-heartbeat"]').attributes('data-late')).toBe('true')
    await w.setProps({ role: 'leader', facts: facts(2, { role: 'leader' }) })
    expect(w.get('[data-testid="node-heartbeat"]').text()).toBe('sends')
    expect(w.get('[data-testid="node-card-2"]').classes()).toContain('node--leader')
  })

  it('flags an applied index trailing the commit index (the node is catching up)', async () => {
    const { w } = await mountCard(runningCluster(3), 2, { facts: facts(2, { commit: 500, applied: 120 }), role: 'follower' })
    expect(w.get('[data-testid="node-applied"]').classes()).toContain('is-warn')
    await w.setProps({ facts: facts(2, { commit: 500, applied: 499 }) })
    expect(w.get('[data-testid="node-applied"]').classes()).not.toContain('is-warn')
  })

  it('says when it is cut off and when it still runs the old settings', async () => {
    const { w } = await mountCard(runningCluster(3), 3, { facts: facts(3), role: 'precandidate', isolated: true, pendingRestart: true })
    expect(w.get('[data-testid="node-isolated"]').text()).toBe('cut off')
    expect(w.get('[data-testid="node-pending-restart"]').text()).toContain('old settings')
    expect(w.get('[data-testid="node-role"]').text()).toBe('pre-candidate')
  })

  it('crashes the node with a real kill -9, then offers a restart', async () => {
    const { lab, store, w } = await mountCard(runningCluster(3), 2, { facts: facts(2), role: 'follower' })
    const crash = w.get('[data-testid="crash-node-2"]')
    expect(crash.attributes('title')).toContain('kill -9')
    expect(crash.attributes('disabled')).toBeUndefined()
    expect(w.get('[data-testid="restart-node-2"]').attributes('disabled')).toBeDefined()

    await crash.trigger('click')
    expect(lab.api.node.crash).toHaveBeenCalledWith({ nodeId: 2 })
    await flushPromises()
    await w.setProps({ node: store.cluster!.nodes[1] as NodeInfo, role: 'down' })

    const card = w.get('[data-testid="node-card-2"]')
    expect(card.attributes('data-state')).toBe('down')
    expect(card.attributes('data-role')).toBe('down')
    expect(w.get('[data-testid="node-pid"]').text()).toBe('—')
    // The last facts stay, greyed: no CPU or heartbeat for a dead process.
    expect(w.get('[data-testid="node-cpu"]').text()).toBe('—')
    expect(w.get('[data-testid="node-heartbeat"]').text()).toBe('—')
    const exit = w.get('[data-testid="node-exit"]')
    expect(exit.text()).toContain('Crashed')
    expect(exit.text()).toContain('signal SIGKILL')
    expect(w.get('[data-testid="crash-node-2"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="restart-node-2"]').attributes('disabled')).toBeUndefined()

    await w.get('[data-testid="restart-node-2"]').trigger('click')
    expect(lab.api.node.restart).toHaveBeenCalledWith({ nodeId: 2 })
  })

  it('disables its buttons while its call is in flight', async () => {
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
      nodes: [1, 2, 3].map((id) => makeNode(id, { state: 'stopped', lastExit: { code: 0, signal: null, at: 1, expected: true } }))
    })
    const { w } = await mountCard(cluster, 3, { role: 'down' })
    expect(w.get('[data-testid="node-card-3"]').attributes('data-state')).toBe('stopped')
    expect(w.get('[data-testid="node-exit"]').text()).toContain('Stopped')
    expect(w.get('[data-testid="node-exit"]').text()).toContain('exit code 0')
    expect(w.get('[data-testid="restart-node-3"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="crash-node-3"]').attributes('disabled')).toBeDefined()
  })

  it('opens a menu of every action, the ones that do not apply disabled with the reason', async () => {
    const { lab, w } = await mountCard(runningCluster(3), 2, { facts: facts(2), role: 'follower' })
    vi.mocked(lab.api.node.pause).mockResolvedValueOnce(ok(makeNode(2, { state: 'paused', pid: 4002 })))
    const toggle = w.get('[data-testid="map-node-menu-2"]')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    await toggle.trigger('click')
    expect(toggle.attributes('aria-expanded')).toBe('true')
    const menu = w.get('[data-testid="map-node-actions"]')
    const ids = menu.findAll('[role="menuitem"]').map((b) => b.attributes('data-testid'))
    expect(ids).toEqual(['crash', 'stop', 'pause', 'resume', 'restart', 'wipe', 'transfer', 'remove'].map((a) => `map-node-action-${a}`))
    const resume = w.get('[data-testid="map-node-action-resume"]')
    expect(resume.attributes('disabled')).toBeDefined()
    expect(resume.text()).toContain('The node is not paused.')
    // No leader is known to this lone card's raft store: nobody to hand over from.
    expect(w.get('[data-testid="map-node-action-transfer"]').text()).toContain('no leader')

    await w.get('[data-testid="map-node-action-pause"]').trigger('click')
    expect(lab.api.node.pause).toHaveBeenCalledWith({ nodeId: 2 })
    expect(w.find('[data-testid="map-node-actions"]').exists()).toBe(false)
    await flushPromises()

    await toggle.trigger('click')
    await w.get('[data-testid="map-node-actions"]').trigger('keydown', { key: 'Escape' })
    expect(w.find('[data-testid="map-node-actions"]').exists()).toBe(false)
  })

  it('wipes, stops and removes through the menu', async () => {
    const { lab, w } = await mountCard(runningCluster(3), 3, { facts: facts(3), role: 'follower' })
    for (const [action, method] of [
      ['wipe', lab.api.node.wipe],
      ['stop', lab.api.node.stop],
      ['remove', lab.api.node.remove]
    ] as const) {
      vi.mocked(method).mockResolvedValueOnce(ok(action === 'remove' ? runningCluster(2) : makeNode(3, { state: 'up', pid: 99 })) as never)
      await w.get('[data-testid="map-node-menu-3"]').trigger('click')
      await w.get(`[data-testid="map-node-action-${action}"]`).trigger('click')
      await flushPromises()
      expect(method).toHaveBeenCalledWith({ nodeId: 3 })
    }
  })

  it('speaks Chinese', async () => {
    const { w } = await mountCard(runningCluster(3), 1, { facts: facts(1, { role: 'leader' }), role: 'leader' }, 'zh-CN')
    expect(w.text()).toContain('节点 1')
    expect(w.get('[data-testid="node-role"]').text()).toBe('领导者')
    expect(w.get('[data-testid="node-state"]').text()).toBe('在线')
    expect(w.get('[data-testid="crash-node-1"]').text()).toBe('崩溃')
    expect(w.get('[data-testid="restart-node-1"]').text()).toBe('重启')
    expect(w.text()).toContain('任期')
    expect(w.text()).toContain('提交索引')
  })
})
