import type { SettingsMessages } from '../en/settings'

const settings: SettingsMessages = {
  title: '设置'
}

export default settings
