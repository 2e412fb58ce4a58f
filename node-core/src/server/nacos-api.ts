import type { IncomingMessage } from 'node:http'
import type { Logger } from 'pino'
import { request } from 'node:http'
import {
  changedEntries,
  configKeyId,
  deregisterCommand,
  encodeCommand,
  formatChangedKeys,
  parseListeningConfigs,
  planHealth,
  publishCommand,
  registerCommand,
  registerCommandFromBeat,
  removeCommand,
  validateBeat,
  validateConfigKey,
  validateDeregister,
  validateInstanceList,
  validatePublish,
  validateRegister,
  validateServiceList,
  type ApplyResult,
  type Command,
  type FieldError,
  type InstanceKey,
  type ListenEntry,
  type StateMachine,
  type Validated
} from '../fsm'
import type { NodeId } from '../raft/types'
import type { Handler, HttpMethod, Reply, RouteTable } from './http-server'
import { HostError, type RaftHost } from './raft-host'
import { BodyTooLargeError, readParams } from './request-params'

/**
 * The Nacos v1 Open API that the official SDK uses (spec/nacos-open-api.md), on top of the
 * replicated state machines: writes go through Raft and answer once applied on this node;
 * reads come from local state, or after a ReadIndex barrier with `consistency=linearizable`.
 */

export interface NacosApiOptions {
  host: RaftHost
  fsm: StateMachine
  /** Member HTTP addresses by Raft id, to forward beats to the leader. */
  memberAddress: (id: NodeId) => string | undefined
  /** How often the client should refresh instance lists (cacheMillis), ms. */
  cacheMillis?: number
  /** Beat interval told to clients, ms. */
  clientBeatInterval?: number
  /** How often the leader judges instance health from beat leases, ms. */
  healthSweepMs?: number
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void
  /** config-server.log: long-poll wake-ups (the seed's "config push" lines). */
  configLog?: Logger
  /** naming-server.log: beats for unknown instances. */
  namingLog?: Logger
  now?: () => number
}

interface Poll {
  entries: ListenEntry[]
  /** configKeyId of each entry: where the poll sits in `pollsByKey`. */
  keys: string[]
  resolve: (reply: Reply) => void
  timer: ReturnType<typeof setTimeout>
}

const FORWARDED = 'x-quorum-forwarded'

const text = (status: number, body: string): Reply => ({ status, text: body })

function badRequest(e: FieldError): Reply {
  return { status: 400, text: `caused: ${e.message}; (field: ${e.field})\n`, headers: { 'X-Quorum-Field': e.field } }
}

/** Run a write through Raft and map failures to the answers a client can act on. */
async function write(host: RaftHost, cmd: Command, ok: Reply): Promise<Reply> {
  try {
    await host.propose(encodeCommand(cmd))
    return ok
  } catch (err) {
    if (err instanceof HostError) {
      if (err.code === 'REJECTED_COMMAND') return text(400, `caused: ${err.message}\n`)
      return text(503, `${err.code === 'NO_LEADER' ? 'no leader' : 'write not applied'}: ${err.message}\n`)
    }
    throw err
  }
}

export class NacosApi {
  private readonly polls = new Set<Poll>()
  /** Held polls by the keys they listen to, so a change looks only at its own listeners. */
  private readonly pollsByKey = new Map<string, Set<Poll>>()
  /** Last beat seen per instance (this node's, plus beats forwarded to it as leader). */
  private readonly leases = new Map<string, number>()
  private sweep: ReturnType<typeof setInterval> | undefined
  private leaderSince = 0
  private wasLeader = false
  private readonly now: () => number

  constructor(private readonly o: NacosApiOptions) {
    this.now = o.now ?? Date.now
  }

  /** Wake long-polls whose keys changed; call for every applied entry. */
  onApply(result: ApplyResult): void {
    if (result.configsChanged.length === 0 || this.polls.size === 0) return
    // Decide now, against the state just applied; answer after the write's own reply has
    // left and in slices, so 10,000 listeners neither delay the writer's ack nor block the
    // event loop in one go. Only the polls listening to a changed key are looked at, and
    // polls asking about the same key share one reply body.
    let candidates: Iterable<Poll> | undefined
    for (const k of result.configsChanged) {
      const set = this.pollsByKey.get(configKeyId(k))
      if (!set) continue
      candidates = candidates === undefined ? set : new Set([...candidates, ...set])
    }
    if (candidates === undefined) return
    const keys = result.configsChanged.map((k) => `${k.namespace}/${k.group}/${k.dataId}`)
    this.wakeChanged(candidates, result.index, keys)
  }

  /**
   * A leader's snapshot replaced the config state (this node lagged too far for the log): any
   * held poll may now be out of date, so every one is checked against the new state.
   */
  onRestore(): void {
    if (this.polls.size === 0) return
    this.wakeChanged(new Set(this.polls), this.o.fsm.applied, ['(snapshot installed)'])
  }

  private wakeChanged(candidates: Iterable<Poll>, index: number, keys: string[]): void {
    const wake: { p: Poll; reply: Reply }[] = []
    const bodies = new Map<string, Reply>()
    for (const p of candidates) {
      const changed = changedEntries(p.entries, this.o.fsm.config)
      if (changed.length === 0) continue
      let reply: Reply | undefined
      if (changed.length === 1) {
        const e = changed[0]!
        const id = `${e.dataId}\u0002${e.group}\u0002${e.tenant}`
        reply = bodies.get(id)
        if (!reply) bodies.set(id, (reply = { status: 200, text: formatChangedKeys(changed) }))
      } else reply = { status: 200, text: formatChangedKeys(changed) }
      wake.push({ p, reply })
    }
    // Unhooked after the scan: `candidates` may be one of the sets this empties.
    for (const { p } of wake) this.unhook(p)
    const woken = wake.length
    const SLICE = 500
    const answer = (from: number): void => {
      const to = Math.min(from + SLICE, woken)
      for (let i = from; i < to; i++) wake[i]!.p.resolve(wake[i]!.reply)
      if (to < woken) setImmediate(() => answer(to))
    }
    if (woken > 0) setImmediate(() => answer(0))
    if (woken > 0) {
      this.o.configLog?.info({ index, keys, listeners: woken }, `config change pushed to ${woken} long-poll listener(s): ${keys.join(', ')}`)
    }
  }

  /** Start the leader's health sweep (beats → health transitions and expiry, through Raft). */
  start(): void {
    this.sweep = setInterval(() => void this.sweepHealth(), this.o.healthSweepMs ?? 1000)
    this.sweep.unref?.()
  }

  /** End every held long-poll (empty reply) and stop the sweep. */
  close(): void {
    if (this.sweep) clearInterval(this.sweep)
    for (const p of [...this.polls]) this.finishPoll(p, text(200, ''))
  }

  listenerCount(): number {
    return this.polls.size
  }

  routes(): RouteTable {
    const r = new Map<string, Partial<Record<HttpMethod, Handler>>>()
    r.set('/nacos/v1/ns/instance', {
      POST: this.guard((p) => this.register(p)),
      PUT: this.guard((p) => this.register(p)),
      DELETE: this.guard((p) => this.deregister(p))
    })
    r.set('/nacos/v1/ns/instance/list', { GET: this.guard((p, req) => this.instanceList(p, req)) })
    r.set('/nacos/v1/ns/instance/beat', { PUT: this.guard((p, req) => this.beat(p, req)) })
    r.set('/nacos/v1/ns/service/list', { GET: this.guard((p) => this.serviceList(p)) })
    r.set('/nacos/v1/cs/configs', {
      GET: this.guard((p, req) => this.getConfig(p, req)),
      POST: this.guard((p) => this.publish(p)),
      DELETE: this.guard((p) => this.remove(p))
    })
    r.set('/nacos/v1/cs/configs/listener', { POST: this.guard((p, req) => this.listen(p, req)) })
    return r
  }

  /** Read params (413 on an oversized body) and honour `consistency=linearizable` on reads. */
  private guard(fn: (p: Map<string, string>, req: IncomingMessage) => Promise<Reply> | Reply): Handler {
    return async (req, url) => {
      let params: Map<string, string>
      try {
        params = await readParams(req, url)
      } catch (err) {
        if (err instanceof BodyTooLargeError) return text(413, `${err.message}\n`)
        throw err
      }
      return fn(params, req)
    }
  }

  private async linearizable(p: Map<string, string>, req: IncomingMessage): Promise<Reply | undefined> {
    const wanted = p.get('consistency') ?? String(req.headers['x-quorum-consistency'] ?? '')
    if (wanted === '' || wanted === 'eventual') return undefined
    if (wanted !== 'linearizable') return text(400, `caused: consistency must be "eventual" or "linearizable", got "${wanted.slice(0, 40)}"; (field: consistency)\n`)
    try {
      await this.o.host.readBarrier()
      return undefined
    } catch (err) {
      if (err instanceof HostError) return text(503, `linearizable read unavailable: ${err.message}\n`)
      throw err
    }
  }

  private async register(p: Map<string, string>): Promise<Reply> {
    const v = validateRegister(p)
    if (!v.ok) return badRequest(v.error)
    this.leases.set(leaseKey(v.value), this.now())
    return write(this.o.host, registerCommand(v.value, this.now()), text(200, 'ok'))
  }

  private async deregister(p: Map<string, string>): Promise<Reply> {
    const v = validateDeregister(p)
    if (!v.ok) return badRequest(v.error)
    this.leases.delete(leaseKey(v.value))
    return write(this.o.host, deregisterCommand(v.value, this.now()), text(200, 'ok'))
  }

  private async instanceList(p: Map<string, string>, req: IncomingMessage): Promise<Reply> {
    const v = validateInstanceList(p)
    if (!v.ok) return badRequest(v.error)
    const stale = await this.linearizable(p, req)
    if (stale) return stale
    const q = v.value
    const jsonText = this.o.fsm.naming.listInstancesJson({
      namespace: q.namespace,
      service: q.service,
      clusters: q.clusters,
      healthyOnly: q.healthyOnly,
      cacheMillis: this.o.cacheMillis ?? 10_000,
      lastRefTime: this.now()
    })
    return { status: 200, jsonText }
  }

  private serviceList(p: Map<string, string>): Reply {
    const v = validateServiceList(p)
    if (!v.ok) return badRequest(v.error)
    return { status: 200, json: this.o.fsm.naming.listServices(v.value) }
  }

  /**
   * Beats are not log entries: the node records a lease and the leader decides health. A
   * follower passes the beat on to the leader so the leader sees every lease; a beat for an
   * unknown instance re-registers it (through Raft), which is how SDK instances come back.
   */
  private async beat(p: Map<string, string>, req: IncomingMessage): Promise<Reply> {
    const v: Validated<Parameters<typeof registerCommandFromBeat>[0]> = validateBeat(p)
    if (!v.ok) return badRequest(v.error)
    const beat = v.value
    this.leases.set(leaseKey(beat), this.now())
    const interval = this.o.clientBeatInterval ?? 5000
    const status = this.o.host.status()
    if (!req.headers[FORWARDED] && status.role !== 'leader' && status.lead !== 0) this.forwardBeat(status.lead, p)
    if (!this.o.fsm.naming.getInstance(beat)) {
      if (!beat.canRecreate) {
        this.o.namingLog?.warn({ instance: beat }, `beat for an unknown instance: ${beat.service} ${beat.ip}:${beat.port}`)
        return { status: 200, json: { clientBeatInterval: interval, code: 20404 } }
      }
      this.o.namingLog?.info({ instance: beat }, `beat for an unknown instance, registering it again: ${beat.service} ${beat.ip}:${beat.port}`)
      return write(this.o.host, registerCommandFromBeat(beat, this.now()), { status: 200, json: { clientBeatInterval: interval, code: 10200 } })
    }
    return { status: 200, json: { clientBeatInterval: interval, code: 10200, lightBeatEnabled: false } }
  }

  private forwardBeat(leader: NodeId, p: Map<string, string>): void {
    const addr = this.o.memberAddress(leader)
    if (!addr) return
    const i = addr.lastIndexOf(':')
    const qs = new URLSearchParams([...p]).toString()
    const req = request(
      { host: addr.slice(0, i), port: Number(addr.slice(i + 1)), method: 'PUT', path: `/nacos/v1/ns/instance/beat?${qs}`, headers: { [FORWARDED]: '1' }, timeout: 2000 },
      (res) => res.resume()
    )
    req.on('timeout', () => req.destroy())
    req.on('error', () => {
      // Best effort: the client beats again in a few seconds.
    })
    req.end()
  }

  private async sweepHealth(): Promise<void> {
    const status = this.o.host.status()
    const leading = status.role === 'leader'
    if (leading && !this.wasLeader) this.leaderSince = this.now()
    this.wasLeader = leading
    if (!leading) return
    const plan = planHealth(this.o.fsm.naming, {
      now: this.now(),
      lastBeat: (k) => this.leases.get(leaseKey(k)),
      graceStart: this.leaderSince
    })
    for (const cmd of [plan.setHealth, plan.expire]) {
      if (!cmd) continue
      try {
        await this.o.host.propose(encodeCommand(cmd))
      } catch (err) {
        this.o.log?.('warn', 'health sweep proposal failed', { error: String(err) })
        return
      }
    }
  }

  private async getConfig(p: Map<string, string>, req: IncomingMessage): Promise<Reply> {
    const v = validateConfigKey(p)
    if (!v.ok) return badRequest(v.error)
    const stale = await this.linearizable(p, req)
    if (stale) return stale
    const rec = this.o.fsm.config.get(v.value)
    if (!rec) return text(404, 'config data not exist\n')
    return {
      status: 200,
      text: rec.content,
      headers: { 'Content-MD5': rec.md5, 'Config-Type': rec.type, 'Last-Modified': new Date(rec.lastModified).toUTCString() }
    }
  }

  private async publish(p: Map<string, string>): Promise<Reply> {
    const v = validatePublish(p)
    if (!v.ok) return badRequest(v.error)
    return write(this.o.host, publishCommand(v.value, this.now()), text(200, 'true'))
  }

  private async remove(p: Map<string, string>): Promise<Reply> {
    const v = validateConfigKey(p)
    if (!v.ok) return badRequest(v.error)
    return write(this.o.host, removeCommand(v.value, this.now()), text(200, 'true'))
  }

  /** Long-poll: answer at once with changed keys, else hold until a change or the timeout. */
  private listen(p: Map<string, string>, req: IncomingMessage): Promise<Reply> | Reply {
    const parsed = parseListeningConfigs(p.get('Listening-Configs'))
    if (!parsed.ok) return badRequest(parsed.error)
    const changed = changedEntries(parsed.value, this.o.fsm.config)
    if (changed.length > 0) return text(200, formatChangedKeys(changed))
    const asked = Number(req.headers['long-pulling-timeout'] ?? 30_000)
    const holdMs = Math.min(Math.max(Number.isFinite(asked) ? asked : 30_000, 1_000), 120_000) - 500
    return new Promise<Reply>((resolve) => {
      const keys = parsed.value.map(configKeyId)
      const poll: Poll = { entries: parsed.value, keys, resolve, timer: setTimeout(() => this.finishPoll(poll, text(200, '')), holdMs) }
      this.polls.add(poll)
      for (const k of keys) {
        let set = this.pollsByKey.get(k)
        if (!set) this.pollsByKey.set(k, (set = new Set()))
        set.add(poll)
      }
      req.socket.once('close', () => this.finishPoll(poll, text(200, '')))
    })
  }

  private finishPoll(p: Poll, reply: Reply): void {
    if (!this.unhook(p)) return
    p.resolve(reply)
  }

  /** Take a held poll out of the books and stop its timer; false if it was not held. */
  private unhook(p: Poll): boolean {
    if (!this.polls.delete(p)) return false
    clearTimeout(p.timer)
    for (const k of p.keys) {
      const set = this.pollsByKey.get(k)
      if (set && set.delete(p) && set.size === 0) this.pollsByKey.delete(k)
    }
    return true
  }
}

function leaseKey(k: InstanceKey): string {
  return `${k.namespace}\u0001${k.service}\u0001${k.cluster}\u0001${k.ip}\u0001${k.port}`
}
