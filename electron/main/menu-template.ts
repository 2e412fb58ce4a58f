/**
 * The application menu, in Chinese and English. Pure: labels and structure from the locale
 * and a few callbacks, so both languages are unit-tested without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { UiCommand } from '../lab/api'

export type MenuLocale = 'zh-CN' | 'en'

export interface MenuActions {
  ui(command: UiCommand): void
  cluster(action: 'start' | 'stop' | 'killLeader' | 'isolateLeader' | 'healAll'): void
  openDataDir(): void
  quit(): void
  devTools?: () => void
}

const TEXT = {
  en: {
    file: 'File',
    openData: 'Open Data Folder',
    quit: 'Quit',
    view: 'View',
    views: ['Cluster Map', 'Election Timeline', 'Replication', 'Metrics', 'Logs', 'Data', 'Drills', 'Settings'],
    theme: 'Toggle Dark Theme',
    language: 'Language',
    devTools: 'Developer Tools',
    cluster: 'Cluster',
    start: 'Start Cluster',
    stop: 'Stop Cluster',
    killLeader: 'Kill Leader',
    isolateLeader: 'Isolate Leader',
    healAll: 'Heal All Links',
    help: 'Help',
    shortcuts: 'Keyboard Shortcuts'
  },
  'zh-CN': {
    file: '文件',
    openData: '打开数据目录',
    quit: '退出',
    view: '视图',
    views: ['集群拓扑', '选举时间线', '日志复制', '监控指标', '日志', '数据', '应急演练', '设置'],
    theme: '切换深色主题',
    language: '语言',
    devTools: '开发者工具',
    cluster: '集群',
    start: '启动集群',
    stop: '停止集群',
    killLeader: '杀死 Leader',
    isolateLeader: '隔离 Leader',
    healAll: '恢复所有链路',
    help: '帮助',
    shortcuts: '键盘快捷键'
  }
} as const

const VIEW_COMMANDS: UiCommand[] = ['view.cluster', 'view.timeline', 'view.replication', 'view.metrics', 'view.logs', 'view.data', 'view.drills', 'view.settings']

export function menuTemplate(locale: MenuLocale, a: MenuActions): MenuItemConstructorOptions[] {
  const t = TEXT[locale]
  return [
    {
      label: t.file,
      submenu: [
        { label: t.openData, click: () => a.openDataDir() },
        { type: 'separator' },
        { label: t.quit, accelerator: 'CmdOrCtrl+Q', click: () => a.quit() }
      ]
    },
    {
      label: t.view,
      submenu: [
        ...VIEW_COMMANDS.map((command, i) => ({ label: t.views[i], accelerator: `CmdOrCtrl+${i + 1}`, click: () => a.ui(command) })),
        { type: 'separator' as const },
        { label: t.theme, click: () => a.ui('theme.toggle') },
        {
          label: t.language,
          submenu: [
            { label: '简体中文', type: 'radio' as const, checked: locale === 'zh-CN', click: () => a.ui('locale.zh-CN') },
            { label: 'English', type: 'radio' as const, checked: locale === 'en', click: () => a.ui('locale.en') }
          ]
        },
        ...(a.devTools ? [{ type: 'separator' as const }, { label: t.devTools, accelerator: 'F12', click: () => a.devTools?.() }] : [])
      ]
    },
    {
      label: t.cluster,
      submenu: [
        { label: t.start, click: () => a.cluster('start') },
        { label: t.stop, click: () => a.cluster('stop') },
        { type: 'separator' },
        { label: t.killLeader, accelerator: 'CmdOrCtrl+K', click: () => a.cluster('killLeader') },
        { label: t.isolateLeader, accelerator: 'CmdOrCtrl+I', click: () => a.cluster('isolateLeader') },
        { label: t.healAll, accelerator: 'CmdOrCtrl+H', click: () => a.cluster('healAll') }
      ]
    },
    { label: t.help, submenu: [{ label: t.shortcuts, accelerator: 'F1', click: () => a.ui('help.shortcuts') }] }
  ]
}

/** The menu language: the remembered choice, else Chinese for a Chinese OS locale, else English. */
export function menuLocale(remembered: MenuLocale | null, osLocale: string): MenuLocale {
  if (remembered) return remembered
  return /^zh\b/i.test(osLocale) ? 'zh-CN' : 'en'
}
