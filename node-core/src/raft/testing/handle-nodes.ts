import { describeEntry, describeSnapshot } from '../describe'
import type { Entry, NodeId } from '../types'
import {
  DataDrivenError,
  bareArgs,
  boolArg,
  checkArgs,
  intArg,
  intListArg,
  parseIntStrict,
  type CmdArg
} from './datadriven'
import type { InteractionEnv } from './interaction-env'
import { DEFAULT_NODE_OPTIONS, encodeSnapshotData, type NodeOptions, type TestNode } from './test-node'

/** The single node id argument of `cmd`. */
export function nodeIdArg(env: InteractionEnv, cmd: string, args: CmdArg[], pos = 0): NodeId {
  const bare = bareArgs(args)
  const s = bare[pos]
  if (s === undefined) throw new DataDrivenError(`${cmd}: missing node id`)
  const id = parseIntStrict(s, `${cmd} node id`)
  env.node(id)
  return id
}

/** One line describing a node that just (re)started, from its own point of view. */
function describeStart(n: TestNode): string {
  const st = n.raw!.status()
  const o = n.opts
  const lastTerm = n.raw!.raft.raftLog.lastTerm()
  return (
    `${n.id}: started term=${st.term} vote=${st.vote} commit=${st.commit} first=${st.firstIndex} last=${lastTerm}/${st.lastIndex}` +
    ` voters=[${st.config.voters.join(' ')}] learners=[${st.config.learners.join(' ')}]` +
    ` prevote=${o.preVote} checkquorum=${o.checkQuorum}`
  )
}

/**
 * add-nodes N [voters=(1,2,3)] [learners=(4)] [index=K] [prevote=true] [checkquorum=true]
 *           [election-tick=10] [heartbeat-tick=1] [inflight=256] [max-msg-size=65536]
 *
 * Creates N nodes with the next free ids. With `voters` and no `index`, each node is started
 * with RawNode.bootstrap(voters): the membership becomes committed conf change entries 1..n
 * at term 1, and that first Ready is persisted silently, as if the node had been installed with
 * that disk. With `index=K` the node starts instead from a snapshot at index K (term 1)
 * holding voters and learners, as etcd's harness does. With neither, the node starts empty: a
 * server that joins later and learns the membership from the leader.
 */
export function handleAddNodes(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, ['voters', 'learners', 'index', 'prevote', 'checkquorum', 'election-tick', 'heartbeat-tick', 'inflight', 'max-msg-size'], 1)
  const count = parseIntStrict(bareArgs(args)[0] ?? '', `${cmd} count`)
  const voters = intListArg(args, 'voters') ?? []
  const learners = intListArg(args, 'learners') ?? []
  const index = intArg(args, 'index')
  const opts: NodeOptions = {
    electionTick: intArg(args, 'election-tick', DEFAULT_NODE_OPTIONS.electionTick),
    heartbeatTick: intArg(args, 'heartbeat-tick', DEFAULT_NODE_OPTIONS.heartbeatTick),
    preVote: boolArg(args, 'prevote', DEFAULT_NODE_OPTIONS.preVote),
    checkQuorum: boolArg(args, 'checkquorum', DEFAULT_NODE_OPTIONS.checkQuorum),
    maxInflightMsgs: intArg(args, 'inflight', DEFAULT_NODE_OPTIONS.maxInflightMsgs),
    maxSizePerMsg: intArg(args, 'max-msg-size', DEFAULT_NODE_OPTIONS.maxSizePerMsg)
  }
  if (index !== undefined && index < 1) throw new DataDrivenError(`${cmd}: index must be >= 1`)
  if (index === undefined && learners.length > 0) throw new DataDrivenError(`${cmd}: learners= needs index= (RawNode.bootstrap takes voters only)`)
  for (let i = 0; i < count; i++) {
    const n = env.newNode(opts)
    if (index !== undefined) {
      n.storage.applySnapshot({ metadata: { index, term: 1, confState: { voters, learners } }, data: encodeSnapshotData([]) })
      n.start()
    } else if (voters.length > 0) {
      const raw = n.start()
      env.quietly(() => {
        raw.bootstrap(voters)
        const saved = env.out.level
        env.out.level = 'none'
        try {
          env.processReady(n.id)
        } finally {
          env.out.level = saved
        }
      })
    } else {
      n.start()
    }
    env.out.write(describeStart(n))
  }
}

/**
 * crash ID
 *
 * The process dies: the RawNode and anything not yet handed out in a Ready are lost; the
 * MemoryStorage (the disk) survives. Messages queued for the node are lost with it. A crashed
 * node cannot be ticked or driven until `restart`.
 */
export function handleCrash(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const id = nodeIdArg(env, cmd, args)
  env.raw(id)
  env.node(id).crash()
  env.deliverMsgs(id, { drop: true })
}

/**
 * restart ID
 *
 * Start the node again from its disk (crashing it first if it runs): a new RawNode built from
 * the MemoryStorage, the state machine rebuilt from the snapshot and the committed entries
 * re-applied through the next Ready. Messages that were sent to the node while it was down
 * are lost (its connections were reset).
 */
export function handleRestart(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const id = nodeIdArg(env, cmd, args)
  const n = env.node(id)
  n.crash()
  env.deliverMsgs(id, { drop: true })
  n.start()
  env.out.write(describeStart(n))
}

/**
 * wipe ID
 *
 * The node loses its disk: it is crashed (if running) and started again with an empty
 * MemoryStorage, not bootstrapped, like a replacement server. Raft assumes durable storage; a
 * wiped voter has forgotten its vote and its log (see snapshot-wiped-follower.txt for the safe
 * procedure: remove it, then add it back).
 */
export function handleWipe(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const id = nodeIdArg(env, cmd, args)
  const n = env.node(id)
  n.crash()
  env.deliverMsgs(id, { drop: true })
  n.wipe()
  n.start()
  env.out.write(describeStart(n))
}

/**
 * compact ID INDEX
 *
 * Take a snapshot of the node's state machine at applied index INDEX (the payloads applied so
 * far and the membership at that index) with MemoryStorage.createSnapshot, then discard the
 * log up to and including INDEX (the first index becomes INDEX+1). A follower that needs an
 * entry at or below INDEX from this node now gets the snapshot instead. Prints the log left.
 */
export function handleCompact(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 2)
  const id = nodeIdArg(env, cmd, args)
  const index = parseIntStrict(bareArgs(args)[1] ?? '', `${cmd} index`)
  const n = env.node(id)
  if (index > n.sm.index) throw new DataDrivenError(`${cmd}: node ${id} has applied only up to ${n.sm.index}, cannot snapshot at ${index}`)
  const { payloads, conf } = n.sm.stateAt(index)
  n.storage.createSnapshot(index, conf, encodeSnapshotData(payloads))
  n.storage.compact(index)
  printStorageLog(env, n)
}

/**
 * write-log ID terms=(t1,t2,...) [term=T] [vote=V] [commit=C]
 *
 * Replace the node's disk after its snapshot with entries of the given terms (at indexes
 * snapshot+1, snapshot+2, ...; empty normal entries) and the given HardState, then restart
 * the node from it. For scenes that would take many elections to reach, such as the follower
 * logs of the Raft paper's Figure 7. The node must have been started with `index=` (its
 * membership lives in the snapshot). Terms must not decrease, and `commit` defaults to the
 * snapshot index.
 */
export function handleWriteLog(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, ['terms', 'term', 'vote', 'commit'], 1)
  const id = nodeIdArg(env, cmd, args)
  const n = env.node(id)
  const snap = n.storage.snapshot()
  if (snap.metadata.index === 0) throw new DataDrivenError(`${cmd}: node ${id} has no snapshot; start it with add-nodes index=`)
  const terms = intListArg(args, 'terms') ?? []
  let prev = snap.metadata.term
  const ents: Entry[] = terms.map((t, i) => {
    if (t < prev) throw new DataDrivenError(`${cmd}: terms must not decrease (${t} after ${prev})`)
    prev = t
    return { term: t, index: snap.metadata.index + 1 + i, type: 'normal', data: new Uint8Array() }
  })
  const term = intArg(args, 'term', Math.max(prev, n.storage.hardState.term))
  if (term < prev) throw new DataDrivenError(`${cmd}: term ${term} is below the last entry's term ${prev}`)
  const commit = intArg(args, 'commit', snap.metadata.index)
  n.crash()
  env.deliverMsgs(id, { drop: true })
  n.wipe()
  n.storage.applySnapshot(snap)
  n.storage.append(ents)
  n.storage.setHardState({ term, vote: intArg(args, 'vote', 0), commit })
  n.start()
  env.out.write(describeStart(n))
}

/** Print the node's log as it is on disk (its MemoryStorage), the snapshot first if any. */
export function printStorageLog(env: InteractionEnv, n: TestNode): void {
  const s = n.storage
  const snap = s.snapshot()
  if (snap.metadata.index > 0) env.out.write(`snapshot ${describeSnapshot(snap)}`)
  const fi = s.firstIndex()
  const li = s.lastIndex()
  if (li < fi) {
    env.out.write(`log is empty: first index=${fi}, last index=${li}`)
    return
  }
  for (const e of s.entries(fi, li + 1, Number.MAX_SAFE_INTEGER)) env.out.write(describeEntry(e))
}
