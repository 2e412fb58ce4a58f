import type { MessageType, NodeId } from '../types'
import { DataDrivenError, bareArgs, checkArgs, intListArg, parseIntStrict, stringArg, type CmdArg } from './datadriven'
import type { InteractionEnv } from './interaction-env'

const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessageType>([
  'MsgApp',
  'MsgAppResp',
  'MsgVote',
  'MsgVoteResp',
  'MsgPreVote',
  'MsgPreVoteResp',
  'MsgSnap',
  'MsgHeartbeat',
  'MsgHeartbeatResp',
  'MsgProp',
  'MsgTransferLeader',
  'MsgTimeoutNow',
  'MsgReadIndex',
  'MsgReadIndexResp'
])

/** The bare node-id arguments of `cmd` (all nodes when there are none and `allByDefault`). */
export function nodeIdsArg(env: InteractionEnv, cmd: string, args: CmdArg[], allByDefault: boolean): NodeId[] {
  const ids = bareArgs(args).map((s) => {
    const id = parseIntStrict(s, `${cmd} node id`)
    env.node(id)
    return id
  })
  if (ids.length === 0 && allByDefault) return env.allIds()
  return ids
}

/**
 * process-ready ID...
 *
 * Handle one Ready on each node: print it (`Ready MustSync=...:` then etcd's DescribeReady
 * sections), persist it to the MemoryStorage, queue its messages on the network, apply it and
 * advance. With several ids each gets a `> ID handling Ready` header.
 */
export function handleProcessReady(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], Number.MAX_SAFE_INTEGER)
  const ids = nodeIdsArg(env, cmd, args, false)
  if (ids.length === 0) throw new DataDrivenError(`${cmd}: missing node id`)
  for (const id of ids) {
    if (ids.length === 1) {
      env.processReady(id)
      continue
    }
    env.out.write(`> ${id} handling Ready`)
    env.out.withIndent(() => env.processReady(id))
  }
}

/**
 * deliver-msgs ID... [drop=(ID,...)] [type=MsgApp]
 *
 * Deliver the messages queued for each ID, in order, printing each and what the recipient
 * logs while stepping it; `drop=` discards those queued for the listed nodes instead
 * (printed as `dropped:`); `type=` restricts both to one message type. Prints "no messages"
 * when there was nothing to handle.
 */
export function handleDeliverMsgs(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, ['drop', 'type'], Number.MAX_SAFE_INTEGER)
  const ids = nodeIdsArg(env, cmd, args, false)
  const drops = intListArg(args, 'drop') ?? []
  for (const d of drops) {
    env.node(d)
    if (ids.includes(d)) throw new DataDrivenError(`${cmd}: cannot both deliver and drop messages to ${d}`)
  }
  const type = stringArg(args, 'type')
  if (type !== undefined && !MESSAGE_TYPES.has(type)) throw new DataDrivenError(`${cmd}: unknown message type ${type}`)
  if (ids.length === 0 && drops.length === 0) throw new DataDrivenError(`${cmd}: missing node id`)
  let n = 0
  for (const id of ids) n += env.deliverMsgs(id, { type: type as MessageType | undefined })
  for (const id of drops) n += env.deliverMsgs(id, { type: type as MessageType | undefined, drop: true })
  if (n === 0) env.out.write('no messages')
}

/**
 * stabilize [ID...]
 *
 * Repeat, among the given nodes (all by default): handle the Ready of every node that has one,
 * then deliver every queued message, until there is nothing left to do. Messages to nodes
 * outside the set stay queued.
 */
export function handleStabilize(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], Number.MAX_SAFE_INTEGER)
  env.stabilize(nodeIdsArg(env, cmd, args, true))
}
