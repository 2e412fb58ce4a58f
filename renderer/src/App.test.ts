import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from './App.vue'
import { LOCALE_STORAGE_KEY } from './i18n'
import { useClusterStore } from './stores/cluster'
import { createFakeLab, failed, runningCluster } from './testing/fake-lab'
import { mountWithApp } from './testing/mount'

let wrapper: VueWrapper | undefined

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useClusterStore().$dispose()
  delete window.lab
  localStorage.clear()
})

describe('App', () => {
  it('shows the product, the version, and no connection badge under Electron', async () => {
    const lab = createFakeLab(runningCluster(3))
    window.lab = lab.api
    wrapper = mountWithApp(App).wrapper
    await flushPromises()
    expect(wrapper.get('h1').text()).toBe('Quorum Lab')
    expect(wrapper.text()).toContain('v0.1.0')
    expect(wrapper.find('[data-testid="connection-badge"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="connection-banner"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="error-banner"]').exists()).toBe(false)
  })

  it('shows a failed call in the error banner until dismissed', async () => {
    const lab = createFakeLab(null)
    vi.mocked(lab.api.cluster.get).mockResolvedValueOnce(failed('UNAUTHORIZED', 'No access token.'))
    window.lab = lab.api
    wrapper = mountWithApp(App).wrapper
    await flushPromises()
    const banner = wrapper.get('[data-testid="error-banner"]')
    expect(banner.attributes('role')).toBe('alert')
    expect(banner.attributes('data-code')).toBe('UNAUTHORIZED')
    expect(banner.text()).toContain('Open the link printed by quorum-lab serve')
    expect(banner.text()).toContain('No access token.')
    await wrapper.get('[data-testid="dismiss-error"]').trigger('click')
    expect(wrapper.find('[data-testid="error-banner"]').exists()).toBe(false)
  })

  it('switches language from the header, remembers it and updates <html lang>', async () => {
    const lab = createFakeLab(runningCluster(3))
    window.lab = lab.api
    wrapper = mountWithApp(App, { locale: 'en' }).wrapper
    await flushPromises()
    const select = wrapper.get<HTMLSelectElement>('[data-testid="lang-switch"]')
    expect([...select.element.options].map((o) => o.value)).toEqual(['zh-CN', 'en'])
    expect(select.element.value).toBe('en')

    await select.setValue('zh-CN')
    expect(wrapper.get('[data-testid="quorum-summary"]').text()).toBe('3 个节点中 3 个在线，多数派 = 2')
    expect(wrapper.get('[data-testid="node-state"]').text()).toBe('在线')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')

    await select.setValue('en')
    expect(wrapper.get('[data-testid="quorum-summary"]').text()).toBe('3 of 3 up, majority = 2')
    expect(document.documentElement.lang).toBe('en')
  })
})
