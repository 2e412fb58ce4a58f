/**
 * The lab's views, in navigation order. The digit is the keyboard shortcut (1–8) and the
 * position in the side bar; `seed` points at the tutorial section the view teaches.
 */
export const VIEW_IDS = ['cluster', 'timeline', 'replication', 'metrics', 'logs', 'data', 'drills', 'settings'] as const
export type ViewId = (typeof VIEW_IDS)[number]

export function isViewId(v: unknown): v is ViewId {
  return typeof v === 'string' && (VIEW_IDS as readonly string[]).includes(v)
}

/** The shortcut digit of a view ("1" for the first). */
export function viewShortcut(id: ViewId): string {
  return String(VIEW_IDS.indexOf(id) + 1)
}

/** The view a shortcut digit opens, or null. */
export function viewForShortcut(key: string): ViewId | null {
  const i = Number(key) - 1
  return Number.isInteger(i) && i >= 0 && i < VIEW_IDS.length ? VIEW_IDS[i]! : null
}
