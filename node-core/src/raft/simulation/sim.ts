import { createRng, randomInt, type Rng } from '../rand'
import { RawNode } from '../raw-node'
import { MemoryStorage } from '../storage'
import type { TraceEvent } from '../trace'
import type { Entry, Index, Message, NodeId, Ready } from '../types'
import { chainHash, InvariantViolation, SafetyChecker } from './checker'

/**
 * A deterministic, seeded cluster simulator for the Raft core: in-memory disks and network,
 * and a nemesis that drops, delays, duplicates and reorders messages, partitions links (both
 * ways and one way), crashes nodes (losing all they had not persisted), restarts and pauses
 * them, compacts logs and changes membership, with client proposals throughout. Every step
 * is checked against Raft's safety properties (SafetyChecker); at the end the network heals
 * and the cluster must elect a leader and commit within a bound (liveness).
 *
 * Everything random comes from one seed: the same seed is the same run, bit for bit.
 */

export interface FaultRates {
  /** Per message. */
  drop: number
  duplicate: number
  /** A message is delivered 0..maxDelay ticks after it is sent (so they reorder). */
  maxDelay: number
  /** Per tick. */
  partition: number
  heal: number
  crash: number
  restart: number
  /** Crash and restart at once (a supervisor bouncing the process). */
  bounce: number
  /** Per vote granted: bounce the voter right after it answered (the moment a lost vote hurts). */
  bounceAfterVote: number
  /** Per election won: crash the new leader 0–3 ticks later, before its term's entry is safe (Figure 8). */
  crashNewLeader: number
  pause: number
  resume: number
  confChange: number
  compact: number
  propose: number
}

export interface SimOptions {
  seed: number
  /** Initial voters. */
  size: number
  /** Ticks of the faulty phase. */
  ticks: number
  /** Bound for the liveness phase, in ticks. */
  livenessTicks: number
  electionTick: number
  checkQuorum: boolean
  preVote: boolean
  faults: FaultRates
  /** Largest node id the nemesis may add. */
  maxNodeId: number
  maxSizePerMsg: number
  maxInflightMsgs: number
}

export const DEFAULT_FAULTS: FaultRates = {
  drop: 0.05,
  duplicate: 0.02,
  maxDelay: 3,
  partition: 0.02,
  heal: 0.03,
  crash: 0.012,
  restart: 0.06,
  bounce: 0.01,
  bounceAfterVote: 0.1,
  crashNewLeader: 0.15,
  pause: 0.006,
  resume: 0.08,
  confChange: 0.015,
  compact: 0.02,
  propose: 0.3
}

/** Make a seed calmer or stormier: every per-tick fault rate times `k` (message faults too, capped). */
function scaleFaults(f: FaultRates, k: number): FaultRates {
  const cap = (x: number): number => Math.min(x * k, 0.5)
  return {
    ...f,
    drop: cap(f.drop),
    duplicate: cap(f.duplicate),
    partition: cap(f.partition),
    crash: cap(f.crash),
    bounce: cap(f.bounce),
    pause: cap(f.pause),
    confChange: cap(f.confChange)
  }
}

/**
 * Options for a seed. The seed picks the cluster size (1, 3, 5, 7 in turn), whether PreVote and
 * CheckQuorum are on (all four combinations occur), the election timeout, how stormy the
 * nemesis is (0.5× to 4× the default fault rates), and the batching and
 * pipelining limits (down to one entry per MsgApp and one MsgApp in flight, which is where
 * commit-rule bugs show).
 */
export function simOptions(seed: number, overrides: Partial<SimOptions> = {}): SimOptions {
  // Spread consecutive seeds apart before deriving choices from them.
  const r = createRng(Math.imul(seed, 2654435761) ^ 0x5eed)
  for (let i = 0; i < 4; i++) r()
  const pick = <T>(xs: T[]): T => xs[randomInt(r, xs.length)]!
  return {
    seed,
    size: [1, 3, 5, 7][seed % 4]!,
    ticks: 300,
    livenessTicks: 1000,
    electionTick: pick([3, 5, 10]),
    checkQuorum: (seed >> 2) % 2 === 0,
    preVote: (seed >> 3) % 2 === 0,
    faults: scaleFaults(DEFAULT_FAULTS, pick([0.5, 1, 2, 4])),
    maxNodeId: 9,
    maxSizePerMsg: pick([1, 200, 64 * 1024]),
    maxInflightMsgs: pick([1, 4, 256]),
    ...overrides
  }
}

export interface SimResult {
  seed: number
  ok: boolean
  /** The invariant broken, or the liveness failure; undefined when ok. */
  failure?: string
  /** The tick it happened at. */
  tick: number
  stats: SimStats
}

export interface SimStats {
  leaders: number
  committed: Index
  crashes: number
  partitions: number
  confChanges: number
  snapshotsSent: number
  messages: number
  livenessTicks: number
}

interface InFlight {
  m: Message
  at: number
}

interface SimNode {
  id: NodeId
  disk: MemoryStorage
  raw: RawNode | null
  paused: boolean
  incarnation: number
  /** chain[i]: hash chain of this node's persisted log up to index i. */
  chain: number[]
  /** Applied state machine: the chain of applied entries. */
  smChain: number
  smIndex: Index
  /** Commit seen in this incarnation (never decreases within one). */
  lastCommit: Index
  observedCommit: Index
  stopped: boolean
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class Simulation {
  readonly checker = new SafetyChecker()
  private readonly rng: Rng
  private readonly nodes = new Map<NodeId, SimNode>()
  private net: InFlight[] = []
  private readonly cut = new Set<string>()
  private now = 0
  /** The nemesis phase; false once healed for the liveness check. */
  private faulty = true
  private readonly bounceSoon = new Set<NodeId>()
  private readonly crashAt = new Map<NodeId, number>()
  private nextId: NodeId
  private proposals = 0
  private readonly appliedValues = new Set<string>()
  /** Ids whose removal was applied by some node: committed, so final (ids are never reused). */
  private readonly removed = new Set<NodeId>()
  readonly stats: SimStats = { leaders: 0, committed: 0, crashes: 0, partitions: 0, confChanges: 0, snapshotsSent: 0, messages: 0, livenessTicks: 0 }

  constructor(readonly opts: SimOptions) {
    this.rng = createRng(opts.seed * 7919 + 17)
    const voters = Array.from({ length: opts.size }, (_, i) => i + 1)
    for (const id of voters) {
      const n = this.addNode(id)
      n.raw!.bootstrap(voters)
      // Bootstrapping is durable before the node serves anything (as the server does it).
      this.processReady(n)
    }
    this.nextId = opts.size + 1
  }

  private chance(p: number): boolean {
    return this.rng() < p
  }

  private pick<T>(xs: T[]): T | undefined {
    return xs.length === 0 ? undefined : xs[randomInt(this.rng, xs.length)]
  }

  private addNode(id: NodeId): SimNode {
    const n: SimNode = {
      id,
      disk: new MemoryStorage(),
      raw: null,
      paused: false,
      incarnation: 0,
      chain: [0],
      smChain: 0,
      smIndex: 0,
      lastCommit: 0,
      observedCommit: 0,
      stopped: false
    }
    this.nodes.set(id, n)
    this.boot(n)
    return n
  }

  /** (Re)start a node from its disk: volatile state starts over, the state machine from the snapshot. */
  private boot(n: SimNode): void {
    const snap = n.disk.snapshot()
    n.incarnation++
    n.raw = new RawNode({
      id: n.id,
      storage: n.disk,
      applied: snap.metadata.index,
      electionTick: this.opts.electionTick,
      heartbeatTick: 1,
      checkQuorum: this.opts.checkQuorum,
      preVote: this.opts.preVote,
      maxSizePerMsg: this.opts.maxSizePerMsg,
      maxInflightMsgs: this.opts.maxInflightMsgs,
      rng: createRng(this.opts.seed * 1_000_003 + n.id * 101 + n.incarnation),
      trace: (e) => this.onTrace(n, e)
    })
    n.smIndex = snap.metadata.index
    n.smChain = snap.metadata.index === 0 ? 0 : Number(decoder.decode(snap.data))
    n.lastCommit = n.disk.initialState().hardState.commit
    n.observedCommit = Math.max(n.lastCommit, snap.metadata.index)
  }

  private onTrace(n: SimNode, e: TraceEvent): void {
    if (e.type === 'roleChanged' && e.to === 'leader') {
      this.stats.leaders++
      this.checker.leaderElected(n.id, e.term)
      const log = n.raw!.raft.raftLog
      this.checker.leaderHasCommitted(n.id, e.term, log.lastIndex(), (i) => log.term(i))
      if (this.faulty && this.chance(this.opts.faults.crashNewLeader)) this.crashAt.set(n.id, this.now + randomInt(this.rng, 4))
    } else if (e.type === 'voteGranted' && !e.preVote && this.faulty && this.chance(this.opts.faults.bounceAfterVote)) {
      this.bounceSoon.add(n.id)
    } else if (e.type === 'confChanged' && e.change.type === 'removeNode') {
      this.removed.add(e.change.nodeId)
    } else if (e.type === 'snapshotSent') {
      this.stats.snapshotsSent++
    }
  }

  private live(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.raw && !n.stopped)
  }

  private running(): SimNode[] {
    return this.live().filter((n) => !n.paused)
  }

  private leader(): SimNode | undefined {
    const leaders = this.running().filter((n) => n.raw!.raft.role === 'leader')
    // Several nodes may believe they lead (in different terms); take the newest.
    leaders.sort((a, b) => b.raw!.raft.term - a.raw!.raft.term)
    return leaders[0]
  }

  // ---- the loop ------------------------------------------------------------------------

  run(): SimResult {
    try {
      for (; this.now < this.opts.ticks; this.now++) this.step()
      this.liveness()
      this.stats.committed = this.checker.maxCommitted
      return { seed: this.opts.seed, ok: true, tick: this.now, stats: this.stats }
    } catch (err) {
      this.stats.committed = this.checker.maxCommitted
      const failure = err instanceof InvariantViolation ? err.message : `crash of the simulation: ${err instanceof Error ? err.stack : String(err)}`
      return { seed: this.opts.seed, ok: false, failure, tick: this.now, stats: this.stats }
    }
  }

  private step(): void {
    for (const n of this.running()) n.raw!.tick()
    this.deliver()
    if (this.faulty) this.nemesis()
    if (this.chance(this.opts.faults.propose)) this.propose(`v${this.opts.seed}-${++this.proposals}`)
    for (const n of this.running()) this.processReady(n)
    for (const id of this.bounceSoon) {
      const n = this.nodes.get(id)!
      if (n.raw) {
        this.crash(n)
        this.boot(n)
      }
    }
    this.bounceSoon.clear()
    for (const [id, at] of this.crashAt) {
      if (at > this.now) continue
      this.crashAt.delete(id)
      const n = this.nodes.get(id)!
      if (n.raw) this.crash(n)
    }
  }

  private propose(value: string): void {
    const n = this.pick(this.running())
    n?.raw!.propose(encoder.encode(value))
  }

  private send(from: SimNode, m: Message): void {
    this.stats.messages++
    if (this.faulty && this.chance(this.opts.faults.drop)) return this.lost(from, m)
    // Once calm, the network meets Raft's timing assumption: delivery well within an election timeout.
    const delay = (): number => randomInt(this.rng, (this.faulty ? this.opts.faults.maxDelay : 1) + 1)
    this.net.push({ m, at: this.now + delay() })
    if (this.faulty && this.chance(this.opts.faults.duplicate)) this.net.push({ m, at: this.now + delay() })
  }

  /** A lost MsgSnap is reported to the sender, as a real transport would when its stream fails. */
  private lost(from: SimNode | undefined, m: Message): void {
    if (m.type === 'MsgSnap' && from?.raw && !from.stopped) from.raw.reportSnapshot(m.to, true)
  }

  private deliver(): void {
    const faulty = this.faulty
    const due: InFlight[] = []
    const later: InFlight[] = []
    for (const f of this.net) (f.at <= this.now ? due : later).push(f)
    this.net = later
    // Reorder: deliver what is due in a random order.
    for (let i = due.length - 1; i > 0; i--) {
      const j = randomInt(this.rng, i + 1)
      ;[due[i], due[j]] = [due[j]!, due[i]!]
    }
    for (const { m, at } of due) {
      const to = this.nodes.get(m.to)
      const from = this.nodes.get(m.from)
      if (!to || !to.raw || to.stopped || (faulty && this.cut.has(`${m.from}->${m.to}`))) {
        this.lost(from, m)
        continue
      }
      if (to.paused) {
        // A frozen process: the bytes wait in its socket buffer.
        this.net.push({ m, at })
        continue
      }
      to.raw.step(m)
      if (m.type === 'MsgSnap' && from?.raw && !from.stopped) from.raw.reportSnapshot(m.to, false)
    }
  }

  private processReady(n: SimNode): void {
    const raw = n.raw!
    while (raw.hasReady()) {
      const rd = raw.ready()
      this.persist(n, rd)
      for (const m of rd.messages) this.send(n, m)
      this.apply(n, rd)
      raw.advance()
      this.maybeCompact(n)
    }
    const commit = raw.raft.raftLog.committed
    // Commit index never decreases within one incarnation of a node.
    if (commit < n.lastCommit) {
      throw new InvariantViolation('commit monotonicity', `node ${n.id} commit went from ${n.lastCommit} down to ${commit} without a crash`)
    }
    n.lastCommit = commit
  }

  private persist(n: SimNode, rd: Ready): void {
    if (rd.snapshot) {
      const { index, term } = rd.snapshot.metadata
      n.disk.applySnapshot(rd.snapshot)
      const chain = this.checker.knownChain(index, term)
      if (chain === undefined) throw new Error(`snapshot ${term}/${index} arrived at node ${n.id} but no log ever held that entry`)
      n.chain = []
      n.chain[index] = chain
    }
    if (rd.entries.length > 0) {
      n.disk.append(rd.entries)
      const first = rd.entries[0]!.index
      n.chain.length = first
      let prev = n.chain[first - 1]
      if (prev === undefined) throw new Error(`node ${n.id} appended at ${first} with no entry before it`)
      for (const e of rd.entries) {
        prev = chainHash(prev, e)
        n.chain[e.index] = prev
        this.checker.logEntry(n.id, e.index, e.term, prev)
      }
    }
    if (rd.hardState) {
      n.disk.setHardState(rd.hardState)
      // Everything up to the commit index is persisted now: record what this node committed.
      const log = n.raw!.raft.raftLog
      for (let i = n.observedCommit + 1; i <= rd.hardState.commit; i++) {
        const chain = n.chain[i]
        const term = log.term(i)
        if (chain === undefined || term === undefined) continue
        this.checker.commitObserved(n.id, i, term, chain, n.raw!.raft.term)
      }
      n.observedCommit = Math.max(n.observedCommit, rd.hardState.commit)
    }
  }

  private apply(n: SimNode, rd: Ready): void {
    if (rd.snapshot) {
      n.smIndex = rd.snapshot.metadata.index
      n.smChain = Number(decoder.decode(rd.snapshot.data))
      this.checker.entryApplied(n.id, n.smIndex, n.smChain)
    }
    for (const e of rd.committedEntries) this.applyEntry(n, e)
  }

  private applyEntry(n: SimNode, e: Entry): void {
    if (e.index !== n.smIndex + 1) throw new Error(`node ${n.id} applied ${e.index} after ${n.smIndex}: out of order`)
    n.smChain = chainHash(n.smChain, e)
    n.smIndex = e.index
    this.checker.entryApplied(n.id, e.index, n.smChain)
    if (e.type === 'normal' && e.data.length > 0) this.appliedValues.add(`${n.id}:${decoder.decode(e.data)}`)
  }

  private maybeCompact(n: SimNode): void {
    if (!this.chance(this.opts.faults.compact)) return
    const applied = n.smIndex
    const first = n.disk.firstIndex()
    if (applied - first < 8) return
    n.disk.createSnapshot(applied, n.raw!.raft.appliedConfState(), encoder.encode(String(n.smChain)))
    // Keep a few entries so slightly lagging peers still get appends, not snapshots.
    n.disk.compact(applied - 2)
  }

  // ---- the nemesis ---------------------------------------------------------------------

  private nemesis(): void {
    const f = this.opts.faults
    const ids = this.live().map((n) => n.id)
    if (this.chance(f.partition) && ids.length > 1) this.partition(ids)
    if (this.cut.size > 0 && this.chance(f.heal)) this.cut.clear()
    if (this.chance(f.crash)) {
      const n = this.pick(this.live())
      if (n) this.crash(n)
    }
    if (this.chance(f.bounce)) {
      const n = this.pick(this.live())
      if (n) {
        this.crash(n)
        this.boot(n)
      }
    }
    for (const n of this.nodes.values()) {
      if (!n.raw && !n.stopped && this.chance(f.restart)) this.boot(n)
      if (n.paused && this.chance(f.resume)) n.paused = false
    }
    if (this.chance(f.pause)) {
      const n = this.pick(this.running())
      if (n) n.paused = true
    }
    if (this.chance(f.confChange)) this.changeMembership()
  }

  private partition(ids: NodeId[]): void {
    this.stats.partitions++
    this.cut.clear()
    const kind = randomInt(this.rng, 3)
    if (kind === 0) {
      // Symmetric split into two random sides.
      const side = new Set(ids.filter(() => this.chance(0.5)))
      for (const a of ids) for (const b of ids) if (side.has(a) !== side.has(b)) this.cut.add(`${a}->${b}`)
    } else if (kind === 1) {
      // Isolate one node.
      const x = this.pick(ids)!
      for (const o of ids) if (o !== x) this.cut.add(`${x}->${o}`).add(`${o}->${x}`)
    } else {
      // One-way cuts: a sends nothing to b, b still reaches a.
      for (let i = 0; i < 1 + randomInt(this.rng, 3); i++) {
        const a = this.pick(ids)!
        const b = this.pick(ids)!
        if (a !== b) this.cut.add(`${a}->${b}`)
      }
    }
  }

  private crash(n: SimNode): void {
    this.stats.crashes++
    // Everything not persisted dies with the process: raft's memory, unsent messages.
    n.raw = null
    n.paused = false
    const [toIt, rest] = [this.net.filter((f) => f.m.to === n.id), this.net.filter((f) => f.m.to !== n.id)]
    this.net = rest
    // Its connections break: senders of snapshots in flight to it learn that they failed.
    for (const f of toIt) this.lost(this.nodes.get(f.m.from), f.m)
  }

  private changeMembership(): void {
    const leader = this.leader()
    if (!leader) return
    const cfg = leader.raw!.raft.confState()
    const members = cfg.voters.length + cfg.learners.length
    const choice = randomInt(this.rng, 3)
    if (choice === 0 && this.nextId <= this.opts.maxNodeId && members < 7) {
      const id = this.nextId++
      // Start the new node first, with an empty disk: it learns everything from the leader.
      this.addNode(id)
      this.stats.confChanges++
      leader.raw!.proposeConfChange({ type: 'addLearner', nodeId: id })
    } else if (choice === 1 && cfg.learners.length > 0) {
      this.stats.confChanges++
      leader.raw!.proposeConfChange({ type: 'addVoter', nodeId: this.pick(cfg.learners)! })
    } else if (choice === 2 && members > 1) {
      const target = this.pick([...cfg.voters, ...cfg.learners])!
      if (cfg.voters.length <= 1 && cfg.voters.includes(target)) return
      this.stats.confChanges++
      leader.raw!.proposeConfChange({ type: 'removeNode', nodeId: target })
    }
  }

  // ---- liveness ------------------------------------------------------------------------

  /**
   * Heal the network, wake every node, bring crashed members back and retire removed ones;
   * then a leader must be elected and a new proposal applied on it within the bound.
   */
  private liveness(): void {
    this.faulty = false
    this.cut.clear()
    for (const n of this.nodes.values()) {
      n.paused = false
      if (!n.raw && !n.stopped) this.boot(n)
    }
    const start = this.now
    const value = `live-${this.opts.seed}`
    let proposedTo: NodeId | undefined
    let proposedTerm = -1
    for (; this.now < start + this.opts.livenessTicks; this.now++) {
      const leader = this.leader()
      if (leader && (proposedTo !== leader.id || proposedTerm !== leader.raw!.raft.term)) {
        proposedTo = leader.id
        proposedTerm = leader.raw!.raft.term
        leader.raw!.propose(encoder.encode(value))
      }
      for (const n of this.running()) n.raw!.tick()
      this.deliver()
      for (const n of this.running()) this.processReady(n)
      if (leader && this.appliedValues.has(`${leader.id}:${value}`)) {
        this.stats.livenessTicks = this.now - start
        return
      }
    }
    const roles = this.live().map((n) => `${n.id}:${n.raw!.raft.role}@${n.raw!.raft.term}`).join(' ')
    throw new InvariantViolation('liveness', `no leader committed a proposal within ${this.opts.livenessTicks} ticks after healing (${roles})`)
  }
}

/** Run one seed with default options (or overrides). */
export function runSeed(seed: number, overrides: Partial<SimOptions> = {}): SimResult {
  return new Simulation(simOptions(seed, overrides)).run()
}
