/**
 * Mount a component the way the app runs it: a fresh Pinia, the app's i18n, and the ECharts
 * component stubbed (happy-dom has no canvas; vue-echarts registers itself as "Echarts").
 * Tests install their FakeLab as `window.lab` first (only *.test.ts may touch it). Test-only.
 */
import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import { createAppI18n, type AppLocale } from '../i18n'

export function mountWithApp<C extends Component>(
  component: C,
  options: { locale?: AppLocale; props?: ComponentMountingOptions<C>['props'] } = {}
) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = createAppI18n(options.locale ?? 'en')
  const wrapper = mount(component, {
    props: options.props,
    attachTo: document.body,
    global: { plugins: [pinia, i18n], stubs: { Echarts: true } }
  } as ComponentMountingOptions<C>)
  return { wrapper, pinia, i18n }
}
