import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import InfoTip from './InfoTip.vue'

const rect = (left: number, top: number, width: number, height: number): DOMRect =>
  ({ left, top, width, height, right: left + width, bottom: top + height, x: left, y: top, toJSON: () => ({}) }) as DOMRect

function mountAt(bubble: DOMRect, trigger: DOMRect, viewport = { w: 1000, h: 700 }) {
  vi.spyOn(document.documentElement, 'clientWidth', 'get').mockReturnValue(viewport.w)
  vi.spyOn(document.documentElement, 'clientHeight', 'get').mockReturnValue(viewport.h)
  const w = mount(InfoTip, { props: { label: 'About quorum', text: 'A majority of voters.' }, attachTo: document.body })
  vi.spyOn(w.get('[role="tooltip"]').element, 'getBoundingClientRect').mockReturnValue(bubble)
  vi.spyOn(w.get('button').element, 'getBoundingClientRect').mockReturnValue(trigger)
  return w
}

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('InfoTip', () => {
  it('describes its trigger with the text', () => {
    const w = mountAt(rect(400, 40, 200, 60), rect(490, 10, 20, 20))
    expect(w.get('button').attributes('aria-describedby')).toBe(w.get('[role="tooltip"]').attributes('id'))
    expect(w.get('[role="tooltip"]').text()).toBe('A majority of voters.')
  })

  it('stays centred when it fits', async () => {
    const w = mountAt(rect(400, 40, 200, 60), rect(490, 10, 20, 20))
    await w.trigger('mouseenter')
    expect(w.get('[role="tooltip"]').attributes('style')).toContain('--tip-dx: 0px')
    expect(w.get('[role="tooltip"]').classes()).not.toContain('info-tip__bubble--above')
  })

  it('is pulled left inside the window near the right edge, and right near the left edge', async () => {
    const right = mountAt(rect(850, 40, 300, 60), rect(990, 10, 20, 20))
    await right.trigger('mouseenter')
    // right edge 1150 → 992 (8 px margin): −158 px
    expect(right.get('[role="tooltip"]').attributes('style')).toContain('--tip-dx: -158px')
    right.unmount()
    const left = mountAt(rect(-120, 40, 300, 60), rect(20, 10, 20, 20))
    await left.trigger('focusin')
    expect(left.get('[role="tooltip"]').attributes('style')).toContain('--tip-dx: 128px')
  })

  it('opens above its trigger near the bottom of the window', async () => {
    const w = mountAt(rect(400, 690, 200, 80), rect(490, 660, 20, 20))
    await w.trigger('mouseenter')
    expect(w.get('[role="tooltip"]').classes()).toContain('info-tip__bubble--above')
  })
})
