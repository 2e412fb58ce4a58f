import { computed, type ComputedRef } from 'vue'
import type { ColorScheme } from '../charts/palette'
import { useUiStore } from '../stores/ui'

/**
 * The colour scheme in effect (the user's theme, else the OS's), for what CSS cannot reach:
 * chart canvases.
 */
export function useColorScheme(): ComputedRef<ColorScheme> {
  const ui = useUiStore()
  return computed(() => ui.scheme)
}
