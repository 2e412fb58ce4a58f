/**
 * Pure derivations behind the replication view: which log indexes the strips show, one cell
 * per index per node (entry, compacted into the snapshot, not written yet), the leader's view
 * of each follower, and the Raft trace events the view calls out (snapshot installs, conflict
 * truncations) or animates (appends in flight, commit advances).
 *
 * Every strip shows the same index range, so a column is one log index on every node and a
 * lagging or diverging follower is visible at a glance.
 */
import {
  labNodeOfAddress,
  labNodeOfRaftId,
  type LabEvent,
  type LogEntryView,
  type LogWindow,
  type NodeId,
  type NodeInfo,
  type NodeRaftView,
  type NodeRunState,
  type PeerProgress,
  type RaftRole
} from '../../../electron/lab/api'
import type { ColorScheme } from '../charts/palette'

/** Entries per strip the user can pick (one cell per index). */
export const WINDOW_SIZES = [60, 120, 200] as const
export type WindowSize = (typeof WINDOW_SIZES)[number]
export const DEFAULT_WINDOW_SIZE: WindowSize = 120
/** Callouts kept (a ring: the oldest drop out, and the UI says how many did). */
export const MAX_CALLOUTS = 100
/** Append/snapshot pulses drawn at once; more would be noise, not teaching. */
export const MAX_FLOWS = 24
/** How long one pulse lives on screen (the CSS animation lasts as long). */
export const FLOW_TTL_MS = 1400
/** How long a commit-advance highlight lives. */
export const PULSE_TTL_MS = 1200

type Members = readonly Pick<NodeInfo, 'id' | 'address'>[]

/** An inclusive range of log indexes; `to - from + 1` cells. */
export interface IndexRange {
  from: number
  to: number
}

/**
 * The indexes every strip shows: `size` of them ending at the newest index any node has
 * (following), or at `anchor` when the user scrolled back. Index 0 is no entry, so ranges
 * start at 1; a short log still gets `size` cells (the free ones show where entries will go).
 */
export function visibleRange(lastIndex: number, size: number, anchor: number | null): IndexRange {
  const newest = Math.max(lastIndex, size)
  const to = anchor === null ? newest : Math.min(Math.max(anchor, size), newest)
  return { from: to - size + 1, to }
}

/** The end index after moving the window by `delta` (negative: older); null means "follow". */
export function moveAnchor(current: number | null, delta: number, lastIndex: number, size: number): number | null {
  const range = visibleRange(lastIndex, size, current)
  const next = range.to + delta
  return next >= Math.max(lastIndex, size) ? null : Math.max(next, size)
}

/** The newest index any node is known to hold, from log windows and status answers. */
export function newestIndex(windows: readonly (LogWindow | null)[], views: readonly NodeRaftView[]): number {
  let n = 0
  for (const w of windows) if (w) n = Math.max(n, w.lastIndex)
  for (const v of views) if (v.status) n = Math.max(n, v.status.lastIndex)
  return n
}

/** Where an index falls across the strip, 0..1 at the centre of its cell; null when outside. */
export function positionOf(index: number, range: IndexRange): number | null {
  if (index < range.from || index > range.to) return null
  return (index - range.from + 0.5) / (range.to - range.from + 1)
}

/** What one log index is on one node. */
export type CellKind = 'entry' | 'snapshot' | 'empty' | 'unknown'

export interface StripCell {
  index: number
  kind: CellKind
  term: number | null
  committed: boolean
  applied: boolean
  entry: LogEntryView | null
  /** The leader holds another term at this index: this entry will be truncated and replaced. */
  conflict: boolean
}

/**
 * One cell per index of `range`: an entry this node holds, an index compacted into its
 * snapshot (before firstIndex), one it has not written (after lastIndex), or one inside its
 * log that the last read did not cover (the window moved since).
 */
export function stripCells(window: LogWindow | null, range: IndexRange): StripCell[] {
  const byIndex = new Map<number, LogEntryView>()
  for (const e of window?.entries ?? []) byIndex.set(e.index, e)
  const cells: StripCell[] = []
  for (let index = range.from; index <= range.to; index++) {
    const committed = window !== null && index <= window.commit
    const applied = window !== null && index <= window.applied
    if (!window) {
      cells.push({ index, kind: 'unknown', term: null, committed: false, applied: false, entry: null, conflict: false })
    } else if (index < window.firstIndex) {
      cells.push({ index, kind: 'snapshot', term: null, committed, applied, entry: null, conflict: false })
    } else if (index > window.lastIndex) {
      cells.push({ index, kind: 'empty', term: null, committed: false, applied: false, entry: null, conflict: false })
    } else {
      const entry = byIndex.get(index) ?? null
      cells.push({ index, kind: entry ? 'entry' : 'unknown', term: entry?.term ?? null, committed, applied, entry, conflict: false })
    }
  }
  return cells
}

/** How many leading cells of the range are compacted into the snapshot. */
export function snapshotCells(window: LogWindow | null, range: IndexRange): number {
  if (!window) return 0
  return Math.max(0, Math.min(window.firstIndex - 1, range.to) - range.from + 1)
}

// ---- the leader's view of its followers ----------------------------------------------------

export interface FollowerRow {
  nodeId: NodeId | null
  address: string
  match: number
  next: number
  state: PeerProgress['state']
  inflight: number
  paused: boolean
  recentActive: boolean
  isLearner: boolean
  /** Entries the leader has that this follower has not acknowledged. */
  lag: number
}

export interface LeaderView {
  leaderId: NodeId | null
  address: string
  term: number
  lastIndex: number
  commit: number
  rows: FollowerRow[]
}

/**
 * The leader's progress table. When two nodes both say they lead (an old leader cut off in a
 * minority still believes it), the higher term is the real one.
 */
export function leaderView(views: readonly NodeRaftView[], nodes: Members): LeaderView | null {
  let best: NodeRaftView | null = null
  for (const v of views) {
    if (v.status?.role !== 'leader') continue
    if (!best || v.status.term > best.status!.term) best = v
  }
  const s = best?.status
  if (!best || !s) return null
  const rows: FollowerRow[] = s.progress
    // The leader tracks itself too (its match is its own last index); that is no follower.
    .filter((p) => p.address !== s.address)
    .map((p) => ({
      nodeId: labNodeOfAddress(nodes, p.address),
      address: p.address,
      match: p.match,
      next: p.next,
      state: p.state,
      inflight: p.inflight,
      paused: p.paused,
      recentActive: p.recentActive,
      isLearner: p.isLearner,
      lag: Math.max(0, s.lastIndex - p.match)
    }))
    .sort((a, b) => (a.nodeId ?? Number.MAX_SAFE_INTEGER) - (b.nodeId ?? Number.MAX_SAFE_INTEGER) || a.address.localeCompare(b.address))
  return { leaderId: best.nodeId, address: s.address, term: s.term, lastIndex: s.lastIndex, commit: s.commit, rows }
}

/** Each node's role as it last reported it (null: it did not answer). */
export function rolesOf(views: readonly NodeRaftView[]): Map<NodeId, RaftRole | null> {
  return new Map(views.map((v) => [v.nodeId, v.status?.role ?? null]))
}

// ---- trace events: callouts, flows, commit pulses -------------------------------------------

export type CalloutKind = 'snapshotSent' | 'snapshotRestored' | 'logTruncated'

export interface Callout {
  /** The bus sequence number: unique, and keys list items. */
  id: number
  at: number
  kind: CalloutKind
  /** The node that did it (lab id). */
  nodeId: NodeId
  /** snapshotSent: the follower it went to. */
  peerId: NodeId | null
  /** snapshot: the index it covers; logTruncated: the first index dropped. */
  index: number
  term: number | null
  /** logTruncated: how many entries were dropped. */
  dropped: number | null
}

type RaftLabEvent = Extract<LabEvent, { type: 'raft' }>

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** A snapshot install or a conflict truncation worth calling out, or null. */
export function calloutOf(e: LabEvent, nodes: Members): Callout | null {
  if (e.type !== 'raft') return null
  const ev = e.event
  const base = { id: e.seq, at: e.ts, nodeId: e.nodeId }
  switch (ev.type) {
    case 'snapshotSent': {
      const to = num(ev.to)
      return { ...base, kind: 'snapshotSent', peerId: to === null ? null : labNodeOfRaftId(nodes, to), index: num(ev.index) ?? 0, term: num(ev.term), dropped: null }
    }
    case 'snapshotRestored':
      return { ...base, kind: 'snapshotRestored', peerId: null, index: num(ev.index) ?? 0, term: num(ev.term), dropped: null }
    case 'logTruncated':
      // `after` is the last index kept: the conflict starts right after it.
      return { ...base, kind: 'logTruncated', peerId: null, index: (num(ev.after) ?? 0) + 1, term: null, dropped: num(ev.dropped) }
    default:
      return null
  }
}

export type FlowKind = 'append' | 'snapshot'

/** Entries (or a snapshot) on their way from the leader to one follower. */
export interface Flow {
  id: number
  at: number
  kind: FlowKind
  from: NodeId
  to: NodeId
  /** The first and last index carried (a snapshot: both are its index). */
  first: number
  last: number
}

/**
 * A MsgApp that carries entries (heartbeats and empty probes are not "entries flowing"), or a
 * MsgSnap. MsgApp's index is the entry just before the ones it carries (etcd-io/raft).
 */
export function flowOf(e: LabEvent, nodes: Members): Flow | null {
  if (e.type !== 'raft' || e.event.type !== 'msgSent') return null
  const ev = e.event as RaftLabEvent['event']
  const to = num(ev.to)
  const peer = to === null ? null : labNodeOfRaftId(nodes, to)
  if (peer === null) return null
  const index = num(ev.index) ?? 0
  if (ev.msg === 'MsgApp') {
    const entries = num(ev.entries) ?? 0
    if (entries <= 0) return null
    return { id: e.seq, at: e.ts, kind: 'append', from: e.nodeId, to: peer, first: index + 1, last: index + entries }
  }
  if (ev.msg === 'MsgSnap') return { id: e.seq, at: e.ts, kind: 'snapshot', from: e.nodeId, to: peer, first: index, last: index }
  return null
}

export interface CommitPulse {
  id: number
  at: number
  nodeId: NodeId
  from: number
  to: number
}

export function commitPulseOf(e: LabEvent): CommitPulse | null {
  if (e.type !== 'raft' || e.event.type !== 'commitAdvanced') return null
  const from = num(e.event.from)
  const to = num(e.event.to)
  if (from === null || to === null || to <= from) return null
  return { id: e.seq, at: e.ts, nodeId: e.nodeId, from, to }
}

/** Append to a ring: keep the newest `limit`; also say how many fell out. */
export function pushRing<T>(ring: readonly T[], items: readonly T[], limit: number): { ring: T[]; dropped: number } {
  const all = ring.concat(items)
  const dropped = Math.max(0, all.length - limit)
  return { ring: dropped > 0 ? all.slice(dropped) : all, dropped }
}

/** Items younger than `ttl` at `now`, at most `limit` (the newest). */
export function alive<T extends { at: number }>(items: readonly T[], now: number, ttl: number, limit: number): T[] {
  const kept = items.filter((x) => now - x.at < ttl)
  return kept.length > limit ? kept.slice(kept.length - limit) : kept
}

/**
 * One pulse per leader→follower pair: the newest replaces older ones still in flight, so a
 * burst of appends reads as one stream per follower instead of a thicket of lines.
 */
export function newestPerPair(flows: readonly Flow[]): Flow[] {
  const byPair = new Map<string, Flow>()
  for (const f of flows) byPair.set(`${f.from}>${f.to}`, f)
  return [...byPair.values()].sort((a, b) => a.id - b.id)
}

// ---- geometry of the animated overlay --------------------------------------------------------

/** Strip row geometry (px): the rows and the overlay that animates over them share it. */
export const STRIP_ROW_HEIGHT = 66
export const STRIP_CELL_TOP = 20
export const STRIP_CELL_HEIGHT = 24

export interface FlowGeometry {
  id: number
  kind: FlowKind
  /** Centre of the carried entries across the strip, 0..1 (clamped to the window's edges). */
  x: number
  /** Rows (0-based, in strip order) the pulse leaves and reaches. */
  fromRow: number
  toRow: number
  label: string
}

/** Where to draw a flow over the stack of strips; null when either node has no strip. */
export function flowGeometry(flow: Flow, range: IndexRange, rows: readonly NodeId[]): FlowGeometry | null {
  const fromRow = rows.indexOf(flow.from)
  const toRow = rows.indexOf(flow.to)
  if (fromRow < 0 || toRow < 0 || fromRow === toRow) return null
  const size = range.to - range.from + 1
  const mid = (Math.max(flow.first, range.from) + Math.min(flow.last, range.to)) / 2
  const x = Math.min(1, Math.max(0, (mid - range.from + 0.5) / size))
  const label = flow.first === flow.last ? `${flow.first}` : `${flow.first}–${flow.last}`
  return { id: flow.id, kind: flow.kind, x, fromRow, toRow, label }
}

// ---- term colours ----------------------------------------------------------------------------

export interface TermColor {
  /** The cell's fill (committed) and the stripes' colour (uncommitted). */
  fill: string
  /** Outline and text on the fill's background. */
  ink: string
}

/**
 * A fixed ring of hues, ordered so that consecutive terms differ clearly (a new leader's
 * entries stand out from the old one's). Dark variants are lighter so they read on the dark
 * surface; both keep white-ish cells out, which would vanish on the light one.
 */
const TERM_PALETTE: Record<ColorScheme, readonly string[]> = {
  light: ['#3b6fd8', '#d08a1e', '#2a9d8f', '#9459c4', '#d2506b', '#4f9a35', '#c2612d', '#2f8fbf'],
  dark: ['#6f9bff', '#f0b44c', '#4fc7b6', '#b78af0', '#ff7f97', '#7fcc5e', '#f08a55', '#5ab8e8']
}
const NO_TERM: Record<ColorScheme, TermColor> = {
  light: { fill: '#c9ced8', ink: '#5b6475' },
  dark: { fill: '#3a4250', ink: '#9aa3b2' }
}

/** The stable colour of a term (term 0 or unknown: neutral grey). */
export function termColor(term: number | null, scheme: ColorScheme): TermColor {
  if (term === null || term <= 0) return NO_TERM[scheme]
  const colors = TERM_PALETTE[scheme]
  const fill = colors[(term - 1) % colors.length]!
  return { fill, ink: fill }
}

/** The distinct terms in a set of strips, newest last (for the legend). */
export function termsIn(cells: readonly (readonly StripCell[])[]): number[] {
  const set = new Set<number>()
  for (const strip of cells) for (const c of strip) if (c.term !== null) set.add(c.term)
  return [...set].sort((a, b) => a - b)
}

// ---- strips ----------------------------------------------------------------------------------

/** What the view last learned of one node's log. */
export interface NodeLog {
  nodeId: NodeId
  /** The last window it answered (kept, greyed, while it does not answer). */
  window: LogWindow | null
  /** When that window was read. */
  at: number | null
  /** The first unanswered read since the last answer; null while it answers. */
  silentSince: number | null
  /** Why it did not answer: the lab's error, or null when it was not even asked (see `state`). */
  reason: string | null
  /** The node's run state when it was not asked because it is not up (down, paused, ...). */
  state: NodeRunState | null
}

/** A callout drawn on a strip, at the index it concerns. */
export interface StripMark {
  id: number
  kind: CalloutKind
  index: number
  /** 0..1 across the strip. */
  x: number
}

export interface StripView {
  nodeId: NodeId
  address: string
  cells: StripCell[]
  /** Leading cells compacted into the snapshot ("in snapshot"). */
  snapshotCells: number
  firstIndex: number | null
  lastIndex: number | null
  commit: number | null
  applied: number | null
  answering: boolean
  /** Never read yet (no window at all). */
  unknown: boolean
  silentSince: number | null
  reason: string | null
  /** Not asked because not up: its run state. */
  runState: NodeRunState | null
  role: RaftRole | null
  isLeader: boolean
  /** The leader's idea of this follower (null on the leader itself or without a leader). */
  match: number | null
  next: number | null
  progressState: PeerProgress['state'] | null
  marks: StripMark[]
}

/** One strip per member, in node order, with the leader's carets and the callouts' marks. */
export function buildStrips(
  nodes: readonly Pick<NodeInfo, 'id' | 'address'>[],
  logs: Readonly<Record<number, NodeLog>>,
  views: readonly NodeRaftView[],
  callouts: readonly Callout[],
  range: IndexRange
): StripView[] {
  const lead = leaderView(views, nodes)
  const roles = rolesOf(views)
  // The leader's terms by index: a follower entry with another term conflicts (§4.3 rule 2).
  const leaderTerms = new Map<number, number>()
  const leaderWindow = lead && lead.leaderId !== null ? logs[lead.leaderId]?.window : undefined
  for (const e of leaderWindow?.entries ?? []) leaderTerms.set(e.index, e.term)
  return nodes.map((n) => {
    const log = logs[n.id]
    const window = log?.window ?? null
    const cells = stripCells(window, range)
    if (n.id !== lead?.leaderId && leaderTerms.size > 0) {
      for (const c of cells) {
        const t = leaderTerms.get(c.index)
        if (c.kind === 'entry' && t !== undefined && t !== c.term) c.conflict = true
      }
    }
    const row = lead?.rows.find((r) => r.nodeId === n.id) ?? null
    const marks: StripMark[] = []
    for (const c of callouts) {
      if (c.nodeId !== n.id && c.peerId !== n.id) continue
      // A snapshot sent is marked on the receiving follower's strip, where it lands.
      if (c.kind === 'snapshotSent' && c.peerId !== n.id) continue
      const x = positionOf(c.index, range)
      if (x !== null) marks.push({ id: c.id, kind: c.kind, index: c.index, x })
    }
    return {
      nodeId: n.id,
      address: n.address,
      cells,
      snapshotCells: snapshotCells(window, range),
      firstIndex: window?.firstIndex ?? null,
      lastIndex: window?.lastIndex ?? null,
      commit: window?.commit ?? null,
      applied: window?.applied ?? null,
      answering: log !== undefined && log.silentSince === null && window !== null,
      unknown: window === null,
      silentSince: log?.silentSince ?? null,
      reason: log?.reason ?? null,
      runState: log?.state ?? null,
      role: roles.get(n.id) ?? null,
      isLeader: lead?.leaderId === n.id,
      match: row?.match ?? null,
      next: row?.next ?? null,
      progressState: row?.state ?? null,
      marks
    }
  })
}
