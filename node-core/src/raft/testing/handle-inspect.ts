import { DataDrivenError, bareArgs, checkArgs, type CmdArg } from './datadriven'
import { nodeIdArg, printStorageLog } from './handle-nodes'
import type { InteractionEnv } from './interaction-env'
import { isLogLevel } from './output'

/**
 * log-level none|info|debug
 *
 * none hides everything but errors and refusals (commands then print "ok"); info (the
 * default) shows Ready dumps, messages and the core's trace events; debug adds every message
 * sent or received and every commit advance.
 */
export function handleLogLevel(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const level = bareArgs(args)[0] ?? ''
  if (!isLogLevel(level)) throw new DataDrivenError(`${cmd}: unknown level ${JSON.stringify(level)}`)
  env.out.level = level
}

/**
 * raft-state
 *
 * One line per node, from its own point of view: role, voter or not, term, leader, commit and
 * last index. Crashed nodes print as down.
 */
export function handleRaftState(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 0)
  for (const n of env.nodes) {
    if (!n.raw) {
      env.out.write(`${n.id}: down`)
      continue
    }
    const st = n.raw.status()
    const kind = st.config.voters.includes(n.id) ? 'voter' : st.config.learners.includes(n.id) ? 'learner' : 'non-member'
    env.out.write(`${n.id}: ${st.role} (${kind}) Term:${st.term} Lead:${st.lead} Commit:${st.commit} Last:${st.lastIndex}`)
  }
}

/** raft-log ID: the node's log on disk (the snapshot first, if any). */
export function handleRaftLog(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  printStorageLog(env, env.node(nodeIdArg(env, cmd, args)))
}

/**
 * status ID
 *
 * The node's Status: its HardState and log bounds, membership, leadership transfer and, on a
 * leader, one line per peer with its progress (state, match, next, in-flight appends, and
 * flags: paused, a pending snapshot, inactive since the last quorum check, learner).
 */
export function handleStatus(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 1)
  const id = nodeIdArg(env, cmd, args)
  const st = env.raw(id).status()
  env.out.write(
    `${st.id}: ${st.role} Term:${st.term} Vote:${st.vote} Lead:${st.lead} Commit:${st.commit} Applied:${st.applied}` +
      ` First:${st.firstIndex} Last:${st.lastIndex} Voters:[${st.config.voters.join(' ')}] Learners:[${st.config.learners.join(' ')}]` +
      (st.leadTransferee !== 0 ? ` Transferee:${st.leadTransferee}` : '')
  )
  const peers = Object.keys(st.progress)
    .map(Number)
    .sort((a, b) => a - b)
  for (const p of peers) {
    const pr = st.progress[p]!
    const flags: string[] = []
    if (pr.inflight > 0) flags.push(`inflight=${pr.inflight}`)
    if (pr.paused) flags.push('paused')
    if (pr.pendingSnapshot > 0) flags.push(`pendingSnap=${pr.pendingSnapshot}`)
    if (!pr.recentActive) flags.push('inactive')
    if (pr.isLearner) flags.push('learner')
    env.out.write(`  ${p}: ${pr.state} match=${pr.match} next=${pr.next}${flags.length > 0 ? ' ' + flags.join(' ') : ''}`)
  }
}
