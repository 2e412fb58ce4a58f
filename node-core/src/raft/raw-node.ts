import { Raft, type Config } from './raft'
import {
  LOCAL_MESSAGES,
  NONE,
  RaftInvariantError,
  decodeConfChange,
  emptyMessage,
  encodeConfChange,
  hardStateEqual,
  isEmptyHardState,
  type ConfChange,
  type Entry,
  type HardState,
  type Index,
  type Message,
  type NodeId,
  type Ready,
  type SoftState,
  type Status,
  type StepResult,
  type Term
} from './types'

/**
 * The single-threaded driver around Raft (etcd-io/raft's RawNode). The caller owns the loop:
 *
 *   tick() / step(m) / propose(...)  →  while (hasReady()) { rd = ready(); persist; send; apply; advance() }
 *
 * See README.md in this folder for the Ready contract.
 */
export class RawNode {
  readonly raft: Raft
  private prevSoft: SoftState
  private prevHard: HardState
  /** What the outstanding Ready handed out, to acknowledge on advance(). */
  private handed: { lastEntry?: { index: Index; term: Term }; snapshot?: Index; committed: Entry[] } | undefined

  constructor(config: Config) {
    this.raft = new Raft(config)
    this.prevSoft = this.raft.softState()
    this.prevHard = this.raft.hardState()
  }

  /**
   * Start a brand-new cluster member: write the initial voters as committed conf change
   * entries (term 1), so that a node added later learns the whole history from the log.
   * Every initial member bootstraps with the same list; the storage must be empty.
   */
  bootstrap(voters: NodeId[]): void {
    if (voters.length === 0) throw new RaftInvariantError('bootstrap needs at least one voter')
    const r = this.raft
    if (r.raftLog.lastIndex() !== 0 || r.term !== 0) throw new RaftInvariantError('bootstrap on a non-empty storage')
    r.becomeFollower(1, NONE)
    const ents: Entry[] = voters.map((id, i) => ({
      term: 1,
      index: i + 1,
      type: 'confChange',
      data: encodeConfChange({ type: 'addVoter', nodeId: id })
    }))
    r.raftLog.append(ents)
    r.raftLog.committed = ents.length
    for (const id of voters) r.applyConfChange({ type: 'addVoter', nodeId: id }, 0)
  }

  tick(): void {
    this.raft.tick()
  }

  /** Start an election now (as if the election timeout fired). */
  campaign(): StepResult {
    return this.raft.step(emptyMessage('MsgHup', NONE, NONE, 0))
  }

  propose(data: Uint8Array): StepResult {
    return this.proposeMany([data])
  }

  /**
   * Propose several normal entries as one MsgProp: one append and one broadcast for all of
   * them, rather than a MsgApp (and an answer) per entry. All are accepted or none.
   */
  proposeMany(data: readonly Uint8Array[]): StepResult {
    return this.raft.step({
      ...emptyMessage('MsgProp', this.raft.id, NONE, 0),
      entries: data.map((d) => ({ term: 0, index: 0, type: 'normal' as const, data: d }))
    })
  }

  proposeConfChange(cc: ConfChange): StepResult {
    return this.raft.step({
      ...emptyMessage('MsgProp', this.raft.id, NONE, 0),
      entries: [{ term: 0, index: 0, type: 'confChange', data: encodeConfChange(cc) }]
    })
  }

  /**
   * Take the requests this node forwards to the leader (MsgProp, MsgReadIndex) out of the
   * outbox, so the server can send them at once instead of with the next Ready. They carry no
   * state of this node that must be durable first, and no later message depends on their order.
   */
  takeForwardedRequests(): Message[] {
    const r = this.raft
    if (r.msgs.length === 0) return []
    const fwd: Message[] = []
    const rest: Message[] = []
    for (const m of r.msgs) {
      if ((m.type === 'MsgProp' || m.type === 'MsgReadIndex') && m.to !== r.id) fwd.push(m)
      else rest.push(m)
    }
    if (fwd.length > 0) r.msgs = rest
    return fwd
  }

  /** A message from the network. Local message types are refused: a peer cannot fake our timers. */
  step(m: Message): StepResult {
    if (LOCAL_MESSAGES.has(m.type)) {
      throw new RaftInvariantError(`cannot step raft local message ${m.type} from the network`)
    }
    if (m.type === 'MsgProp' && m.from !== NONE && !this.raft.progress.has(m.from) && this.raft.role === 'leader') {
      // A proposal forwarded by a node we no longer know: drop it.
      return { ok: false, code: 'NOT_A_MEMBER', message: `node ${m.from} is not a member` }
    }
    return this.raft.step(m)
  }

  /** Ask for a linearizable read; a ReadState with `ctx` appears in a later Ready. */
  readIndex(ctx: string): StepResult {
    return this.raft.step({ ...emptyMessage('MsgReadIndex', NONE, NONE, 0), context: ctx })
  }

  /** Ask the leader to hand leadership to `transferee` (planned maintenance). */
  transferLeader(transferee: NodeId): StepResult {
    return this.raft.step({ ...emptyMessage('MsgTransferLeader', transferee, NONE, 0) })
  }

  reportUnreachable(id: NodeId): void {
    this.raft.step(emptyMessage('MsgUnreachable', id, NONE, 0))
  }

  reportSnapshot(id: NodeId, failed: boolean): void {
    this.raft.step({ ...emptyMessage('MsgSnapStatus', id, NONE, 0), reject: failed })
  }

  hasReady(): boolean {
    const r = this.raft
    const soft = r.softState()
    if (soft.lead !== this.prevSoft.lead || soft.role !== this.prevSoft.role) return true
    const hard = r.hardState()
    if (!isEmptyHardState(hard) && !hardStateEqual(hard, this.prevHard)) return true
    if (r.raftLog.unstable.snapshot) return true
    if (r.msgs.length > 0 || r.raftLog.unstableEntries().length > 0 || r.raftLog.hasNextCommittedEnts()) return true
    return r.readStates.length > 0
  }

  /** Collect everything to persist, send and apply; call advance() when done. */
  ready(): Ready {
    if (this.handed) throw new RaftInvariantError('ready() called again before advance()')
    const r = this.raft
    const entries = r.raftLog.unstableEntries().slice()
    const snapshot = r.raftLog.unstable.snapshot
    const committedEntries = r.raftLog.nextCommittedEnts()
    const rd: Ready = {
      entries,
      committedEntries,
      messages: r.msgs,
      readStates: r.readStates,
      mustSync: false
    }
    if (snapshot) rd.snapshot = snapshot
    const soft = r.softState()
    if (soft.lead !== this.prevSoft.lead || soft.role !== this.prevSoft.role) {
      rd.softState = soft
      this.prevSoft = soft
    }
    const hard = r.hardState()
    if (!hardStateEqual(hard, this.prevHard)) {
      rd.hardState = hard
      // Term and vote must be durable before any message that relies on them leaves.
      rd.mustSync = hard.term !== this.prevHard.term || hard.vote !== this.prevHard.vote
      this.prevHard = hard
    }
    // Entries and a snapshot are acknowledged by messages in this same Ready: both must be durable.
    if (entries.length > 0 || snapshot) rd.mustSync = true
    r.msgs = []
    r.readStates = []
    const last = entries[entries.length - 1]
    this.handed = {
      lastEntry: last && { index: last.index, term: last.term },
      snapshot: snapshot?.metadata.index,
      committed: committedEntries
    }
    return rd
  }

  /** The last Ready was persisted, sent and applied. Conf changes take effect here. */
  advance(): void {
    const h = this.handed
    if (!h) throw new RaftInvariantError('advance() without a ready()')
    this.handed = undefined
    const log = this.raft.raftLog
    if (h.lastEntry) log.stableTo(h.lastEntry.index, h.lastEntry.term)
    if (h.snapshot !== undefined) {
      log.stableSnapTo(h.snapshot)
      if (h.snapshot > log.applied) log.applied = h.snapshot
    }
    for (const e of h.committed) {
      if (e.type === 'confChange' && e.index > log.applied) {
        log.appliedTo(e.index)
        this.raft.applyConfChange(decodeConfChange(e.data), e.index)
      }
    }
    const lastCommitted = h.committed[h.committed.length - 1]
    if (lastCommitted && lastCommitted.index > log.applied) log.appliedTo(lastCommitted.index)
  }

  status(): Status {
    return this.raft.status()
  }
}
