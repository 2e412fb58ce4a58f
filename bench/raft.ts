// Raft core figures, in process: three RawNodes with MemoryStorage and an instant network
// (every message is delivered as soon as the Ready that carries it is processed), single thread.
//   - throughput: committed-and-applied 64-byte proposals per second with batching, several
//     rounds of at least `minRoundMs` of work each, on a fresh cluster per round;
//   - election: ticks from a fresh cluster to the first leader, over many seeds, and ticks from
//     the loss of a leader to the next one (electionTick 10, heartbeatTick 1, PreVote and
//     CheckQuorum on, as the core's defaults).
// The loop follows the Ready contract of node-core/src/raft/README.md: persist, send, apply, advance.
import { createRng } from '../node-core/src/raft/rand'
import { RawNode } from '../node-core/src/raft/raw-node'
import { MemoryStorage } from '../node-core/src/raft/storage'
import { emptyMessage, type Entry, type Message, type NodeId } from '../node-core/src/raft/types'
import { summarize, type Summary } from './stats'

export interface RaftBenchOptions {
  /** Timed rounds per throughput mode (a fresh cluster each). */
  rounds?: number
  /** Minimum wall time of proposing work in one round, ms. */
  minRoundMs?: number
  /** Proposals per batch (proposed back to back, then the cluster is driven until quiet). */
  batch?: number
  /** Bytes of each command. */
  commandBytes?: number
  /** Seeds for the election figures. */
  electionSeeds?: number
  /** Snapshot and compact storage about every this many entries, as a server does (0: never). */
  compactEvery?: number
  /** Which throughput modes to run (default: all). */
  modes?: ThroughputModeName[]
}

export type ThroughputModeName = 'propose' | 'msgprop-batch'

export interface ThroughputRound {
  proposals: number
  ms: number
  perSecond: number
  batches: number
  readies: number
  messages: number
}

export interface ThroughputMode {
  mode: ThroughputModeName
  description: string
  rounds: ThroughputRound[]
  perSecond: Summary
  p50: number
  best: number
}

export interface RaftBenchReport {
  config: Required<RaftBenchOptions> & { nodes: number; electionTick: number; heartbeatTick: number }
  throughput: ThroughputMode[]
  election: {
    /** Fresh cluster: ticks of every node until some node is leader. */
    firstLeaderTicks: Summary
    /** Established cluster, leader cut off: ticks of the two others until one of them leads. */
    failoverTicks: Summary
    /** How many of the fresh-cluster elections needed more than one campaign (split votes). */
    retried: number
    histogram: Record<number, number>
  }
}

const ELECTION_TICK = 10
const HEARTBEAT_TICK = 1

/** An in-process cluster on an instant network. */
class BenchCluster {
  readonly ids: NodeId[]
  readonly nodes = new Map<NodeId, RawNode>()
  readonly storages = new Map<NodeId, MemoryStorage>()
  readonly down = new Set<NodeId>()
  /** Normal, non-empty entries applied per node (the proposals). */
  readonly applied = new Map<NodeId, number>()
  readies = 0
  messages = 0
  private inbox: Message[] = []

  constructor(n: number, seed: number) {
    this.ids = Array.from({ length: n }, (_, i) => i + 1)
    for (const id of this.ids) {
      const storage = new MemoryStorage()
      const node = new RawNode({
        id,
        storage,
        electionTick: ELECTION_TICK,
        heartbeatTick: HEARTBEAT_TICK,
        rng: createRng(seed * 7919 + id)
      })
      node.bootstrap(this.ids)
      this.nodes.set(id, node)
      this.storages.set(id, storage)
      this.applied.set(id, 0)
    }
  }

  node(id: NodeId): RawNode {
    return this.nodes.get(id)!
  }

  leader(): NodeId | undefined {
    for (const [id, n] of this.nodes) if (!this.down.has(id) && n.raft.role === 'leader') return id
    return undefined
  }

  /** Handle one node's Readies: persist, send (queue), apply, advance. */
  private processNode(id: NodeId, n: RawNode): boolean {
    let any = false
    const st = this.storages.get(id)!
    while (n.hasReady()) {
      any = true
      this.readies++
      const rd = n.ready()
      // 1. persist (MemoryStorage: "durable" as soon as written)
      if (rd.snapshot) st.applySnapshot(rd.snapshot)
      if (rd.entries.length > 0) st.append(rd.entries)
      if (rd.hardState) st.setHardState(rd.hardState)
      // 2. send
      for (const m of rd.messages) this.inbox.push(m)
      this.messages += rd.messages.length
      // 3. apply
      let applied = 0
      for (const e of rd.committedEntries) if (e.type === 'normal' && e.data.length > 0) applied++
      if (applied > 0) this.applied.set(id, this.applied.get(id)! + applied)
      // 4. advance
      n.advance()
    }
    return any
  }

  /** Drive Readies and deliver messages until nothing moves. */
  stabilize(): void {
    for (;;) {
      let any = false
      for (const [id, n] of this.nodes) if (!this.down.has(id) && this.processNode(id, n)) any = true
      if (this.inbox.length === 0) {
        if (!any) return
        continue
      }
      const msgs = this.inbox
      this.inbox = []
      for (const m of msgs) {
        if (this.down.has(m.to) || this.down.has(m.from)) continue
        this.node(m.to).step(m)
      }
    }
  }

  tick(): void {
    for (const [id, n] of this.nodes) if (!this.down.has(id)) n.tick()
  }

  /** What a server does after a snapshot: keep storage from growing without bound. */
  compact(keep: number): void {
    let minApplied = Infinity
    for (const n of this.nodes.values()) minApplied = Math.min(minApplied, n.raft.raftLog.applied)
    for (const [id, st] of this.storages) {
      const upTo = minApplied - keep
      if (upTo > st.firstIndex()) {
        st.createSnapshot(upTo, this.node(id).raft.appliedConfState(), new Uint8Array())
        st.compact(upTo)
      }
    }
  }
}

function electedCluster(seed: number): BenchCluster {
  const c = new BenchCluster(3, seed)
  c.stabilize() // the bootstrap Ready: conf changes applied, so node 1 may campaign
  c.node(1).campaign()
  c.stabilize()
  if (c.leader() !== 1) throw new Error(`node 1 did not win the election (leader: ${c.leader()})`)
  return c
}

type Proposer = (leader: RawNode, cmds: Uint8Array[]) => void

const proposeEach: Proposer = (leader, cmds) => {
  for (const cmd of cmds) {
    const r = leader.propose(cmd)
    if (!r.ok) throw new Error(`proposal refused: ${r.code} ${r.message}`)
  }
}

/** One MsgProp carrying the whole batch (what a server's proposal queue can do). */
const proposeBatch: Proposer = (leader, cmds) => {
  const entries: Entry[] = cmds.map((data) => ({ term: 0, index: 0, type: 'normal', data }))
  const r = leader.step({ ...emptyMessage('MsgProp', leader.raft.id, 0, 0), entries })
  if (!r.ok) throw new Error(`proposal refused: ${r.code} ${r.message}`)
}

function throughputRound(seed: number, o: Required<RaftBenchOptions>, propose: Proposer): ThroughputRound {
  const c = electedCluster(seed)
  const leader = c.node(1)
  // Distinct 64-byte commands, made up front so the timing measures Raft, not the generator.
  const rng = createRng(seed)
  const pool = Array.from({ length: o.batch }, () => {
    const b = new Uint8Array(o.commandBytes)
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(rng() * 256)
    return b
  })
  const startApplied = c.applied.get(1)!
  const startReadies = c.readies
  const startMsgs = c.messages
  let batches = 0
  const t0 = performance.now()
  let elapsed = 0
  while (elapsed < o.minRoundMs) {
    propose(leader, pool)
    c.stabilize()
    batches++
    if (o.compactEvery > 0 && batches % Math.max(1, Math.floor(o.compactEvery / o.batch)) === 0) c.compact(o.batch)
    elapsed = performance.now() - t0
  }
  const proposals = c.applied.get(1)! - startApplied
  // Check the work was real: everything proposed is committed and applied on every node.
  const want = batches * o.batch
  for (const id of c.ids) {
    if (c.applied.get(id)! - startApplied !== want) {
      throw new Error(`node ${id} applied ${c.applied.get(id)! - startApplied} of ${want} proposals`)
    }
  }
  return { proposals, ms: elapsed, perSecond: (proposals / elapsed) * 1000, batches, readies: c.readies - startReadies, messages: c.messages - startMsgs }
}

function throughputMode(mode: ThroughputModeName, description: string, propose: Proposer, o: Required<RaftBenchOptions>): ThroughputMode {
  // Warm-up (JIT): a short untimed round.
  throughputRound(999, { ...o, minRoundMs: Math.min(300, o.minRoundMs) }, propose)
  const rounds: ThroughputRound[] = []
  for (let r = 0; r < o.rounds; r++) rounds.push(throughputRound(r + 1, o, propose))
  const rates = rounds.map((r) => r.perSecond)
  const s = summarize(rates)
  return { mode, description, rounds, perSecond: s, p50: s.p50, best: s.max }
}

/** Ticks until a fresh cluster has a leader; also whether more than one node campaigned. */
function firstElection(seed: number): { ticks: number; retried: boolean } {
  const c = new BenchCluster(3, seed)
  c.stabilize()
  let campaigns = 0
  for (let ticks = 1; ticks <= 1000; ticks++) {
    const before = [...c.nodes.values()].map((n) => n.raft.term)
    c.tick()
    c.stabilize()
    const after = [...c.nodes.values()].map((n) => n.raft.term)
    if (after.some((t, i) => t > before[i]!)) campaigns++
    if (c.leader() !== undefined) return { ticks, retried: campaigns > 1 }
  }
  throw new Error(`seed ${seed}: no leader after 1000 ticks`)
}

/** Ticks from cutting off the leader of an established cluster until another node leads. */
function failover(seed: number): number {
  const c = electedCluster(seed)
  // Settle: a few heartbeats so every follower has heard from the leader.
  for (let i = 0; i < 3; i++) {
    c.tick()
    c.stabilize()
  }
  c.down.add(1)
  for (let ticks = 1; ticks <= 1000; ticks++) {
    c.tick()
    c.stabilize()
    if (c.leader() !== undefined) return ticks
  }
  throw new Error(`seed ${seed}: no new leader after 1000 ticks`)
}

export async function runRaftBench(options: RaftBenchOptions = {}): Promise<RaftBenchReport> {
  const o: Required<RaftBenchOptions> = {
    rounds: options.rounds ?? 5,
    minRoundMs: options.minRoundMs ?? 1000,
    batch: options.batch ?? 1000,
    commandBytes: options.commandBytes ?? 64,
    electionSeeds: options.electionSeeds ?? 1000,
    compactEvery: options.compactEvery ?? 10_000,
    modes: options.modes ?? ['propose', 'msgprop-batch']
  }
  const throughput: ThroughputMode[] = []
  if (o.modes.includes('propose')) {
    throughput.push(throughputMode('propose', `RawNode.propose() × ${o.batch}, then Ready/advance until quiet`, proposeEach, o))
  }
  if (o.modes.includes('msgprop-batch')) {
    throughput.push(throughputMode('msgprop-batch', `one MsgProp of ${o.batch} entries, then Ready/advance until quiet`, proposeBatch, o))
  }
  // Let the event loop breathe between the long synchronous parts.
  await new Promise((r) => setImmediate(r))

  const first: number[] = []
  let retried = 0
  const histogram: Record<number, number> = {}
  for (let seed = 1; seed <= o.electionSeeds; seed++) {
    const r = firstElection(seed)
    first.push(r.ticks)
    if (r.retried) retried++
    histogram[r.ticks] = (histogram[r.ticks] ?? 0) + 1
  }
  const fail: number[] = []
  for (let seed = 1; seed <= o.electionSeeds; seed++) fail.push(failover(seed))

  return {
    config: { ...o, nodes: 3, electionTick: ELECTION_TICK, heartbeatTick: HEARTBEAT_TICK },
    throughput,
    election: { firstLeaderTicks: summarize(first), failoverTicks: summarize(fail), retried, histogram }
  }
}

/** Rows for the summary table of bench/index.ts. */
export function raftSummaryRows(r: RaftBenchReport): Record<string, Summary> {
  const rows: Record<string, Summary> = {}
  for (const t of r.throughput) rows[`raft 3 nodes in-process, ${t.mode}: ${r.config.commandBytes}-byte proposals/s`] = t.perSecond
  rows['raft election, fresh 3-node cluster → leader, ticks'] = r.election.firstLeaderTicks
  rows['raft failover, leader lost → new leader, ticks'] = r.election.failoverTicks
  return rows
}

/** A Markdown section with the details. */
export function raftMarkdown(r: RaftBenchReport): string {
  const c = r.config
  const lines = [
    '## Raft core (in process)',
    '',
    `3 RawNodes, MemoryStorage, instant network, one thread. Batches of ${c.batch} × ${c.commandBytes}-byte commands, ` +
      `each batch driven (persist → send → apply → advance) until quiet; ≥ ${c.minRoundMs} ms of work per round, ` +
      `${c.rounds} rounds on a fresh cluster each after a warm-up; storage snapshotted and compacted every ~${c.compactEvery} entries.`,
    '',
    '| mode | p50 proposals/s | best proposals/s | rounds (proposals/s) | Readies / batch | messages / batch |',
    '|---|---|---|---|---|---|',
    ...r.throughput.map((t) => {
      const last = t.rounds[t.rounds.length - 1]!
      return `| ${t.description} | ${Math.round(t.p50).toLocaleString('en-US')} | ${Math.round(t.best).toLocaleString('en-US')} | ${t.rounds
        .map((x) => Math.round(x.perSecond).toLocaleString('en-US'))
        .join(', ')} | ${(last.readies / last.batches).toFixed(1)} | ${(last.messages / last.batches).toFixed(1)} |`
    }),
    '',
    `Elections (electionTick ${c.electionTick}, heartbeatTick ${c.heartbeatTick}, PreVote + CheckQuorum, ${c.electionSeeds} seeds):`,
    '',
    '| measure | min | p50 | p90 | max | mean |',
    '|---|---|---|---|---|---|',
    `| fresh cluster → first leader, ticks | ${fmt(r.election.firstLeaderTicks)} |`,
    `| leader lost → new leader, ticks | ${fmt(r.election.failoverTicks)} |`,
    '',
    `Fresh-cluster elections that needed a second campaign (split pre-vote/vote): ${r.election.retried} of ${c.electionSeeds}.`,
    ''
  ]
  return lines.join('\n')
}

const fmt = (s: Summary): string => `${s.min} | ${s.p50} | ${s.p90} | ${s.max} | ${s.mean}`
