/**
 * Pure helpers behind the raft store: the live Raft facts of each lab node, folded from
 * `cluster.status` answers (the truth, about once a second), `raft` trace events (instant role,
 * term and commit moves, heartbeats) and `metrics.sample` (CPU and memory).
 *
 * Trace events and NodeStatus name members by Raft id or by member address; everything here is
 * keyed by the lab's small node ids (labNodeOfRaftId / labNodeOfAddress do the mapping).
 */
import {
  labNodeOfAddress,
  labNodeOfRaftId,
  type LabEvent,
  type MetricsSample,
  type NodeId,
  type NodeInfo,
  type NodeRaftView,
  type RaftRole
} from '../../../electron/lab/api'

/** What the map and other views know of one node's Raft state right now. */
export interface RaftFacts {
  nodeId: NodeId
  /** Null when unknown: the node is not running or never answered yet. */
  role: RaftRole | null
  term: number | null
  /** The lab node this node believes leads (itself when it leads), null when none. */
  leaderId: NodeId | null
  commit: number | null
  applied: number | null
  lastIndex: number | null
  /** A learner replicates the log but does not vote (a node being added). */
  learner: boolean
  /** Wall ms of the last MsgHeartbeat/MsgApp this node received from a leader. */
  lastHeartbeatAt: number | null
  cpuPct: number | null
  rssBytes: number | null
  /** Wall ms of the last fact we learned (status answer or event). */
  updatedAt: number | null
  /** Wall ms of the last role or term event: a status asked before it is older news. */
  roleAt: number | null
  /** Why the last status poll had no answer (down, paused, timeout), else null. */
  error: string | null
}

type Members = readonly Pick<NodeInfo, 'id' | 'address'>[]

export function emptyFacts(nodeId: NodeId): RaftFacts {
  return {
    nodeId,
    role: null,
    term: null,
    leaderId: null,
    commit: null,
    applied: null,
    lastIndex: null,
    learner: false,
    lastHeartbeatAt: null,
    cpuPct: null,
    rssBytes: null,
    updatedAt: null,
    roleAt: null,
    error: null
  }
}

/** Messages only a leader sends: receiving one proves the leader can still reach us. */
const FROM_LEADER = new Set(['MsgHeartbeat', 'MsgApp', 'MsgSnap'])

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/**
 * Fold one `cluster.status` answer in, asked at `askedAt`. Role, term and leader from events
 * applied after the question are newer than the answer and are kept; terms never go back.
 * Indexes are the node's own report and always taken.
 */
export function applyStatus(current: RaftFacts, view: NodeRaftView, members: Members, at: number, askedAt = at): RaftFacts {
  const st = view.status
  if (!st) {
    // No answer: the node is not running, paused or cut off from the lab. Its Raft state is
    // unknown now, but what it last showed (term, commit) is still useful context.
    return { ...current, role: null, leaderId: null, error: view.error ?? 'no answer', updatedAt: at }
  }
  const newerEvent = current.roleAt !== null && current.roleAt > askedAt && (current.term ?? 0) >= st.term
  const keepTerm = (current.term !== null && current.term > st.term) || newerEvent
  return {
    ...current,
    role: keepTerm ? current.role : st.role,
    term: keepTerm ? current.term : st.term,
    leaderId: keepTerm ? current.leaderId : st.role === 'leader' ? view.nodeId : labNodeOfAddress(members, st.leader),
    commit: Math.max(st.commit, current.commit ?? 0),
    applied: st.applied,
    lastIndex: st.lastIndex,
    learner: st.learners.includes(st.address),
    updatedAt: at,
    error: null
  }
}

/**
 * Fold one Raft trace event of `nodeId` in; returns `current` itself when nothing changed
 * (message events are many, so the store can skip untouched nodes).
 */
export function applyRaftEvent(
  current: RaftFacts,
  event: { type: string; node: number } & Record<string, unknown>,
  members: Members,
  at: number
): RaftFacts {
  switch (event.type) {
    case 'roleChanged': {
      const to = event.to as RaftRole
      const term = num(event.term)
      const lead = num(event.lead)
      return {
        ...current,
        role: to,
        term: term ?? current.term,
        leaderId: to === 'leader' ? current.nodeId : lead ? labNodeOfRaftId(members, lead) : null,
        updatedAt: at,
        roleAt: at
      }
    }
    case 'termChanged': {
      const to = num(event.to)
      if (to === null || (current.term !== null && to <= current.term)) return current
      // A new term has no known leader until one is elected or heard from.
      return { ...current, term: to, leaderId: current.role === 'leader' ? current.leaderId : null, updatedAt: at, roleAt: at }
    }
    case 'electionWon':
      return { ...current, role: 'leader', term: num(event.term) ?? current.term, leaderId: current.nodeId, updatedAt: at, roleAt: at }
    case 'commitAdvanced': {
      const to = num(event.to)
      if (to === null || (current.commit !== null && to <= current.commit)) return current
      return { ...current, commit: to, updatedAt: at }
    }
    case 'msgReceived': {
      if (!FROM_LEADER.has(String(event.msg))) return current
      const from = num(event.from)
      const leaderId = from !== null ? (labNodeOfRaftId(members, from) ?? current.leaderId) : current.leaderId
      return { ...current, lastHeartbeatAt: at, leaderId }
    }
    case 'confChanged': {
      const config = event.config as { learners?: unknown } | undefined
      const learners = Array.isArray(config?.learners) ? (config.learners as unknown[]) : null
      if (!learners) return current
      const learner = learners.some((id) => typeof id === 'number' && labNodeOfRaftId(members, id) === current.nodeId)
      return learner === current.learner ? current : { ...current, learner }
    }
    default:
      return current
  }
}

/** CPU and memory from the latest metrics sample. */
export function applyMetrics(current: RaftFacts, sample: MetricsSample): RaftFacts {
  const m = sample.nodes.find((n) => n.nodeId === current.nodeId)
  if (!m) return current
  return { ...current, cpuPct: m.cpuPct, rssBytes: m.rssBytes }
}

/** A node that stopped running has no Raft role (its last term and indexes stay as history). */
export function markDown(current: RaftFacts): RaftFacts {
  return { ...current, role: null, leaderId: null, lastHeartbeatAt: null, cpuPct: null, rssBytes: null }
}

/**
 * The cluster's leader as the nodes report it: among running nodes that say they lead, the
 * one with the highest term (an isolated old leader may still believe it leads, at a lower term).
 */
export function currentLeader(facts: readonly RaftFacts[], running: ReadonlySet<NodeId>): { id: NodeId; term: number } | null {
  let best: { id: NodeId; term: number } | null = null
  for (const f of facts) {
    if (f.role !== 'leader' || !running.has(f.nodeId)) continue
    const term = f.term ?? 0
    if (!best || term > best.term) best = { id: f.nodeId, term }
  }
  return best
}

/** The highest term any node has reached (null before any is known). */
export function highestTerm(facts: readonly RaftFacts[]): number | null {
  let max: number | null = null
  for (const f of facts) if (f.term !== null && (max === null || f.term > max)) max = f.term
  return max
}

/** The role a card shows: the process state first (down, paused), then the Raft role. */
export type DisplayRole = RaftRole | 'learner' | 'down' | 'paused' | 'starting' | 'unknown'

export function displayRole(node: Pick<NodeInfo, 'state'>, facts: RaftFacts | undefined): DisplayRole {
  switch (node.state) {
    case 'down':
    case 'stopped':
      return 'down'
    case 'paused':
      return 'paused'
    case 'starting':
    case 'stopping':
      return facts?.role ?? 'starting'
    case 'up':
      break
  }
  if (!facts?.role) return 'unknown'
  if (facts.learner && facts.role === 'follower') return 'learner'
  return facts.role
}

/** Lab events that end a node's process (its Raft state is gone with it). */
export function downedNode(e: LabEvent): NodeId | null {
  return e.type === 'node.exited' ? e.nodeId : null
}
