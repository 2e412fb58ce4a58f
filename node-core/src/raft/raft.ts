import { Progress } from './progress'
import { committedIndex, majority, voteResult, type VoteResult } from './quorum'
import { RaftLog } from './raft-log'
import { createRng, randomInt, type Rng } from './rand'
import { ReadOnly } from './read-only'
import { CompactedError, cloneConf, type Storage } from './storage'
import { noTrace, type TraceSink } from './trace'
import {
  LOCAL_MESSAGES,
  NONE,
  RaftInvariantError,
  STEP_OK,
  decodeConfChange,
  emptyMessage,
  entrySize,
  isEmptySnapshot,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Index,
  type Message,
  type MessageType,
  type NodeId,
  type ReadState,
  type RefusalCode,
  type Role,
  type Snapshot,
  type SoftState,
  type Status,
  type StepResult,
  type Term
} from './types'

/** Tunables of one node. Defaults follow etcd-io/raft and the seed (§5.1). */
export interface Config {
  id: NodeId
  storage: Storage
  /** Ticks without a leader before a follower campaigns; randomized in [e, 2e). */
  electionTick?: number
  /** Ticks between leader heartbeats. Invariant: heartbeatTick < electionTick. */
  heartbeatTick?: number
  /** Last applied index when restarting (the state machine already has it). */
  applied?: Index
  /** Batching: max bytes of entries in one MsgApp. */
  maxSizePerMsg?: number
  /** Pipelining: max unacknowledged MsgApp per follower in replicate state. */
  maxInflightMsgs?: number
  /** Leader steps down when it has not heard from a quorum in an election timeout (default on). */
  checkQuorum?: boolean
  /** Pre-election round so a partitioned node cannot disrupt the cluster on rejoin (default on). */
  preVote?: boolean
  /** The seeded generator for election timeouts; defaults to one seeded by the id. */
  rng?: Rng
  trace?: TraceSink
}

type CampaignType = 'preElection' | 'election' | 'transfer'
const CAMPAIGN_TRANSFER = 'transfer'

const refuse = (code: RefusalCode, message: string): StepResult => ({ ok: false, code, message })

const voteRespType = (t: MessageType): MessageType => {
  if (t === 'MsgVote') return 'MsgVoteResp'
  if (t === 'MsgPreVote') return 'MsgPreVoteResp'
  throw new RaftInvariantError(`not a vote message: ${t}`)
}

/**
 * One Raft node as a pure state machine, after etcd-io/raft's raft.go. Input: `step(m)` and
 * `tick()`; output: `msgs`, `readStates`, the log's unstable and committed entries (collected
 * by RawNode into a Ready) and trace events. No I/O, timers, clocks or ambient randomness.
 */
export class Raft {
  readonly id: NodeId
  term: Term = 0
  vote: NodeId = NONE
  readonly raftLog: RaftLog
  role: Role = 'follower'
  lead: NodeId = NONE
  /** Outbound messages, drained by RawNode.ready(). */
  msgs: Message[] = []
  readStates: ReadState[] = []

  readonly voters = new Set<NodeId>()
  readonly learners = new Set<NodeId>()
  readonly progress = new Map<NodeId, Progress>()
  private votes = new Map<NodeId, boolean>()

  /** Non-zero while a leadership transfer to this node is under way. */
  leadTransferee: NodeId = NONE
  /** Index of the latest conf change proposed; a new one waits until applied passes it. */
  pendingConfIndex: Index = 0
  /**
   * Index of our own removal, proposed but not yet applied. While it is pending the leader
   * appends nothing more, so its log never ends up longer than that of the voters that stay
   * (they may still need its vote before they learn the removal committed).
   */
  private leavingIndex: Index = 0
  private readOnly = new ReadOnly()
  private pendingReadIndexMessages: Message[] = []

  private electionElapsed = 0
  private heartbeatElapsed = 0
  private randomizedElectionTimeout = 0
  readonly electionTimeout: number
  readonly heartbeatTimeout: number
  readonly checkQuorum: boolean
  readonly preVote: boolean
  private readonly maxMsgSize: number
  private readonly maxInflight: number
  private readonly rng: Rng
  private readonly trace: TraceSink

  constructor(c: Config) {
    if (!Number.isInteger(c.id) || c.id <= 0) throw new RaftInvariantError(`invalid node id ${c.id}`)
    this.id = c.id
    this.electionTimeout = c.electionTick ?? 10
    this.heartbeatTimeout = c.heartbeatTick ?? 1
    if (this.heartbeatTimeout <= 0) throw new RaftInvariantError('heartbeat tick must be greater than 0')
    if (this.electionTimeout <= this.heartbeatTimeout) throw new RaftInvariantError('election tick must be greater than heartbeat tick')
    this.checkQuorum = c.checkQuorum ?? true
    this.preVote = c.preVote ?? true
    this.maxMsgSize = c.maxSizePerMsg ?? 64 * 1024
    this.maxInflight = c.maxInflightMsgs ?? 256
    this.rng = c.rng ?? createRng(c.id)
    this.trace = c.trace ?? noTrace

    this.raftLog = new RaftLog(c.storage)
    const { hardState, confState } = c.storage.initialState()
    this.applyConfState(confState)
    if (hardState.term !== 0 || hardState.vote !== 0 || hardState.commit !== 0) this.loadState(hardState)
    if (c.applied) this.raftLog.appliedTo(c.applied)
    this.becomeFollower(this.term, NONE, true)
  }

  // ---- state exposed to RawNode -------------------------------------------------------

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed }
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role }
  }

  confState(): ConfState {
    return { voters: [...this.voters].sort((a, b) => a - b), learners: [...this.learners].sort((a, b) => a - b) }
  }

  /** A voter that can campaign (learners and removed nodes cannot). */
  promotable(): boolean {
    return this.voters.has(this.id)
  }

  status(): Status {
    const progress: Status['progress'] = {}
    if (this.role === 'leader') for (const [id, pr] of this.progress) progress[id] = pr.status()
    return {
      id: this.id,
      role: this.role,
      term: this.term,
      vote: this.vote,
      lead: this.lead,
      commit: this.raftLog.committed,
      applied: this.raftLog.applied,
      lastIndex: this.raftLog.lastIndex(),
      firstIndex: this.raftLog.firstIndex(),
      config: this.confState(),
      leadTransferee: this.leadTransferee,
      progress
    }
  }

  private loadState(hs: HardState): void {
    if (hs.commit < this.raftLog.committed || hs.commit > this.raftLog.lastIndex()) {
      throw new RaftInvariantError(`${this.id} state.commit ${hs.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`)
    }
    this.raftLog.committed = hs.commit
    this.term = hs.term
    this.vote = hs.vote
  }

  // ---- role transitions ----------------------------------------------------------------

  private setRole(role: Role): void {
    const from = this.role
    this.role = role
    if (from !== role) this.trace({ type: 'roleChanged', node: this.id, from, to: role, term: this.term, lead: this.lead })
  }

  private reset(term: Term): void {
    if (this.term !== term) {
      this.trace({ type: 'termChanged', node: this.id, from: this.term, to: term })
      this.term = term
      this.vote = NONE
    }
    this.lead = NONE
    this.electionElapsed = 0
    this.heartbeatElapsed = 0
    this.resetRandomizedElectionTimeout()
    this.abortLeaderTransfer('role reset')
    this.votes = new Map()
    const last = this.raftLog.lastIndex()
    for (const [id, pr] of this.progress) {
      const fresh = new Progress(last + 1, this.maxInflight, pr.isLearner)
      if (id === this.id) fresh.match = last
      this.progress.set(id, fresh)
    }
    this.pendingConfIndex = 0
    this.leavingIndex = 0
    this.readOnly = new ReadOnly()
  }

  becomeFollower(term: Term, lead: NodeId, initial = false): void {
    this.reset(term)
    this.lead = lead
    if (initial) this.role = 'follower'
    else this.setRole('follower')
  }

  becomeCandidate(): void {
    if (this.role === 'leader') throw new RaftInvariantError('invalid transition [leader -> candidate]')
    this.reset(this.term + 1)
    this.vote = this.id
    this.setRole('candidate')
  }

  becomePreCandidate(): void {
    if (this.role === 'leader') throw new RaftInvariantError('invalid transition [leader -> pre-candidate]')
    // PreVote changes neither the term nor the vote: a failed pre-election costs nothing.
    this.votes = new Map()
    this.lead = NONE
    this.setRole('precandidate')
  }

  becomeLeader(): void {
    if (this.role === 'follower') throw new RaftInvariantError('invalid transition [follower -> leader]')
    this.reset(this.term)
    this.lead = this.id
    this.setRole('leader')
    this.progress.get(this.id)?.becomeReplicate()
    this.progress.get(this.id)!.recentActive = true
    // Conservatively treat any unapplied entry as a possible conf change (etcd does the same).
    this.pendingConfIndex = this.raftLog.lastIndex()
    this.leavingIndex = this.findOwnRemoval()
    // The no-op entry of the new term: committing it commits everything before (§5.4.2).
    this.appendEntry([{ term: 0, index: 0, type: 'normal', data: new Uint8Array() }])
  }

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + randomInt(this.rng, this.electionTimeout)
  }

  private pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout
  }

  // ---- time ----------------------------------------------------------------------------

  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat()
    else this.tickElection()
  }

  private tickElection(): void {
    this.electionElapsed++
    if (this.promotable() && this.pastElectionTimeout()) {
      this.electionElapsed = 0
      this.step({ ...emptyMessage('MsgHup', this.id, this.id, 0) })
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++
    this.electionElapsed++
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0
      if (this.checkQuorum) this.step(emptyMessage('MsgCheckQuorum', this.id, this.id, 0))
      // A transfer that did not finish within an election timeout is abandoned.
      if (this.role === 'leader' && this.leadTransferee !== NONE) {
        this.abortLeaderTransfer('timed out')
        // A removed leader keeps trying until someone else takes over.
        if (!this.voters.has(this.id)) this.transferAfterRemoval()
      }
    }
    if (this.role !== 'leader') return
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0
      this.step(emptyMessage('MsgBeat', this.id, this.id, 0))
    }
  }

  // ---- sending -------------------------------------------------------------------------

  private send(m: Message): void {
    if (m.from === NONE) m.from = this.id
    const isVote = m.type === 'MsgVote' || m.type === 'MsgPreVote' || m.type === 'MsgVoteResp' || m.type === 'MsgPreVoteResp'
    if (isVote) {
      if (m.term === 0) throw new RaftInvariantError(`term should be set when sending ${m.type}`)
    } else {
      if (m.term !== 0) throw new RaftInvariantError(`term should not be set when sending ${m.type} (was ${m.term})`)
      // Proposals and read requests forwarded to the leader travel as local messages (term 0).
      if (m.type !== 'MsgProp' && m.type !== 'MsgReadIndex') m.term = this.term
    }
    this.msgs.push(m)
    this.trace({
      type: 'msgSent',
      node: this.id,
      to: m.to,
      msg: m.type,
      term: m.term,
      index: m.index,
      entries: m.entries.length,
      reject: m.reject
    })
  }

  private msg(type: MessageType, to: NodeId, fields: Partial<Message> = {}): Message {
    return { ...emptyMessage(type, this.id, to, 0), ...fields }
  }

  /** Send an append (or a snapshot) to `to` if its progress allows; returns whether it sent. */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.progress.get(to)
    if (!pr || pr.isPaused()) return false
    const prevIndex = pr.next - 1
    const prevTerm = this.raftLog.term(prevIndex)
    let ents: Entry[] | undefined
    try {
      ents = this.raftLog.entries(pr.next, this.maxMsgSize)
    } catch (err) {
      if (!(err instanceof CompactedError)) throw err
      ents = undefined
    }
    if (ents && ents.length === 0 && !sendIfEmpty) return false
    if (prevTerm === undefined || ents === undefined) return this.maybeSendSnapshot(to, pr)
    this.send(this.msg('MsgApp', to, { index: prevIndex, logTerm: prevTerm, entries: ents, commit: this.raftLog.committed }))
    pr.sentEntries(ents.length)
    return true
  }

  private sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true)
  }

  private maybeSendSnapshot(to: NodeId, pr: Progress): boolean {
    // Only to a follower we know is there: a snapshot is big and would otherwise be wasted.
    if (!pr.recentActive) return false
    const snap = this.raftLog.snapshot()
    if (isEmptySnapshot(snap)) throw new RaftInvariantError('need non-empty snapshot')
    pr.becomeSnapshot(snap.metadata.index)
    this.traceProgress(to, pr)
    this.send(this.msg('MsgSnap', to, { snapshot: snap }))
    this.trace({ type: 'snapshotSent', node: this.id, to, index: snap.metadata.index, term: snap.metadata.term })
    return true
  }

  private sendHeartbeat(to: NodeId, ctx: string): void {
    const pr = this.progress.get(to)!
    // Never tell a follower to commit past what it is known to have (it may lack those entries).
    const commit = Math.min(pr.match, this.raftLog.committed)
    this.send(this.msg('MsgHeartbeat', to, { commit, context: ctx }))
  }

  private forEachPeer(fn: (id: NodeId, pr: Progress) => void): void {
    for (const id of [...this.progress.keys()].sort((a, b) => a - b)) if (id !== this.id) fn(id, this.progress.get(id)!)
  }

  private bcastAppend(): void {
    this.forEachPeer((id) => this.sendAppend(id))
  }

  private bcastHeartbeat(): void {
    this.bcastHeartbeatWithCtx(this.readOnly.lastPendingRequestCtx())
  }

  private bcastHeartbeatWithCtx(ctx: string): void {
    this.forEachPeer((id) => this.sendHeartbeat(id, ctx))
  }

  private traceProgress(peer: NodeId, pr: Progress): void {
    this.trace({ type: 'progressChanged', node: this.id, peer, state: pr.state, match: pr.match, next: pr.next })
  }

  // ---- the log -------------------------------------------------------------------------

  private appendEntry(es: Entry[]): void {
    let li = this.raftLog.lastIndex()
    const stamped = es.map((e) => ({ ...e, term: this.term, index: ++li }))
    this.raftLog.append(stamped)
    this.progress.get(this.id)?.maybeUpdate(this.raftLog.lastIndex())
    this.maybeCommit()
  }

  /** Advance the commit index to what a quorum of voters has, if it is of this term. */
  private maybeCommit(): boolean {
    const from = this.raftLog.committed
    const mci = committedIndex(this.voters, (id) => this.progress.get(id)?.match ?? 0)
    const moved = this.raftLog.maybeCommit(mci, this.term)
    if (moved) this.traceCommit(from)
    return moved
  }

  private traceCommit(from: Index): void {
    this.trace({ type: 'commitAdvanced', node: this.id, from, to: this.raftLog.committed, term: this.term })
  }

  private committedEntryInCurrentTerm(): boolean {
    return this.raftLog.term(this.raftLog.committed) === this.term
  }

  // ---- elections -----------------------------------------------------------------------

  private hup(t: CampaignType): void {
    if (this.role === 'leader') return
    if (!this.promotable()) return
    // A node must not campaign with a committed but unapplied conf change: it may not be a voter.
    if (this.raftLog.applied < this.raftLog.committed) {
      const lo = Math.max(this.raftLog.applied + 1, this.raftLog.firstIndex())
      const ents = lo <= this.raftLog.committed ? this.raftLog.slice(lo, this.raftLog.committed + 1, Number.MAX_SAFE_INTEGER) : []
      if (ents.some((e) => e.type === 'confChange')) return
    }
    this.campaign(this.preVote && t !== 'transfer' ? 'preElection' : t)
  }

  private campaign(t: CampaignType): void {
    if (!this.promotable()) return
    let voteMsg: MessageType
    let term: Term
    if (t === 'preElection') {
      this.becomePreCandidate()
      voteMsg = 'MsgPreVote'
      // PreVote asks with the term we would have, without moving to it.
      term = this.term + 1
    } else {
      this.becomeCandidate()
      voteMsg = 'MsgVote'
      term = this.term
    }
    const lastIndex = this.raftLog.lastIndex()
    const lastTerm = this.raftLog.lastTerm()
    const preVote = voteMsg === 'MsgPreVote'
    // Vote for ourselves first: with one voter that wins outright.
    if (this.poll(this.id, voteRespType(voteMsg), true) === 'won') {
      if (t === 'preElection') this.campaign('election')
      else this.becomeLeader()
      return
    }
    for (const id of [...this.voters].sort((a, b) => a - b)) {
      if (id === this.id) continue
      this.trace({ type: 'voteRequested', node: this.id, to: id, term, preVote, lastIndex, lastTerm })
      this.send(
        this.msg(voteMsg, id, { term, index: lastIndex, logTerm: lastTerm, context: t === 'transfer' ? CAMPAIGN_TRANSFER : '' })
      )
    }
  }

  private poll(id: NodeId, t: MessageType, granted: boolean): VoteResult {
    if (!this.votes.has(id)) this.votes.set(id, granted)
    const result = voteResult(this.voters, this.votes)
    if (result === 'won') {
      const votes = [...this.votes].filter(([, v]) => v).map(([k]) => k).sort((a, b) => a - b)
      this.trace({ type: 'electionWon', node: this.id, term: t === 'MsgPreVoteResp' ? this.term + 1 : this.term, preVote: t === 'MsgPreVoteResp', votes })
    }
    return result
  }

  // ---- step ----------------------------------------------------------------------------

  /** Feed one message in. Expected refusals (no leader, pending conf change) come back as a result. */
  step(m: Message): StepResult {
    if (!LOCAL_MESSAGES.has(m.type) && m.from !== this.id && m.from !== NONE) {
      this.trace({
        type: 'msgReceived',
        node: this.id,
        from: m.from,
        msg: m.type,
        term: m.term,
        index: m.index,
        entries: m.entries.length,
        reject: m.reject
      })
    }
    if (m.term === 0) {
      // Local message.
    } else if (m.term > this.term) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        const force = m.context === CAMPAIGN_TRANSFER
        const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout
        if (!force && inLease) {
          // We heard from a leader within the minimum election timeout: do not let a node
          // that merely lost touch depose it (Raft thesis §4.2.3).
          this.trace({ type: 'voteRejected', node: this.id, candidate: m.from, term: m.term, preVote: m.type === 'MsgPreVote', reason: 'leader lease' })
          return STEP_OK
        }
      }
      if (m.type === 'MsgPreVote') {
        // Never change our term on a pre-vote.
      } else if (m.type === 'MsgPreVoteResp' && !m.reject) {
        // We'll move to this term when the pre-election is won.
      } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap') {
        this.becomeFollower(m.term, m.from)
      } else {
        this.becomeFollower(m.term, NONE)
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) {
        // A stale leader (say, back from a partition) learns our higher term from this
        // response and steps down; otherwise it could keep a pre-voting cluster stuck.
        this.send(this.msg('MsgAppResp', m.from))
      } else if (m.type === 'MsgPreVote') {
        this.send(this.msg('MsgPreVoteResp', m.from, { term: this.term, reject: true }))
        this.trace({ type: 'voteRejected', node: this.id, candidate: m.from, term: m.term, preVote: true, reason: 'stale term' })
      }
      return STEP_OK
    }

    switch (m.type) {
      case 'MsgHup':
        this.hup(this.preVote ? 'preElection' : 'election')
        return STEP_OK
      case 'MsgVote':
      case 'MsgPreVote': {
        const preVote = m.type === 'MsgPreVote'
        const canVote =
          this.vote === m.from ||
          (this.vote === NONE && this.lead === NONE) ||
          (preVote && m.term > this.term)
        const upToDate = this.raftLog.isUpToDate(m.index, m.logTerm)
        if (canVote && upToDate) {
          // The vote reaches disk in the same Ready as this response and before it is sent.
          this.send(this.msg(voteRespType(m.type), m.from, { term: m.term }))
          this.trace({ type: 'voteGranted', node: this.id, candidate: m.from, term: m.term, preVote })
          if (!preVote) {
            this.electionElapsed = 0
            this.vote = m.from
          }
        } else {
          this.send(this.msg(voteRespType(m.type), m.from, { term: this.term, reject: true }))
          this.trace({
            type: 'voteRejected',
            node: this.id,
            candidate: m.from,
            term: m.term,
            preVote,
            reason: canVote ? 'log not up to date' : `already voted for ${this.vote === NONE ? this.lead : this.vote}`
          })
        }
        return STEP_OK
      }
      default:
        switch (this.role) {
          case 'leader':
            return this.stepLeader(m)
          case 'candidate':
          case 'precandidate':
            return this.stepCandidate(m)
          case 'follower':
            return this.stepFollower(m)
        }
    }
  }

  private stepLeader(m: Message): StepResult {
    switch (m.type) {
      case 'MsgBeat':
        this.bcastHeartbeat()
        return STEP_OK
      case 'MsgCheckQuorum': {
        const active: NodeId[] = []
        for (const id of this.voters) if (id === this.id || this.progress.get(id)?.recentActive) active.push(id)
        // A removed leader still handing off is exempt: stepping down would strand voters that
        // have not applied its removal yet and still need its vote (see transferAfterRemoval).
        if (active.length < majority(this.voters.size) && this.voters.has(this.id)) {
          this.trace({ type: 'checkQuorumFailed', node: this.id, term: this.term, active: active.sort((a, b) => a - b) })
          this.becomeFollower(this.term, NONE)
        }
        for (const [id, pr] of this.progress) pr.recentActive = id === this.id
        return STEP_OK
      }
      case 'MsgProp':
        return this.propose(m)
      case 'MsgReadIndex':
        if (this.voters.size === 1 && this.voters.has(this.id)) {
          this.respondToReadIndex(m, this.raftLog.committed)
          return STEP_OK
        }
        // Until an entry of this term commits we do not know the true commit index (§6.4).
        if (!this.committedEntryInCurrentTerm()) {
          this.pendingReadIndexMessages.push(m)
          return STEP_OK
        }
        this.sendReadIndexHeartbeats(m)
        return STEP_OK
      default:
        break
    }

    const pr = this.progress.get(m.from)
    if (!pr) return STEP_OK
    switch (m.type) {
      case 'MsgAppResp': {
        pr.recentActive = true
        if (m.reject) {
          let nextProbeIdx = m.rejectHint
          if (m.logTerm > 0) nextProbeIdx = this.raftLog.findConflictByTerm(m.rejectHint, m.logTerm).index
          if (pr.maybeDecrTo(m.index, nextProbeIdx)) {
            if (pr.state === 'replicate') pr.becomeProbe()
            this.traceProgress(m.from, pr)
            this.sendAppend(m.from)
          }
          return STEP_OK
        }
        const oldPaused = pr.isPaused()
        if (pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'probe')) {
          const before = pr.state
          if (pr.state === 'probe') pr.becomeReplicate()
          else if (pr.state === 'snapshot' && pr.match + 1 >= this.raftLog.firstIndex()) {
            // The snapshot landed (or the follower caught up otherwise): resume replication.
            pr.becomeProbe()
            pr.becomeReplicate()
          } else if (pr.state === 'replicate') pr.inflights.freeLE(m.index)
          if (before !== pr.state) this.traceProgress(m.from, pr)
          if (this.maybeCommit()) {
            this.releasePendingReadIndexMessages()
            this.bcastAppend()
          } else if (oldPaused) {
            this.sendAppend(m.from)
          }
          // Keep the pipeline full while there is more to send.
          while (this.maybeSendAppend(m.from, false)) {
            // sends until paused or nothing is left
          }
          if (m.from === this.leadTransferee && pr.match === this.raftLog.lastIndex()) {
            this.send(this.msg('MsgTimeoutNow', m.from))
          }
        }
        return STEP_OK
      }
      case 'MsgHeartbeatResp': {
        pr.recentActive = true
        pr.msgAppFlowPaused = false
        if (m.reject && m.index < pr.match) {
          // The follower lost entries it had acknowledged (see handleHeartbeat): start over
          // from what it has. Its lost acks were already counted; the lab shows why a wiped
          // voter is dangerous, and the cure is replication (or a snapshot) from here.
          pr.match = m.index
          pr.becomeProbe()
          this.traceProgress(m.from, pr)
        }
        // A full window may hold appends that were lost: free one slot so replication can
        // go on (the follower rejects a gap, which puts us back to probing).
        if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne()
        if (pr.match < this.raftLog.lastIndex() || pr.state === 'probe') this.sendAppend(m.from)
        if (m.context === '') return STEP_OK
        const acks = this.readOnly.recvAck(m.from, m.context)
        if (!acks) return STEP_OK
        let voterAcks = 0
        for (const id of acks) if (this.voters.has(id)) voterAcks++
        if (voterAcks < majority(this.voters.size)) return STEP_OK
        for (const rs of this.readOnly.advance(m.context)) this.respondToReadIndex(rs.req, rs.index)
        return STEP_OK
      }
      case 'MsgSnapStatus':
        if (pr.state !== 'snapshot') return STEP_OK
        if (m.reject) pr.pendingSnapshot = 0
        pr.becomeProbe()
        // Wait for a heartbeat response before probing again after a failure.
        if (m.reject) pr.msgAppFlowPaused = true
        this.traceProgress(m.from, pr)
        return STEP_OK
      case 'MsgUnreachable':
        if (pr.state === 'replicate') {
          pr.becomeProbe()
          this.traceProgress(m.from, pr)
        }
        return STEP_OK
      case 'MsgTransferLeader': {
        const target = m.from
        if (pr.isLearner) return refuse('NOT_A_MEMBER', `node ${target} is a learner and cannot lead`)
        if (this.leadTransferee !== NONE) {
          if (this.leadTransferee === target) return STEP_OK
          this.abortLeaderTransfer('superseded')
        }
        if (target === this.id) return STEP_OK
        // The transfer must finish within an election timeout.
        this.electionElapsed = 0
        this.leadTransferee = target
        this.trace({ type: 'transferStarted', node: this.id, to: target, term: this.term })
        if (pr.match === this.raftLog.lastIndex()) this.send(this.msg('MsgTimeoutNow', target))
        else this.sendAppend(target)
        return STEP_OK
      }
      default:
        return STEP_OK
    }
  }

  private propose(m: Message): StepResult {
    if (m.entries.length === 0) throw new RaftInvariantError(`${this.id} stepped empty MsgProp`)
    if (!this.progress.has(this.id)) return refuse('NOT_A_MEMBER', `node ${this.id} was removed from the cluster`)
    if (this.leadTransferee !== NONE) {
      return refuse('TRANSFER_IN_PROGRESS', `leadership is being transferred to node ${this.leadTransferee}`)
    }
    if (this.leavingIndex > this.raftLog.applied) {
      return refuse('LEADER_LEAVING', `node ${this.id} is being removed from the cluster (entry ${this.leavingIndex}); propose to another node`)
    }
    let pending = this.pendingConfIndex
    let leaving = 0
    for (let i = 0; i < m.entries.length; i++) {
      const e = m.entries[i]!
      if (e.type !== 'confChange') continue
      if (pending > this.raftLog.applied) {
        return refuse('CONF_CHANGE_PENDING', `a membership change is still in progress (entry ${pending}, applied ${this.raftLog.applied}); one change at a time`)
      }
      const cc = decodeConfChange(e.data)
      const invalid = this.validateConfChange(cc)
      if (invalid) return refuse('INVALID_CONF_CHANGE', invalid)
      pending = this.raftLog.lastIndex() + i + 1
      if (cc.type === 'removeNode' && cc.nodeId === this.id) leaving = pending
    }
    this.pendingConfIndex = pending
    if (leaving) this.leavingIndex = leaving
    this.appendEntry(m.entries)
    this.bcastAppend()
    return STEP_OK
  }

  /** Our own removal among the entries not yet applied, or 0. */
  private findOwnRemoval(): Index {
    const lo = Math.max(this.raftLog.applied + 1, this.raftLog.firstIndex())
    const hi = this.raftLog.lastIndex()
    if (lo > hi) return 0
    for (const e of this.raftLog.slice(lo, hi + 1, Number.MAX_SAFE_INTEGER)) {
      if (e.type !== 'confChange') continue
      const cc = decodeConfChange(e.data)
      if (cc.type === 'removeNode' && cc.nodeId === this.id) return e.index
    }
    return 0
  }

  private validateConfChange(cc: ConfChange): string | undefined {
    const voter = this.voters.has(cc.nodeId)
    const learner = this.learners.has(cc.nodeId)
    switch (cc.type) {
      case 'addLearner':
        if (voter) return `node ${cc.nodeId} is already a voter (demotion is not supported)`
        if (learner) return `node ${cc.nodeId} is already a learner`
        return undefined
      case 'addVoter':
        if (voter) return `node ${cc.nodeId} is already a voter`
        return undefined
      case 'removeNode':
        if (!voter && !learner) return `node ${cc.nodeId} is not a member`
        if (voter && this.voters.size === 1) return `cannot remove the last voter (node ${cc.nodeId})`
        return undefined
    }
  }

  private stepCandidate(m: Message): StepResult {
    const myVoteResp: MessageType = this.role === 'precandidate' ? 'MsgPreVoteResp' : 'MsgVoteResp'
    switch (m.type) {
      case 'MsgProp':
        return refuse('NO_LEADER', `node ${this.id} is campaigning: there is no leader to take the proposal`)
      case 'MsgApp':
        this.becomeFollower(m.term, m.from)
        this.handleAppendEntries(m)
        return STEP_OK
      case 'MsgHeartbeat':
        this.becomeFollower(m.term, m.from)
        this.handleHeartbeat(m)
        return STEP_OK
      case 'MsgSnap':
        this.becomeFollower(m.term, m.from)
        this.handleSnapshot(m)
        return STEP_OK
      case 'MsgReadIndex':
        return refuse('NO_LEADER', `node ${this.id} is campaigning: no leader to confirm a read`)
      case 'MsgTransferLeader':
        return refuse('NO_LEADER', `node ${this.id} is campaigning: no leader to transfer from`)
      default:
        if (m.type === myVoteResp) {
          const res = this.poll(m.from, m.type, !m.reject)
          if (res === 'won') {
            if (this.role === 'precandidate') this.campaign('election')
            else {
              this.becomeLeader()
              this.bcastAppend()
            }
          } else if (res === 'lost') {
            // MsgPreVoteResp carries a higher term when a voter is ahead of us.
            this.becomeFollower(this.term, NONE)
          }
        }
        return STEP_OK
    }
  }

  private stepFollower(m: Message): StepResult {
    switch (m.type) {
      case 'MsgProp':
        if (this.lead === NONE) return refuse('NO_LEADER', `node ${this.id} knows no leader: the proposal was dropped`)
        this.send({ ...m, to: this.lead, from: m.from === NONE ? this.id : m.from, term: 0 })
        return STEP_OK
      case 'MsgApp':
        this.electionElapsed = 0
        this.lead = m.from
        this.handleAppendEntries(m)
        return STEP_OK
      case 'MsgHeartbeat':
        this.electionElapsed = 0
        this.lead = m.from
        this.handleHeartbeat(m)
        return STEP_OK
      case 'MsgSnap':
        this.electionElapsed = 0
        this.lead = m.from
        this.handleSnapshot(m)
        return STEP_OK
      case 'MsgTransferLeader':
        if (this.lead === NONE) return refuse('NO_LEADER', `node ${this.id} knows no leader to transfer from`)
        this.send({ ...m, to: this.lead, term: 0 })
        return STEP_OK
      case 'MsgTimeoutNow':
        // The leader asked us to take over now, skipping PreVote and the lease.
        this.hup('transfer')
        return STEP_OK
      case 'MsgReadIndex':
        if (this.lead === NONE) return refuse('NO_LEADER', `node ${this.id} knows no leader: cannot serve a linearizable read`)
        this.send({ ...m, to: this.lead, from: m.from === NONE ? this.id : m.from, term: 0 })
        return STEP_OK
      case 'MsgReadIndexResp':
        this.readStates.push({ index: m.index, requestCtx: m.context })
        this.trace({ type: 'readIndexReady', node: this.id, index: m.index, ctx: m.context })
        return STEP_OK
      default:
        return STEP_OK
    }
  }

  private handleAppendEntries(m: Message): void {
    if (m.index < this.raftLog.committed) {
      this.send(this.msg('MsgAppResp', m.from, { index: this.raftLog.committed }))
      return
    }
    const from = this.raftLog.committed
    const lastBefore = this.raftLog.lastIndex()
    const r = this.raftLog.maybeAppend(m.index, m.logTerm, m.commit, m.entries)
    if (r) {
      if (r.truncatedAfter !== undefined) {
        this.trace({ type: 'logTruncated', node: this.id, after: r.truncatedAfter, dropped: lastBefore - r.truncatedAfter })
      }
      if (this.raftLog.committed > from) this.traceCommit(from)
      this.send(this.msg('MsgAppResp', m.from, { index: r.lastNew }))
      return
    }
    // Reject with a hint: the last index we have at or below the probe whose term is not
    // above the leader's, so the leader can skip a whole term at once.
    const hint = this.raftLog.findConflictByTerm(Math.min(m.index, this.raftLog.lastIndex()), m.logTerm)
    this.send(this.msg('MsgAppResp', m.from, { index: m.index, reject: true, rejectHint: hint.index, logTerm: hint.term }))
  }

  private handleHeartbeat(m: Message): void {
    const last = this.raftLog.lastIndex()
    if (m.commit > last) {
      // The leader says we hold entries up to m.commit (it sends min(match, commit)), but we
      // do not: our disk lost them (a wiped data dir). Commit nothing and tell the leader, so
      // it probes us from where we really are instead of ignoring our rejections forever.
      this.send(this.msg('MsgHeartbeatResp', m.from, { context: m.context, reject: true, index: last }))
      return
    }
    const from = this.raftLog.committed
    if (this.raftLog.commitTo(m.commit)) this.traceCommit(from)
    this.send(this.msg('MsgHeartbeatResp', m.from, { context: m.context }))
  }

  private handleSnapshot(m: Message): void {
    const s = m.snapshot
    if (!s) throw new RaftInvariantError('MsgSnap without a snapshot')
    if (this.restore(s)) {
      this.send(this.msg('MsgAppResp', m.from, { index: this.raftLog.lastIndex() }))
    } else {
      this.send(this.msg('MsgAppResp', m.from, { index: this.raftLog.committed }))
    }
  }

  /** Install a snapshot from the leader; false when it holds nothing we lack. */
  private restore(s: Snapshot): boolean {
    const { index, term } = s.metadata
    if (index <= this.raftLog.committed) return false
    if (this.role !== 'follower') {
      // Defensive: only a follower installs snapshots.
      this.becomeFollower(this.term + 1, NONE)
      return false
    }
    const cs = s.metadata.confState
    const inSnapshot = cs.voters.includes(this.id) || cs.learners.includes(this.id)
    if (!inSnapshot && this.progress.has(this.id)) {
      // We are a member and the snapshot's config says otherwise: it is from before we were
      // added, or we were removed; either way it cannot be our state. A joining node (not in
      // any config yet) takes it: the entry that adds it follows the snapshot in the log.
      return false
    }
    if (this.raftLog.matchTerm(index, term)) {
      // We already have the entry: just commit up to it.
      const from = this.raftLog.committed
      if (this.raftLog.commitTo(index)) this.traceCommit(from)
      return false
    }
    this.raftLog.restore(s)
    this.progress.clear()
    this.voters.clear()
    this.learners.clear()
    this.applyConfState(cs)
    this.trace({ type: 'snapshotRestored', node: this.id, index, term })
    return true
  }

  // ---- read index ----------------------------------------------------------------------

  private sendReadIndexHeartbeats(m: Message): void {
    this.readOnly.addRequest(this.raftLog.committed, m)
    // The leader's own ack; other acks arrive on heartbeat responses carrying the context.
    this.readOnly.recvAck(this.id, m.context)
    this.bcastHeartbeatWithCtx(m.context)
  }

  private respondToReadIndex(req: Message, index: Index): void {
    if (req.from === NONE || req.from === this.id) {
      this.readStates.push({ index, requestCtx: req.context })
      this.trace({ type: 'readIndexReady', node: this.id, index, ctx: req.context })
      return
    }
    this.send(this.msg('MsgReadIndexResp', req.from, { index, context: req.context }))
  }

  private releasePendingReadIndexMessages(): void {
    if (this.pendingReadIndexMessages.length === 0 || !this.committedEntryInCurrentTerm()) return
    const msgs = this.pendingReadIndexMessages
    this.pendingReadIndexMessages = []
    for (const m of msgs) this.sendReadIndexHeartbeats(m)
  }

  // ---- membership ----------------------------------------------------------------------

  private applyConfState(cs: ConfState): void {
    const next = this.raftLog.lastIndex() + 1
    for (const id of cs.voters) {
      this.voters.add(id)
      this.progress.set(id, new Progress(next, this.maxInflight, false))
    }
    for (const id of cs.learners) {
      this.learners.add(id)
      this.progress.set(id, new Progress(next, this.maxInflight, true))
    }
    const self = this.progress.get(this.id)
    if (self) self.match = next - 1
  }

  /** Apply a committed conf change (RawNode calls this as the entry is applied). */
  applyConfChange(cc: ConfChange, index: Index): void {
    const last = this.raftLog.lastIndex()
    const added = (learner: boolean): void => {
      const pr = new Progress(last + 1, this.maxInflight, learner)
      // Let the leader send a snapshot to a new member without waiting for a probe round.
      pr.recentActive = true
      if (cc.nodeId === this.id) pr.match = last
      this.progress.set(cc.nodeId, pr)
    }
    switch (cc.type) {
      case 'addLearner':
        if (this.voters.has(cc.nodeId) || this.learners.has(cc.nodeId)) break
        this.learners.add(cc.nodeId)
        added(true)
        break
      case 'addVoter':
        if (this.voters.has(cc.nodeId)) break
        if (this.learners.delete(cc.nodeId)) {
          this.progress.get(cc.nodeId)!.isLearner = false
        } else {
          added(false)
        }
        this.voters.add(cc.nodeId)
        break
      case 'removeNode':
        this.voters.delete(cc.nodeId)
        this.learners.delete(cc.nodeId)
        this.progress.delete(cc.nodeId)
        break
    }
    this.trace({ type: 'confChanged', node: this.id, change: cc, config: this.confState(), index })
    if (this.role !== 'leader') return
    if (cc.type === 'removeNode' && cc.nodeId === this.leadTransferee) this.abortLeaderTransfer('transferee removed')
    if (!this.voters.has(this.id)) {
      // Removed while leading (Raft thesis §4.2.2). Config changes take effect when applied,
      // so the others may not know yet that the removal committed; stepping down at once can
      // leave them unable to elect (they still count us and our log may be longer). Keep
      // leading without counting ourselves and hand leadership to the most caught-up voter.
      this.transferAfterRemoval()
      return
    }
    // The quorum changed: the commit index may move (e.g. after removing a lagging voter).
    if (this.maybeCommit()) this.bcastAppend()
    else if (cc.type !== 'removeNode') this.sendAppend(cc.nodeId)
  }

  /** A removed leader picks the voter with the highest match and transfers leadership to it. */
  private transferAfterRemoval(): void {
    let best: NodeId = NONE
    let bestMatch = -1
    for (const id of [...this.voters].sort((a, b) => a - b)) {
      const pr = this.progress.get(id)
      if (pr && pr.match > bestMatch) {
        best = id
        bestMatch = pr.match
      }
    }
    if (best === NONE) {
      this.becomeFollower(this.term, NONE)
      return
    }
    this.electionElapsed = 0
    this.leadTransferee = best
    this.trace({ type: 'transferStarted', node: this.id, to: best, term: this.term })
    if (bestMatch === this.raftLog.lastIndex()) this.send(this.msg('MsgTimeoutNow', best))
    else this.sendAppend(best)
  }

  private abortLeaderTransfer(reason: string): void {
    if (this.leadTransferee === NONE) return
    this.trace({ type: 'transferAborted', node: this.id, to: this.leadTransferee, term: this.term, reason })
    this.leadTransferee = NONE
  }

  /** For snapshots taken by the application: the config at the last applied entry. */
  appliedConfState(): ConfState {
    return cloneConf(this.confState())
  }

  /** Size of the entries of a MsgApp, for metrics. */
  static bytes(ents: Entry[]): number {
    return ents.reduce((n, e) => n + entrySize(e), 0)
  }
}
