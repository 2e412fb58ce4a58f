import { onScopeDispose, readonly, ref, type Ref } from 'vue'
import type { ColorScheme } from '../charts/palette'

const QUERY = '(prefers-color-scheme: dark)'

/**
 * The OS colour scheme as a ref that follows changes live. CSS follows the same media query
 * on its own; this is for what CSS cannot reach (the chart's canvas).
 */
export function useColorScheme(): Readonly<Ref<ColorScheme>> {
  const media = typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : null
  const scheme = ref<ColorScheme>(media?.matches ? 'dark' : 'light')
  if (media) {
    const onChange = (e: MediaQueryListEvent): void => {
      scheme.value = e.matches ? 'dark' : 'light'
    }
    media.addEventListener('change', onChange)
    onScopeDispose(() => media.removeEventListener('change', onChange))
  }
  return readonly(scheme)
}
