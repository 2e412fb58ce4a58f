import { createRng } from '../rand'
import { RawNode } from '../raw-node'
import { MemoryStorage, cloneConf } from '../storage'
import type { TraceSink } from '../trace'
import { decodeConfChange, type ConfChange, type ConfState, type Entry, type Index, type NodeId, type Snapshot } from '../types'

/** Per-node settings of the interaction environment (see `add-nodes`). */
export interface NodeOptions {
  electionTick: number
  heartbeatTick: number
  preVote: boolean
  checkQuorum: boolean
  maxInflightMsgs: number
  maxSizePerMsg: number
}

export const DEFAULT_NODE_OPTIONS: NodeOptions = {
  electionTick: 10,
  heartbeatTick: 1,
  preVote: true,
  checkQuorum: true,
  maxInflightMsgs: 256,
  maxSizePerMsg: 64 * 1024
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A snapshot's data: the state machine's applied payloads, as a JSON array of strings. */
export const encodeSnapshotData = (payloads: string[]): Uint8Array => encoder.encode(JSON.stringify(payloads))

export function decodeSnapshotData(data: Uint8Array): string[] {
  if (data.length === 0) return []
  const v: unknown = JSON.parse(decoder.decode(data))
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error('malformed snapshot data')
  return v as string[]
}

/** The membership after applying `cc` to `conf`, with the same rules as Raft.applyConfChange. */
export function applyConfChangeTo(conf: ConfState, cc: ConfChange): ConfState {
  const voters = new Set(conf.voters)
  const learners = new Set(conf.learners)
  switch (cc.type) {
    case 'addLearner':
      if (!voters.has(cc.nodeId)) learners.add(cc.nodeId)
      break
    case 'addVoter':
      learners.delete(cc.nodeId)
      voters.add(cc.nodeId)
      break
    case 'removeNode':
      voters.delete(cc.nodeId)
      learners.delete(cc.nodeId)
      break
  }
  const sorted = (s: Set<NodeId>): NodeId[] => [...s].sort((a, b) => a - b)
  return { voters: sorted(voters), learners: sorted(learners) }
}

/**
 * The harness's state machine: the list of applied payloads (non-empty normal entries), plus
 * the membership as of each applied index, so that a snapshot can be cut at any applied index.
 */
export class StateMachine {
  /** The state at `baseIndex` (the last snapshot applied or restored). */
  private baseIndex: Index = 0
  private basePayloads: string[] = []
  private baseConf: ConfState = { voters: [], learners: [] }
  /** Entries applied since the base, in order. */
  private applied: Entry[] = []

  /** Index of the last applied entry (or snapshot). */
  get index(): Index {
    return this.applied.length > 0 ? this.applied[this.applied.length - 1]!.index : this.baseIndex
  }

  restore(s: Snapshot): void {
    this.baseIndex = s.metadata.index
    this.basePayloads = decodeSnapshotData(s.data)
    this.baseConf = cloneConf(s.metadata.confState)
    this.applied = []
  }

  apply(e: Entry): void {
    if (e.index <= this.index) throw new Error(`state machine: entry ${e.index} applied twice (at ${this.index})`)
    this.applied.push(e)
  }

  /** Payloads and membership as of applied index `i` (baseIndex <= i <= index). */
  stateAt(i: Index): { payloads: string[]; conf: ConfState } {
    if (i < this.baseIndex || i > this.index) throw new Error(`state machine has no state at ${i} (has ${this.baseIndex}..${this.index})`)
    const payloads = [...this.basePayloads]
    let conf = cloneConf(this.baseConf)
    for (const e of this.applied) {
      if (e.index > i) break
      if (e.type === 'confChange') conf = applyConfChangeTo(conf, decodeConfChange(e.data))
      else if (e.data.length > 0) payloads.push(decoder.decode(e.data))
    }
    return { payloads, conf }
  }
}

/**
 * One simulated server: a disk (MemoryStorage, which survives crashes), a state machine and,
 * while it runs, a RawNode. Crashing drops the RawNode and whatever it had not handed out in a
 * Ready (in this harness every Ready is persisted before the next command, so the disk holds
 * everything that was ever handed out).
 */
export class TestNode {
  storage = new MemoryStorage()
  sm = new StateMachine()
  raw: RawNode | undefined

  constructor(
    readonly id: NodeId,
    readonly opts: NodeOptions,
    private readonly trace: TraceSink
  ) {}

  get running(): boolean {
    return this.raw !== undefined
  }

  /** (Re)start from the disk: a fresh RawNode, a state machine rebuilt from the snapshot. */
  start(): RawNode {
    this.sm = new StateMachine()
    this.sm.restore(this.storage.snapshot())
    this.raw = new RawNode({
      id: this.id,
      storage: this.storage,
      electionTick: this.opts.electionTick,
      heartbeatTick: this.opts.heartbeatTick,
      preVote: this.opts.preVote,
      checkQuorum: this.opts.checkQuorum,
      maxInflightMsgs: this.opts.maxInflightMsgs,
      maxSizePerMsg: this.opts.maxSizePerMsg,
      rng: createRng(this.id),
      trace: this.trace
    })
    return this.raw
  }

  /** Lose the process (and nothing on disk). */
  crash(): void {
    this.raw = undefined
  }

  /** Lose the disk too: start over with empty storage. */
  wipe(): void {
    this.raw = undefined
    this.storage = new MemoryStorage()
    this.sm = new StateMachine()
  }
}
