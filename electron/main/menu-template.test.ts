import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { menuLocale, menuTemplate, type MenuActions } from './menu-template'

const actions = (): MenuActions & { calls: unknown[] } => {
  const calls: unknown[] = []
  return {
    calls,
    ui: vi.fn((c) => calls.push(['ui', c])),
    cluster: vi.fn((c) => calls.push(['cluster', c])),
    openDataDir: vi.fn(),
    quit: vi.fn()
  }
}

const items = (m: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  m.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])])

describe('menuTemplate', () => {
  it('has the same structure in both languages, with translated labels', () => {
    const en = items(menuTemplate('en', actions()))
    const zh = items(menuTemplate('zh-CN', actions()))
    expect(zh.map((i) => i.accelerator ?? null)).toEqual(en.map((i) => i.accelerator ?? null))
    expect(en.map((i) => i.label)).toContain('Election Timeline')
    expect(zh.map((i) => i.label)).toContain('选举时间线')
    const labelled = zh.filter((i) => i.label && i.label !== 'English' && i.label !== '简体中文')
    for (const i of labelled) expect(i.label, 'a zh-CN label is Chinese').toMatch(/[\u4e00-\u9fff]/)
  })

  it('sends view commands with Ctrl+1..8 and runs cluster actions', () => {
    const a = actions()
    const all = items(menuTemplate('en', a))
    const click = (label: string): void => (all.find((i) => i.label === label)!.click as () => void)()
    click('Election Timeline')
    click('Kill Leader')
    click('English')
    expect(a.calls).toEqual([
      ['ui', 'view.timeline'],
      ['cluster', 'killLeader'],
      ['ui', 'locale.en']
    ])
    expect(all.find((i) => i.label === 'Drills')!.accelerator).toBe('CmdOrCtrl+7')
    expect(all.find((i) => i.label === 'Settings')!.accelerator).toBe('CmdOrCtrl+8')
  })

  it('follows the remembered language, else the OS locale', () => {
    expect(menuLocale(null, 'zh-CN')).toBe('zh-CN')
    expect(menuLocale(null, 'zh-TW')).toBe('zh-CN')
    expect(menuLocale(null, 'en-US')).toBe('en')
    expect(menuLocale('en', 'zh-CN')).toBe('en')
  })
})
