/**
 * What the window shows: the current view, the theme, the shortcut help overlay. The view and
 * the theme survive a reload (localStorage); the theme follows the OS until the user picks one.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { ColorScheme } from '../charts/palette'
import { isViewId, type ViewId } from '../views/registry'

export type ThemeChoice = 'system' | 'light' | 'dark'

export const VIEW_STORAGE_KEY = 'quorum-lab.view'
export const THEME_STORAGE_KEY = 'quorum-lab.theme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return null
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value)
  } catch {
    // No storage: the choice lasts for this page only.
  }
}

function isThemeChoice(v: unknown): v is ThemeChoice {
  return v === 'system' || v === 'light' || v === 'dark'
}

export const useUiStore = defineStore('ui', () => {
  const savedView = read(VIEW_STORAGE_KEY)
  const view = ref<ViewId>(isViewId(savedView) ? savedView : 'cluster')
  const savedTheme = read(THEME_STORAGE_KEY)
  const theme = ref<ThemeChoice>(isThemeChoice(savedTheme) ? savedTheme : 'system')
  const shortcutsOpen = ref(false)

  const media = typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : null
  const osDark = ref(media?.matches ?? false)
  media?.addEventListener('change', (e) => {
    osDark.value = e.matches
  })

  /** The scheme in effect: the user's choice, else the OS's. */
  const scheme = computed<ColorScheme>(() => (theme.value === 'system' ? (osDark.value ? 'dark' : 'light') : theme.value))

  // CSS reads the scheme from <html data-theme>; charts read `scheme`.
  watch(
    scheme,
    (s) => {
      document.documentElement.dataset.theme = s
    },
    { immediate: true }
  )

  function show(id: ViewId): void {
    view.value = id
    write(VIEW_STORAGE_KEY, id)
  }

  function setTheme(choice: ThemeChoice): void {
    theme.value = choice
    write(THEME_STORAGE_KEY, choice)
  }

  /** Light ↔ dark (leaving "follow the OS"). */
  function toggleTheme(): void {
    setTheme(scheme.value === 'dark' ? 'light' : 'dark')
  }

  return { view, theme, scheme, shortcutsOpen, show, setTheme, toggleTheme }
})
