/**
 * Runs a drill script against a real cluster through the Lab: creates and starts the
 * cluster, runs the workload, executes each step, samples the leader every 50 ms, then
 * measures recovery, checks durability (every node read at the end) and linearizability,
 * and judges the result against the script's expectations.
 */
import { request } from 'node:http'
import type { LabEvent, LabMethod, LabRequest, LabResponse, NodeId, NodeRaftView, Result } from '../api'
import { checkDurability, type DurabilityResult, type FinalRead } from '../checker/durability'
import { checkHistory, type CheckResult } from '../checker/linearizability'
import type { Lab } from '../lab'
import type { HistoryOp } from '../workload/history'
import type { Condition, DrillScript, Expectations, NodeRef, Step } from './drill-script'
import { countByPhase, leaderChanges, leaderlessWindows, longestWriteGap, timeToFirstAck, type LeaderSample, type PhaseCounts, type Window } from './measure'

export interface StepRecord {
  index: number
  step: Step
  /** What the step did, for people (`crash node 2 (leader)`). */
  text: string
  startedAt: number
  endedAt: number
  ok: boolean
  error?: string
  nodeId?: NodeId
}

export interface Check {
  name: 'failover' | 'leaderless' | 'unavailable' | 'rejoin' | 'lostWrites' | 'consistency' | 'steps'
  expected: string
  actual: string
  pass: boolean
}

export interface DrillResult {
  drill: { name: string; title: DrillScript['title']; seed?: string }
  verdict: 'pass' | 'fail' | 'not-applicable'
  startedAt: number
  endedAt: number
  cluster: { runId: string; nodes: number; profile: string; preVote: boolean; checkQuorum: boolean; dataDir: string }
  versions: { lab: string; node: string; platform: string }
  steps: StepRecord[]
  /** The first disruptive step's time (the fault); null when the drill has none. */
  faultAt: number | null
  measurements: {
    leaderlessMs: number | null
    leaderless: Window[]
    leaderChanges: ReturnType<typeof leaderChanges>
    failoverMs: number | null
    unavailable: Window | null
    rejoinMs: number | null
    lostWrites: number
    phases: PhaseCounts[]
    totals: { ok: number; fail: number; unknown: number }
  }
  checks: Check[]
  consistency: CheckResult
  durability: DurabilityResult
  /** Leader samples and lab events, for the report's timeline. */
  samples: LeaderSample[]
  events: LabEvent[]
  /** Workload throughput per second: ok / fail / unknown counts by invoke second. */
  throughput: { at: number; ok: number; fail: number; unknown: number; p99: number | null }[]
  history: HistoryOp[]
  /** How to run it again. */
  command: string
}

export interface RunDrillOptions {
  lab: Lab
  script: DrillScript
  /** Overrides the script's cluster size. */
  nodes?: number
  onProgress?: (line: string) => void
  /** The command to print in the report. */
  command?: string
  version?: string
}

const DISRUPTIVE = new Set(['node', 'partition', 'link', 'links', 'scale-out'])
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export async function runDrill(o: RunDrillOptions): Promise<DrillResult> {
  const { lab, script } = o
  const log = o.onProgress ?? (() => {})
  const startedAt = Date.now()
  const call = async <M extends LabMethod>(method: M, req: LabRequest<M>): Promise<LabResponse<M>> => {
    const r: Result<LabResponse<M>> = await lab.handle(method, req)
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
    return r.value
  }
  const base = {
    drill: { name: script.name, title: script.title, ...(script.seed ? { seed: script.seed } : {}) },
    versions: { lab: o.version ?? 'dev', node: process.version, platform: process.platform },
    command: o.command ?? `quorum-lab drill ${script.name}${o.nodes ? ` --nodes ${o.nodes}` : ''}`
  }
  if (script.notApplicable) {
    log(`${script.name}: not applicable — ${script.notApplicable.en}`)
    return emptyResult(base, script, startedAt)
  }

  const nodes = o.nodes ?? script.cluster.nodes
  log(`creating a ${nodes}-node cluster (${script.cluster.profile}, PreVote ${script.cluster.preVote ? 'on' : 'off'}, CheckQuorum ${script.cluster.checkQuorum ? 'on' : 'off'})`)
  const created = await call('cluster.create', { size: nodes, profile: script.cluster.profile, preVote: script.cluster.preVote, checkQuorum: script.cluster.checkQuorum })
  await call('cluster.start', undefined)

  const events: LabEvent[] = []
  const unsubscribe = lab.subscribe((batch) => {
    for (const e of batch) if (e.type !== 'node.output' && e.type !== 'metrics.sample') events.push(e)
  })
  const samples: LeaderSample[] = []
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      const views = await lab.handle('cluster.status', undefined)
      if (views.ok) samples.push({ at: Date.now(), ...agreedLeader(views.value) })
      await sleep(50)
    }
  })()

  const labels = new Map<string, NodeId>()
  const steps: StepRecord[] = []
  let faultAt: number | null = null
  let lastReturnAt: number | null = null
  let rejoinMs: number | null = null
  let history: HistoryOp[]
  let failed: string | undefined

  const views = async (): Promise<NodeRaftView[]> => call('cluster.status', undefined)
  const resolve = async (ref: NodeRef): Promise<NodeId> => {
    if (ref.kind === 'id') return ref.id
    if (ref.kind === 'label') {
      const id = labels.get(ref.label)
      if (id === undefined) throw new Error(`label "${ref.label}" names no node`)
      return id
    }
    const v = await views()
    const leader = agreedLeader(v).leader
    if (ref.kind === 'leader') {
      if (leader === null) throw new Error('there is no leader to act on')
      return leader
    }
    const follower = v.find((x) => x.status?.role === 'follower' && x.nodeId !== leader)
    if (!follower) throw new Error('there is no follower to act on')
    return follower.nodeId
  }
  const holds = async (c: Condition): Promise<boolean> => {
    const v = await views()
    switch (c.kind) {
      case 'leader':
        return agreedLeader(v).leader !== null
      case 'no-leader':
        return agreedLeader(v).leader === null
      case 'nodes-up':
        return v.filter((x) => x.status !== null).length >= c.count
      case 'caught-up': {
        const id = await resolve(c.node)
        const leader = agreedLeader(v)
        const lead = v.find((x) => x.nodeId === leader.leader)?.status
        const me = v.find((x) => x.nodeId === id)?.status
        return !!lead && !!me && me.applied >= lead.commit
      }
      case 'writes-ok': {
        const since = Date.now() - 1000
        return lab.workload.history.ops().some((op) => op.kind === 'write' && op.outcome === 'ok' && (op.completeAt ?? 0) >= since)
      }
    }
  }

  try {
    for (const [index, step] of script.steps.entries()) {
      const rec: StepRecord = { index, step, text: describeStep(step), startedAt: Date.now(), endedAt: 0, ok: true }
      log(`step ${index + 1}/${script.steps.length}: ${rec.text}`)
      try {
        await runStep(step, rec)
      } catch (err) {
        rec.ok = false
        rec.error = err instanceof Error ? err.message : String(err)
        log(`  failed: ${rec.error}`)
      }
      rec.endedAt = Date.now()
      steps.push(rec)
      if (!rec.ok) {
        failed = `step ${index + 1} (${rec.text}) failed: ${rec.error}`
        break
      }
    }
  } finally {
    if (lab.workload.currentState !== 'idle') await call('workload.stop', undefined).catch(() => undefined)
    history = [...lab.workload.history.ops()]
    sampling = false
    await sampler
  }

  async function runStep(step: Step, rec: StepRecord): Promise<void> {
    if (DISRUPTIVE.has(step.kind) && faultAt === null) faultAt = rec.startedAt
    switch (step.kind) {
      case 'wait':
        return sleep(step.ms)
      case 'wait-until': {
        const deadline = Date.now() + step.timeoutMs
        while (!(await holds(step.condition).catch(() => false))) {
          if (Date.now() > deadline) throw new Error(`${describeCondition(step.condition)} did not hold within ${step.timeoutMs} ms`)
          await sleep(50)
        }
        if (step.condition.kind === 'caught-up' && lastReturnAt !== null) {
          rejoinMs = Math.max(rejoinMs ?? 0, Date.now() - lastReturnAt)
          lastReturnAt = null
        }
        return
      }
      case 'assert':
        if (!(await holds(step.condition))) throw new Error(`${describeCondition(step.condition)} does not hold`)
        return
      case 'pick': {
        const id = await resolve(step.node)
        labels.set(step.as, id)
        rec.nodeId = id
        return
      }
      case 'node': {
        const id = await resolve(step.node)
        rec.nodeId = id
        if (step.as) labels.set(step.as, id)
        rec.text = `${rec.text} → node ${id}`
        const method = NODE_METHOD[step.action]
        if (method === 'node.remove') await call('node.remove', { nodeId: id })
        else await call(method, { nodeId: id })
        if (['restart', 'start', 'resume', 'wipe'].includes(step.action)) lastReturnAt = Date.now()
        return
      }
      case 'partition': {
        if (step.shape === 'isolate') {
          const id = await resolve(step.node)
          rec.nodeId = id
          if (step.as) labels.set(step.as, id)
          await call('link.preset', { preset: 'isolate', nodeId: id, cut: step.cut })
        } else if (step.shape === 'split') {
          const ids = (await views()).map((v) => v.nodeId).sort((a, b) => a - b)
          const [a, b] = step.sizes ?? [Math.floor(ids.length / 2) + 1, ids.length - Math.floor(ids.length / 2) - 1]
          if (a + b !== ids.length) throw new Error(`split ${a}+${b} does not fit ${ids.length} nodes`)
          await call('link.preset', { preset: 'split', groups: [ids.slice(0, a), ids.slice(a)], cut: step.cut })
        } else if (step.shape === 'one-way') {
          await call('link.preset', { preset: 'oneWay', from: await resolve(step.from), to: await resolve(step.to), cut: step.cut })
        } else {
          await call('link.preset', { preset: step.shape === 'ring' ? 'majoritiesRing' : 'bridge', cut: step.cut })
        }
        return
      }
      case 'heal':
        await call('link.healAll', undefined)
        lastReturnAt = Date.now()
        return
      case 'link':
        await call('link.set', { from: await resolve(step.from), to: await resolve(step.to), fault: step.fault })
        return
      case 'links': {
        const ids = (await views()).map((v) => v.nodeId)
        for (const a of ids) for (const b of ids) if (a !== b) await call('link.set', { from: a, to: b, fault: step.fault })
        return
      }
      case 'scale-out': {
        const n = await call('cluster.addNode', undefined)
        rec.nodeId = n.id
        if (step.as) labels.set(step.as, n.id)
        return
      }
      case 'workload':
        if (step.action === 'stop') await call('workload.stop', undefined)
        else if (step.action === 'update') await call('workload.update', step.spec ?? {})
        else await call('workload.start', { ...(script.workload ?? {}), ...(step.spec ?? {}) })
        return
    }
  }

  // Let the cluster settle, then read every key from every running node.
  log('checking durability: reading every key from every node')
  await call('link.healAll', undefined).catch(() => undefined)
  const finals = await finalReads(lab, history).catch(() => [] as FinalRead[])
  const durability = checkDurability(history, finals)
  log('checking consistency (linearizability of the config history)')
  const consistency = checkHistory(history, { budgetMs: 30_000 })
  unsubscribe()
  const info = await call('cluster.get', undefined)
  await call('cluster.stop', undefined).catch(() => undefined)

  const endedAt = Date.now()
  const windows = leaderlessWindows(samples, endedAt)
  const relevant = faultAt === null ? windows : windows.filter((w) => w.to >= faultAt!)
  const failoverMs = faultAt === null ? null : timeToFirstAck(history, faultAt)
  const unavailable = faultAt === null ? null : longestWriteGap(history, faultAt, steps.at(-1)?.endedAt ?? endedAt)
  const lostWrites = durability.lost.length
  const totals = { ok: history.filter((h) => h.outcome === 'ok').length, fail: history.filter((h) => h.outcome === 'fail').length, unknown: history.filter((h) => h.outcome === 'unknown').length }
  const measurements: DrillResult['measurements'] = {
    leaderlessMs: relevant.length ? Math.max(...relevant.map((w) => w.ms)) : 0,
    leaderless: windows,
    leaderChanges: leaderChanges(samples),
    failoverMs,
    unavailable,
    rejoinMs,
    lostWrites,
    phases: countByPhase(history, phasesOf(steps, startedAt, endedAt, faultAt)),
    totals
  }
  const checks = judge(script.expect, measurements, consistency, failed)
  const verdict = checks.every((c) => c.pass) ? 'pass' : 'fail'
  log(`verdict: ${verdict.toUpperCase()}`)
  return {
    ...base,
    verdict,
    startedAt,
    endedAt,
    cluster: { runId: created.runId, nodes, profile: script.cluster.profile, preVote: script.cluster.preVote, checkQuorum: script.cluster.checkQuorum, dataDir: info?.dataDir ?? created.dataDir },
    steps,
    faultAt,
    measurements,
    checks,
    consistency,
    durability,
    samples,
    events,
    throughput: throughputOf(history),
    history
  }
}

const NODE_METHOD = {
  crash: 'node.crash',
  stop: 'node.stop',
  start: 'node.start',
  pause: 'node.pause',
  resume: 'node.resume',
  restart: 'node.restart',
  wipe: 'node.wipe',
  transfer: 'node.transferLeader',
  'scale-in': 'node.remove'
} as const

/** The leader every answering node agrees on, or null (none, or two nodes claim it). */
export function agreedLeader(views: readonly NodeRaftView[]): { leader: NodeId | null; term: number } {
  const answering = views.filter((v) => v.status !== null)
  const leaders = answering.filter((v) => v.status!.role === 'leader').sort((a, b) => b.status!.term - a.status!.term)
  const top = leaders[0]
  const term = Math.max(0, ...answering.map((v) => v.status!.term))
  if (!top || top.status!.term < term) return { leader: null, term }
  // A majority of the answering nodes must name it: an isolated old leader does not count.
  const naming = answering.filter((v) => v.status!.leader === top.status!.address).length
  return naming * 2 > views.length ? { leader: top.nodeId, term: top.status!.term } : { leader: null, term }
}

function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'caught-up':
      return `node ${c.node.kind === 'id' ? c.node.id : c.node.kind === 'label' ? c.node.label : c.node.kind} caught up`
    case 'nodes-up':
      return `${c.count} nodes up`
    default:
      return c.kind
  }
}

export function describeStep(s: Step): string {
  const ref = (r: NodeRef): string => (r.kind === 'id' ? `node ${r.id}` : r.kind === 'label' ? r.label : `the ${r.kind}`)
  switch (s.kind) {
    case 'wait':
      return `wait ${s.ms} ms`
    case 'wait-until':
      return `wait until ${describeCondition(s.condition)} (≤ ${s.timeoutMs} ms)`
    case 'assert':
      return `check ${describeCondition(s.condition)}`
    case 'pick':
      return `call ${ref(s.node)} "${s.as}"`
    case 'node':
      return `${s.action} ${ref(s.node)}`
    case 'partition':
      return s.shape === 'isolate' ? `isolate ${ref(s.node)} (${s.cut})` : s.shape === 'one-way' ? `cut ${ref(s.from)} → ${ref(s.to)} (${s.cut})` : `partition: ${s.shape}${s.shape === 'split' && s.sizes ? ` ${s.sizes.join('+')}` : ''} (${s.cut})`
    case 'heal':
      return 'heal every link'
    case 'link':
      return `link ${ref(s.from)} → ${ref(s.to)}: ${JSON.stringify(s.fault)}`
    case 'links':
      return `every link: ${JSON.stringify(s.fault)}`
    case 'scale-out':
      return 'add a node (learner → voter)'
    case 'workload':
      return `workload ${s.action}`
  }
}

function phasesOf(steps: readonly StepRecord[], start: number, end: number, faultAt: number | null): { phase: string; from: number; to: number }[] {
  if (faultAt === null) return [{ phase: 'run', from: start, to: end }]
  const heal = steps.find((s) => s.startedAt > faultAt && (s.step.kind === 'heal' || (s.step.kind === 'node' && ['restart', 'start', 'resume'].includes(s.step.action))))
  return heal
    ? [
        { phase: 'before', from: start, to: faultAt },
        { phase: 'fault', from: faultAt, to: heal.startedAt },
        { phase: 'recovery', from: heal.startedAt, to: end }
      ]
    : [
        { phase: 'before', from: start, to: faultAt },
        { phase: 'fault', from: faultAt, to: end }
      ]
}

function judge(e: Expectations, m: DrillResult['measurements'], c: CheckResult, failed: string | undefined): Check[] {
  const ms = (v: number | null): string => (v === null ? 'not measured' : `${Math.round(v)} ms`)
  const checks: Check[] = [{ name: 'steps', expected: 'every step completes', actual: failed ?? 'all completed', pass: failed === undefined }]
  if (e.failoverMs !== undefined && m.failoverMs !== null) checks.push({ name: 'failover', expected: `≤ ${e.failoverMs} ms`, actual: ms(m.failoverMs), pass: m.failoverMs <= e.failoverMs })
  if (e.leaderlessMs !== undefined) checks.push({ name: 'leaderless', expected: `≤ ${e.leaderlessMs} ms`, actual: ms(m.leaderlessMs), pass: (m.leaderlessMs ?? 0) <= e.leaderlessMs })
  if (e.unavailableMs !== undefined && m.unavailable) checks.push({ name: 'unavailable', expected: `≤ ${e.unavailableMs} ms`, actual: ms(m.unavailable.ms), pass: m.unavailable.ms <= e.unavailableMs })
  if (e.rejoinMs !== undefined && m.rejoinMs !== null) checks.push({ name: 'rejoin', expected: `≤ ${e.rejoinMs} ms`, actual: ms(m.rejoinMs), pass: m.rejoinMs <= e.rejoinMs })
  checks.push({ name: 'lostWrites', expected: `${e.lostWrites}`, actual: `${m.lostWrites}`, pass: m.lostWrites <= e.lostWrites })
  if (e.consistency !== 'any') {
    const pass = e.consistency === 'linearizable' ? c.verdict === 'ok' : c.verdict === 'violation'
    checks.push({ name: 'consistency', expected: e.consistency === 'linearizable' ? 'linearizable' : 'a violation is found', actual: c.verdict === 'ok' ? 'linearizable' : c.verdict === 'violation' ? `violation (${c.anomaly?.summary ?? 'see report'})` : 'unknown (checker budget exceeded)', pass })
  }
  return checks
}

function throughputOf(history: readonly HistoryOp[]): DrillResult['throughput'] {
  const by = new Map<number, { ok: number; fail: number; unknown: number; lat: number[] }>()
  for (const h of history) {
    const s = Math.floor(h.invokeAt / 1000) * 1000
    const b = by.get(s) ?? { ok: 0, fail: 0, unknown: 0, lat: [] }
    b[h.outcome]++
    if (h.outcome === 'ok' && h.completeAt !== undefined) b.lat.push(h.completeAt - h.invokeAt)
    by.set(s, b)
  }
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([at, b]) => {
      b.lat.sort((x, y) => x - y)
      return { at, ok: b.ok, fail: b.fail, unknown: b.unknown, p99: b.lat.length ? b.lat[Math.min(b.lat.length - 1, Math.floor(b.lat.length * 0.99))]! : null }
    })
}

/** Every key the history wrote, read from every running node (local reads: what each node holds). */
async function finalReads(lab: Lab, history: readonly HistoryOp[]): Promise<FinalRead[]> {
  const info = await lab.handle('cluster.get', undefined)
  if (!info.ok || !info.value) return []
  const keys = [...new Set(history.filter((h) => h.kind === 'write').map((h) => h.key))]
  const group = lab.workload.currentSpec?.group ?? 'DEFAULT_GROUP'
  // Wait (bounded) for every node to apply the leader's commit, so a lagging node is not called lossy.
  const deadline = Date.now() + 15_000
  for (;;) {
    const v = await lab.handle('cluster.status', undefined)
    if (v.ok) {
      const lead = v.value.find((x) => x.status?.role === 'leader')?.status
      if (lead && v.value.every((x) => !x.status || x.status.applied >= lead.commit)) break
    }
    if (Date.now() > deadline) break
    await sleep(100)
  }
  const out: FinalRead[] = []
  for (const n of info.value.nodes.filter((x) => x.state === 'up')) {
    const values = new Map<string, string | null>()
    for (const key of keys) values.set(key, await plainConfig(n.host, n.httpPort, key, group))
    out.push({ node: String(n.id), values })
  }
  return out
}

/** A config's content as the node holds it locally (404: missing → null). */
function plainConfig(host: string, port: number, key: string, group: string): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: `/nacos/v1/cs/configs?dataId=${encodeURIComponent(key)}&group=${encodeURIComponent(group)}`, timeout: 3000, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve(res.statusCode === 200 ? body : null))
    })
    req.on('error', () => resolve(null))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

function emptyResult(base: Pick<DrillResult, 'drill' | 'versions' | 'command'>, script: DrillScript, at: number): DrillResult {
  return {
    ...base,
    verdict: 'not-applicable',
    startedAt: at,
    endedAt: at,
    cluster: { runId: '', nodes: 0, profile: script.cluster.profile, preVote: script.cluster.preVote, checkQuorum: script.cluster.checkQuorum, dataDir: '' },
    steps: [],
    faultAt: null,
    measurements: { leaderlessMs: null, leaderless: [], leaderChanges: [], failoverMs: null, unavailable: null, rejoinMs: null, lostWrites: 0, phases: [], totals: { ok: 0, fail: 0, unknown: 0 } },
    checks: [],
    consistency: { verdict: 'ok', keys: [], elapsedMs: 0, opsChecked: 0 },
    durability: { ok: true, keysChecked: 0, lost: [], divergent: [] },
    samples: [],
    events: [],
    throughput: [],
    history: []
  }
}
