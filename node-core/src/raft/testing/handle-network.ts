import type { NodeId } from '../types'
import { DataDrivenError, bareArgs, checkArgs, parseIntStrict, splitList, type CmdArg } from './datadriven'
import type { InteractionEnv } from './interaction-env'

/**
 * partition (1,2,3) (4,5)
 *
 * Cut every link between nodes of different groups, both ways. Nodes named in no group form
 * one more group together, so `partition (1)` isolates node 1 from everyone. Cuts add up with
 * earlier ones until `heal`. Prints the resulting cut links.
 */
export function handlePartition(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], Number.MAX_SAFE_INTEGER)
  const groupOf = new Map<NodeId, number>()
  bareArgs(args).forEach((g, gi) => {
    if (!g.startsWith('(') || !g.endsWith(')')) throw new DataDrivenError(`${cmd}: expected groups like (1,2,3), got ${g}`)
    for (const s of splitList(g.slice(1, -1))) {
      const id = parseIntStrict(s, cmd)
      env.node(id)
      if (groupOf.has(id)) throw new DataDrivenError(`${cmd}: node ${id} is in two groups`)
      groupOf.set(id, gi)
    }
  })
  if (groupOf.size === 0) throw new DataDrivenError(`${cmd}: no groups`)
  const ids = env.allIds()
  for (const a of ids) for (const b of ids) if (a !== b && (groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1)) env.net.cut(a, b)
  printCuts(env)
}

/**
 * cut 1->2 | cut 1<->2
 *
 * Cut one link one way (messages from 1 to 2 are lost, 2 to 1 still arrive), or both ways.
 */
export function handleCut(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], Number.MAX_SAFE_INTEGER)
  for (const link of bareArgs(args)) {
    const m = /^(\d+)(->|<->)(\d+)$/.exec(link)
    if (!m) throw new DataDrivenError(`${cmd}: expected a link like 1->2 or 1<->2, got ${link}`)
    const a = env.node(Number(m[1])).id
    const b = env.node(Number(m[3])).id
    env.net.cut(a, b)
    if (m[2] === '<->') env.net.cut(b, a)
  }
  printCuts(env)
}

/** heal: restore every link. */
export function handleHeal(env: InteractionEnv, cmd: string, args: CmdArg[]): void {
  checkArgs(cmd, args, [], 0)
  env.net.heal()
  printCuts(env)
}

function printCuts(env: InteractionEnv): void {
  const cuts = env.net.describeCuts()
  env.out.write(cuts.length === 0 ? 'all links up' : `cut: ${cuts.join(' ')}`)
}
