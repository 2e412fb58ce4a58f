/**
 * Drill scripts: YAML that says how to break a cluster, what the workload does meanwhile and
 * what must hold afterwards. Parsing and validation are pure; every error names the file,
 * the line and the field (`leader-crash.yaml:14: steps[2].crash: unknown node "leadr"`).
 *
 * Format (see resources/drills/*.yaml for real ones):
 *
 *   name: leader-crash                 # kebab-case id
 *   title: { zh-CN: ..., en: ... }
 *   description: { zh-CN: ..., en: ... }
 *   seed: "§8.4 预案1"                  # where the tutorial discusses it
 *   cluster: { nodes: 3, profile: seed, preVote: true, checkQuorum: true }
 *   workload: { ratePerSec: 200, concurrency: 8, mix: { publish: 50, get: 50 }, readRouting: any }
 *   expect: { failover: 1s, rejoin: 10s, lostWrites: 0, consistency: linearizable }
 *   steps:
 *     - wait-until: leader
 *     - wait: 2s
 *     - crash: { node: leader, as: old-leader }
 *     - wait-until: { leader: true, timeout: 5s }
 *     - restart: old-leader
 *     - wait-until: { caught-up: old-leader, timeout: 20s }
 */
import { LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml'
import type { CutMode, LinkFault, TimingProfile, WorkloadSpecInput } from '../api'

export type Lang = 'zh-CN' | 'en'
export type Text = Record<Lang, string>

/** Which node a step acts on: by role now, by id, or by a label an earlier step gave it. */
export type NodeRef = { kind: 'leader' } | { kind: 'follower' } | { kind: 'id'; id: number } | { kind: 'label'; label: string }

export type NodeAction = 'crash' | 'stop' | 'start' | 'pause' | 'resume' | 'restart' | 'wipe' | 'transfer' | 'scale-in'

export type Condition =
  | { kind: 'leader' }
  | { kind: 'no-leader' }
  | { kind: 'caught-up'; node: NodeRef }
  | { kind: 'nodes-up'; count: number }
  | { kind: 'writes-ok' }

export type Step =
  | { kind: 'wait'; ms: number }
  | { kind: 'wait-until'; condition: Condition; timeoutMs: number }
  | { kind: 'assert'; condition: Condition }
  | { kind: 'node'; action: NodeAction; node: NodeRef; as?: string }
  | { kind: 'partition'; shape: 'isolate'; node: NodeRef; cut: Exclude<CutMode, 'none'>; as?: string }
  | { kind: 'partition'; shape: 'split'; sizes?: [number, number]; cut: Exclude<CutMode, 'none'> }
  | { kind: 'partition'; shape: 'bridge' | 'ring'; cut: Exclude<CutMode, 'none'> }
  | { kind: 'partition'; shape: 'one-way'; from: NodeRef; to: NodeRef; cut: Exclude<CutMode, 'none'> }
  | { kind: 'heal' }
  | { kind: 'link'; from: NodeRef; to: NodeRef; fault: Partial<LinkFault> }
  | { kind: 'links'; fault: Partial<LinkFault> }
  | { kind: 'scale-out'; as?: string }
  /** Give a node a label for later steps without touching it. */
  | { kind: 'pick'; node: NodeRef; as: string }
  | { kind: 'workload'; action: 'start' | 'stop' | 'update'; spec?: WorkloadSpecInput }

/** What the drill must show; checked against the measurements. */
export interface Expectations {
  /** Fault → first acknowledged write, at most (seed: about 500 ms). */
  failoverMs?: number
  /** Longest time without a leader, at most. */
  leaderlessMs?: number
  /** Longest window with no successful write, at most. */
  unavailableMs?: number
  /** A returning node catches up within (seed: under 10 s). */
  rejoinMs?: number
  /** Acknowledged writes missing at the end (must be 0). */
  lostWrites: number
  /** 'linearizable': the checker must pass; 'violation': it must find one (a lesson drill); 'any': not judged. */
  consistency: 'linearizable' | 'violation' | 'any'
}

export interface DrillScript {
  name: string
  title: Text
  description: Text
  seed?: string
  /** True for a plan the embedded store cannot run (预案3, external database): listed with why. */
  notApplicable?: Text
  cluster: { nodes: number; profile: TimingProfile; preVote: boolean; checkQuorum: boolean }
  workload: WorkloadSpecInput | null
  expect: Expectations
  steps: Step[]
}

export class DrillScriptError extends Error {
  readonly code = 'DRILL_SCRIPT'
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly reason: string
  ) {
    super(`${file}:${line}: ${field ? `${field}: ` : ''}${reason}`)
    this.name = 'DrillScriptError'
  }
}

/** Defaults from the seed (§8.4): failover about 500 ms (2× slack), rejoin under 10 s, nothing lost. */
export const DEFAULT_EXPECT: Expectations = { failoverMs: 1000, rejoinMs: 10_000, lostWrites: 0, consistency: 'linearizable' }

type Path = (string | number)[]

/** Parses "500ms", "2s", "1.5s", "1m" or a plain number of ms. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v)
  if (typeof v !== 'string') return undefined
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(v.trim())
  if (!m) return undefined
  const n = Number(m[1])
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000)
}

class Ctx {
  readonly labels = new Set<string>()
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lc: LineCounter
  ) {}

  line(path: Path): number {
    for (let p = path; p.length >= 0; p = p.slice(0, -1)) {
      const n = this.doc.getIn(p, true) as YamlNode | undefined
      const r = n && (n as { range?: [number, number, number] }).range
      if (r) return this.lc.linePos(r[0]).line
      if (p.length === 0) break
    }
    return 1
  }

  fail(path: Path, reason: string): never {
    throw new DrillScriptError(this.file, this.line(path), fieldName(path), reason)
  }
}

function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function only(ctx: Ctx, v: Record<string, unknown>, path: Path, allowed: string[]): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) ctx.fail([...path, k], `unknown field (allowed: ${allowed.join(', ')})`)
}

function text(ctx: Ctx, v: unknown, path: Path): Text {
  if (!isObj(v) || typeof v['zh-CN'] !== 'string' || typeof v.en !== 'string' || !v['zh-CN'] || !v.en) {
    ctx.fail(path, 'must give the text in both languages: { zh-CN: ..., en: ... }')
  }
  only(ctx, v, path, ['zh-CN', 'en'])
  return { 'zh-CN': v['zh-CN'], en: v.en }
}

function duration(ctx: Ctx, v: unknown, path: Path): number {
  const ms = parseDuration(v)
  if (ms === undefined) ctx.fail(path, `must be a duration such as 500ms, 2s or 1m; got ${JSON.stringify(v)}`)
  return ms
}

function int(ctx: Ctx, v: unknown, path: Path, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) ctx.fail(path, `must be a whole number from ${min} to ${max}; got ${JSON.stringify(v)}`)
  return v
}

function nodeRef(ctx: Ctx, v: unknown, path: Path): NodeRef {
  if (v === 'leader' || v === 'follower') return { kind: v }
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 64) return { kind: 'id', id: v }
  if (typeof v === 'string' && ctx.labels.has(v)) return { kind: 'label', label: v }
  ctx.fail(path, `unknown node ${JSON.stringify(v)}: use leader, follower, a node id, or a label set earlier with "as"${ctx.labels.size ? ` (${[...ctx.labels].join(', ')})` : ''}`)
}

function label(ctx: Ctx, v: unknown, path: Path): string {
  if (typeof v !== 'string' || !/^[a-z][a-z0-9-]*$/.test(v) || v === 'leader' || v === 'follower') ctx.fail(path, 'must be a kebab-case label (not leader/follower)')
  ctx.labels.add(v)
  return v
}

function cut(ctx: Ctx, v: unknown, path: Path): Exclude<CutMode, 'none'> {
  if (v === undefined) return 'blackhole'
  if (v !== 'blackhole' && v !== 'reset') ctx.fail(path, 'must be blackhole or reset')
  return v
}

function fault(ctx: Ctx, v: unknown, path: Path): Partial<LinkFault> {
  if (!isObj(v)) ctx.fail(path, 'must be a map of delay, jitter, drop, dup, cut')
  only(ctx, v, path, ['delay', 'jitter', 'drop', 'dup', 'cut'])
  const f: Partial<LinkFault> = {}
  if (v.delay !== undefined) f.delayMs = duration(ctx, v.delay, [...path, 'delay'])
  if (v.jitter !== undefined) f.jitterMs = duration(ctx, v.jitter, [...path, 'jitter'])
  if (v.drop !== undefined) f.dropPct = int(ctx, v.drop, [...path, 'drop'], 0, 100)
  if (v.dup !== undefined) f.dupPct = int(ctx, v.dup, [...path, 'dup'], 0, 100)
  if (v.cut !== undefined) f.cut = v.cut === 'none' ? 'none' : cut(ctx, v.cut, [...path, 'cut'])
  return f
}

function condition(ctx: Ctx, v: unknown, path: Path): Condition {
  if (v === 'leader' || v === 'no-leader' || v === 'writes-ok') return { kind: v }
  if (isObj(v)) {
    if (v['caught-up'] !== undefined) return { kind: 'caught-up', node: nodeRef(ctx, v['caught-up'], [...path, 'caught-up']) }
    if (v['nodes-up'] !== undefined) return { kind: 'nodes-up', count: int(ctx, v['nodes-up'], [...path, 'nodes-up'], 0, 64) }
    if (v.leader === true) return { kind: 'leader' }
    if (v['no-leader'] === true) return { kind: 'no-leader' }
    if (v['writes-ok'] === true) return { kind: 'writes-ok' }
  }
  ctx.fail(path, 'must be leader, no-leader, writes-ok, { caught-up: <node> } or { nodes-up: N }')
}

const NODE_ACTIONS: NodeAction[] = ['crash', 'stop', 'start', 'pause', 'resume', 'restart', 'wipe', 'transfer', 'scale-in']
const STEP_KINDS = ['wait', 'wait-until', 'assert', 'pick', ...NODE_ACTIONS, 'partition', 'heal', 'link', 'links', 'scale-out', 'workload']

function step(ctx: Ctx, v: unknown, path: Path): Step {
  if (v === 'heal') return { kind: 'heal' }
  if (v === 'scale-out') return { kind: 'scale-out' }
  if (!isObj(v) || Object.keys(v).length !== 1) ctx.fail(path, `each step is one of: ${STEP_KINDS.join(', ')}`)
  const [kind, arg] = Object.entries(v)[0]!
  const p = [...path, kind]
  switch (kind) {
    case 'wait':
      return { kind: 'wait', ms: duration(ctx, arg, p) }
    case 'wait-until':
    case 'assert': {
      if (kind === 'wait-until' && isObj(arg) && arg.timeout !== undefined) {
        const { timeout, ...rest } = arg
        return { kind, condition: condition(ctx, Object.keys(rest).length === 1 && rest.leader === true ? 'leader' : rest, p), timeoutMs: duration(ctx, timeout, [...p, 'timeout']) }
      }
      const c = condition(ctx, arg, p)
      return kind === 'assert' ? { kind, condition: c } : { kind, condition: c, timeoutMs: 30_000 }
    }
    case 'heal':
      if (arg !== 'all' && arg !== true && arg !== null) ctx.fail(p, 'heal takes no argument, or "all"')
      return { kind: 'heal' }
    case 'scale-out':
      if (isObj(arg) && arg.as !== undefined) return { kind: 'scale-out', as: label(ctx, arg.as, [...p, 'as']) }
      return { kind: 'scale-out' }
    case 'partition': {
      if (!isObj(arg)) ctx.fail(p, 'must be a map with a shape: isolate, split, bridge, ring or one-way')
      only(ctx, arg, p, ['shape', 'node', 'sizes', 'from', 'to', 'cut', 'as'])
      const c = cut(ctx, arg.cut, [...p, 'cut'])
      switch (arg.shape) {
        case 'isolate': {
          const node = nodeRef(ctx, arg.node, [...p, 'node'])
          return { kind: 'partition', shape: 'isolate', node, cut: c, ...(arg.as !== undefined ? { as: label(ctx, arg.as, [...p, 'as']) } : {}) }
        }
        case 'split': {
          if (arg.sizes === undefined) return { kind: 'partition', shape: 'split', cut: c }
          if (typeof arg.sizes !== 'string' || !/^\d+\+\d+$/.test(arg.sizes)) ctx.fail([...p, 'sizes'], 'must be like "3+2"')
          const [a, b] = (arg.sizes as string).split('+').map(Number) as [number, number]
          return { kind: 'partition', shape: 'split', sizes: [a, b], cut: c }
        }
        case 'bridge':
        case 'ring':
          return { kind: 'partition', shape: arg.shape, cut: c }
        case 'one-way':
          return { kind: 'partition', shape: 'one-way', from: nodeRef(ctx, arg.from, [...p, 'from']), to: nodeRef(ctx, arg.to, [...p, 'to']), cut: c }
        default:
          ctx.fail([...p, 'shape'], 'must be isolate, split, bridge, ring or one-way')
      }
    }
    // eslint-disable-next-line no-fallthrough -- every branch above returns or throws
    case 'link': {
      if (!isObj(arg)) ctx.fail(p, 'must be a map: { from, to, delay, jitter, drop, dup, cut }')
      const { from, to, ...rest } = arg
      return { kind: 'link', from: nodeRef(ctx, from, [...p, 'from']), to: nodeRef(ctx, to, [...p, 'to']), fault: fault(ctx, rest, p) }
    }
    case 'links':
      return { kind: 'links', fault: fault(ctx, arg, p) }
    case 'pick': {
      if (!isObj(arg) || arg.as === undefined) ctx.fail(p, 'must be { node: <node>, as: <label> }')
      only(ctx, arg, p, ['node', 'as'])
      const node = nodeRef(ctx, arg.node, [...p, 'node'])
      return { kind: 'pick', node, as: label(ctx, arg.as, [...p, 'as']) }
    }
    case 'workload': {
      if (arg === 'start' || arg === 'stop') return { kind: 'workload', action: arg }
      if (isObj(arg) && (arg.start !== undefined || arg.update !== undefined)) {
        const action = arg.start !== undefined ? 'start' : 'update'
        const spec = arg[action]
        if (!isObj(spec)) ctx.fail([...p, action], 'must be a workload spec map')
        return { kind: 'workload', action, spec: spec as WorkloadSpecInput }
      }
      ctx.fail(p, 'must be start, stop, { start: {spec} } or { update: {spec} }')
    }
    // eslint-disable-next-line no-fallthrough -- every branch above returns or throws
    default: {
      if (!(NODE_ACTIONS as string[]).includes(kind)) ctx.fail(p, `unknown step (steps: ${STEP_KINDS.join(', ')})`)
      const action = kind as NodeAction
      if (isObj(arg)) {
        only(ctx, arg, p, ['node', 'as'])
        const node = nodeRef(ctx, arg.node, [...p, 'node'])
        return { kind: 'node', action, node, ...(arg.as !== undefined ? { as: label(ctx, arg.as, [...p, 'as']) } : {}) }
      }
      return { kind: 'node', action, node: nodeRef(ctx, arg, p) }
    }
  }
}

/** Parse and validate one drill script. Throws DrillScriptError naming line and field. */
export function parseDrillScript(source: string, file = 'drill.yaml'): DrillScript {
  const lc = new LineCounter()
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    throw new DrillScriptError(file, e.linePos?.[0]?.line ?? 1, '', `not valid YAML: ${e.message.split('\n')[0]}`)
  }
  const ctx: Ctx = new Ctx(file, doc, lc)
  const root = doc.toJS() as unknown
  if (!isObj(root)) ctx.fail([], 'a drill is a YAML map with name, title, description, cluster, expect and steps')
  only(ctx, root, [], ['name', 'title', 'description', 'seed', 'not-applicable', 'cluster', 'workload', 'expect', 'steps'])
  if (typeof root.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(root.name)) ctx.fail(['name'], 'must be a kebab-case id such as leader-crash')
  const title = text(ctx, root.title, ['title'])
  const description = text(ctx, root.description, ['description'])
  if (root.seed !== undefined && typeof root.seed !== 'string') ctx.fail(['seed'], 'must be text, e.g. "§8.4 预案1"')

  const c = root.cluster ?? {}
  if (!isObj(c)) ctx.fail(['cluster'], 'must be a map: { nodes, profile, preVote, checkQuorum }')
  only(ctx, c, ['cluster'], ['nodes', 'profile', 'preVote', 'checkQuorum'])
  const cluster = {
    nodes: c.nodes === undefined ? 3 : int(ctx, c.nodes, ['cluster', 'nodes'], 1, 9),
    profile: (c.profile ?? 'seed') as TimingProfile,
    preVote: c.preVote === undefined ? true : c.preVote === true,
    checkQuorum: c.checkQuorum === undefined ? true : c.checkQuorum === true
  }
  if (cluster.profile !== 'seed' && cluster.profile !== 'teaching') ctx.fail(['cluster', 'profile'], 'must be seed or teaching')
  for (const k of ['preVote', 'checkQuorum'] as const) if (c[k] !== undefined && typeof c[k] !== 'boolean') ctx.fail(['cluster', k], 'must be true or false')

  if (root.workload !== undefined && root.workload !== null && !isObj(root.workload)) ctx.fail(['workload'], 'must be a workload spec map')
  const workload = (root.workload ?? null) as WorkloadSpecInput | null

  const e = root.expect ?? {}
  if (!isObj(e)) ctx.fail(['expect'], 'must be a map')
  only(ctx, e, ['expect'], ['failover', 'leaderless', 'unavailable', 'rejoin', 'lostWrites', 'consistency'])
  const expect: Expectations = { ...DEFAULT_EXPECT }
  if (e.failover !== undefined) expect.failoverMs = duration(ctx, e.failover, ['expect', 'failover'])
  if (e.leaderless !== undefined) expect.leaderlessMs = duration(ctx, e.leaderless, ['expect', 'leaderless'])
  if (e.unavailable !== undefined) expect.unavailableMs = duration(ctx, e.unavailable, ['expect', 'unavailable'])
  if (e.rejoin !== undefined) expect.rejoinMs = duration(ctx, e.rejoin, ['expect', 'rejoin'])
  if (e.lostWrites !== undefined) expect.lostWrites = int(ctx, e.lostWrites, ['expect', 'lostWrites'], 0, 0)
  if (e.consistency !== undefined) {
    if (e.consistency !== 'linearizable' && e.consistency !== 'violation' && e.consistency !== 'any') ctx.fail(['expect', 'consistency'], 'must be linearizable, violation or any')
    expect.consistency = e.consistency
  }

  const notApplicable = root['not-applicable'] !== undefined ? text(ctx, root['not-applicable'], ['not-applicable']) : undefined
  if (!Array.isArray(root.steps) || (root.steps.length === 0 && !notApplicable)) ctx.fail(['steps'], 'must be a non-empty list of steps')
  const steps = (root.steps as unknown[]).map((s, i) => step(ctx, s, ['steps', i]))
  return {
    name: root.name,
    title,
    description,
    ...(root.seed !== undefined ? { seed: root.seed as string } : {}),
    ...(notApplicable ? { notApplicable } : {}),
    cluster,
    workload,
    expect,
    steps
  }
}
