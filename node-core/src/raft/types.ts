/**
 * The Raft core's data types, named as in etcd-io/raft (raftpb). Pure data: the core never
 * does I/O; these cross into the server only through Ready and trace events.
 */

/** Node ids start at 1; 0 means none. */
export type NodeId = number
export type Term = number
export type Index = number

export const NONE: NodeId = 0

export type Role = 'follower' | 'candidate' | 'precandidate' | 'leader'

export type EntryType = 'normal' | 'confChange'

/**
 * One log entry. `data` is opaque to Raft; for a confChange entry it is an encoded
 * ConfChange (see encodeConfChange). An empty normal entry is the leader's no-op.
 */
export interface Entry {
  term: Term
  index: Index
  type: EntryType
  data: Uint8Array
}

/** Single-server membership change (Raft thesis §4.1), applied when its entry commits. */
export type ConfChangeType = 'addLearner' | 'addVoter' | 'removeNode'

export interface ConfChange {
  type: ConfChangeType
  nodeId: NodeId
}

/** The membership: voters elect and commit; learners only receive the log. */
export interface ConfState {
  voters: NodeId[]
  learners: NodeId[]
}

export interface SnapshotMetadata {
  index: Index
  term: Term
  confState: ConfState
}

export interface Snapshot {
  metadata: SnapshotMetadata
  data: Uint8Array
}

/** What must be on disk before any message that depends on it is sent. */
export interface HardState {
  term: Term
  vote: NodeId
  commit: Index
}

export interface SoftState {
  lead: NodeId
  role: Role
}

export type MessageType =
  | 'MsgHup'
  | 'MsgBeat'
  | 'MsgProp'
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgSnap'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgUnreachable'
  | 'MsgSnapStatus'
  | 'MsgCheckQuorum'
  | 'MsgTransferLeader'
  | 'MsgTimeoutNow'
  | 'MsgReadIndex'
  | 'MsgReadIndexResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'

/** Messages that never leave a node: they are how the node talks to itself. */
export const LOCAL_MESSAGES: ReadonlySet<MessageType> = new Set([
  'MsgHup',
  'MsgBeat',
  'MsgUnreachable',
  'MsgSnapStatus',
  'MsgCheckQuorum'
])

export interface Message {
  type: MessageType
  from: NodeId
  to: NodeId
  term: Term
  /** MsgApp: term of the entry before `entries`; votes: term of the candidate's last entry. */
  logTerm: Term
  /** MsgApp: index before `entries`; votes: candidate's last index; MsgAppResp: the index acked or rejected. */
  index: Index
  entries: Entry[]
  commit: Index
  /** MsgVote/MsgPreVote: 'transfer' when leadership transfer forces the election. */
  context: string
  reject: boolean
  /** MsgAppResp reject: the follower's hint (its last index, or the first index of the conflicting term). */
  rejectHint: Index
  snapshot?: Snapshot
}

/** A linearizable read that is ready: every entry up to `index` must be applied before answering. */
export interface ReadState {
  index: Index
  requestCtx: string
}

/**
 * The output of one round of work. The caller must, in this order:
 *  1. persist `hardState`, `entries` and `snapshot` (durably when `mustSync`);
 *  2. send `messages`;
 *  3. apply `snapshot` and then `committedEntries` to the state machines;
 *  4. call `advance()`.
 * See README.md in this folder for why the order matters.
 */
export interface Ready {
  softState?: SoftState
  hardState?: HardState
  readStates: ReadState[]
  entries: Entry[]
  snapshot?: Snapshot
  committedEntries: Entry[]
  messages: Message[]
  mustSync: boolean
}

export type ProgressState = 'probe' | 'replicate' | 'snapshot'

export interface ProgressStatus {
  match: Index
  next: Index
  state: ProgressState
  inflight: number
  paused: boolean
  pendingSnapshot: Index
  recentActive: boolean
  isLearner: boolean
}

export interface Status {
  id: NodeId
  role: Role
  term: Term
  vote: NodeId
  lead: NodeId
  commit: Index
  applied: Index
  lastIndex: Index
  firstIndex: Index
  config: ConfState
  leadTransferee: NodeId
  /** Per peer, on the leader only. */
  progress: Record<NodeId, ProgressStatus>
}

/** Why a proposal or request was not taken; expected outcomes, not exceptions. */
export type RefusalCode =
  | 'NO_LEADER'
  | 'NOT_LEADER'
  | 'TRANSFER_IN_PROGRESS'
  | 'CONF_CHANGE_PENDING'
  | 'INVALID_CONF_CHANGE'
  | 'NOT_A_MEMBER'
  | 'LEADER_LEAVING'

export type StepResult = { ok: true } | { ok: false; code: RefusalCode; message: string }

export const STEP_OK: StepResult = { ok: true }

/** A broken invariant inside the core: a bug, never an expected outcome. */
export class RaftInvariantError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RaftInvariantError'
  }
}

export function emptyMessage(type: MessageType, from: NodeId, to: NodeId, term: Term): Message {
  return { type, from, to, term, logTerm: 0, index: 0, entries: [], commit: 0, context: '', reject: false, rejectHint: 0 }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function encodeConfChange(cc: ConfChange): Uint8Array {
  return encoder.encode(JSON.stringify(cc))
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  const v = JSON.parse(decoder.decode(data)) as ConfChange
  if (
    (v.type !== 'addLearner' && v.type !== 'addVoter' && v.type !== 'removeNode') ||
    !Number.isInteger(v.nodeId) ||
    v.nodeId <= 0
  ) {
    throw new RaftInvariantError(`malformed conf change entry: ${decoder.decode(data)}`)
  }
  return { type: v.type, nodeId: v.nodeId }
}

export const isEmptyHardState = (h: HardState): boolean => h.term === 0 && h.vote === 0 && h.commit === 0
export const hardStateEqual = (a: HardState, b: HardState): boolean =>
  a.term === b.term && a.vote === b.vote && a.commit === b.commit
export const isEmptySnapshot = (s: Snapshot | undefined): boolean => !s || s.metadata.index === 0

/** Byte size used for batching limits: payload plus a fixed per-entry overhead. */
export const entrySize = (e: Entry): number => e.data.length + 24
