/** English messages of the settings view (owned by that view; zh-CN/settings.ts mirrors the keys). */
const settings = {
  title: 'Settings'
}

export type SettingsMessages = typeof settings

export default settings
