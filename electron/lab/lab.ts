import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ok,
  type CreateClusterRequest,
  type LabEvent,
  type LabHandler,
  type LabHost,
  type LabInfo,
  type LabMethod,
  type LabMethodMap,
  type Result,
  type WorkloadInfo,
  type WorkloadStats
} from './api'
import { LabServiceError, toLabError } from './errors'
import { runDrill } from './drills/drill-runner'
import { parseDrillScript, type DrillScript } from './drills/drill-script'
import { EventBus } from './events/event-bus'
import { markDrillRecording, Recordings } from './events/recordings'
import { listReports, readReport, REPORT_FILES, resolveReportDir, writeReports } from './report/report-files'
import { LabRun } from './run'
import { Workload, type WorkloadTarget } from './workload/workload'

export interface LabOptions {
  /** Where runs go: each cluster gets `<dataRoot>/runs/<runId>/`. */
  dataRoot: string
  /** The standalone node-core bundle (out/node-core/index.cjs, or its asar-unpacked copy). */
  nodeCoreScript: string
  host: LabHost
  version: string
  readyTimeoutMs?: number
  /** What `lab.info` offers as the cluster to create first. */
  clusterDefaults?: CreateClusterRequest
  /** Built-in drill scripts (resources/drills). */
  drillsDir?: string
  /** The proxy host bundle; default out/proxy-host/index.cjs beside the node-core bundle's folder. */
  proxyHostScript?: string
  /** What only the desktop host can do (print to PDF, open a folder); absent elsewhere. */
  hostActions?: HostActions
}

/** Host abilities behind `report.pdf` and `lab.openDataDir` (Electron main gives them). */
export interface HostActions {
  /** Render `htmlFile` and print it to `pdfFile`. */
  printToPdf(htmlFile: string, pdfFile: string): Promise<void>
  /** Open a folder in the OS file manager. */
  openFolder(path: string): Promise<void>
}

const PDF_UNSUPPORTED = 'PDF export needs the desktop app (Electron prints the report); here, save the HTML and print it from the browser'
const OPEN_UNSUPPORTED = 'opening a folder needs the desktop app; the path is shown so you can open it yourself'

/** `20261124-223512-3fa9`: sortable by time, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0')
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`
  return `${stamp}-${randomBytes(2).toString('hex')}`
}

type Impl = { [M in LabMethod]: (req: LabMethodMap[M]['req']) => Promise<LabMethodMap[M]['res']> }

/**
 * The lab engine behind every host. Holds at most one cluster at a time; every method is
 * reachable through `handle` (validated payloads only) and every change is an event on `bus`.
 */
export class Lab {
  readonly bus = new EventBus()
  private run: LabRun | null = null
  /** One workload per lab; it follows the current run's nodes. */
  readonly workload: Workload = new Workload({
    onStats: (stats) => {
      this.lastStats = stats
      this.bus.publish({ type: 'workload.stats', stats })
    },
    onState: (state) => this.bus.publish({ type: 'workload.state', state, spec: this.workload.currentSpec })
  })
  private lastStats: WorkloadStats | null = null
  private drilling: string | null = null

  /** The built-in drills, parsed (a broken file is skipped: the test suite parses them all). */
  private drills(): { file: string; script: DrillScript }[] {
    const dir = this.opts.drillsDir
    if (!dir || !existsSync(dir)) return []
    const out: { file: string; script: DrillScript }[] = []
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
      try {
        out.push({ file: join(dir, f), script: parseDrillScript(readFileSync(join(dir, f), 'utf8'), f) })
      } catch {
        // Reported by `quorum-lab drill <file>` and by the tests; the list shows the good ones.
      }
    }
    return out
  }
  /** Serialises cluster-wide operations so two clicks cannot interleave a create and a stop. */
  private queue: Promise<unknown> = Promise.resolve()

  /** Recorded runs under the data root, for replay. */
  private readonly recordings: Recordings

  constructor(private readonly opts: LabOptions) {
    this.recordings = new Recordings(opts.dataRoot, () => (this.run ? { runId: this.run.runId, ...this.run.recorder.stats } : null))
  }

  /** The one dispatch point hosts call after `dispatchLab` validated the payload. */
  readonly handle: LabHandler = async (method, req) => {
    try {
      const fn = this.impl[method] as (r: typeof req) => Promise<LabMethodMap[typeof method]['res']>
      return ok(await fn(req)) as Result<LabMethodMap[typeof method]['res']>
    } catch (err) {
      return { ok: false, error: toLabError(err) }
    }
  }

  subscribe(listener: (events: LabEvent[]) => void): () => void {
    return this.bus.subscribe(listener)
  }

  /** Stop the cluster (SIGTERM, then SIGKILL) before the host exits. */
  async shutdown(): Promise<void> {
    await this.stopWorkload().catch(() => undefined)
    const r = this.run
    if (r && r.info().state !== 'stopped') await r.stop().catch(() => r.killAllSync())
    await r?.close()
  }

  /** Last resort for `process.on('exit')`: synchronous SIGKILL of every child. */
  killAllSync(): void {
    this.run?.killAllSync()
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  private requireRun(): LabRun {
    if (!this.run) throw new LabServiceError('NO_CLUSTER', 'no cluster yet: create one first')
    return this.run
  }

  /** Where the workload sends requests: each node's client proxy, so client-link faults apply to it. */
  private workloadTargets(): WorkloadTarget[] {
    const run = this.run
    return (run?.info().nodes ?? []).map((n) => ({ id: n.id, baseUrl: `http://${run?.clientAddress(n.id) ?? `${n.host}:${n.httpPort}`}` }))
  }

  private retarget(): void {
    if (this.workload.currentState === 'running') this.workload.setTargets(this.workloadTargets())
  }

  private async stopWorkload(): Promise<void> {
    if (this.workload.currentState !== 'idle') await this.workload.stop()
  }

  private workloadInfo(): WorkloadInfo {
    return { state: this.workload.currentState, spec: this.workload.currentSpec, totals: this.workload.totals(), last: this.lastStats }
  }

  private readonly impl: Impl = {
    'lab.info': async (): Promise<LabInfo> => ({
      version: this.opts.version,
      host: this.opts.host,
      platform: process.platform,
      nodeVersion: process.versions.node,
      dataRoot: this.opts.dataRoot,
      clusterDefaults: this.opts.clusterDefaults ?? { size: 3, profile: 'seed', preVote: true, checkQuorum: true }
    }),
    'cluster.get': async () => this.run?.info() ?? null,
    'cluster.create': ({ size, profile, preVote, checkQuorum }) =>
      this.serial(async () => {
        const old = this.run
        if (old && old.info().state !== 'stopped' && old.info().state !== 'created') {
          throw new LabServiceError('CLUSTER_BUSY', `stop the running cluster (${old.runId}) before creating another`)
        }
        await old?.close()
        const runId = newRunId()
        const dataDir = join(this.opts.dataRoot, 'runs', runId)
        await mkdir(dataDir, { recursive: true })
        this.run = await LabRun.create({
          runId,
          dataDir,
          size,
          profile,
          preVote,
          checkQuorum,
          nodeCoreScript: this.opts.nodeCoreScript,
          bus: this.bus,
          labVersion: this.opts.version,
          proxyHostScript: this.opts.proxyHostScript,
          readyTimeoutMs: this.opts.readyTimeoutMs
        })
        const info = this.run.info()
        if (this.drilling) await markDrillRecording(dataDir, this.drilling)
        this.bus.publish({ type: 'cluster.created', cluster: info })
        return info
      }),
    'cluster.start': () =>
      this.serial(async () => {
        const info = await this.requireRun().start()
        this.retarget()
        return info
      }),
    'cluster.stop': () =>
      this.serial(async () => {
        await this.stopWorkload()
        return this.requireRun().stop()
      }),
    'cluster.settings': (patch) => this.serial(() => this.requireRun().setSettings(patch)),
    'cluster.status': () => this.requireRun().status(),
    'cluster.addNode': () =>
      this.serial(async () => {
        const n = await this.requireRun().addNode()
        this.retarget()
        return n
      }),
    'node.crash': ({ nodeId }) => this.requireRun().cluster.crash(nodeId),
    'node.restart': ({ nodeId }) => this.serial(() => this.requireRun().cluster.restart(nodeId)),
    'node.stop': ({ nodeId }) => this.serial(() => this.requireRun().cluster.stopNode(nodeId)),
    'node.start': ({ nodeId }) => this.serial(() => this.requireRun().cluster.startNode(nodeId)),
    // Pause and resume are instant signals; they skip the queue so a frozen node can always be thawed.
    'node.pause': ({ nodeId }) => this.requireRun().cluster.pause(nodeId),
    'node.resume': ({ nodeId }) => this.requireRun().cluster.resume(nodeId),
    'node.wipe': ({ nodeId }) => this.serial(() => this.requireRun().cluster.wipe(nodeId)),
    'node.remove': ({ nodeId }) =>
      this.serial(async () => {
        const c = await this.requireRun().removeNode(nodeId)
        this.retarget()
        return c
      }),
    'node.transferLeader': ({ nodeId }) => this.serial(() => this.requireRun().cluster.transferLeader(nodeId)),
    'link.list': () => this.requireRun().links(),
    'link.set': ({ from, to, fault }) => this.requireRun().setLink(from, to, fault),
    'link.heal': ({ from, to }) => this.requireRun().heal(from, to),
    'link.healAll': () => this.requireRun().healAll(),
    'link.preset': (req) => this.requireRun().preset(req),
    'link.client': ({ nodeId, fault }) => this.requireRun().setClientLink(nodeId, fault),
    'node.log': (req) => this.requireRun().nodeLog(req),
    'node.data': ({ nodeId }) => this.requireRun().nodeData(nodeId),
    'workload.start': async (spec) => {
      const run = this.requireRun()
      if (run.info().state !== 'running') throw new LabServiceError('NODE_NOT_RUNNING', 'start the cluster before the workload')
      if (this.workload.currentState !== 'idle') throw new LabServiceError('CLUSTER_BUSY', 'the workload is already running: update or stop it')
      this.workload.start(spec, this.workloadTargets())
      return this.workloadInfo()
    },
    'workload.update': async (spec) => {
      if (this.workload.currentState !== 'running') throw new LabServiceError('NODE_NOT_RUNNING', 'no workload is running: start one first')
      this.workload.update(spec)
      return this.workloadInfo()
    },
    'workload.stop': async () => {
      await this.stopWorkload()
      return this.workloadInfo()
    },
    'workload.get': async () => this.workloadInfo(),
    'logs.query': async (q) => this.requireRun().queryLogs(q),
    'metrics.get': async ({ since }) => this.requireRun().metrics.samples(since),
    'alerts.get': async () => this.requireRun().metrics.alertStatus(),
    'alerts.configure': async ({ rules }) => this.requireRun().metrics.configureAlerts(rules),
    'recording.list': () => this.recordings.list(),
    'recording.load': (req) => this.recordings.load(req),
    // feat/drills: reports and host actions.
    'report.list': () => listReports(this.opts.dataRoot),
    'report.get': ({ dir }) => readReport(this.opts.dataRoot, dir),
    'report.pdf': async ({ dir }) => {
      const host = this.opts.hostActions
      if (!host) throw new LabServiceError('UNSUPPORTED', PDF_UNSUPPORTED)
      const real = resolveReportDir(this.opts.dataRoot, dir)
      const path = join(real, REPORT_FILES.pdf)
      await host.printToPdf(join(real, REPORT_FILES.html), path)
      return { path }
    },
    'lab.openDataDir': async () => {
      const host = this.opts.hostActions
      if (!host) throw new LabServiceError('UNSUPPORTED', OPEN_UNSUPPORTED)
      await mkdir(this.opts.dataRoot, { recursive: true })
      await host.openFolder(this.opts.dataRoot)
      return { path: this.opts.dataRoot }
    },
    'drill.list': async () => this.drills().map(({ script }) => ({
      name: script.name,
      title: script.title,
      description: script.description,
      ...(script.seed ? { seed: script.seed } : {}),
      ...(script.notApplicable ? { notApplicable: script.notApplicable } : {}),
      nodes: script.cluster.nodes
    })),
    'drill.run': async ({ name, nodes, lang }) => {
      const found = this.drills().find((d) => d.script.name === name)
      if (!found) throw new LabServiceError('INVALID_ARGUMENT', `no built-in drill "${name}"`)
      const state = this.run?.info().state
      if (state && state !== 'stopped' && state !== 'created') throw new LabServiceError('CLUSTER_BUSY', 'stop the running cluster before a drill: a drill starts its own')
      if (this.drilling) throw new LabServiceError('CLUSTER_BUSY', `drill "${this.drilling}" is running`)
      this.drilling = name
      try {
        const result = await runDrill({ lab: this, script: found.script, nodes, version: this.opts.version, onProgress: (line) => this.bus.publish({ type: 'drill.progress', name, line }) })
        const reportDir = join(this.opts.dataRoot, 'reports', `${name}-${newRunId()}`)
        await writeReports(reportDir, result, lang ?? 'en')
        return { name, verdict: result.verdict, checks: result.checks, reportDir }
      } finally {
        this.drilling = null
      }
    }
  }
}
