import type { WorkloadTotals } from '../api'
import { Agent, request } from 'undici'
import { ADMIN_STATUS_PATH, type NodeStatus } from '../../../node-core/src/protocol/admin'
import { LabServiceError } from '../errors'
import { History, type HistoryOp, type HistoryOptions, type OpOutcome } from './history'
import { StatsWindow, type WorkloadStats } from './latency'
import { beatInstance, getConfig, instanceAddress, listInstances, publishConfig, registerInstance, type HttpRequestSpec } from './nacos-requests'
import { errorCode, outcomeOfError, outcomeOfReply } from './outcome'
import { TokenBucket } from './token-bucket'
import { createRandom, isWriteOp, pickOp, validateWorkloadSpec, OP_KINDS, type OpKind, type WorkloadSpec, type WorkloadSpecInput } from './workload-spec'

/** Where the workload sends requests: a node's HTTP address, or (later) its client proxy. */
export interface WorkloadTarget {
  id: number | string
  /** `http://127.0.0.1:8848`, no trailing slash. */
  baseUrl: string
}

export type WorkloadState = 'idle' | 'running' | 'stopping'

export interface WorkloadOptions {
  onStats?: (stats: WorkloadStats) => void
  onState?: (state: WorkloadState) => void
  /** History capacity and NDJSON sink. */
  history?: Omit<HistoryOptions, 'now'>
  /** Seed for op choice and target choice; printed by tests. */
  seed?: number
  statsIntervalMs?: number
  /** How often the leader is looked up (and soon after a failed leader-routed write). */
  leaderPollMs?: number
}

export type { WorkloadTotals }

interface Slot {
  /** The history's client id; replaced after an 'unknown' op, whose effect may come later. */
  client: number
  busy: boolean
}

const TICK_MS = 10

/**
 * A real HTTP client load against the cluster: open-loop (token bucket) or closed-loop,
 * weighted op mix, routing by role, per-second stats, beats for registered instances, and a
 * history for the linearizability checker.
 */
export class Workload {
  private spec: WorkloadSpec | null = null
  private targets: WorkloadTarget[] = []
  private state: WorkloadState = 'idle'
  private agent: Agent | null = null
  private slots: Slot[] = []
  private nextClient = 1
  private inFlight = new Set<Promise<void>>()
  private bucket: TokenBucket | null = null
  private window = new StatsWindow(Date.now())
  private timers: ReturnType<typeof setInterval>[] = []
  private beatTimer: ReturnType<typeof setInterval> | null = null
  private readonly registered = new Map<string, { s: number; i: number }>()
  private leaderId: WorkloadTarget['id'] | null = null
  private leaderPolling = false
  private random: () => number
  private historyLog: History
  private totalsAcc: WorkloadTotals = emptyTotals()

  constructor(private readonly opts: WorkloadOptions = {}) {
    this.random = createRandom(opts.seed ?? Date.now())
    this.historyLog = new History(opts.history)
  }

  /** The run's history (a new one per start). */
  get history(): History {
    return this.historyLog
  }

  get currentSpec(): WorkloadSpec | null {
    return this.spec && { ...this.spec, mix: { ...this.spec.mix } }
  }

  get currentState(): WorkloadState {
    return this.state
  }

  /** The target the workload believes leads, if any. */
  get leader(): WorkloadTarget['id'] | null {
    return this.leaderId
  }

  totals(): WorkloadTotals {
    const t = this.totalsAcc
    return { ...t, byKind: structuredClone(t.byKind), beats: { ...t.beats } }
  }

  start(specInput: WorkloadSpecInput | WorkloadSpec, targets: readonly WorkloadTarget[]): WorkloadSpec {
    if (this.state !== 'idle') throw new LabServiceError('CLUSTER_BUSY', `the workload is ${this.state}; stop it first`)
    const spec = validateWorkloadSpec(specInput)
    this.setTargets(targets)
    this.spec = spec
    this.historyLog = new History(this.opts.history)
    this.totalsAcc = emptyTotals()
    this.registered.clear()
    this.nextClient = 1
    this.slots = []
    this.resize(spec.concurrency)
    this.agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: spec.timeoutMs } })
    const now = Date.now()
    this.window = new StatsWindow(now)
    this.bucket = new TokenBucket(spec.ratePerSec, now)
    this.setState('running')
    this.timers.push(setInterval(() => this.tick(), TICK_MS))
    this.timers.push(setInterval(() => this.emitStats(), this.opts.statsIntervalMs ?? 1000))
    this.timers.push(setInterval(() => void this.pollLeader(), this.opts.leaderPollMs ?? 500))
    this.scheduleBeats(spec.beatIntervalMs)
    for (const t of this.timers) t.unref?.()
    void this.pollLeader()
    this.tick()
    return spec
  }

  /** Change rate, mix, routing, concurrency… while running; unspecified fields keep their value. */
  update(specInput: WorkloadSpecInput): WorkloadSpec {
    if (!this.spec || this.state !== 'running') throw new LabServiceError('INVALID_ARGUMENT', 'no workload is running')
    const spec = validateWorkloadSpec(specInput, this.spec)
    const beatChanged = spec.beatIntervalMs !== this.spec.beatIntervalMs
    this.spec = spec
    this.bucket?.setRate(spec.ratePerSec, Date.now())
    this.resize(spec.concurrency)
    if (beatChanged) this.scheduleBeats(spec.beatIntervalMs)
    return spec
  }

  /** Replace the targets (nodes added/removed, proxies switched); in-flight ops finish where they went. */
  setTargets(targets: readonly WorkloadTarget[]): void {
    const ids = new Set<string>()
    for (const [i, t] of targets.entries()) {
      if (!t || typeof t.baseUrl !== 'string' || !/^https?:\/\/[^/]+$/.test(t.baseUrl)) {
        throw new LabServiceError('INVALID_ARGUMENT', `targets[${i}].baseUrl: must be http://host:port without a path, got ${JSON.stringify(t?.baseUrl)}`)
      }
      if (ids.has(String(t.id))) throw new LabServiceError('INVALID_ARGUMENT', `targets[${i}].id: ${String(t.id)} appears twice`)
      ids.add(String(t.id))
    }
    this.targets = targets.map((t) => ({ ...t }))
    if (this.leaderId !== null && !ids.has(String(this.leaderId))) this.leaderId = null
  }

  /** Stop starting ops, wait for those in flight (bounded by their timeout), close the run. */
  async stop(): Promise<WorkloadTotals> {
    if (this.state !== 'running') return this.totals()
    this.setState('stopping')
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.scheduleBeats(0)
    const deadline = new Promise((r) => setTimeout(r, (this.spec?.timeoutMs ?? 3000) + 1000).unref?.())
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline])
    this.historyLog.closeOpen()
    this.emitStats()
    const agent = this.agent
    this.agent = null
    await agent?.destroy().catch(() => undefined)
    this.setState('idle')
    return this.totals()
  }

  private setState(s: WorkloadState): void {
    this.state = s
    this.opts.onState?.(s)
  }

  private resize(concurrency: number): void {
    while (this.slots.length < concurrency) this.slots.push({ client: this.nextClient++, busy: false })
    // Shrinking drops idle slots now and busy ones as they finish (see release).
    this.slots = this.slots.filter((s, i) => i < concurrency || s.busy)
  }

  private tick(): void {
    const spec = this.spec
    if (this.state !== 'running' || !spec || !this.bucket) return
    if (spec.ratePerSec === 0) {
      for (let s = this.freeSlot(); s; s = this.freeSlot()) this.launch(s)
      return
    }
    let n = this.bucket.refill(Date.now())
    while (n-- > 0) {
      this.bucket.take()
      const slot = this.freeSlot()
      if (slot) this.launch(slot)
      else {
        this.window.skip()
        this.totalsAcc.skipped++
      }
    }
  }

  private freeSlot(): Slot | undefined {
    if (this.targets.length === 0) return undefined
    const live = this.spec?.concurrency ?? 0
    return this.slots.find((s, i) => !s.busy && i < live)
  }

  private launch(slot: Slot): void {
    const spec = this.spec!
    slot.busy = true
    const kind = pickOp(spec.mix, this.random())
    const p = this.runOp(slot, kind, spec)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight.delete(p)
        slot.busy = false
        if (!this.slots.includes(slot)) return
        const idx = this.slots.indexOf(slot)
        if (idx >= (this.spec?.concurrency ?? 0)) this.slots.splice(idx, 1)
        else if (this.spec?.ratePerSec === 0 && this.state === 'running') this.tick()
      })
    this.inFlight.add(p)
  }

  private route(kind: OpKind, spec: WorkloadSpec): { target: WorkloadTarget; linearizable: boolean } | undefined {
    const routing = isWriteOp(kind) ? spec.writeRouting : spec.readRouting
    const any = this.targets[Math.floor(this.random() * this.targets.length)]
    if (!any) return undefined
    if (routing === 'leader') {
      // No known leader: send anyway (every node forwards writes); the op tells the truth.
      const leader = this.targets.find((t) => String(t.id) === String(this.leaderId))
      return { target: leader ?? any, linearizable: false }
    }
    return { target: any, linearizable: routing === 'linearizable' }
  }

  private async runOp(slot: Slot, kind: OpKind, spec: WorkloadSpec): Promise<void> {
    const r = this.route(kind, spec)
    if (!r) return
    const { target, linearizable } = r
    let req: HttpRequestSpec
    let op: HistoryOp | undefined
    if (kind === 'publish' || kind === 'get') {
      const key = `${spec.keyPrefix}${Math.floor(this.random() * spec.keys)}`
      if (kind === 'publish') {
        const value = this.historyLog.nextValue(slot.client)
        req = publishConfig(key, spec.group, value)
        op = this.historyLog.invoke({ client: slot.client, node: String(target.id), kind: 'write', key, value })
      } else {
        req = getConfig(key, spec.group, linearizable)
        op = this.historyLog.invoke({ client: slot.client, node: String(target.id), kind: 'read', key })
      }
    } else {
      const s = Math.floor(this.random() * spec.services)
      const service = `${spec.servicePrefix}${s}`
      if (kind === 'register') {
        const i = Math.floor(this.random() * spec.instancesPerService)
        const { ip, port } = instanceAddress(s, i)
        // Like the SDK, beats are queued before the register is sent: a beat re-creates it.
        this.registered.set(`${s}/${i}`, { s, i })
        req = registerInstance(service, spec.group, ip, port)
      } else {
        req = listInstances(service, spec.group, linearizable)
      }
    }
    const isRead = kind === 'get' || kind === 'list'
    const t0 = performance.now()
    let outcome: OpOutcome
    let result: string | null | undefined
    let error: string | undefined
    try {
      const { status, text } = await this.send(target, req, spec.timeoutMs)
      outcome = outcomeOfReply(status, text, isRead)
      if (kind === 'get' && outcome === 'ok') result = status === 404 ? null : text
      if (outcome !== 'ok') error = `HTTP ${status}: ${text.trim().slice(0, 200)}`
    } catch (err) {
      const code = errorCode(err)
      outcome = outcomeOfError(code)
      error = `${code ?? 'ERROR'}: ${err instanceof Error ? err.message : String(err)}`
    }
    const latency = performance.now() - t0
    if (op) this.historyLog.complete(op, outcome, { result, error })
    this.window.record(kind, outcome, latency)
    this.totalsAcc[outcome]++
    this.totalsAcc.byKind[kind][outcome]++
    if (outcome === 'unknown') slot.client = this.nextClient++
    if (outcome !== 'ok' && !isRead && spec.writeRouting === 'leader') void this.pollLeader()
  }

  private async send(target: WorkloadTarget, req: HttpRequestSpec, timeoutMs: number): Promise<{ status: number; text: string }> {
    const agent = this.agent
    if (!agent) throw Object.assign(new Error('the workload is stopping'), { code: 'ECONNREFUSED' })
    const res = await request(`${target.baseUrl}${req.path}`, {
      dispatcher: agent,
      method: req.method,
      headers: req.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
      body: req.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs)
    })
    return { status: res.statusCode, text: await res.body.text() }
  }

  /** Ask every target who leads; trust the answer from the highest term. */
  private async pollLeader(): Promise<void> {
    if (this.leaderPolling || !this.agent) return
    this.leaderPolling = true
    try {
      const answers = await Promise.all(
        this.targets.map(async (t) => {
          try {
            const { status, text } = await this.send(t, { method: 'GET', path: ADMIN_STATUS_PATH }, 1000)
            return status === 200 ? { t, s: JSON.parse(text) as NodeStatus } : undefined
          } catch {
            return undefined
          }
        })
      )
      const seen = answers.filter((a) => a !== undefined)
      const best = seen.filter((a) => a.s.leader).sort((a, b) => b.s.term - a.s.term)[0]
      const leader = best && seen.find((a) => a.s.address === best.s.leader)
      // A leader that did not answer itself is as good as none for routing.
      this.leaderId = leader ? leader.t.id : null
    } finally {
      this.leaderPolling = false
    }
  }

  private scheduleBeats(intervalMs: number): void {
    if (this.beatTimer) clearInterval(this.beatTimer)
    this.beatTimer = null
    if (intervalMs <= 0 || this.state !== 'running') return
    this.beatTimer = setInterval(() => this.beatAll(), intervalMs)
    this.beatTimer.unref?.()
  }

  private beatAll(): void {
    const spec = this.spec
    if (!spec || this.state !== 'running') return
    for (const { s, i } of this.registered.values()) {
      const target = this.targets[Math.floor(this.random() * this.targets.length)]
      if (!target) return
      const { ip, port } = instanceAddress(s, i)
      const p = this.send(target, beatInstance(`${spec.servicePrefix}${s}`, spec.group, ip, port), spec.timeoutMs)
        .then(({ status, text }) => {
          const ok = status === 200
          if (ok) {
            const interval = (JSON.parse(text) as { clientBeatInterval?: unknown }).clientBeatInterval
            if (typeof interval === 'number') this.totalsAcc.beats.lastClientBeatInterval = interval
          }
          return ok
        })
        .catch(() => false)
        .then((ok) => {
          this.window.beat(ok)
          this.totalsAcc.beats.sent++
          if (ok) this.totalsAcc.beats.ok++
        })
        .finally(() => this.inFlight.delete(p))
      this.inFlight.add(p)
    }
  }

  private emitStats(): void {
    const stats = this.window.take(Date.now(), this.inFlight.size)
    try {
      this.opts.onStats?.(stats)
    } catch {
      // A listener's bug must not stop the workload.
    }
  }
}

function emptyTotals(): WorkloadTotals {
  return {
    ok: 0,
    fail: 0,
    unknown: 0,
    skipped: 0,
    byKind: Object.fromEntries(OP_KINDS.map((k) => [k, { ok: 0, fail: 0, unknown: 0 }])) as WorkloadTotals['byKind'],
    beats: { sent: 0, ok: 0, lastClientBeatInterval: null }
  }
}
