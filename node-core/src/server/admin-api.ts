import { decodeCommand, describeCommand, type StateMachine } from '../fsm'
import type { ClusterConfMember } from '../conf/cluster-conf'
import {
  ADMIN_DATA_PATH,
  ADMIN_LOG_PATH,
  ADMIN_STATUS_PATH,
  ADMIN_TRACE_PATH,
  CLUSTER_NODES_PATH,
  METRICS_PATH,
  raftPortFor,
  type ClusterMember,
  type ClusterNodesResponse,
  type DataView,
  type LogWindow,
  type NodeStatus,
  type PeerProgress
} from '../protocol/admin'
import { addressOfNodeId, NodeIdError, nodeIdOf } from '../protocol/node-id'
import { describeEntry } from '../raft/describe'
import type { NodeId } from '../raft/types'
import { NODE_CORE_VERSION } from '../version'
import { operatorMetrics, type Handler, type HttpMethod, type Reply, type RouteTable } from './http-server'
import { ProcessMeter } from '../observe/process-metrics'
import type { NacosApi } from './nacos-api'
import { HostError, unwrapProposal, type RaftHost } from './raft-host'
import { BodyTooLargeError, readBody, readParams } from './request-params'
import type { TraceRing } from './trace-ring'

/**
 * Endpoints for the lab and for operators: Raft status with per-peer progress, the trace
 * event stream, a window of log entries, a read-only data view, and cluster/nodes with each
 * member's Raft facts.
 */

export interface AdminApiOptions {
  host: RaftHost
  fsm: StateMachine
  api: NacosApi
  trace: TraceRing
  members: readonly ClusterConfMember[]
  self: ClusterConfMember
  addressOf: (id: NodeId) => string | undefined
  startedAt: number
}

const bad = (field: string, message: string): Reply => ({ status: 400, text: `caused: ${message}; (field: ${field})\n` })

function intParam(url: URL, name: string, dflt: number, min: number, max: number): number | Reply {
  const raw = url.searchParams.get(name)
  if (raw === null || raw === '') return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) return bad(name, `${name} must be a whole number from ${min} to ${max}, got "${raw.slice(0, 40)}"`)
  return n
}

export function adminRoutes(o: AdminApiOptions): RouteTable {
  const name = (id: NodeId): string => o.addressOf(id) ?? addressOfNodeId(id) ?? String(id)
  const nameOrNull = (id: NodeId): string | null => (id === 0 ? null : name(id))

  const status = (): NodeStatus => {
    const s = o.host.status()
    const counts = o.fsm.naming.counts()
    const progress: PeerProgress[] = Object.entries(s.progress).map(([id, p]) => ({
      address: name(Number(id)),
      match: p.match,
      next: p.next,
      state: p.state,
      inflight: p.inflight,
      paused: p.paused,
      recentActive: p.recentActive,
      isLearner: p.isLearner
    }))
    return {
      address: o.self.address,
      id: s.id,
      pid: process.pid,
      startedAt: o.startedAt,
      role: s.role,
      term: s.term,
      vote: nameOrNull(s.vote),
      leader: nameOrNull(s.lead),
      commit: s.commit,
      applied: s.applied,
      lastIndex: s.lastIndex,
      firstIndex: s.firstIndex,
      snapshotIndex: o.host.raw.raft.raftLog.snapshot().metadata.index,
      voters: s.config.voters.map(name),
      learners: s.config.learners.map(name),
      leadTransferee: nameOrNull(s.leadTransferee),
      progress,
      counts: { ...counts, configs: o.fsm.config.count(), listeners: o.api.listenerCount() }
    }
  }

  const trace: Handler = async (_req, url) => {
    const after = intParam(url, 'after', 0, 0, Number.MAX_SAFE_INTEGER)
    if (typeof after !== 'number') return after
    const limit = intParam(url, 'limit', 5000, 1, 50_000)
    if (typeof limit !== 'number') return limit
    const waitMs = intParam(url, 'waitMs', 0, 0, 30_000)
    if (typeof waitMs !== 'number') return waitMs
    await o.trace.wait(after, waitMs)
    return { status: 200, json: o.trace.read(after, limit) }
  }

  const log: Handler = (_req, url) => {
    const raftLog = o.host.raw.raft.raftLog
    const last = raftLog.lastIndex()
    const first = raftLog.firstIndex()
    const to = intParam(url, 'to', last, 0, Number.MAX_SAFE_INTEGER)
    if (typeof to !== 'number') return to
    const from = intParam(url, 'from', Math.max(first, to - 99), 0, Number.MAX_SAFE_INTEGER)
    if (typeof from !== 'number') return from
    if (to - from > 1000) return bad('to', 'at most 1001 entries per request')
    const lo = Math.max(from, first)
    const hi = Math.min(to, last)
    const entries =
      lo > hi
        ? []
        : raftLog.slice(lo, hi + 1, Number.MAX_SAFE_INTEGER).map((e) => {
            let command = ''
            if (e.type === 'normal' && e.data.length > 0) {
              try {
                command = describeCommand(decodeCommand(unwrapProposal(e.data).command))
              } catch {
                command = '<undecodable>'
              }
            }
            return { index: e.index, term: e.term, type: e.type, bytes: e.data.length, text: e.type === 'confChange' ? describeEntry(e) : command || '(no-op)' }
          })
    const window: LogWindow = { firstIndex: first, lastIndex: last, commit: raftLog.committed, applied: raftLog.applied, entries }
    return { status: 200, json: window }
  }

  const data: Handler = (_req, url) => {
    const ns = url.searchParams.get('namespaceId') || undefined
    const instances = [...o.fsm.naming.instances(ns)]
      .map((i) => ({ namespace: i.namespace, service: i.service, cluster: i.cluster, ip: i.ip, port: i.port, healthy: i.healthy, enabled: i.enabled, ephemeral: i.ephemeral, weight: i.weight }))
      .sort((a, b) => `${a.namespace}/${a.service}/${a.ip}:${a.port}`.localeCompare(`${b.namespace}/${b.service}/${b.ip}:${b.port}`))
    const configs = [...o.fsm.config.configs(ns)]
      .map((c) => ({ namespace: c.namespace, group: c.group, dataId: c.dataId, md5: c.md5, bytes: Buffer.byteLength(c.content), lastModified: c.lastModified }))
      .sort((a, b) => `${a.namespace}/${a.group}/${a.dataId}`.localeCompare(`${b.namespace}/${b.group}/${b.dataId}`))
    const view: DataView = { applied: o.fsm.applied, instances, configs }
    return { status: 200, json: view }
  }

  const clusterNodes: Handler = () => {
    const s = status()
    const data: ClusterMember[] = o.members.map((m) => {
      const self = m.address === o.self.address
      const progress = s.progress.find((p) => p.address === m.address)
      // The leader hears from everyone; a follower hears only from the leader.
      const heard = o.host.lastHeard.get(nodeIdOf(m.address))
      const recent = heard !== undefined && Date.now() - heard <= o.host.contactWindowMs
      const up = self || recent
      const member: ClusterMember = {
        ip: m.ip,
        port: m.port,
        address: m.address,
        state: up ? 'UP' : s.role === 'leader' || heard !== undefined ? 'DOWN' : 'SUSPICIOUS',
        failAccessCnt: 0,
        extendInfo: {
          raftPort: raftPortFor(m.port),
          version: NODE_CORE_VERSION,
          self,
          raft: {
            role: self ? s.role : m.address === s.leader ? 'leader' : s.voters.includes(m.address) ? 'follower' : s.learners.includes(m.address) ? 'learner' : 'removed',
            term: s.term,
            leader: s.leader,
            ...(self ? { commit: s.commit, applied: s.applied } : progress ? { match: progress.match, progressState: progress.state } : {})
          }
        } as ClusterMember['extendInfo']
      }
      if (self) {
        member.extendInfo.pid = process.pid
        member.extendInfo.startedAt = o.startedAt
      }
      return member
    })
    const body: ClusterNodesResponse = { code: 200, message: null, data }
    return { status: 200, json: body }
  }

  const meter = new ProcessMeter()
  const metrics: Handler = () => {
    const c = o.fsm.naming.counts()
    const base = operatorMetrics(meter)
    // Every node holds the whole replicated state, so it is "responsible" for all of it.
    return { status: 200, json: { ...base, serviceCount: c.services, instanceCount: c.instances, responsibleServiceCount: c.services, responsibleInstanceCount: c.instances } }
  }

  /**
   * `POST /nacos/v1/core/ops/raft` (Nacos 2.x's raft ops endpoint, our command set):
   * `command=transferLeader|addLearner|promote|removePeer` with `value=<ip:port>`, or
   * `command=doSnapshot`. Membership changes go one at a time, learner first (seed §7.3).
   * Answers once the change is visible on this node, or 503 saying why it is not.
   */
  const ops: Handler = async (req, url) => {
    let p: Map<string, string>
    const type = String(req.headers['content-type'] ?? '')
    try {
      if (type.startsWith('application/json')) {
        let body: Record<string, unknown>
        try {
          body = JSON.parse(await readBody(req)) as Record<string, unknown>
        } catch (err) {
          if (err instanceof BodyTooLargeError) throw err
          return bad('body', 'body is not valid JSON')
        }
        p = new Map(Object.entries(body).map(([k, v]) => [k, String(v)]))
      } else {
        p = await readParams(req, url)
      }
    } catch (err) {
      if (err instanceof BodyTooLargeError) return { status: 413, text: `${err.message}\n` }
      throw err
    }
    const command = p.get('command') ?? ''
    const waitFor = async (what: string, ok: () => boolean, ms = 5000): Promise<Reply> => {
      const deadline = Date.now() + ms
      while (!ok()) {
        if (Date.now() > deadline) return { status: 503, text: `${command} was accepted but ${what} did not happen within ${ms} ms (is there a leader with a majority?)\n` }
        await new Promise((r) => setTimeout(r, 20))
      }
      return { status: 200, json: { code: 200, message: null, data: status() } }
    }
    if (command === 'doSnapshot') {
      const index = await o.host.snapshotNow()
      return { status: 200, json: { code: 200, message: null, data: { snapshotIndex: index } } }
    }
    const COMMANDS = ['transferLeader', 'addLearner', 'promote', 'removePeer']
    if (!COMMANDS.includes(command)) {
      return bad('command', `command must be one of ${COMMANDS.join(', ')}, doSnapshot; got "${command.slice(0, 40)}"`)
    }
    const value = p.get('value') ?? ''
    let target: NodeId
    try {
      target = nodeIdOf(value)
    } catch (err) {
      if (err instanceof NodeIdError) return bad('value', `value must be a member address ip:port, got "${value.slice(0, 60)}"`)
      throw err
    }
    const cfg = (): { voters: NodeId[]; learners: NodeId[] } => o.host.status().config
    try {
      switch (command) {
        case 'transferLeader':
          if (!cfg().voters.includes(target)) return bad('value', `${value} is not a voter`)
          o.host.transferLeader(target)
          return await waitFor(`leadership moving to ${value}`, () => o.host.status().lead === target)
        case 'addLearner':
          await o.host.proposeConfChange({ type: 'addLearner', nodeId: target })
          return await waitFor(`adding learner ${value}`, () => cfg().learners.includes(target))
        case 'promote':
          await o.host.proposeConfChange({ type: 'addVoter', nodeId: target })
          return await waitFor(`promoting ${value}`, () => cfg().voters.includes(target))
        case 'removePeer':
          await o.host.proposeConfChange({ type: 'removeNode', nodeId: target })
          return await waitFor(`removing ${value}`, () => !cfg().voters.includes(target) && !cfg().learners.includes(target))
        default:
          return bad('command', `command must be one of transferLeader, addLearner, promote, removePeer, doSnapshot; got "${command.slice(0, 40)}"`)
      }
    } catch (err) {
      if (err instanceof HostError) return { status: err.code === 'REFUSED' ? 409 : 503, text: `${command} refused: ${err.message}\n` }
      throw err
    }
  }

  return new Map<string, Partial<Record<HttpMethod, Handler>>>([
    ['/nacos/v1/core/ops/raft', { POST: ops }],
    [METRICS_PATH, { GET: metrics }],
    [ADMIN_STATUS_PATH, { GET: () => ({ status: 200, json: status() }) }],
    [ADMIN_TRACE_PATH, { GET: trace }],
    [ADMIN_LOG_PATH, { GET: log }],
    [ADMIN_DATA_PATH, { GET: data }],
    [CLUSTER_NODES_PATH, { GET: clusterNodes }],
    ['/nacos/v1/core/probe/liveness', { GET: () => ({ status: 200, text: 'UP\n' }) }],
    [
      '/nacos/v1/core/probe/readiness',
      {
        GET: () => {
          const s = o.host.status()
          return s.lead !== 0 ? { status: 200, text: 'READY\n' } : { status: 503, text: 'NOT READY: no leader known\n' }
        }
      }
    ]
  ])
}
