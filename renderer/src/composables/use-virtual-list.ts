/**
 * A small virtual list for rows of one fixed height: only the rows in view (plus an overscan
 * above and below) are rendered, so 100,000 rows scroll like 50. It also "follows" the end
 * of a growing list, as `tail -f` does, until the user scrolls up.
 *
 * The arithmetic is pure (`visibleRange`, `isAtBottom`) and tested on its own; the
 * composable wires it to a scroll container.
 */
import { computed, nextTick, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'

export interface VisibleRange {
  /** First row to render (inclusive). */
  start: number
  /** Past the last row to render (exclusive). */
  end: number
}

/** Rows intersecting the viewport, widened by `overscan` rows on each side, clamped to the list. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): VisibleRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 }
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight)
  const start = Math.max(0, Math.min(count - 1, first - overscan))
  const end = Math.min(count, Math.max(start + 1, last + overscan))
  return { start, end }
}

/** Within `slack` px of the end: a person at the bottom wants to keep seeing the newest rows. */
export function isAtBottom(scrollTop: number, viewportHeight: number, scrollHeight: number, slack = 4): boolean {
  return scrollTop + viewportHeight >= scrollHeight - slack
}

/** The scrollTop that shows row `index` entirely, moving as little as possible. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight
  if (top < scrollTop) return top
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight
  return scrollTop
}

export interface VirtualListOptions {
  count: Ref<number>
  rowHeight: number
  overscan?: number
  /** Start following the end (default true). */
  follow?: boolean
}

export function useVirtualList(container: Ref<HTMLElement | null>, opts: VirtualListOptions) {
  const overscan = opts.overscan ?? 10
  const scrollTop = ref(0)
  const viewportHeight = ref(0)
  const following = ref(opts.follow ?? true)

  const range = computed(() => visibleRange(scrollTop.value, viewportHeight.value, opts.rowHeight, opts.count.value, overscan))
  const totalHeight = computed(() => opts.count.value * opts.rowHeight)
  const offsetTop = computed(() => range.value.start * opts.rowHeight)

  function measure(): void {
    const el = container.value
    if (!el) return
    viewportHeight.value = el.clientHeight
    scrollTop.value = el.scrollTop
  }

  /** The user scrolled: follow again only once they are back at the end. */
  function onScroll(): void {
    const el = container.value
    if (!el) return
    scrollTop.value = el.scrollTop
    following.value = isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight)
  }

  function scrollToBottom(): void {
    following.value = true
    const el = container.value
    if (!el) return
    el.scrollTop = Math.max(0, opts.count.value * opts.rowHeight - el.clientHeight)
    scrollTop.value = el.scrollTop
  }

  function reveal(index: number): void {
    const el = container.value
    if (!el) return
    const next = scrollToReveal(index, el.scrollTop, el.clientHeight, opts.rowHeight)
    if (next !== el.scrollTop) {
      el.scrollTop = next
      scrollTop.value = el.scrollTop
      following.value = isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight)
    }
  }

  // New rows while following: stay at the end (after the DOM has the new height).
  watch(
    () => opts.count.value,
    () => {
      if (following.value) void nextTick(scrollToBottom)
    },
    { flush: 'post' }
  )

  let observer: ResizeObserver | null = null
  onMounted(() => {
    measure()
    if (following.value) scrollToBottom()
    if (typeof ResizeObserver !== 'undefined' && container.value) {
      observer = new ResizeObserver(() => {
        measure()
        if (following.value) scrollToBottom()
      })
      observer.observe(container.value)
    }
  })
  onBeforeUnmount(() => observer?.disconnect())

  return { range, totalHeight, offsetTop, following, onScroll, scrollToBottom, reveal, measure }
}
