/**
 * PURE reducer behind the election timeline: LabEvents in, lanes / bands / marks / message
 * arrows / leaderless gaps out, updated incrementally per feed batch. No Vue, no clock: time
 * comes from the events themselves (a Raft event's `nodeTs`, a lab event's `ts`), so the
 * same input always gives the same picture, live or in replay.
 *
 * The many things (messages, marks) are kept as compact number tuples in rings with visible
 * limits, so the chart can hand them to ECharts as they are, without building an object per
 * event; the few things (bands, faults, gaps) are small records.
 */
import {
  labNodeOfRaftId,
  type LabEvent,
  type LinkFault,
  type LinkKind,
  type NodeId,
  type NodeInfo
} from '../../../electron/lab/api'

// ---- codes -----------------------------------------------------------------------------

/** What a lane shows at a moment: the node's Raft role while it runs, or why it does not. */
export const LANE_STATES = ['unknown', 'follower', 'precandidate', 'candidate', 'leader', 'down', 'paused'] as const
export type LaneState = (typeof LANE_STATES)[number]
const STATE_CODE: Record<LaneState, number> = Object.fromEntries(LANE_STATES.map((s, i) => [s, i])) as Record<LaneState, number>

export const MARK_KINDS = [
  'voteRequested',
  'voteGranted',
  'voteRejected',
  'electionWon',
  'checkQuorumFailed',
  'transferStarted',
  'traceGap',
  'traceReset',
  'faultCrash',
  'faultStop',
  'faultPause',
  'eventsDropped'
] as const
export type MarkKind = (typeof MARK_KINDS)[number]
const MARK_CODE: Record<MarkKind, number> = Object.fromEntries(MARK_KINDS.map((s, i) => [s, i])) as Record<MarkKind, number>

/** Raft message types that cross the network (node-core's MessageType minus local ones). */
export const MESSAGE_TYPES = [
  'MsgVote',
  'MsgVoteResp',
  'MsgPreVote',
  'MsgPreVoteResp',
  'MsgApp',
  'MsgAppResp',
  'MsgHeartbeat',
  'MsgHeartbeatResp',
  'MsgSnap',
  'MsgProp',
  'MsgTransferLeader',
  'MsgTimeoutNow',
  'MsgReadIndex',
  'MsgReadIndexResp',
  'other'
] as const
export type MessageTypeName = (typeof MESSAGE_TYPES)[number]
const MSG_CODE = new Map<string, number>(MESSAGE_TYPES.map((s, i) => [s, i]))
export function messageCode(type: string): number {
  return MSG_CODE.get(type) ?? MESSAGE_TYPES.length - 1
}

/** Families the view can show or hide (heartbeats dominate an idle cluster). */
export type MessageFamily = 'vote' | 'append' | 'heartbeat' | 'other'
export function messageFamily(code: number): MessageFamily {
  const t = MESSAGE_TYPES[code]
  if (t === 'MsgVote' || t === 'MsgVoteResp' || t === 'MsgPreVote' || t === 'MsgPreVoteResp') return 'vote'
  if (t === 'MsgApp' || t === 'MsgAppResp' || t === 'MsgSnap') return 'append'
  if (t === 'MsgHeartbeat' || t === 'MsgHeartbeatResp') return 'heartbeat'
  return 'other'
}

/** What became of a sent message. */
export const MSG_STATUS = { pending: 0, delivered: 1, lost: 2, unknown: 3, orphan: 4 } as const
export type MessageStatus = keyof typeof MSG_STATUS

export const FLAG_REJECT = 1
export const FLAG_PREVOTE = 2

// ---- tuples ----------------------------------------------------------------------------

/**
 * One message arrow: [sendT, endT, from, to, type code, term, index, entries, flags, status].
 * endT is the receive time once matched (the send time while pending or when never
 * received); an orphan (a receive whose send was sampled out) has sendT = endT.
 */
export type MessageTuple = [number, number, NodeId, NodeId, number, number, number, number, number, number]
export const M_SEND = 0
export const M_END = 1
export const M_FROM = 2
export const M_TO = 3
export const M_TYPE = 4
export const M_TERM = 5
export const M_INDEX = 6
export const M_ENTRIES = 7
export const M_FLAGS = 8
export const M_STATUS = 9

/** One mark: [t, node (0 = every lane), kind code, term, peer node (0 none), flags, extra, reason index]. */
export type MarkTuple = [number, NodeId, number, number, NodeId, number, number, number]
export const K_T = 0
export const K_NODE = 1
export const K_KIND = 2
export const K_TERM = 3
export const K_PEER = 4
export const K_FLAGS = 5
/** traceGap: events missing; electionWon: votes; eventsDropped: events missed. */
export const K_EXTRA = 6
export const K_REASON = 7

/** A stretch of one lane in one state; `end` null while it lasts. */
export interface Band {
  node: NodeId
  start: number
  end: number | null
  state: LaneState
  /** The node's term in this stretch (0 when not known yet). */
  term: number
}

/** A link misbehaving from `start` to `end` (null while it lasts), drawn on the sender's lane. */
export interface FaultBand {
  node: NodeId
  /** The receiving node (client links: 0, the clients). */
  peer: NodeId
  kind: LinkKind
  fault: LinkFault
  start: number
  end: number | null
}

/** A node's leadership: from its election to the moment it was lost (null while it lasts). */
export interface Leadership {
  node: NodeId
  term: number
  start: number
  end: number | null
}

export type LossCause = 'crash' | 'stopped' | 'paused' | 'stepDown' | 'lostContact'

/** The time the cluster had no leader between two leaderships: what a leader change costs. */
export interface LeaderlessGap {
  /** When the old leader was lost: its crash, its step-down, or the last time anyone heard it. */
  from: number
  /** When the next leader won its election. */
  to: number
  ms: number
  oldLeader: NodeId
  oldTerm: number
  newLeader: NodeId
  newTerm: number
  cause: LossCause
}

export interface TimelineLimits {
  /** Messages kept (the oldest go first). */
  maxMessages: number
  maxMarks: number
  maxGaps: number
  /** Nothing older than this behind the newest event is kept. */
  horizonMs: number
  /** A send nobody received within this (plus the link's configured delay) is given up on. */
  flightGraceMs: number
}

export const DEFAULT_LIMITS: TimelineLimits = {
  maxMessages: 30_000,
  maxMarks: 10_000,
  maxGaps: 200,
  horizonMs: 30 * 60_000,
  flightGraceMs: 2_000
}

/** How many of each kind fell out of the rings (shown in the UI: old data was dropped). */
export interface Dropped {
  messages: number
  marks: number
  gaps: number
  /** Everything before this time was let go (0: nothing yet). */
  before: number
}

export interface SampledTotals {
  kept: number
  skipped: number
}

// ---- per-node state ----------------------------------------------------------------------

type PointKind = 'spawned' | 'exited' | 'paused' | 'resumed' | 'role' | 'term'
interface Point {
  t: number
  kind: PointKind
  role?: LaneState
  term?: number
  expected?: boolean
}

type Status = 'unknown' | 'up' | 'down' | 'paused'
interface NodeFold {
  status: Status
  role: LaneState
  term: number
}

interface NodeTrack {
  /** State at the start of `points` (what older, pruned points left behind). */
  base: NodeFold
  baseT: number
  points: Point[]
  bands: Band[]
  dirty: boolean
}

interface CurrentLeader {
  node: NodeId
  term: number
  start: number
  /** Set once the leader is known lost. */
  lostAt: number | null
  cause: LossCause | null
  leadership: Leadership
}

const BASE_FOLD: NodeFold = { status: 'unknown', role: 'unknown', term: 0 }
const roleState = (role: unknown): LaneState =>
  role === 'leader' || role === 'follower' || role === 'candidate' || role === 'precandidate' ? role : 'unknown'

/** Insert keeping `points` sorted by time (events of one node may arrive a little late). */
function insertPoint(points: Point[], p: Point): void {
  let i = points.length
  while (i > 0 && points[i - 1]!.t > p.t) i--
  points.splice(i, 0, p)
}

function foldPoint(s: NodeFold, p: Point): NodeFold {
  switch (p.kind) {
    case 'spawned':
      // A fresh process starts as a follower in the term it had persisted.
      return { status: 'up', role: 'follower', term: s.term }
    case 'exited':
      return { ...s, status: 'down' }
    case 'paused':
      return { ...s, status: 'paused' }
    case 'resumed':
      return { ...s, status: 'up' }
    case 'role':
      // A Raft event proves a process runs; it cannot revive one we saw die.
      return { status: s.status === 'unknown' ? 'up' : s.status, role: p.role ?? s.role, term: p.term ?? s.term }
    case 'term':
      return { ...s, status: s.status === 'unknown' ? 'up' : s.status, term: p.term ?? s.term }
  }
}

function shown(s: NodeFold): LaneState {
  if (s.status === 'down') return 'down'
  if (s.status === 'paused') return 'paused'
  return s.role
}

function deriveBands(node: NodeId, track: NodeTrack): Band[] {
  const bands: Band[] = []
  let s = track.base
  let open: Band | null = s.status === 'unknown' && s.role === 'unknown' ? null : { node, start: track.baseT, end: null, state: shown(s), term: s.term }
  for (const p of track.points) {
    s = foldPoint(s, p)
    const state = shown(s)
    if (open && open.state === state && open.term === s.term) continue
    if (open) {
      open.end = p.t
      if (open.end > open.start) bands.push(open)
    }
    open = { node, start: p.t, end: null, state, term: s.term }
  }
  if (open) bands.push(open)
  return bands
}

const faultIsHealthy = (f: LinkFault): boolean => f.cut === 'none' && f.delayMs === 0 && f.jitterMs === 0 && f.dropPct === 0 && f.dupPct === 0

// ---- the model ---------------------------------------------------------------------------

export interface TimelineModel {
  readonly limits: TimelineLimits
  /** Lab node ids that have a lane, ascending. */
  lanes(): NodeId[]
  /** Every band of every lane, oldest first per lane. */
  bands(): Band[]
  faults(): readonly FaultBand[]
  marks(): readonly MarkTuple[]
  messages(): readonly MessageTuple[]
  leaderships(): readonly Leadership[]
  gaps(): readonly LeaderlessGap[]
  /** Reasons of vote rejections, by the index a mark carries. */
  reasons(): readonly string[]
  /** The leader now, or null (none elected, or the last one was lost). */
  leader(): NodeId | null
  /** The term of the current (or last) leader; 0 before any. */
  leaderTerm(): number
  /** Since when there has been no leader (null while one leads or before the first). */
  leaderlessSince(): number | null
  sampled(from?: number): SampledTotals
  /** Whether any message event was left out by the lab's sampling. */
  isSampled(): boolean
  dropped(): Dropped
  /** Time of the oldest thing kept, or null when empty. */
  firstTime(): number | null
  /** Time of the newest event applied, or null. */
  lastTime(): number | null
  /**
   * Members we can name Raft ids by (from the cluster snapshot or events). With `runId`, a
   * run other than the one drawn starts the timeline over.
   */
  setMembers(nodes: readonly Pick<NodeInfo, 'id' | 'address'>[], runId?: string): void
  /** Apply one feed batch; returns true when anything changed. */
  apply(batch: readonly LabEvent[]): boolean
  reset(): void
}

export function createTimelineModel(partial: Partial<TimelineLimits> = {}): TimelineModel {
  const limits: TimelineLimits = { ...DEFAULT_LIMITS, ...partial }

  let runId: string | null = null
  let members: Pick<NodeInfo, 'id' | 'address'>[] = []
  let raftCache = new Map<number, NodeId | null>()
  let tracks = new Map<NodeId, NodeTrack>()
  let faultBands: FaultBand[] = []
  let openFaults = new Map<string, FaultBand>()
  let markRing: MarkTuple[] = []
  let msgRing: MessageTuple[] = []
  /** Sends waiting for their receive, by link + type + term + index, oldest first. */
  let pending = new Map<string, MessageTuple[]>()
  let pendingCount = 0
  /** Receives whose send has not been seen (yet): a slow node's trace can arrive late. */
  let orphans = new Map<string, MessageTuple[]>()
  let leaderRing: Leadership[] = []
  let gapRing: LeaderlessGap[] = []
  let current: CurrentLeader | null = null
  /** Last time a node other than the leader received anything from it (a cut leader's last sign of life). */
  let lastHeard = new Map<NodeId, number>()
  let sampledRing: Array<[number, NodeId, number, number]> = []
  /** Running totals of sampledRing (kept in step on push and eviction). */
  let sampledKept = 0
  let sampledSkipped = 0
  let lastSampledAt = new Map<NodeId, number>()
  let reasonList: string[] = []
  let reasonIndex = new Map<string, number>()
  let dropped: Dropped = { messages: 0, marks: 0, gaps: 0, before: 0 }
  let latest: number | null = null
  let earliest: number | null = null

  function reset(): void {
    runId = null
    raftCache = new Map()
    tracks = new Map()
    faultBands = []
    openFaults = new Map()
    markRing = []
    msgRing = []
    pending = new Map()
    pendingCount = 0
    orphans = new Map()
    leaderRing = []
    gapRing = []
    current = null
    lastHeard = new Map()
    sampledRing = []
    sampledKept = 0
    sampledSkipped = 0
    lastSampledAt = new Map()
    reasonList = []
    reasonIndex = new Map()
    dropped = { messages: 0, marks: 0, gaps: 0, before: 0 }
    latest = null
    earliest = null
    for (const m of members) track(m.id)
  }

  function setMembers(nodes: readonly Pick<NodeInfo, 'id' | 'address'>[]): void {
    const known = new Map(members.map((m) => [m.id, m]))
    let changed = false
    for (const n of nodes) {
      const had = known.get(n.id)
      if (had?.address === n.address) continue
      known.set(n.id, { id: n.id, address: n.address })
      changed = true
    }
    if (!changed) return
    members = [...known.values()].sort((a, b) => a.id - b.id)
    raftCache = new Map()
    for (const m of members) track(m.id)
  }

  function setRun(nodes: readonly Pick<NodeInfo, 'id' | 'address'>[], run: string): void {
    if (runId !== null && run !== runId) {
      // A new run is a new story: the old lanes mean nothing for it.
      members = []
      reset()
    }
    setMembers(nodes)
    runId = run
  }

  function labOf(raftId: unknown): NodeId | null {
    if (typeof raftId !== 'number' || raftId === 0) return null
    if (!raftCache.has(raftId)) raftCache.set(raftId, labNodeOfRaftId(members, raftId))
    return raftCache.get(raftId) ?? null
  }

  function track(node: NodeId): NodeTrack {
    let t = tracks.get(node)
    if (!t) {
      t = { base: BASE_FOLD, baseT: 0, points: [], bands: [], dirty: true }
      tracks.set(node, t)
    }
    return t
  }

  function point(node: NodeId, p: Point): void {
    const t = track(node)
    if (t.points.length === 0 && t.baseT === 0) t.baseT = p.t
    insertPoint(t.points, p)
    t.dirty = true
  }

  function stateAt(node: NodeId): NodeFold {
    const t = tracks.get(node)
    if (!t) return BASE_FOLD
    return t.points.reduce(foldPoint, t.base)
  }

  function mark(t: number, node: NodeId, kind: MarkKind, term = 0, peer: NodeId = 0, flags = 0, extra = 0, reason = -1): void {
    markRing.push([t, node, MARK_CODE[kind], term, peer, flags, extra, reason])
  }

  function reasonOf(text: unknown): number {
    const s = typeof text === 'string' ? text : ''
    let i = reasonIndex.get(s)
    if (i === undefined) {
      i = reasonList.length
      reasonList.push(s)
      reasonIndex.set(s, i)
    }
    return i
  }

  // ---- leaders ----

  function loseLeader(node: NodeId, at: number, cause: LossCause): void {
    if (!current || current.node !== node || current.lostAt !== null) return
    current.lostAt = at
    current.cause = cause
    current.leadership.end = at
  }

  function newLeader(node: NodeId, term: number, at: number): void {
    if (current && current.node === node && current.term === term) return
    if (current && term < current.term) return
    const prev = current
    if (prev) {
      let from = prev.lostAt
      let cause = prev.cause
      if (from === null) {
        // Nobody saw it go: it was cut off (or froze unseen). The last time another node
        // heard from it is when the others started to miss it.
        const heard = lastHeard.get(prev.node)
        from = heard !== undefined && heard <= at ? Math.max(heard, prev.start) : prev.start
        cause = 'lostContact'
        prev.leadership.end = from
      }
      from = Math.min(from, at)
      gapRing.push({ from, to: at, ms: at - from, oldLeader: prev.node, oldTerm: prev.term, newLeader: node, newTerm: term, cause: cause ?? 'lostContact' })
    }
    const leadership: Leadership = { node, term, start: at, end: null }
    leaderRing.push(leadership)
    current = { node, term, start: at, lostAt: null, cause: null, leadership }
  }

  // ---- links ----

  function openFault(kind: LinkKind, from: NodeId, to: NodeId, fault: LinkFault | null, at: number): void {
    const key = `${kind}:${from}>${to}`
    const open = openFaults.get(key)
    if (open) {
      open.end = at
      openFaults.delete(key)
    }
    if (!fault || faultIsHealthy(fault)) return
    // Client links have no sender lane: draw them on the node the clients cannot reach.
    const band: FaultBand = { node: kind === 'client' ? to : from, peer: kind === 'client' ? 0 : to, kind, fault, start: at, end: null }
    track(band.node)
    faultBands.push(band)
    openFaults.set(key, band)
  }

  function linkFault(from: NodeId, to: NodeId): LinkFault | null {
    return openFaults.get(`peer:${from}>${to}`)?.fault ?? null
  }

  // ---- messages ----

  const msgKey = (from: NodeId, to: NodeId, type: number, term: number, index: number): string => `${from}>${to}:${type}:${term}:${index}`

  /** Why a send found no receive: a cut, a drop, a dead receiver (lost), or we cannot say (sampled, traced gap). */
  function giveUp(m: MessageTuple): void {
    const from = m[M_FROM]
    const to = m[M_TO]
    const fault = linkFault(from, to)
    const receiver = shown(stateAt(to))
    const sampledNear = [from, to].some((n) => {
      const at = lastSampledAt.get(n)
      return at !== undefined && Math.abs(at - m[M_SEND]) < 2_000 + limits.flightGraceMs
    })
    const evidence = (fault !== null && (fault.cut !== 'none' || fault.dropPct > 0)) || receiver === 'down' || receiver === 'paused'
    m[M_STATUS] = evidence && !sampledNear ? MSG_STATUS.lost : MSG_STATUS.unknown
    m[M_END] = m[M_SEND]
  }

  function onSent(node: NodeId, e: Record<string, unknown>, t: number): void {
    const to = labOf(e.to)
    if (to === null) return
    const type = messageCode(String(e.msg))
    const term = Number(e.term) || 0
    const index = Number(e.index) || 0
    const fam = MESSAGE_TYPES[type]
    const flags = (e.reject === true ? FLAG_REJECT : 0) | (fam === 'MsgPreVote' || fam === 'MsgPreVoteResp' ? FLAG_PREVOTE : 0)
    const key = msgKey(node, to, type, term, index)
    // Its receive may have come first (the sender's trace was read late): pair them now.
    const early = orphans.get(key)
    const o = early?.findIndex((x) => x[M_END] >= t - 5) ?? -1
    if (early && o >= 0) {
      const r = early[o]!
      early.splice(o, 1)
      if (early.length === 0) orphans.delete(key)
      r[M_SEND] = Math.min(t, r[M_END])
      r[M_STATUS] = MSG_STATUS.delivered
      return
    }
    const m: MessageTuple = [t, t, node, to, type, term, index, Number(e.entries) || 0, flags, MSG_STATUS.pending]
    msgRing.push(m)
    const q = pending.get(key)
    if (q) q.push(m)
    else pending.set(key, [m])
    pendingCount++
  }

  function onReceived(node: NodeId, e: Record<string, unknown>, t: number): void {
    const from = labOf(e.from)
    if (from === null) return
    lastHeard.set(from, Math.max(lastHeard.get(from) ?? 0, t))
    const type = messageCode(String(e.msg))
    const term = Number(e.term) || 0
    const index = Number(e.index) || 0
    const key = msgKey(from, node, type, term, index)
    const q = pending.get(key)
    if (q && q.length > 0) {
      // Several identical sends can be in flight (heartbeats of one term). Pick the one whose
      // flight time is closest to what the link should take (its configured delay), so a
      // dropped heartbeat does not pair the next one's receive with itself.
      const fault = linkFault(from, node)
      const expect = fault ? fault.delayMs + fault.jitterMs / 2 : 0
      let best = -1
      let bestCost = Infinity
      for (let i = 0; i < q.length; i++) {
        const s = q[i]![M_SEND]
        if (s > t + 5) break
        const cost = Math.abs(t - s - expect)
        if (cost <= bestCost) {
          best = i
          bestCost = cost
        }
      }
      if (best >= 0) {
        // Links keep order: sends older than the one received will never arrive.
        for (let i = 0; i < best; i++) giveUp(q[i]!)
        const m = q[best]!
        m[M_END] = Math.max(t, m[M_SEND])
        m[M_STATUS] = MSG_STATUS.delivered
        q.splice(0, best + 1)
        pendingCount -= best + 1
        if (q.length === 0) pending.delete(key)
        return
      }
    }
    // Its send was sampled out (or lost to a trace gap): show the arrival alone.
    const flags = (e.reject === true ? FLAG_REJECT : 0) | (MESSAGE_TYPES[type] === 'MsgPreVote' || MESSAGE_TYPES[type] === 'MsgPreVoteResp' ? FLAG_PREVOTE : 0)
    const orphan: MessageTuple = [t, t, from, node, type, term, index, Number(e.entries) || 0, flags, MSG_STATUS.orphan]
    msgRing.push(orphan)
    const list = orphans.get(key)
    if (list) list.push(orphan)
    else orphans.set(key, [orphan])
  }

  function expirePending(now: number): void {
    // A send that has not shown up by now was sampled out: its receive stays alone.
    for (const [key, list] of orphans) {
      let n = 0
      while (n < list.length && now - list[n]![M_END] > limits.flightGraceMs) n++
      if (n > 0) list.splice(0, n)
      if (list.length === 0) orphans.delete(key)
    }
    if (pendingCount === 0) return
    for (const [key, q] of pending) {
      let n = 0
      while (n < q.length) {
        const m = q[n]!
        const fault = linkFault(m[M_FROM], m[M_TO])
        const allowance = limits.flightGraceMs + (fault ? fault.delayMs + fault.jitterMs : 0)
        if (now - m[M_SEND] <= allowance) break
        giveUp(m)
        n++
      }
      if (n > 0) {
        q.splice(0, n)
        pendingCount -= n
      }
      if (q.length === 0) pending.delete(key)
    }
  }

  // ---- raft events ----

  function onRaft(node: NodeId, e: { type: string } & Record<string, unknown>, t: number): void {
    const term = Number(e.term) || 0
    switch (e.type) {
      case 'roleChanged': {
        const to = roleState(e.to)
        point(node, { t, kind: 'role', role: to, term })
        if (e.from === 'leader' && to !== 'leader') loseLeader(node, t, 'stepDown')
        if (to === 'leader') newLeader(node, term, t)
        break
      }
      case 'termChanged':
        point(node, { t, kind: 'term', term: Number(e.to) || 0 })
        break
      case 'voteRequested':
        mark(t, node, 'voteRequested', term, labOf(e.to) ?? 0, e.preVote === true ? FLAG_PREVOTE : 0)
        break
      case 'voteGranted':
        mark(t, node, 'voteGranted', term, labOf(e.candidate) ?? 0, e.preVote === true ? FLAG_PREVOTE : 0)
        break
      case 'voteRejected':
        mark(t, node, 'voteRejected', term, labOf(e.candidate) ?? 0, e.preVote === true ? FLAG_PREVOTE : 0, 0, reasonOf(e.reason))
        break
      case 'electionWon': {
        const votes = Array.isArray(e.votes) ? e.votes.length : 0
        mark(t, node, 'electionWon', term, 0, e.preVote === true ? FLAG_PREVOTE : 0, votes)
        // The real election (not the pre-vote) makes a leader this instant; roleChanged follows.
        if (e.preVote !== true) newLeader(node, term, t)
        break
      }
      case 'checkQuorumFailed':
        mark(t, node, 'checkQuorumFailed', term)
        break
      case 'transferStarted':
        mark(t, node, 'transferStarted', term, labOf(e.to) ?? 0)
        break
      case 'msgSent':
        onSent(node, e, t)
        break
      case 'msgReceived':
        onReceived(node, e, t)
        break
      default:
        break
    }
  }

  // ---- batch ----

  function applyOne(e: LabEvent): boolean {
    switch (e.type) {
      case 'cluster.created':
        setRun(e.cluster.nodes, e.cluster.runId)
        return true
      case 'member.added':
        setMembers([{ id: e.nodeId, address: e.address }])
        return true
      case 'node.spawned':
        point(e.nodeId, { t: e.ts, kind: 'spawned' })
        return true
      case 'node.exited': {
        point(e.nodeId, { t: e.ts, kind: 'exited', expected: e.expected })
        loseLeader(e.nodeId, e.ts, e.expected ? 'stopped' : 'crash')
        return true
      }
      case 'node.paused':
        point(e.nodeId, { t: e.ts, kind: 'paused' })
        loseLeader(e.nodeId, e.ts, 'paused')
        return true
      case 'node.resumed':
        point(e.nodeId, { t: e.ts, kind: 'resumed' })
        return true
      case 'fault.injected':
        track(e.nodeId)
        mark(e.ts, e.nodeId, e.kind === 'crash' ? 'faultCrash' : e.kind === 'stop' ? 'faultStop' : 'faultPause')
        // The leader is lost when the fault strikes; the exit event follows a moment later.
        loseLeader(e.nodeId, e.ts, e.kind === 'crash' ? 'crash' : e.kind === 'stop' ? 'stopped' : 'paused')
        return true
      case 'link.fault':
        openFault(e.kind, e.from, e.to, e.fault, e.ts)
        return true
      case 'link.healed':
        openFault(e.kind, e.from, e.to, null, e.ts)
        return true
      case 'raft': {
        track(e.nodeId)
        onRaft(e.nodeId, e.event, e.nodeTs)
        return true
      }
      case 'trace.gap':
        track(e.nodeId)
        mark(e.ts, e.nodeId, 'traceGap', 0, 0, 0, e.missing)
        return true
      case 'trace.reset':
        track(e.nodeId)
        mark(e.ts, e.nodeId, 'traceReset')
        return true
      case 'trace.sampled':
        sampledRing.push([e.ts, e.nodeId, e.kept, e.skipped])
        sampledKept += e.kept
        sampledSkipped += e.skipped
        lastSampledAt.set(e.nodeId, e.ts)
        return true
      case 'events.dropped':
        mark(e.ts, 0, 'eventsDropped', 0, 0, 0, e.count)
        return true
      default:
        return false
    }
  }

  function timeOf(e: LabEvent): number {
    return e.type === 'raft' ? e.nodeTs : e.ts
  }

  function evict(): void {
    if (latest === null) return
    const cutoff = latest - limits.horizonMs
    // Rings: drop by age, and by count with a little slack so a full ring is not spliced per batch.
    let n = 0
    while (n < msgRing.length && msgRing[n]![M_END] < cutoff && msgRing[n]![M_STATUS] !== MSG_STATUS.pending) n++
    if (msgRing.length - n > limits.maxMessages * 1.1) n = msgRing.length - limits.maxMessages
    if (n > 0) {
      const gone = msgRing.splice(0, n)
      dropped.messages += n
      dropped.before = Math.max(dropped.before, gone[gone.length - 1]![M_SEND])
      for (const m of gone) {
        if (m[M_STATUS] !== MSG_STATUS.pending) continue
        const key = msgKey(m[M_FROM], m[M_TO], m[M_TYPE], m[M_TERM], m[M_INDEX])
        const q = pending.get(key)
        const i = q?.indexOf(m) ?? -1
        if (q && i >= 0) {
          q.splice(i, 1)
          pendingCount--
          if (q.length === 0) pending.delete(key)
        }
      }
    }
    n = 0
    while (n < markRing.length && markRing[n]![K_T] < cutoff) n++
    if (markRing.length - n > limits.maxMarks * 1.1) n = markRing.length - limits.maxMarks
    if (n > 0) {
      const gone = markRing.splice(0, n)
      dropped.marks += n
      dropped.before = Math.max(dropped.before, gone[gone.length - 1]![K_T])
    }
    n = 0
    while (n < gapRing.length && gapRing[n]!.to < cutoff) n++
    if (gapRing.length - n > limits.maxGaps) n = gapRing.length - limits.maxGaps
    if (n > 0) {
      gapRing.splice(0, n)
      dropped.gaps += n
    }
    while (leaderRing.length > limits.maxGaps + 1 || (leaderRing.length > 1 && (leaderRing[0]!.end ?? Infinity) < cutoff)) leaderRing.shift()
    n = 0
    while (n < sampledRing.length && sampledRing[n]![0] < cutoff) {
      sampledKept -= sampledRing[n]![2]
      sampledSkipped -= sampledRing[n]![3]
      n++
    }
    if (n > 0) sampledRing.splice(0, n)
    faultBands = faultBands.filter((f) => f.end === null || f.end >= cutoff)
    // Lanes: fold points older than the horizon into the lane's base state.
    for (const tr of tracks.values()) {
      let k = 0
      while (k < tr.points.length - 1 && tr.points[k + 1]!.t < cutoff) k++
      if (k > 0) {
        tr.base = tr.points.slice(0, k).reduce(foldPoint, tr.base)
        tr.baseT = tr.points[k - 1]!.t
        tr.points.splice(0, k)
        tr.dirty = true
        dropped.before = Math.max(dropped.before, tr.baseT)
      }
    }
  }

  function apply(batch: readonly LabEvent[]): boolean {
    let changed = false
    for (const e of batch) {
      if (!applyOne(e)) continue
      changed = true
      const t = timeOf(e)
      if (latest === null || t > latest) latest = t
      if (earliest === null || t < earliest) earliest = t
    }
    if (!changed || latest === null) return changed
    expirePending(latest)
    evict()
    return true
  }

  function firstTime(): number | null {
    if (earliest === null) return null
    return Math.max(earliest, dropped.before)
  }

  function leader(): NodeId | null {
    if (!current || current.lostAt !== null) return null
    const s = stateAt(current.node)
    return s.status === 'down' || s.status === 'paused' ? null : current.node
  }

  function sampled(from = -Infinity): SampledTotals {
    if (from === -Infinity) return { kept: sampledKept, skipped: sampledSkipped }
    let kept = 0
    let skipped = 0
    for (const [t, , k, s] of sampledRing) {
      if (t < from) continue
      kept += k
      skipped += s
    }
    return { kept, skipped }
  }

  reset()

  return {
    limits,
    lanes: () => [...tracks.keys()].filter((id) => id > 0).sort((a, b) => a - b),
    bands: () => {
      const out: Band[] = []
      for (const [node, tr] of [...tracks].sort((a, b) => a[0] - b[0])) {
        if (tr.dirty) {
          tr.bands = deriveBands(node, tr)
          tr.dirty = false
        }
        out.push(...tr.bands)
      }
      return out
    },
    faults: () => faultBands,
    marks: () => markRing,
    messages: () => msgRing,
    leaderships: () => leaderRing,
    gaps: () => gapRing,
    reasons: () => reasonList,
    leader,
    leaderTerm: () => current?.term ?? 0,
    leaderlessSince: () => (current && current.lostAt !== null ? current.lostAt : null),
    sampled,
    isSampled: () => sampledSkipped > 0,
    dropped: () => ({ ...dropped }),
    firstTime,
    lastTime: () => latest,
    setMembers: (nodes, run) => (run === undefined ? setMembers(nodes) : setRun(nodes, run)),
    apply,
    reset: () => {
      members = []
      reset()
    }
  }
}

/** Code ↔ name helpers for the chart and tests. */
export const laneStateCode = (s: LaneState): number => STATE_CODE[s]
export const markKindCode = (k: MarkKind): number => MARK_CODE[k]
