import type { ConfChange, ConfState, Index, MessageType, NodeId, ProgressState, Role, Term } from './types'

/**
 * Typed trace events: the stream the lab's timeline draws and the simulator checks. The core
 * emits them through an injected sink, synchronously, in the order things happen; the sink
 * must not call back into the node.
 */
export type TraceEvent =
  | { type: 'roleChanged'; node: NodeId; from: Role; to: Role; term: Term; lead: NodeId }
  | { type: 'termChanged'; node: NodeId; from: Term; to: Term }
  | { type: 'voteRequested'; node: NodeId; to: NodeId; term: Term; preVote: boolean; lastIndex: Index; lastTerm: Term }
  | { type: 'voteGranted'; node: NodeId; candidate: NodeId; term: Term; preVote: boolean }
  | { type: 'voteRejected'; node: NodeId; candidate: NodeId; term: Term; preVote: boolean; reason: string }
  | { type: 'electionWon'; node: NodeId; term: Term; preVote: boolean; votes: NodeId[] }
  | { type: 'msgSent'; node: NodeId; to: NodeId; msg: MessageType; term: Term; index: Index; entries: number; reject: boolean }
  | { type: 'msgReceived'; node: NodeId; from: NodeId; msg: MessageType; term: Term; index: Index; entries: number; reject: boolean }
  | { type: 'commitAdvanced'; node: NodeId; from: Index; to: Index; term: Term }
  | { type: 'logTruncated'; node: NodeId; after: Index; dropped: number }
  | { type: 'snapshotSent'; node: NodeId; to: NodeId; index: Index; term: Term }
  | { type: 'snapshotRestored'; node: NodeId; index: Index; term: Term }
  | { type: 'progressChanged'; node: NodeId; peer: NodeId; state: ProgressState; match: Index; next: Index }
  | { type: 'confChanged'; node: NodeId; change: ConfChange; config: ConfState; index: Index }
  | { type: 'transferStarted'; node: NodeId; to: NodeId; term: Term }
  | { type: 'transferAborted'; node: NodeId; to: NodeId; term: Term; reason: string }
  | { type: 'checkQuorumFailed'; node: NodeId; term: Term; active: NodeId[] }
  | { type: 'readIndexReady'; node: NodeId; index: Index; ctx: string }

export type TraceEventType = TraceEvent['type']
export type TraceSink = (event: TraceEvent) => void

export const noTrace: TraceSink = () => {}
