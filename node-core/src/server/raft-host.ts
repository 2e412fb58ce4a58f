import { encodeCommand, FsmError, joinSnapshot, noopCommand, snapshotPieces, type ApplyResult, type SnapshotView, type StateMachine } from '../fsm'
import { RawNode } from '../raft/raw-node'
import type { Rng } from '../raft/rand'
import type { TraceEvent } from '../raft/trace'
import type { ConfChange, ConfState, Entry, Index, Message, NodeId, Ready, Status, Term } from '../raft/types'
import { SnapshotOutOfDateError } from '../raft/storage'
import type { DiskStorage } from '../storage'
import { TickClock } from './tick-clock'

/**
 * The I/O shell around the pure Raft core: drives RawNode with a timer, persists every Ready
 * to disk before its messages leave, applies committed entries to the state machines, and
 * turns proposals and linearizable reads into promises that settle when this node has
 * applied them (read-your-writes on the node that took the request).
 */

export type HostErrorCode = 'NO_LEADER' | 'TIMEOUT' | 'REFUSED' | 'STOPPED' | 'REJECTED_COMMAND' | 'FATAL'

export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'HostError'
  }
}

export interface RaftHostLogger {
  (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void
}

export interface RaftHostOptions {
  id: NodeId
  storage: DiskStorage
  fsm: StateMachine
  /** Voters of a brand-new cluster; used only when the storage is empty. */
  initialVoters: NodeId[]
  /** Hand a message to the transport (one-way, may be lost). */
  send: (m: Message) => void
  /** Wall-clock ms per Raft tick. */
  tickMs: number
  electionTick: number
  heartbeatTick: number
  preVote?: boolean
  checkQuorum?: boolean
  maxSizePerMsg?: number
  maxInflightMsgs?: number
  /** Take a snapshot and compact once this many entries were applied since the last one. */
  snapshotEvery?: number
  /** Entries kept behind a snapshot so slightly lagging followers still get appends. */
  catchUpEntries?: number
  /** How long a proposal or read waits for a leader before failing with NO_LEADER. */
  noLeaderWaitMs?: number
  /** How long an accepted proposal may take to be applied here before failing with TIMEOUT. */
  applyTimeoutMs?: number
  rng?: Rng
  logger?: RaftHostLogger
  onTrace?: (e: TraceEvent) => void
  /** After each applied command; `command` is the entry's command bytes (without the envelope). */
  onApply?: (result: ApplyResult, command: Uint8Array) => void
  /** After a leader's snapshot replaced the state machines (any config may have changed). */
  onRestore?: () => void
  /** Storage failed: the node cannot go on safely (the caller should exit). */
  onFatal?: (err: Error) => void
  /** The known leader or this node's role changed (from each Ready's SoftState). */
  onSoftState?: (lead: NodeId, role: Status['role'], term: number) => void
  /** Metric hooks (cheap, must not throw). */
  metrics?: RaftHostMetrics
}

export interface RaftHostMetrics {
  /** The soft state changed: the leader this node now knows (0: none). */
  onLeader?(lead: NodeId): void
  /** A propose() failed. */
  onProposalFailed?(code: HostErrorCode): void
}

interface QueuedProposal {
  rid: string
  data: Uint8Array
  /** Wall ms after which a proposal that still finds no leader fails with NO_LEADER. */
  deadline: number
  resolve: (r: ApplyResult) => void
  reject: (e: Error) => void
}

/** Upper bound of one batched MsgProp's payload (a follower forwards it as one frame). */
const MAX_PROPOSAL_BATCH_BYTES = 1024 * 1024

interface Waiter {
  resolve: (r: ApplyResult) => void
  reject: (e: Error) => void
  timer: ReturnType<typeof setTimeout>
  /** The leader known when the proposal left this node (it may have died with it). */
  readonly proposedTo: NodeId
  /** This node's term when it proposed. */
  readonly term: Term
  /** When the apply timeout fires (ms, Date.now clock). */
  readonly expiresAt: number
  /** The leader this node knows now (0: none); differs from `proposedTo` once leadership moved. */
  lead: NodeId
  /**
   * Term of a newer leader, once one is known: an applied entry of that term or later settles
   * this proposal's fate (see `leaderChanged`). 0 while no newer leader is known.
   */
  settledByTerm: Term
}

interface ReadWaiter {
  index: Index | undefined
  resolve: () => void
  reject: (e: Error) => void
  timer: ReturnType<typeof setTimeout>
}

/** Entry envelope: marks who proposed an entry, so the proposer can answer when it applies. */
/** Messages only a leader sends, none of which carries a vote: safe before the leader's own fsync. */
const LEADER_EARLY: ReadonlySet<Message['type']> = new Set(['MsgApp', 'MsgHeartbeat', 'MsgSnap', 'MsgTimeoutNow'])

const ENVELOPE = 0xe7
const enc = new TextEncoder()
const dec = new TextDecoder()

export function wrapProposal(rid: string, command: Uint8Array): Uint8Array {
  const id = enc.encode(rid)
  if (id.length > 255) throw new RangeError('request id too long')
  const out = new Uint8Array(2 + id.length + command.length)
  out[0] = ENVELOPE
  out[1] = id.length
  out.set(id, 2)
  out.set(command, 2 + id.length)
  return out
}

export function unwrapProposal(data: Uint8Array): { rid: string | undefined; command: Uint8Array } {
  if (data.length >= 2 && data[0] === ENVELOPE && data.length >= 2 + data[1]!) {
    const n = data[1]!
    return { rid: dec.decode(data.subarray(2, 2 + n)), command: data.subarray(2 + n) }
  }
  return { rid: undefined, command: data }
}

export class RaftHost {
  readonly raw: RawNode
  private readonly opts: Required<Omit<RaftHostOptions, 'rng' | 'onTrace' | 'onApply' | 'onRestore' | 'onFatal' | 'logger' | 'metrics' | 'onSoftState'>> &
    Pick<RaftHostOptions, 'rng' | 'onTrace' | 'onApply' | 'onRestore' | 'onFatal' | 'logger' | 'metrics' | 'onSoftState'>
  private timer: ReturnType<typeof setInterval> | undefined
  private clock!: TickClock
  private running = false
  private again = false
  private stopped = false
  private fatal: Error | undefined
  private seq = 0
  private readonly waiters = new Map<string, Waiter>()
  /** Waiters with a `settledByTerm` (so applying needs to look at them). */
  private unsettled = 0
  /** Proposals of the current event-loop turn, proposed together after it (flushProposals). */
  private proposalQueue: QueuedProposal[] = []
  private proposalsScheduled = false
  private readonly reads = new Map<string, ReadWaiter>()
  private lastSnapshotIndex: Index
  private leaderWaiters: (() => void)[] = []
  private snapshotting: Promise<void> | undefined

  private constructor(opts: RaftHostOptions) {
    // `??` per field: an option passed as undefined must still get its default.
    this.opts = {
      ...opts,
      preVote: opts.preVote ?? true,
      checkQuorum: opts.checkQuorum ?? true,
      maxSizePerMsg: opts.maxSizePerMsg ?? 1024 * 1024,
      maxInflightMsgs: opts.maxInflightMsgs ?? 256,
      snapshotEvery: opts.snapshotEvery ?? 10_000,
      catchUpEntries: opts.catchUpEntries ?? 5_000,
      noLeaderWaitMs: opts.noLeaderWaitMs ?? 3_000,
      applyTimeoutMs: opts.applyTimeoutMs ?? 5_000
    }
    const snap = opts.storage.snapshot()
    if (snap.metadata.index > 0) opts.fsm.restore(snap.data)
    this.lastSnapshotIndex = snap.metadata.index
    this.raw = new RawNode({
      id: opts.id,
      storage: opts.storage,
      applied: snap.metadata.index,
      electionTick: opts.electionTick,
      heartbeatTick: opts.heartbeatTick,
      preVote: this.opts.preVote,
      checkQuorum: this.opts.checkQuorum,
      maxSizePerMsg: this.opts.maxSizePerMsg,
      maxInflightMsgs: this.opts.maxInflightMsgs,
      rng: opts.rng,
      trace: opts.onTrace
    })
    // An empty initialVoters means joining a running cluster: no bootstrap, the leader sends the log.
    if (opts.initialVoters.length > 0 && opts.storage.lastIndex() === 0 && opts.storage.initialState().hardState.term === 0) {
      this.raw.bootstrap(opts.initialVoters)
    }
  }

  /** Recover from disk (or bootstrap), start ticking, and persist the initial state. */
  static async start(opts: RaftHostOptions): Promise<RaftHost> {
    const host = new RaftHost(opts)
    await host.drain()
    host.clock = new TickClock(opts.tickMs, performance.now())
    host.timer = setInterval(() => host.tick(), opts.tickMs)
    host.timer.unref?.()
    return host
  }

  get id(): NodeId {
    return this.opts.id
  }

  status(): Status {
    return this.raw.status()
  }

  /** Wall-clock ms of the last message from each peer (for member state in cluster/nodes). */
  readonly lastHeard = new Map<NodeId, number>()

  /** How long without a message before a peer counts as not answering: two of the longest randomized election timeouts. */
  get contactWindowMs(): number {
    return 2 * this.opts.electionTick * this.opts.tickMs * 2
  }

  /** Deliver a message from a peer. */
  step(m: Message): void {
    if (this.stopped) return
    this.lastHeard.set(m.from, Date.now())
    try {
      this.raw.step(m)
    } catch (err) {
      this.opts.logger?.('warn', 'dropped a message the core refused', { type: m.type, from: m.from, error: String(err) })
      return
    }
    if (this.running) this.whileSaving()
    this.kick()
  }

  reportUnreachable(id: NodeId): void {
    this.raw.reportUnreachable(id)
    this.kick()
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raw.reportSnapshot(id, !ok)
    this.kick()
  }

  private tick(): void {
    if (this.stopped) return
    const due = this.clock.due(performance.now())
    if (due === 0) return
    this.raw.tick()
    this.kick()
    // Ticks owed for a late timer come after this turn's I/O (setImmediate runs after the
    // poll phase): messages that queued up while the loop was busy are read first, so a late
    // timer alone cannot time out a leader or a follower that did hear from its peers.
    if (due > 1) {
      setImmediate(() => {
        if (this.stopped) return
        for (let i = 1; i < due; i++) this.raw.tick()
        this.kick()
      })
    }
  }

  /**
   * Propose a state-machine command; resolves with its ApplyResult once this node applied
   * it. With no leader it retries until `noLeaderWaitMs`, then fails with NO_LEADER.
   */
  async propose(command: Uint8Array): Promise<ApplyResult> {
    try {
      return await this.proposeOnce(command)
    } catch (err) {
      if (err instanceof HostError) this.opts.metrics?.onProposalFailed?.(err.code)
      throw err
    }
  }

  /** Proposals from this node waiting to be applied here. */
  get pendingProposals(): number {
    return this.waiters.size
  }

  private proposeOnce(command: Uint8Array): Promise<ApplyResult> {
    this.ensureUsable()
    const rid = `${this.opts.id}:${++this.seq}`
    const data = wrapProposal(rid, command)
    const deadline = Date.now() + this.opts.noLeaderWaitMs
    return new Promise<ApplyResult>((resolve, reject) => {
      this.proposalQueue.push({ rid, data, deadline, resolve, reject })
      this.scheduleProposals()
    })
  }

  /**
   * Proposals made during one event-loop turn (every request the HTTP server parsed in it) go
   * to the core together, right after the turn: one MsgProp, one append and one MsgApp per
   * follower for all of them, instead of one of each per write. Under load this is most of the
   * difference between a leader that spends its time on messages and one that spends it on
   * writes; a lone write waits for nothing (setImmediate runs as soon as the turn ends).
   */
  private scheduleProposals(): void {
    if (this.proposalsScheduled) return
    this.proposalsScheduled = true
    setImmediate(() => {
      this.proposalsScheduled = false
      this.flushProposals()
    })
  }

  private flushProposals(): void {
    const queue = this.proposalQueue
    this.proposalQueue = []
    if (this.fatal || this.stopped) {
      const err = this.fatal
        ? new HostError('FATAL', `the node's storage failed: ${this.fatal.message}`)
        : new HostError('STOPPED', 'the node is shutting down')
      for (const q of queue) q.reject(err)
      return
    }
    let i = 0
    while (i < queue.length) {
      // Bounded so that a follower's forwarded MsgProp stays far below the frame size limit.
      let j = i
      let bytes = 0
      while (j < queue.length && (j === i || bytes + queue[j]!.data.length <= MAX_PROPOSAL_BATCH_BYTES)) bytes += queue[j++]!.data.length
      const batch = queue.slice(i, j)
      i = j
      const r = this.raw.proposeMany(batch.map((q) => q.data))
      if (r.ok) {
        const lead = this.raw.raft.lead
        const term = this.raw.raft.term
        const expiresAt = Date.now() + this.opts.applyTimeoutMs
        for (const q of batch) {
          const timer = setTimeout(() => this.expire(q.rid), this.opts.applyTimeoutMs)
          this.waiters.set(q.rid, { resolve: q.resolve, reject: q.reject, timer, proposedTo: lead, term, expiresAt, lead, settledByTerm: 0 })
        }
      } else if (r.code === 'NO_LEADER' || r.code === 'TRANSFER_IN_PROGRESS' || r.code === 'LEADER_LEAVING') {
        this.retryWhenLeader(batch)
      } else {
        for (const q of batch) q.reject(new HostError('REFUSED', r.message))
      }
    }
    this.sendForwarded()
    if (this.running) this.whileSaving()
    this.kick()
  }

  /** Last log index on this node's disk: what the core still holds as unstable is not yet. */
  private durableIndex(): Index {
    const u = this.raw.raft.raftLog.unstable
    return u.snapshot ? 0 : u.offset - 1
  }

  /**
   * The Ready loop is waiting for a save (an fsync): do now what does not depend on it, rather
   * than one fsync later. Apply entries that are committed and already on this node's disk
   * (committed means on a quorum's disks), which answers their clients; as leader, let appends
   * and heartbeats out if every commit index they carry is on this node's disk too.
   */
  private whileSaving(): void {
    if (this.fatal) return
    const raft = this.raw.raft
    const durable = this.durableIndex()
    const to = Math.min(raft.raftLog.committed, durable)
    const from = this.opts.fsm.applied + 1
    if (to >= from) {
      for (const e of this.opts.storage.entries(from, to + 1, Number.MAX_SAFE_INTEGER)) {
        if (!this.applyEarly(e)) break
      }
      this.settleReads()
    }
    if (raft.role !== 'leader' || raft.msgs.length === 0) return
    // All or none, so that appends to one follower never leave out of order.
    for (const m of raft.msgs) if (LEADER_EARLY.has(m.type) && m.commit > durable) return
    const rest: Message[] = []
    for (const m of raft.msgs) {
      if (LEADER_EARLY.has(m.type)) this.opts.send(m)
      else rest.push(m)
    }
    raft.msgs = rest
  }

  /**
   * Apply a normal entry ahead of the Ready that hands it out; false for a conf change, which
   * waits for its Ready: the core adopts it only in advance(), and a snapshot taken in between
   * would pair this entry's index with the older membership.
   */
  private applyEarly(e: Entry): boolean {
    if (e.type === 'confChange') return false
    this.applyEntry(e)
    return true
  }

  /**
   * A follower's proposals and read requests go to the leader now, not with the next Ready:
   * that Ready may be a whole fsync away while the loop is busy with the previous one.
   */
  private sendForwarded(): void {
    for (const m of this.raw.takeForwardedRequests()) this.opts.send(m)
  }

  /** No leader (yet): try again on the next leader change, until each proposal's own deadline. */
  private retryWhenLeader(batch: QueuedProposal[]): void {
    const now = Date.now()
    const live: QueuedProposal[] = []
    for (const q of batch) {
      if (now >= q.deadline) {
        q.reject(new HostError('NO_LEADER', `no leader elected within ${this.opts.noLeaderWaitMs} ms: the cluster cannot accept writes (is a majority of nodes up and connected?)`))
      } else live.push(q)
    }
    if (live.length === 0) return
    const wait = Math.min(...live.map((q) => q.deadline)) - now
    void this.leaderChangeOrTimeout(wait).then(() => {
      this.proposalQueue.push(...live)
      this.scheduleProposals()
    })
  }

  /** Propose a membership change; resolves when this node applied it. */
  async proposeConfChange(cc: ConfChange): Promise<void> {
    this.ensureUsable()
    const r = this.raw.proposeConfChange(cc)
    if (!r.ok) throw new HostError(r.code === 'NO_LEADER' ? 'NO_LEADER' : 'REFUSED', r.message)
    this.kick()
  }

  transferLeader(to: NodeId): void {
    this.raw.transferLeader(to)
    this.kick()
  }

  /**
   * Linearizable read barrier (ReadIndex): resolves once this node has applied everything the
   * leader had committed when the read arrived, so a local read after it is not stale.
   */
  async readBarrier(): Promise<void> {
    const ctx = `r${this.opts.id}:${++this.seq}`
    const deadline = Date.now() + this.opts.noLeaderWaitMs
    for (;;) {
      this.ensureUsable()
      const r = this.raw.readIndex(ctx)
      if (r.ok) {
        this.sendForwarded()
        break
      }
      if (Date.now() >= deadline) throw new HostError('NO_LEADER', `no leader to confirm a linearizable read within ${this.opts.noLeaderWaitMs} ms`)
      await this.leaderChangeOrTimeout(deadline - Date.now())
    }
    this.kick()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reads.delete(ctx)
        reject(new HostError('TIMEOUT', `the leader did not confirm the read within ${this.opts.noLeaderWaitMs} ms`))
      }, this.opts.noLeaderWaitMs)
      this.reads.set(ctx, { index: undefined, resolve, reject, timer })
    })
  }

  /** Stop ticking and fail everything pending. Storage is left to the caller to close. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    while (this.running) await new Promise((r) => setTimeout(r, 1))
    await this.snapshotting
    this.failAll(new HostError('STOPPED', 'the node is shutting down'))
  }

  private ensureUsable(): void {
    if (this.fatal) throw new HostError('FATAL', `the node's storage failed: ${this.fatal.message}`)
    if (this.stopped) throw new HostError('STOPPED', 'the node is shutting down')
  }

  private leaderChangeOrTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(1, Math.min(ms, this.opts.tickMs * 2)))
      function done(): void {
        clearTimeout(t)
        resolve()
      }
      this.leaderWaiters.push(done)
    })
  }

  /** Run the Ready loop now (or once more after the current pass). */
  private kick(): void {
    if (this.running) {
      this.again = true
      return
    }
    void this.drain()
  }

  private async drain(): Promise<void> {
    if (this.running || this.fatal) return
    this.running = true
    try {
      do {
        this.again = false
        while (this.raw.hasReady() && !this.fatal) await this.handleReady(this.raw.ready())
      } while (this.again && !this.fatal)
    } catch (err) {
      this.fail(err, 'raft loop failed; the node must restart')
    } finally {
      this.running = false
    }
  }

  /** Storage failed: nothing more can be made durable, so fail everything and tell the owner. */
  private fail(err: unknown, msg: string): void {
    if (this.fatal) return
    this.fatal = err instanceof Error ? err : new Error(String(err))
    this.opts.logger?.('error', msg, { error: this.fatal.message })
    this.failAll(new HostError('FATAL', `the node's storage failed: ${this.fatal.message}`))
    this.opts.onFatal?.(this.fatal)
  }

  /**
   * Persist → send → apply → advance: the Ready contract (raft/README.md), with what depends
   * only on earlier, already durable Readies (committed entries, a leader's appends) moved
   * ahead of this Ready's own fsync.
   */
  private async handleReady(rd: Ready): Promise<void> {
    // A leader may replicate in parallel with its own fsync (Raft thesis §10.2.1; etcd's server
    // does the same): followers persist before they answer. But a commit index leaves only once
    // this node has those entries on disk itself (the core counts the leader's own entries toward
    // a quorum before they are synced), so every node that learns a commit knows it is durable
    // on a quorum. Everything else (vote answers above all) waits for the hard state on disk.
    let later = rd.messages
    if (this.raw.raft.role === 'leader' && rd.messages.length > 0) {
      const durable = this.durableIndex()
      if (rd.messages.every((m) => !LEADER_EARLY.has(m.type) || m.commit <= durable)) {
        later = []
        for (const m of rd.messages) {
          if (LEADER_EARLY.has(m.type)) this.opts.send(m)
          else later.push(m)
        }
      }
    }
    // Committed entries from earlier Readies are on this node's disk already (and committed
    // means durable on a quorum): apply them, and so answer their clients, while this Ready's
    // fsync runs, instead of one fsync later. Entries of this Ready itself (a single voter
    // commits its own at once) wait for the save below.
    const committed = rd.committedEntries
    let applied = 0
    if (!rd.snapshot) {
      const durableTo = this.durableIndex()
      while (applied < committed.length && committed[applied]!.index <= durableTo && this.applyEarly(committed[applied]!)) applied++
    }
    await this.opts.storage.save(rd, rd.mustSync)
    for (const m of later) this.opts.send(m)
    if (rd.softState) {
      this.opts.metrics?.onLeader?.(rd.softState.lead)
      this.opts.onSoftState?.(rd.softState.lead, rd.softState.role, this.raw.raft.term)
      this.leaderChanged(rd.softState.lead)
    }
    if (rd.softState && rd.softState.lead !== 0) {
      const ws = this.leaderWaiters
      this.leaderWaiters = []
      for (const w of ws) w()
    }
    if (rd.snapshot) {
      this.opts.fsm.restore(rd.snapshot.data)
      this.opts.onRestore?.()
      // The installed snapshot is on disk already: do not take one at the same index.
      this.lastSnapshotIndex = Math.max(this.lastSnapshotIndex, rd.snapshot.metadata.index)
    }
    for (; applied < committed.length; applied++) this.applyEntry(committed[applied]!)
    if (committed.length > 0) this.settleMoved(committed[committed.length - 1]!.term)
    for (const rs of rd.readStates) {
      const w = this.reads.get(rs.requestCtx)
      if (w) w.index = rs.index
    }
    this.raw.advance()
    this.settleReads()
    this.maybeSnapshot()
  }

  private applyEntry(e: Entry): void {
    if (e.index <= this.opts.fsm.applied) return
    if (e.type === 'confChange') {
      this.opts.fsm.applyEntry(e)
      return
    }
    const { rid, command } = unwrapProposal(e.data)
    let result: ApplyResult
    try {
      result = this.opts.fsm.applyEntry({ index: e.index, type: 'normal', data: command })
    } catch (err) {
      if (!(err instanceof FsmError) || err.code !== 'INVALID_COMMAND') throw err
      // Validation happens before proposing, so this is a bug or a newer peer; every node
      // decides the same way here, so they stay identical: consume the index as a no-op.
      this.opts.logger?.('error', 'committed entry is not a valid command; applied as a no-op', { index: e.index, error: err.message })
      this.opts.fsm.applyEntry({ index: e.index, type: 'normal', data: encodeCommand(noopCommand()) })
      const w = rid ? this.waiters.get(rid) : undefined
      if (w && rid) {
        this.dropWaiter(rid, w)
        w.reject(new HostError('REJECTED_COMMAND', err.message))
      }
      return
    }
    this.opts.onApply?.(result, command)
    const w = rid ? this.waiters.get(rid) : undefined
    if (w && rid) {
      this.dropWaiter(rid, w)
      w.resolve(result)
    }
  }

  /**
   * Proposals that went to a leader which is no longer the leader were probably lost with it.
   * Their fate is settled as soon as this node applies an entry of the new leader's term: a new
   * leader commits everything it holds before its first own entry, so a proposal not applied by
   * then is not in the log (short of an old leader's follower forwarding it again later) and is
   * failed as retriable at once, instead of after a fixed grace. The grace (one election's time
   * from the first change) still bounds the wait when no new leader commits anything. A failed
   * write may still be applied later: that is the usual ambiguity of a timed-out write, never a
   * lost acknowledged one.
   */
  private leaderChanged(lead: NodeId): void {
    const graceMs = 2 * this.opts.electionTick * this.opts.tickMs
    const term = this.raw.raft.term
    const now = Date.now()
    for (const [rid, w] of this.waiters) {
      if (w.lead === lead) continue
      w.lead = lead
      clearTimeout(w.timer)
      if (lead === w.proposedTo && term === w.term) {
        // Back with the leader it went to, in the same term (a failed pre-vote elsewhere): still in its pipeline.
        if (w.settledByTerm !== 0) this.unsettled--
        w.settledByTerm = 0
        w.timer = setTimeout(() => this.expire(rid), Math.max(0, w.expiresAt - now))
        continue
      }
      if (lead !== 0 && w.settledByTerm === 0) {
        w.settledByTerm = term
        this.unsettled++
      }
      w.timer = setTimeout(() => this.failMoved(rid), Math.min(graceMs, Math.max(0, w.expiresAt - now)))
    }
  }

  /** After applying entries up to `term`: fail the moved proposals that term settles. */
  private settleMoved(term: Term): void {
    if (this.unsettled === 0) return
    for (const [rid, w] of this.waiters) {
      if (w.settledByTerm !== 0 && term >= w.settledByTerm) this.failMoved(rid)
    }
  }

  private failMoved(rid: string): void {
    const w = this.waiters.get(rid)
    if (!w) return
    this.dropWaiter(rid, w)
    w.reject(new HostError('TIMEOUT', 'the leader changed while this write was in flight and it was not applied; retry it (it may still be applied)'))
  }

  private expire(rid: string): void {
    const w = this.waiters.get(rid)
    if (!w) return
    this.dropWaiter(rid, w)
    w.reject(new HostError('TIMEOUT', `the write was not applied within ${this.opts.applyTimeoutMs} ms (leader lost or partitioned?); it may still be applied later`))
  }

  private dropWaiter(rid: string, w: Waiter): void {
    clearTimeout(w.timer)
    this.waiters.delete(rid)
    if (w.settledByTerm !== 0) this.unsettled--
  }

  private settleReads(): void {
    for (const [ctx, w] of this.reads) {
      if (w.index !== undefined && this.opts.fsm.applied >= w.index) {
        this.reads.delete(ctx)
        clearTimeout(w.timer)
        w.resolve()
      }
    }
  }

  /** Take a snapshot at the applied index now (operators' doSnapshot); returns its index. */
  async snapshotNow(): Promise<Index> {
    this.ensureUsable()
    // One snapshot at a time: wait out one the Ready loop started.
    while (this.snapshotting) await this.snapshotting
    if (this.opts.fsm.applied > this.lastSnapshotIndex) await this.runSnapshot()
    if (this.fatal) throw new HostError('FATAL', `the node's storage failed: ${this.fatal.message}`)
    return this.lastSnapshotIndex
  }

  /**
   * Every `snapshotEvery` applied entries, start a snapshot in the background. The Ready loop
   * does not wait for it: the state is frozen at once (references to immutable records), then
   * encoded a few milliseconds per event-loop turn and written while writes go on. Waiting for
   * it stalled every node's write path for the encode, the file's write and its fsyncs, all
   * nodes at about the same index.
   */
  private maybeSnapshot(): void {
    if (this.snapshotting || this.fatal || this.stopped) return
    if (this.opts.fsm.applied - this.lastSnapshotIndex < this.opts.snapshotEvery) return
    void this.runSnapshot()
  }

  private runSnapshot(): Promise<void> {
    const view = this.opts.fsm.snapshotView()
    const confState = this.raw.raft.appliedConfState()
    const run = this.takeSnapshot(view, confState)
      .catch((err: unknown) => {
        // Overtaken by a leader's snapshot installed meanwhile: that one covers ours.
        if (err instanceof SnapshotOutOfDateError) return
        this.fail(err, 'snapshot failed; the node must restart')
      })
      .finally(() => (this.snapshotting = undefined))
    this.snapshotting = run
    return run
  }

  private async takeSnapshot(view: SnapshotView, confState: ConfState): Promise<void> {
    const data = joinSnapshot(await encodeInSteps(snapshotPieces(view)))
    if (this.fatal) return
    const storage = this.opts.storage
    await storage.createSnapshot(view.applied, confState, data)
    this.lastSnapshotIndex = Math.max(this.lastSnapshotIndex, view.applied)
    // Never past what the core itself has applied: entries applied early (whileSaving) are
    // still to be handed out by a Ready, which reads them from storage.
    const keepFrom = Math.min(view.applied - this.opts.catchUpEntries, this.raw.raft.raftLog.applied)
    if (keepFrom > storage.firstIndex()) await storage.compact(keepFrom)
    this.opts.logger?.('info', 'snapshot taken', { index: view.applied, firstIndex: storage.firstIndex() })
  }

  private failAll(err: Error): void {
    for (const q of this.proposalQueue.splice(0)) q.reject(err)
    for (const [rid, w] of this.waiters) {
      this.dropWaiter(rid, w)
      w.reject(err)
    }
    for (const [ctx, w] of this.reads) {
      clearTimeout(w.timer)
      w.reject(err)
      this.reads.delete(ctx)
    }
  }
}

/** Encoding work per event-loop turn: short enough that requests and Raft messages keep flowing. */
const ENCODE_STEP_MS = 4

/** Run a snapshot's encoder a few milliseconds per event-loop turn; its pieces, in order. */
async function encodeInSteps(pieces: Iterable<string>): Promise<string[]> {
  const out: string[] = []
  let since = performance.now()
  for (const p of pieces) {
    out.push(p)
    if (performance.now() - since >= ENCODE_STEP_MS) {
      await new Promise<void>((r) => setImmediate(r))
      since = performance.now()
    }
  }
  return out
}
