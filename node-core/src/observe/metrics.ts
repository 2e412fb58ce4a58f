/**
 * `GET /nacos/actuator/prometheus`: one prom-client Registry per node (never the global one:
 * tests run several nodes in one process), holding
 *
 * - Nacos-style gauges, as real Nacos exports them (`nacos_monitor{module,name}`: serviceCount,
 *   ipCount, configCount, longPolling, ...) plus clearer names (`nacos_naming_services`,
 *   `nacos_naming_instances`, `nacos_naming_instances_healthy`, `nacos_config_count`,
 *   `nacos_config_long_poll_listeners`);
 * - HTTP requests by API as Spring Boot's actuator names them (`http_server_requests_seconds`
 *   histogram, labels method / uri (the route path, never the raw URL) / status) and
 *   `http_server_requests_errors_total` for every 4xx/5xx answer;
 * - etcd-style Raft metrics (`raft_has_leader`, `raft_is_leader`, `raft_leader_changes_seen_total`,
 *   term, commit/applied index, proposals committed/applied/pending/failed, WAL fsync
 *   duration, snapshot save/send/restore);
 * - prom-client's default process metrics (CPU, memory, event loop, GC).
 *
 * State gauges are read at scrape time from {@link MetricsSources}; events arrive through the
 * small `on*` methods the server wires to storage, RaftHost and trace hooks.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { addressOfNodeId } from '../protocol/node-id'
import type { TraceEvent } from '../raft/trace'

/** What the scrape reads; bound after the node is assembled (the storage opens first). */
export interface MetricsSources {
  naming(): { services: number; instances: number; healthyInstances: number }
  configCount(): number
  longPollListeners(): number
  raft(): { term: number; lead: number; isLeader: boolean; commit: number; applied: number; pendingProposals: number }
}

export const PROMETHEUS_PATH = '/nacos/actuator/prometheus'

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])

/** Route label for requests that matched no route (Spring Boot says the same). */
export const URI_NOT_FOUND = 'NOT_FOUND'

export interface NodeMetricsOptions {
  /** Constant labels on every series (e.g. `{ node: '127.0.0.1:8848' }`). */
  labels?: Record<string, string>
  /** prom-client default process metrics; default true. */
  processMetrics?: boolean
}

export class NodeMetrics {
  readonly registry = new Registry()
  private sources: MetricsSources | undefined
  private lastLead = 0

  private readonly httpSeconds: Histogram<'method' | 'uri' | 'status'>
  private readonly httpErrors: Counter<'method' | 'uri' | 'status'>
  private readonly leaderChanges: Counter
  private readonly committed: Counter
  private readonly applied: Counter
  private readonly failed: Counter<'reason'>
  private readonly fsync: Histogram
  private readonly snapshotSaved: Counter
  private readonly snapshotSaveSeconds: Histogram
  private readonly snapshotSent: Counter
  private readonly snapshotRestored: Counter
  private readonly peerRtt: Histogram<'peer'>
  /** When the first unanswered heartbeat to each peer went out (wall ms). */
  private readonly heartbeatSentAt = new Map<number, number>()
  private readonly now: () => number = Date.now

  constructor(o: NodeMetricsOptions = {}) {
    const registers = [this.registry]
    if (o.labels) this.registry.setDefaultLabels(o.labels)
    if (o.processMetrics ?? true) collectDefaultMetrics({ register: this.registry })
    const src = (): MetricsSources | undefined => this.sources

    new Gauge({
      name: 'nacos_monitor',
      help: 'Nacos monitor values, as real Nacos exports them (module, name)',
      labelNames: ['module', 'name'] as const,
      registers,
      collect() {
        const s = src()
        if (!s) return
        const n = s.naming()
        this.set({ module: 'naming', name: 'serviceCount' }, n.services)
        this.set({ module: 'naming', name: 'ipCount' }, n.instances)
        this.set({ module: 'naming', name: 'healthyIpCount' }, n.healthyInstances)
        this.set({ module: 'config', name: 'configCount' }, s.configCount())
        this.set({ module: 'config', name: 'longPolling' }, s.longPollListeners())
        this.set({ module: 'core', name: 'leaderStatus' }, s.raft().isLeader ? 1 : 0)
      }
    })
    const gauge = (name: string, help: string, read: (s: MetricsSources) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const s = src()
          if (s) this.set(read(s))
        }
      })
    }
    gauge('nacos_naming_services', 'Services with at least one instance', (s) => s.naming().services)
    gauge('nacos_naming_instances', 'Registered instances', (s) => s.naming().instances)
    gauge('nacos_naming_instances_healthy', 'Registered instances that are healthy', (s) => s.naming().healthyInstances)
    gauge('nacos_config_count', 'Configs stored', (s) => s.configCount())
    gauge('nacos_config_long_poll_listeners', 'Config listener long-polls held open on this node', (s) => s.longPollListeners())
    gauge('raft_has_leader', 'Whether this node knows a leader (1) or not (0)', (s) => (s.raft().lead !== 0 ? 1 : 0))
    gauge('raft_is_leader', 'Whether this node is the leader (1) or not (0)', (s) => (s.raft().isLeader ? 1 : 0))
    gauge('raft_term', 'Current Raft term', (s) => s.raft().term)
    gauge('raft_commit_index', 'Highest log index known committed', (s) => s.raft().commit)
    gauge('raft_applied_index', 'Highest log index applied to the state machines', (s) => s.raft().applied)
    gauge('raft_proposals_pending', 'Proposals from this node not yet applied here', (s) => s.raft().pendingProposals)

    this.httpSeconds = new Histogram({
      name: 'http_server_requests_seconds',
      help: 'HTTP requests by route: duration in seconds (config long-polls are held ~29.5 s)',
      labelNames: ['method', 'uri', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers
    })
    this.httpErrors = new Counter({
      name: 'http_server_requests_errors_total',
      help: 'HTTP requests answered with a 4xx or 5xx status, by route',
      labelNames: ['method', 'uri', 'status'] as const,
      registers
    })
    this.leaderChanges = new Counter({ name: 'raft_leader_changes_seen_total', help: 'Leader changes seen by this node', registers })
    this.committed = new Counter({ name: 'raft_proposals_committed_total', help: 'Log entries this node saw committed', registers })
    this.applied = new Counter({ name: 'raft_proposals_applied_total', help: 'Commands applied to the state machines on this node', registers })
    this.failed = new Counter({
      name: 'raft_proposals_failed_total',
      help: 'Proposals from this node that failed (reason: NO_LEADER, TIMEOUT, ...)',
      labelNames: ['reason'] as const,
      registers
    })
    this.fsync = new Histogram({
      name: 'raft_wal_fsync_duration_seconds',
      help: 'WAL segment fdatasync duration in seconds',
      buckets: [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048],
      registers
    })
    this.snapshotSaved = new Counter({ name: 'raft_snapshot_saved_total', help: 'Snapshots written to disk', registers })
    this.snapshotSaveSeconds = new Histogram({
      name: 'raft_snapshot_save_duration_seconds',
      help: 'Time to write a snapshot durably, seconds',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers
    })
    this.snapshotSent = new Counter({ name: 'raft_snapshot_send_total', help: 'Snapshots this node (as leader) sent to followers', registers })
    this.snapshotRestored = new Counter({ name: 'raft_snapshot_receive_total', help: 'Snapshots received from the leader and restored', registers })
    this.peerRtt = new Histogram({
      name: 'raft_peer_round_trip_time_seconds',
      help: 'Leader → follower heartbeat round trip as the Raft loop sees it (links are one-way, so this is MsgHeartbeat out to MsgHeartbeatResp in)',
      labelNames: ['peer'] as const,
      buckets: [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024],
      registers
    })
  }

  bind(sources: MetricsSources): void {
    this.sources = sources
  }

  /** One finished HTTP request. `uri` is the route path or {@link URI_NOT_FOUND}. */
  onHttp(method: string, uri: string, status: number, seconds: number): void {
    const labels = { method: HTTP_METHODS.has(method) ? method : 'OTHER', uri, status: String(status) }
    this.httpSeconds.observe(labels, seconds)
    if (status >= 400) this.httpErrors.inc(labels)
  }

  onFsync(ms: number): void {
    this.fsync.observe(ms / 1000)
  }

  onSnapshotSaved(_bytes: number, ms: number): void {
    this.snapshotSaved.inc()
    this.snapshotSaveSeconds.observe(ms / 1000)
  }

  /** The Raft soft state changed (RaftHost's Ready): counts a change to a new, known leader. */
  onLeader(lead: number): void {
    if (lead !== 0 && lead !== this.lastLead) this.leaderChanges.inc()
    if (lead !== 0) this.lastLead = lead
  }

  onApplied(): void {
    this.applied.inc()
  }

  onProposalFailed(reason: string): void {
    this.failed.inc({ reason })
  }

  /** Raft trace events that carry metrics (commit advances, snapshots sent and restored). */
  onTrace(e: TraceEvent): void {
    switch (e.type) {
      case 'msgSent':
        // Time only the first heartbeat outstanding to each peer; its response closes it.
        if (e.msg === 'MsgHeartbeat' && !this.heartbeatSentAt.has(e.to)) this.heartbeatSentAt.set(e.to, this.now())
        break
      case 'roleChanged':
        // A new term starts new rounds: an old unanswered heartbeat must not become a huge sample.
        this.heartbeatSentAt.clear()
        break
      case 'msgReceived':
        if (e.msg === 'MsgHeartbeatResp') {
          const sent = this.heartbeatSentAt.get(e.from)
          if (sent !== undefined) {
            this.heartbeatSentAt.delete(e.from)
            this.peerRtt.observe({ peer: addressOfNodeId(e.from) ?? String(e.from) }, (this.now() - sent) / 1000)
          }
        }
        break
      case 'commitAdvanced':
        if (e.to > e.from) this.committed.inc(e.to - e.from)
        break
      case 'snapshotSent':
        this.snapshotSent.inc()
        break
      case 'snapshotRestored':
        this.snapshotRestored.inc()
        break
      default:
        break
    }
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() }
  }

  /** `GET /nacos/actuator/prometheus`. */
  async reply(): Promise<{ status: number; text: string; headers: Record<string, string> }> {
    const m = await this.scrape()
    return { status: 200, text: m.text, headers: { 'Content-Type': m.contentType } }
  }
}

/** A sample of the Prometheus text format: `name{labels} value`. */
export interface PromSample {
  name: string
  labels: Record<string, string>
  value: number
}

/** A small parser for the text exposition format (tests and the lab; prom-client has none). */
export function parsePrometheusText(text: string): PromSample[] {
  const out: PromSample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
    }
    const raw = m[3]!
    out.push({ name: m[1]!, labels, value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw) })
  }
  return out
}

/** The value of the first sample named `name` whose labels include `labels`. */
export function sampleValue(samples: readonly PromSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
}
