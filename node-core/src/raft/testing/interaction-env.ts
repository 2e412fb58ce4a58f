import { describeMessage, describeReady, describeTrace } from '../describe'
import type { RawNode } from '../raw-node'
import type { TraceEvent } from '../trace'
import { RaftInvariantError, type Message, type MessageType, type NodeId, type StepResult } from '../types'
import { DataDrivenError, parseLine, type CmdArg, type TestCase } from './datadriven'
import { Network } from './network'
import { Output } from './output'
import { TestNode } from './test-node'
import { handleAddNodes, handleCompact, handleCrash, handleRestart, handleWipe, handleWriteLog } from './handle-nodes'
import { handleCut, handleHeal, handlePartition } from './handle-network'
import { handleLogLevel, handleRaftLog, handleRaftState, handleStatus } from './handle-inspect'
import { handleDeliverMsgs, handleProcessReady, handleStabilize } from './handle-ready'
import {
  handleCampaign,
  handlePropose,
  handleProposeConfChange,
  handleReadIndex,
  handleTick,
  handleTickElection,
  handleTickHeartbeat,
  handleTransferLeadership
} from './handle-requests'

/** A command handler: reads its arguments, drives the env, prints to `env.out`. */
export type Handler = (env: InteractionEnv, cmd: string, args: CmdArg[]) => void

/**
 * The commands of the interaction tests, named after etcd-io/raft's rafttest where etcd has
 * one. Each handler documents its arguments in its own file.
 */
const HANDLERS: Record<string, Handler> = {
  'add-nodes': handleAddNodes,
  campaign: handleCampaign,
  compact: handleCompact,
  crash: handleCrash,
  cut: handleCut,
  'deliver-msgs': handleDeliverMsgs,
  heal: handleHeal,
  'log-level': handleLogLevel,
  partition: handlePartition,
  'process-ready': handleProcessReady,
  propose: handlePropose,
  'propose-conf-change': handleProposeConfChange,
  'raft-log': handleRaftLog,
  'raft-state': handleRaftState,
  'read-index': handleReadIndex,
  restart: handleRestart,
  stabilize: handleStabilize,
  status: handleStatus,
  tick: handleTick,
  'tick-election': handleTickElection,
  'tick-heartbeat': handleTickHeartbeat,
  'transfer-leadership': handleTransferLeadership,
  wipe: handleWipe,
  'write-log': handleWriteLog
}

/** Trace events shown only at log level debug (the Ready dumps already show them). */
const DEBUG_EVENTS: ReadonlySet<TraceEvent['type']> = new Set(['msgSent', 'msgReceived', 'commitAdvanced'])
/** Trace events that mean "the election timer fired" (see tick-election). */
const ELECTION_EVENTS: ReadonlySet<TraceEvent['type']> = new Set(['roleChanged', 'termChanged', 'voteRequested', 'electionWon'])

/** Safety valve for stabilize: a livelock is a bug to report, not a hang. */
const MAX_STABILIZE_ROUNDS = 1000

/**
 * The interaction-test environment (etcd-io/raft's rafttest.InteractionEnv): N nodes, each a
 * MemoryStorage plus a RawNode with a seeded generator, an in-memory network with cuttable
 * links, and the commands that drive them step by step. Everything is deterministic: the
 * same script always prints the same text.
 */
export class InteractionEnv {
  /** Node ids are 1..n, in creation order. */
  readonly nodes: TestNode[] = []
  readonly net = new Network()
  readonly out = new Output()
  /** Set when a node's election timer fires (read by tick-election). */
  electionFired = false
  /** While > 0, trace events are not printed (e.g. during add-nodes' silent bootstrap). */
  private muted = 0

  /** Run one test case (its command, then each input line as a further command). */
  handle(tc: TestCase): string {
    this.run(tc.cmd, tc.args)
    for (const line of tc.input.split('\n')) {
      if (line.trim() === '' || line.trim().startsWith('#')) continue
      const { cmd, args } = parseLine(line)
      this.run(cmd, args)
    }
    const s = this.out.take()
    return s === '' ? 'ok' : s
  }

  private run(cmd: string, args: CmdArg[]): void {
    const h = HANDLERS[cmd]
    if (!h) throw new DataDrivenError(`unknown command ${JSON.stringify(cmd)}`)
    h(this, cmd, args)
  }

  // ---- node access ---------------------------------------------------------------------

  newNode(opts: TestNode['opts']): TestNode {
    const n = new TestNode(this.nodes.length + 1, opts, (e) => this.onTrace(e))
    this.nodes.push(n)
    return n
  }

  node(id: NodeId): TestNode {
    const n = this.nodes[id - 1]
    if (!n) throw new DataDrivenError(`no node ${id} (there are ${this.nodes.length})`)
    return n
  }

  /** The RawNode of a running node; scripts must not drive a crashed node. */
  raw(id: NodeId): RawNode {
    const r = this.node(id).raw
    if (!r) throw new DataDrivenError(`node ${id} is down (crashed); restart it first`)
    return r
  }

  allIds(): NodeId[] {
    return this.nodes.map((n) => n.id)
  }

  /** Run `fn` with trace output muted. */
  quietly(fn: () => void): void {
    this.muted++
    try {
      fn()
    } finally {
      this.muted--
    }
  }

  private onTrace(e: TraceEvent): void {
    if (ELECTION_EVENTS.has(e.type)) this.electionFired = true
    if (this.muted > 0) return
    if (DEBUG_EVENTS.has(e.type)) this.out.write(`DEBUG ${describeTrace(e)}`, 'debug')
    else this.out.write(`INFO ${describeTrace(e)}`)
  }

  /**
   * Call into node `id`. A RaftInvariantError is what etcd-io/raft would panic with: print it
   * and take the node down, as the process would die. Anything else is a harness bug.
   */
  guard<T>(id: NodeId, fn: () => T): T | undefined {
    try {
      return fn()
    } catch (err) {
      if (!(err instanceof RaftInvariantError)) throw err
      this.out.always(`PANIC ${id}: ${err.message} (node ${id} is down)`)
      this.node(id).crash()
      return undefined
    }
  }

  /** Print a refused request (an expected outcome, shown at every log level). */
  printResult(r: StepResult | undefined): void {
    if (r && !r.ok) this.out.always(`refused: ${r.code}: ${r.message}`)
  }

  // ---- the Ready loop ------------------------------------------------------------------

  /**
   * Handle one Ready of node `id` as a careful server would: print it, persist the snapshot,
   * entries and HardState to the MemoryStorage, queue the messages, apply the snapshot and
   * the committed entries to the state machine, then advance (conf changes take effect there).
   */
  processReady(id: NodeId): void {
    const n = this.node(id)
    const raw = this.raw(id)
    const rd = this.guard(id, () => raw.ready())
    if (!rd) return
    this.out.write(`Ready MustSync=${rd.mustSync}:`)
    const d = describeReady(rd)
    if (d !== '') this.out.write(d)
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot)
    n.storage.append(rd.entries)
    if (rd.hardState) n.storage.setHardState(rd.hardState)
    for (const m of rd.messages) this.net.send(m)
    if (rd.snapshot) n.sm.restore(rd.snapshot)
    for (const e of rd.committedEntries) n.sm.apply(e)
    this.guard(id, () => raw.advance())
  }

  /**
   * Deliver (or, with `drop`, discard) the messages queued for `to`, optionally only those of
   * one type. Messages crossing a cut link or addressed to a crashed node are lost. Returns how
   * many messages were handled.
   */
  deliverMsgs(to: NodeId, opts: { type?: MessageType; drop?: boolean } = {}): number {
    const msgs = this.net.take(to, (m) => opts.type === undefined || m.type === opts.type)
    for (const m of msgs) this.deliver(m, opts.drop ?? false)
    return msgs.length
  }

  private deliver(m: Message, drop: boolean): void {
    const target = this.nodes[m.to - 1]
    if (drop || this.net.isCut(m.from, m.to) || !target?.raw) {
      this.out.write(`dropped: ${describeMessage(m)}`)
      return
    }
    this.out.write(describeMessage(m))
    const raw = target.raw
    this.printResult(this.guard(m.to, () => raw.step(m)))
  }

  /** Process Readys and deliver messages among `ids` until nothing is left to do. */
  stabilize(ids: NodeId[]): void {
    for (let round = 0; round < MAX_STABILIZE_ROUNDS; round++) {
      let done = true
      for (const id of ids) {
        const raw = this.node(id).raw
        if (raw && raw.hasReady()) {
          done = false
          this.out.write(`> ${id} handling Ready`)
          this.out.withIndent(() => this.processReady(id))
        }
      }
      for (const id of ids) {
        if (this.net.pending(id) > 0) {
          done = false
          this.out.write(`> ${id} receiving messages`)
          this.out.withIndent(() => this.deliverMsgs(id))
        }
      }
      if (done) return
    }
    throw new Error(`stabilize did not settle within ${MAX_STABILIZE_ROUNDS} rounds (livelock?)`)
  }
}
