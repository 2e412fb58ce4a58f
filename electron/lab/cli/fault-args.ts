/**
 * `quorum-lab fault ...` parsed into one action. Pure, so every usage error is unit-tested.
 *
 *   fault crash|stop|start|pause|resume|restart|wipe|remove <node>
 *   fault transfer <node>                     leadership to <node>
 *   fault partition isolate <node>
 *   fault partition split [A+B | 1,2,3/4,5]   majority/minority (default: majority first)
 *   fault partition bridge | ring
 *   fault partition one-way <from> <to>
 *   fault link <from> <to> [--cut blackhole|reset] [--delay MS] [--jitter MS] [--drop PCT] [--dup PCT]
 *   fault client <node> [same options]        the client → node link
 *   fault heal [all | <from> <to>]
 *
 * <node> is a node id, `leader`, or `follower` (some running follower).
 */
import type { CutMode, LinkFault, NodeId } from '../api'
import { parseOptions, UsageError } from './args'

export type NodeSelector = { kind: 'id'; id: NodeId } | { kind: 'leader' } | { kind: 'follower' }

export type NodeAction = 'crash' | 'stop' | 'start' | 'pause' | 'resume' | 'restart' | 'wipe' | 'remove' | 'transfer'

export type FaultCommand =
  | { kind: 'node'; action: NodeAction; node: NodeSelector }
  | { kind: 'isolate'; node: NodeSelector; cut: Exclude<CutMode, 'none'> }
  | { kind: 'split'; groups?: NodeId[][]; sizes?: [number, number]; cut: Exclude<CutMode, 'none'> }
  | { kind: 'bridge' | 'ring'; cut: Exclude<CutMode, 'none'> }
  | { kind: 'oneWay'; from: NodeId; to: NodeId; cut: Exclude<CutMode, 'none'> }
  | { kind: 'link'; from: NodeId; to: NodeId; fault: Partial<LinkFault> }
  | { kind: 'client'; node: NodeSelector; fault: Partial<LinkFault> }
  | { kind: 'heal'; from?: NodeId; to?: NodeId }

const NODE_ACTIONS: readonly NodeAction[] = ['crash', 'stop', 'start', 'pause', 'resume', 'restart', 'wipe', 'remove', 'transfer']

export function parseNodeSelector(s: string | undefined, what = 'node'): NodeSelector {
  if (s === undefined) throw new UsageError(`missing <${what}>: a node id, "leader" or "follower"`)
  if (s === 'leader' || s === 'follower') return { kind: s }
  if (!/^[1-9]\d*$/.test(s)) throw new UsageError(`<${what}> must be a node id, "leader" or "follower", got "${s}"`)
  return { kind: 'id', id: Number(s) }
}

function nodeId(s: string | undefined, what: string): NodeId {
  if (s === undefined || !/^[1-9]\d*$/.test(s)) throw new UsageError(`<${what}> must be a node id, got "${s ?? ''}"`)
  return Number(s)
}

const linkOptions = {
  cut: { kind: 'string' as const },
  delay: { kind: 'int' as const, min: 0, max: 60_000 },
  jitter: { kind: 'int' as const, min: 0, max: 60_000 },
  drop: { kind: 'int' as const, min: 0, max: 100 },
  dup: { kind: 'int' as const, min: 0, max: 100 }
}

function cutOf(v: unknown, allowNone: boolean): CutMode {
  if (v === undefined) return allowNone ? 'none' : 'blackhole'
  const ok = allowNone ? ['none', 'blackhole', 'reset'] : ['blackhole', 'reset']
  if (typeof v !== 'string' || !ok.includes(v)) throw new UsageError(`--cut must be one of ${ok.join(', ')}, got "${String(v)}"`)
  return v as CutMode
}

function faultOf(options: Record<string, string | number | boolean>): Partial<LinkFault> {
  const f: Partial<LinkFault> = { cut: cutOf(options.cut, true) }
  if (typeof options.delay === 'number') f.delayMs = options.delay
  if (typeof options.jitter === 'number') f.jitterMs = options.jitter
  if (typeof options.drop === 'number') f.dropPct = options.drop
  if (typeof options.dup === 'number') f.dupPct = options.dup
  return f
}

function expectNoMore(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`)
}

function parseSplit(spec: string | undefined): Pick<Extract<FaultCommand, { kind: 'split' }>, 'groups' | 'sizes'> {
  if (spec === undefined) return {}
  const sizes = /^(\d+)\+(\d+)$/.exec(spec)
  if (sizes) return { sizes: [Number(sizes[1]), Number(sizes[2])] }
  if (/^\d+(,\d+)*(\/\d+(,\d+)*)+$/.test(spec)) return { groups: spec.split('/').map((g) => g.split(',').map(Number)) }
  throw new UsageError(`split takes sizes like 3+2 or groups like 1,2,3/4,5; got "${spec}"`)
}

export function parseFaultArgs(argv: string[]): FaultCommand {
  const [verb, ...rest] = argv
  if (verb === undefined) throw new UsageError('fault needs an action: crash, stop, start, pause, resume, restart, wipe, remove, transfer, partition, link, client or heal')
  if ((NODE_ACTIONS as readonly string[]).includes(verb)) {
    const { positionals } = parseOptions(rest, {})
    const [node, ...more] = positionals
    expectNoMore(more)
    return { kind: 'node', action: verb as NodeAction, node: parseNodeSelector(node) }
  }
  if (verb === 'partition') {
    const { options, positionals } = parseOptions(rest, { cut: { kind: 'string' } })
    const cut = cutOf(options.cut, false) as Exclude<CutMode, 'none'>
    const [shape, ...args] = positionals
    switch (shape) {
      case 'isolate': {
        const [node, ...more] = args
        expectNoMore(more)
        return { kind: 'isolate', node: parseNodeSelector(node), cut }
      }
      case 'split': {
        const [spec, ...more] = args
        expectNoMore(more)
        return { kind: 'split', ...parseSplit(spec), cut }
      }
      case 'bridge':
      case 'ring':
        expectNoMore(args)
        return { kind: shape, cut }
      case 'one-way': {
        const [a, b, ...more] = args
        expectNoMore(more)
        const from = nodeId(a, 'from')
        const to = nodeId(b, 'to')
        if (from === to) throw new UsageError('one-way needs two different nodes')
        return { kind: 'oneWay', from, to, cut }
      }
      default:
        throw new UsageError(`partition shape must be isolate, split, bridge, ring or one-way; got "${shape ?? ''}"`)
    }
  }
  if (verb === 'link') {
    const { options, positionals } = parseOptions(rest, linkOptions)
    const [a, b, ...more] = positionals
    expectNoMore(more)
    const from = nodeId(a, 'from')
    const to = nodeId(b, 'to')
    if (from === to) throw new UsageError('a link joins two different nodes')
    return { kind: 'link', from, to, fault: faultOf(options) }
  }
  if (verb === 'client') {
    const { options, positionals } = parseOptions(rest, linkOptions)
    const [node, ...more] = positionals
    expectNoMore(more)
    if (options.dup !== undefined) throw new UsageError('--dup does not apply to client links (duplicating bytes of an HTTP stream would only corrupt it)')
    return { kind: 'client', node: parseNodeSelector(node), fault: faultOf(options) }
  }
  if (verb === 'heal') {
    const { positionals } = parseOptions(rest, {})
    if (positionals.length === 0 || (positionals.length === 1 && positionals[0] === 'all')) return { kind: 'heal' }
    const [a, b, ...more] = positionals
    expectNoMore(more)
    return { kind: 'heal', from: nodeId(a, 'from'), to: nodeId(b, 'to') }
  }
  throw new UsageError(`unknown fault action "${verb}"`)
}

/** Groups for `split A+B` over the cluster's node ids, lowest ids first (so 3+2 of 1..5 is 1,2,3 / 4,5). */
export function splitGroups(ids: readonly NodeId[], sizes: [number, number]): NodeId[][] {
  const sorted = [...ids].sort((a, b) => a - b)
  if (sizes[0] + sizes[1] !== sorted.length || sizes[0] < 1 || sizes[1] < 1) {
    throw new UsageError(`split ${sizes[0]}+${sizes[1]} does not fit a ${sorted.length}-node cluster`)
  }
  return [sorted.slice(0, sizes[0]), sorted.slice(sizes[0])]
}

/** What a node selector means right now, given each node's reported role (null: no answer). */
export function resolveSelector(sel: NodeSelector, views: readonly { nodeId: NodeId; role: string | null; term: number }[]): NodeId {
  if (sel.kind === 'id') {
    if (!views.some((v) => v.nodeId === sel.id)) throw new UsageError(`there is no node ${sel.id} (nodes: ${views.map((v) => v.nodeId).join(', ')})`)
    return sel.id
  }
  if (sel.kind === 'leader') {
    // During a partition two nodes may think they lead; the one with the higher term is the real one.
    const leaders = views.filter((v) => v.role === 'leader').sort((a, b) => b.term - a.term)
    if (leaders.length === 0) throw new UsageError('no node is leader right now')
    return leaders[0]!.nodeId
  }
  const followers = views.filter((v) => v.role === 'follower')
  if (followers.length === 0) throw new UsageError('no node is a follower right now')
  return followers[0]!.nodeId
}
