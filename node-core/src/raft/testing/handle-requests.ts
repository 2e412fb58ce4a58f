import type { ConfChangeType, NodeId } from '../types'
import { DataDrivenError, bareArgs, checkArgs, intArg, parseIntStrict, type CmdArg } from './datadriven'
import { nodeIdArg } from './handle-nodes'
import type { InteractionEnv } from './interaction-env'

const encoder = new TextEncoder()

/** campaign ID: start an election on the node now (RawNode.campaign, i.e. MsgHup). */
export function handleCampaign(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const id = nodeIdArg(env, cmd, args)
  const raw = env.raw(id)
  env.printResult(env.guard(id, () => raw.campaign()))
}

/** propose ID DATA: propose a normal entry with DATA as its payload; prints a refusal if any. */
export function handlePropose(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 2)
  const id = nodeIdArg(env, cmd, args)
  const data = bareArgs(args)[1]
  if (data === undefined) throw new DataDrivenError(`${cmd}: missing data`)
  const raw = env.raw(id)
  env.printResult(env.guard(id, () => raw.propose(encoder.encode(data))))
}

const CONF_CHANGE_TYPES: readonly ConfChangeType[] = ['addLearner', 'addVoter', 'removeNode']

/**
 * propose-conf-change ID addLearner|addVoter|removeNode NODE
 *
 * Propose a single-server membership change (Raft thesis §4.1) on node ID; prints a refusal
 * (e.g. CONF_CHANGE_PENDING while an earlier change is not applied yet).
 */
export function handleProposeConfChange(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 3)
  const id = nodeIdArg(env, cmd, args)
  const [, type, target] = bareArgs(args)
  if (!CONF_CHANGE_TYPES.includes(type as ConfChangeType)) {
    throw new DataDrivenError(`${cmd}: expected one of ${CONF_CHANGE_TYPES.join(', ')}, got ${JSON.stringify(type)}`)
  }
  const nodeId = parseIntStrict(target ?? '', `${cmd} target`)
  const raw = env.raw(id)
  env.printResult(env.guard(id, () => raw.proposeConfChange({ type: type as ConfChangeType, nodeId })))
}

/**
 * transfer-leadership from=ID to=ID
 *
 * Ask node `from` (normally the leader; a follower forwards) to hand leadership to `to`
 * (Raft thesis §3.10).
 */
export function handleTransferLeadership(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, ['from', 'to'], 0)
  const from = intArg(args, 'from')
  const to = intArg(args, 'to')
  if (from === undefined || to === undefined) throw new DataDrivenError(`${cmd}: needs from= and to=`)
  env.node(to)
  const raw = env.raw(from)
  env.printResult(env.guard(from, () => raw.transferLeader(to)))
}

/**
 * read-index ID CTX
 *
 * Ask node ID for a linearizable read (Raft thesis §6.4); the answer shows up later as a
 * `ReadState Index:N Ctx:CTX` line in one of the node's Readys.
 */
export function handleReadIndex(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 2)
  const id = nodeIdArg(env, cmd, args)
  const ctx = bareArgs(args)[1]
  if (ctx === undefined) throw new DataDrivenError(`${cmd}: missing context`)
  const raw = env.raw(id)
  env.printResult(env.guard(id, () => raw.readIndex(ctx)))
}

/** Tick node `id` `n` times (stops early if the node panics). */
function tickN(env: InteractionEnv, id: NodeId, n: number): void {
  for (let i = 0; i < n; i++) {
    const raw = env.node(id).raw
    if (!raw) return
    env.guard(id, () => raw.tick())
  }
}

/** tick ID N: tick the node N times. */
export function handleTick(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 2)
  const id = nodeIdArg(env, cmd, args)
  env.raw(id)
  tickN(env, id, parseIntStrict(bareArgs(args)[1] ?? '', `${cmd} count`))
}

/** tick-heartbeat ID: tick the node heartbeatTick times (one heartbeat interval). */
export function handleTickHeartbeat(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const id = nodeIdArg(env, cmd, args)
  env.raw(id)
  tickN(env, id, env.node(id).opts.heartbeatTick)
}

/**
 * tick-election ID
 *
 * Let one election timeout pass on the node. etcd ticks electionTick times and warns that the
 * randomized timeout may need more; here the meaning is made exact:
 *  - a follower, candidate or pre-candidate is ticked until its randomized election timeout
 *    (in [electionTick, 2*electionTick)) fires, i.e. until it starts a (pre-)election; a node
 *    that cannot campaign (a learner, a removed node) is ticked 2*electionTick times;
 *  - a leader is ticked electionTick times (or until it steps down): one CheckQuorum round.
 */
export function handleTickElection(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const id = nodeIdArg(env, cmd, args)
  const e = env.node(id).opts.electionTick
  if (env.raw(id).raft.role === 'leader') {
    for (let i = 0; i < e; i++) {
      const raw = env.node(id).raw
      if (!raw || raw.raft.role !== 'leader') return
      env.guard(id, () => raw.tick())
    }
    return
  }
  env.electionFired = false
  for (let i = 0; i < 2 * e && !env.electionFired; i++) {
    const raw = env.node(id).raw
    if (!raw) return
    env.guard(id, () => raw.tick())
  }
}
