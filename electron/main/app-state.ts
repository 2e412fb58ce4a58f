/**
 * What the app remembers between runs: window size and position, and the last cluster
 * settings. One small JSON file under userData; anything unreadable or out of range falls
 * back to defaults field by field (a hand-edited file never stops the app from starting).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { MAX_CLUSTER_SIZE, MIN_CLUSTER_SIZE, TIMING_PROFILES, type TimingProfile } from '../lab/api'

export interface WindowBounds {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export interface AppState {
  window: WindowBounds
  cluster: { size: number; profile: TimingProfile; preVote: boolean; checkQuorum: boolean }
  /** The UI language the user chose in the menu; null follows the OS. */
  locale: 'zh-CN' | 'en' | null
}

export const DEFAULT_APP_STATE: AppState = {
  window: { width: 1280, height: 860, maximized: false },
  cluster: { size: 3, profile: 'seed', preVote: true, checkQuorum: true },
  locale: null
}

const int = (v: unknown, min: number, max: number, d: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : d
const optInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 100_000 ? v : undefined)
const boolOr = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d)
const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {})

/** Pure: whatever JSON was on disk → a valid state. */
export function parseAppState(json: unknown): AppState {
  const root = rec(json)
  const w = rec(root.window)
  const c = rec(root.cluster)
  const d = DEFAULT_APP_STATE
  const x = optInt(w.x)
  const y = optInt(w.y)
  return {
    window: {
      ...(x !== undefined && y !== undefined ? { x, y } : {}),
      width: int(w.width, 800, 10_000, d.window.width),
      height: int(w.height, 600, 10_000, d.window.height),
      maximized: boolOr(w.maximized, false)
    },
    cluster: {
      size: int(c.size, MIN_CLUSTER_SIZE, MAX_CLUSTER_SIZE, d.cluster.size),
      profile: TIMING_PROFILES.includes(c.profile as TimingProfile) ? (c.profile as TimingProfile) : d.cluster.profile,
      preVote: boolOr(c.preVote, d.cluster.preVote),
      checkQuorum: boolOr(c.checkQuorum, d.cluster.checkQuorum)
    },
    locale: root.locale === 'zh-CN' || root.locale === 'en' ? root.locale : null
  }
}

export function loadAppState(file: string): AppState {
  try {
    return parseAppState(JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    return DEFAULT_APP_STATE
  }
}

/** Atomic write (temp file + rename), so a crash mid-write leaves the old state, not half a file. */
export function saveAppState(file: string, state: AppState): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    const tmp = `${file}.tmp`
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`)
    renameSync(tmp, file)
  } catch {
    // Remembering is a convenience: a read-only profile must not break the app.
  }
}
