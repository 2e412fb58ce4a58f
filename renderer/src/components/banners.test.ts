/** Web-mode chrome: connection badge and banner, and how they share the stage with errors. */
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../App.vue'
import { useClusterStore } from '../stores/cluster'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { mountWithApp } from '../testing/mount'
import { fakeConnection } from '../testing/fake-connection'

const mocks = vi.hoisted(() => ({ lab: null as FakeLab | null, connection: null as unknown }))
vi.mock('../api/lab-client', () => ({
  getLab: () => mocks.lab!.api,
  getLabConnection: () => mocks.connection
}))

let wrapper: VueWrapper | undefined

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useClusterStore().$dispose()
})

describe('web-mode banners', () => {
  it('shows the connection badge, and a banner only once the connection is lost', async () => {
    const conn = fakeConnection('open')
    mocks.connection = conn
    mocks.lab = createFakeLab(runningCluster(3))
    wrapper = mountWithApp(App).wrapper
    await flushPromises()
    const badge = wrapper.get('[data-testid="connection-badge"]')
    expect(badge.attributes('data-state')).toBe('open')
    expect(badge.text()).toContain('Connected')
    expect(wrapper.find('[data-testid="connection-banner"]').exists()).toBe(false)

    conn.set('closed')
    await flushPromises()
    expect(wrapper.get('[data-testid="connection-badge"]').attributes('data-state')).toBe('closed')
    expect(wrapper.get('[data-testid="connection-banner"]').text()).toContain('Reconnecting')
    expect(wrapper.get('[data-testid="crash-node-1"]').attributes('disabled')).toBeDefined()

    conn.set('open')
    await flushPromises()
    expect(wrapper.find('[data-testid="connection-banner"]').exists()).toBe(false)
  })

  it('does not repeat the connection banner as a DISCONNECTED error, but keeps other errors', async () => {
    const conn = fakeConnection('open')
    mocks.connection = conn
    const lab = createFakeLab(runningCluster(3))
    mocks.lab = lab
    wrapper = mountWithApp(App).wrapper
    await flushPromises()

    vi.mocked(lab.api.node.crash).mockImplementationOnce(async () => {
      conn.set('closed')
      return failed('DISCONNECTED')
    })
    await wrapper.get('[data-testid="crash-node-1"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="connection-banner"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="error-banner"]').exists()).toBe(false)

    conn.set('open')
    await flushPromises()
    vi.mocked(lab.api.node.crash).mockResolvedValueOnce(failed('NODE_NOT_RUNNING'))
    await wrapper.get('[data-testid="crash-node-1"]').trigger('click')
    await flushPromises()
    conn.set('closed')
    await flushPromises()
    expect(wrapper.get('[data-testid="error-banner"]').attributes('data-code')).toBe('NODE_NOT_RUNNING')
  })

  it('explains a missing token in the error banner, without a reconnect banner', async () => {
    mocks.connection = fakeConnection('closed', false)
    const lab = createFakeLab(null)
    vi.mocked(lab.api.cluster.get).mockResolvedValueOnce(failed('UNAUTHORIZED'))
    mocks.lab = lab
    wrapper = mountWithApp(App, { locale: 'zh-CN' }).wrapper
    await flushPromises()
    expect(wrapper.find('[data-testid="connection-banner"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="error-banner"]').text()).toContain('请打开 quorum-lab serve 打印的链接')
    expect(wrapper.get('[data-testid="start-cluster"]').attributes('disabled')).toBeDefined()
  })
})
