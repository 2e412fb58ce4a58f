import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { MAX_CLUSTER_SIZE, MIN_CLUSTER_SIZE, type ClusterInfo, type LabEvent, type LabMethod, type LinkInfo, type NodeId, type NodeRaftView, type Result } from '../api'
import { DrillScriptError, parseDrillScript } from '../drills/drill-script'
import { runDrill } from '../drills/drill-runner'
import { Lab, newRunId } from '../lab'
import { writeReports } from '../report/report-files'
import { LAB_VERSION } from '../version'
import { startBridge } from '../web/bridge-server'
import { parseOptions, UsageError, type OptionSpec } from './args'
import { ControlClient } from './control-client'
import { ControlError, readControlFile, removeControlFile, writeControlFile } from './control-file'
import { parseFaultArgs, resolveSelector, splitGroups, type NodeAction, type NodeSelector } from './fault-args'

const USAGE = `quorum-lab ${LAB_VERSION}: a lab for Nacos-style cluster high availability

Usage:
  quorum-lab serve [--port N] [--host H] [--data-dir DIR]   web mode: the lab in your browser
  quorum-lab up [--nodes N] [--profile seed|teaching] [--no-pre-vote] [--no-check-quorum] [--json]
                                                           start a cluster headless; Ctrl-C stops it
  quorum-lab status [--json]                               the running \`up\`: nodes, roles, terms, links
  quorum-lab fault <action> ...                            break the running \`up\` (see below)
  quorum-lab drill <name|file.yaml> [--nodes N] [--out DIR] [--lang zh-CN|en]
                                                           run a recovery drill; exit 1 when an expectation fails
  quorum-lab drill --list                                  the built-in drills
  quorum-lab --help | --version

Faults (<node> is an id, "leader" or "follower"):
  fault crash|stop|start|pause|resume|restart|wipe|remove <node>
  fault transfer <node>                         move leadership to <node>
  fault partition isolate <node> [--cut blackhole|reset]
  fault partition split [3+2 | 1,2,3/4,5]       majority / minority
  fault partition bridge | ring | one-way <from> <to>
  fault link <from> <to> [--cut blackhole|reset|none] [--delay MS] [--jitter MS] [--drop PCT] [--dup PCT]
  fault client <node> [--cut ...] [--delay MS] [--jitter MS] [--drop PCT]
  fault heal [all | <from> <to>]

Options:
  --data-dir DIR     where runs are kept (default ~/.quorum-lab)
  --node-core FILE   the node-core bundle to run (default: beside this CLI)
  --renderer DIR     the built renderer to serve (default: beside this CLI)
`

const common: Record<string, OptionSpec> = {
  'data-dir': { kind: 'string' },
  'node-core': { kind: 'string' },
  'ready-timeout-ms': { kind: 'int', min: 100, max: 600_000 }
}

/** Exit codes: 0 ok, 1 failure at run time, 2 usage error (as most Unix tools). */
const EXIT_FAILURE = 1
const EXIT_USAGE = 2

/** The folder of the running script (out/cli in a build), to find its sibling bundles. */
function scriptDir(): string {
  const script = process.argv[1]
  return script ? dirname(realpathSync(script)) : process.cwd()
}

function findSibling(explicit: unknown, rel: string, what: string): string {
  if (typeof explicit === 'string') {
    const p = resolve(explicit)
    if (!existsSync(p)) throw new UsageError(`${what} not found at ${p}`)
    return p
  }
  for (const p of [join(scriptDir(), '..', rel), resolve('out', rel)]) if (existsSync(p)) return p
  throw new UsageError(`${what} not found (looked beside the CLI and in ./out/${rel}); run \`npm run build\` first`)
}

function makeLab(options: Record<string, string | number | boolean>, host: 'web' | 'cli'): Lab {
  return new Lab({
    dataRoot: resolve(typeof options['data-dir'] === 'string' ? options['data-dir'] : join(homedir(), '.quorum-lab')),
    nodeCoreScript: findSibling(options['node-core'], 'node-core/index.cjs', 'node-core bundle'),
    host,
    version: LAB_VERSION,
    readyTimeoutMs: typeof options['ready-timeout-ms'] === 'number' ? options['ready-timeout-ms'] : undefined,
    drillsDir: drillsDir()
  })
}

/** Stop the lab on Ctrl-C / SIGTERM, and kill children synchronously if we exit any other way. */
function holdUntilSignal(lab: Lab, onStop: () => Promise<void> = async () => {}): Promise<void> {
  process.on('exit', () => lab.killAllSync())
  return new Promise((resolveDone) => {
    let stopping = false
    const stop = (): void => {
      if (stopping) return
      stopping = true
      void onStop()
        .then(() => lab.shutdown())
        .finally(resolveDone)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}


/** The built renderer if there is one (`up` serves it too, but does not need it). */
function findRendererDir(options: Record<string, string | number | boolean>): string | undefined {
  try {
    return findSibling(options.renderer, 'renderer', 'built renderer')
  } catch {
    return undefined
  }
}

async function serve(argv: string[]): Promise<number> {
  const { options } = parseOptions(argv, {
    ...common,
    port: { kind: 'int', min: 0, max: 65535 },
    host: { kind: 'string' },
    renderer: { kind: 'string' },
    token: { kind: 'string' }
  })
  const lab = makeLab(options, 'web')
  const rendererDir = findSibling(options.renderer, 'renderer', 'built renderer')
  const bridge = await startBridge({
    lab,
    rendererDir,
    host: typeof options.host === 'string' ? options.host : '127.0.0.1',
    port: typeof options.port === 'number' ? options.port : 0,
    token: typeof options.token === 'string' ? options.token : undefined
  })
  process.stdout.write(`Quorum Lab web mode on ${bridge.url}\nOpen: ${bridge.openUrl}\n`)
  await holdUntilSignal(lab, () => bridge.close())
  return 0
}

/** Poll until the cluster agrees on a leader (or the deadline passes): `up` prints it. */
async function waitForLeader(get: () => Promise<NodeRaftView[]>, timeoutMs: number): Promise<NodeRaftView | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const views = await get().catch(() => [] as NodeRaftView[])
    const leaders = new Set(views.map((v) => v.status?.leader).filter((l): l is string => !!l))
    const leader = views.find((v) => v.status?.role === 'leader')
    if (leader && leaders.size === 1) return leader
    if (Date.now() > deadline) return undefined
    await new Promise((r) => setTimeout(r, 50))
  }
}

function roleOf(v: NodeRaftView | undefined): string {
  return v?.status ? v.status.role : '-'
}

/** The table `up` and `status` print: one row per node, then the leader and any faulty link. */
export function describeRun(c: ClusterInfo, views: NodeRaftView[], links: LinkInfo[]): string {
  const byId = new Map(views.map((v) => [v.nodeId, v]))
  const client = new Map(links.filter((l) => l.kind === 'client').map((l) => [l.to, l.listen]))
  const header = `cluster ${c.runId}: ${c.size} nodes, ${c.state}, profile ${c.settings.profile}, PreVote ${c.settings.preVote ? 'on' : 'off'}, CheckQuorum ${c.settings.checkQuorum ? 'on' : 'off'}`
  const rows = c.nodes.map((n) => {
    const v = byId.get(n.id)
    const s = v?.status
    return [
      `  node ${n.id}`,
      n.address.padEnd(21),
      `client ${(client.get(n.id) ?? '-').padEnd(21)}`,
      `raft :${n.raftPort}`,
      `pid ${String(n.pid ?? '-').padEnd(7)}`,
      n.state.padEnd(8),
      roleOf(v).padEnd(12),
      s ? `term ${s.term}  commit ${s.commit}  applied ${s.applied}` : v?.error ? `(${v.error})` : ''
    ].join('  ')
  })
  const leader = views.find((v) => v.status?.role === 'leader')
  const faulty = links.filter((l) => l.fault.cut !== 'none' || l.fault.delayMs > 0 || l.fault.dropPct > 0 || l.fault.dupPct > 0)
  const faults = faulty.map((l) => {
    const what = [l.fault.cut !== 'none' ? `cut (${l.fault.cut})` : '', l.fault.delayMs ? `delay ${l.fault.delayMs}±${l.fault.jitterMs} ms` : '', l.fault.dropPct ? `drop ${l.fault.dropPct}%` : '', l.fault.dupPct ? `dup ${l.fault.dupPct}%` : '']
      .filter(Boolean)
      .join(', ')
    return `  ${l.kind === 'client' ? `client → ${l.to}` : `${l.from} → ${l.to}`}: ${what}`
  })
  return [
    header,
    `  data: ${c.dataDir}`,
    ...rows,
    leader ? `leader: node ${leader.nodeId} (${leader.status!.address}), term ${leader.status!.term}` : 'leader: none',
    ...(faults.length ? ['faulty links:', ...faults] : [])
  ].join('\n')
}

function dataRootOf(options: Record<string, string | number | boolean>): string {
  return resolve(typeof options['data-dir'] === 'string' ? options['data-dir'] : join(homedir(), '.quorum-lab'))
}

async function up(argv: string[]): Promise<number> {
  const { options, positionals } = parseOptions(argv, {
    ...common,
    nodes: { kind: 'int', min: MIN_CLUSTER_SIZE, max: MAX_CLUSTER_SIZE },
    size: { kind: 'int', min: MIN_CLUSTER_SIZE, max: MAX_CLUSTER_SIZE },
    profile: { kind: 'string' },
    'no-pre-vote': { kind: 'flag' },
    'no-check-quorum': { kind: 'flag' },
    json: { kind: 'flag' }
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  const profile = options.profile ?? 'seed'
  if (profile !== 'seed' && profile !== 'teaching') throw new UsageError(`--profile must be seed or teaching, got "${String(profile)}"`)
  const size = typeof options.nodes === 'number' ? options.nodes : typeof options.size === 'number' ? options.size : 3
  const dataRoot = dataRootOf(options)
  const lab = makeLab(options, 'cli')
  const json = options.json === true
  const progress = (text: string): void => {
    if (!json) process.stderr.write(`${text}\n`)
  }
  const emit = (event: string, fields: Record<string, unknown>, text: string): void => {
    process.stdout.write(json ? `${JSON.stringify({ event, ...fields })}\n` : `${text}\n`)
  }
  const must = <T>(r: Result<T>): T => {
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }

  progress(`creating a ${size}-node cluster (profile ${profile}) in ${dataRoot} ...`)
  must(await lab.handle('cluster.create', { size, profile, preVote: options['no-pre-vote'] !== true, checkQuorum: options['no-check-quorum'] !== true }))
  progress('starting the nodes ...')
  const started = must(await lab.handle('cluster.start', undefined))
  progress('waiting for a leader ...')
  const statusOf = async (): Promise<NodeRaftView[]> => must(await lab.handle('cluster.status', undefined))
  await waitForLeader(statusOf, 15_000)
  const views = await statusOf()
  const links = must(await lab.handle('link.list', undefined))
  const cluster = must(await lab.handle('cluster.get', undefined)) ?? started
  emit('ready', { cluster, status: views, links }, describeRun(cluster, views, links))

  // Control socket for `quorum-lab status` and `quorum-lab fault`: the web bridge, loopback + token.
  const bridge = await startBridge({ lab, rendererDir: findRendererDir(options), host: '127.0.0.1', port: 0 })
  writeControlFile(dataRoot, { wsUrl: `ws://127.0.0.1:${bridge.port}/lab`, token: bridge.token, pid: process.pid, runId: cluster.runId, startedAt: Date.now() })
  progress(`control: \`quorum-lab status\` and \`quorum-lab fault ...\` reach this lab; web UI at ${bridge.openUrl}`)
  progress('Press Ctrl-C to stop the cluster.')

  lab.subscribe((events) => {
    for (const e of events) {
      const text = describeLiveEvent(e)
      if (text) emit(e.type, { ...e }, text)
    }
  })
  await holdUntilSignal(lab, async () => {
    removeControlFile(dataRoot)
    await bridge.close()
  })
  return 0
}

/** One line for the events a person watching `up` cares about; undefined for the rest. */
export function describeLiveEvent(e: LabEvent): string | undefined {
  switch (e.type) {
    case 'node.exited':
      return `node ${e.nodeId} exited (${e.signal ?? `code ${e.code}`})${e.expected ? '' : ' unexpectedly'}`
    case 'node.ready':
      return `node ${e.nodeId} is up (pid ${e.pid})`
    case 'node.paused':
      return `node ${e.nodeId} paused (SIGSTOP)`
    case 'node.resumed':
      return `node ${e.nodeId} resumed after ${Math.round(e.pausedMs)} ms`
    case 'node.wiped':
      return `node ${e.nodeId}: data wiped`
    case 'member.added':
      return `node ${e.nodeId} (${e.address}) joined as ${e.as}`
    case 'member.removed':
      return `node ${e.nodeId} (${e.address}) removed from the cluster`
    case 'link.fault':
      return `${e.kind === 'client' ? `client → ${e.to}` : `link ${e.from} → ${e.to}`}: ${e.fault.cut !== 'none' ? `cut (${e.fault.cut})` : `delay ${e.fault.delayMs}±${e.fault.jitterMs} ms, drop ${e.fault.dropPct}%, dup ${e.fault.dupPct}%`}`
    case 'link.healed':
      return `${e.kind === 'client' ? `client → ${e.to}` : `link ${e.from} → ${e.to}`}: healed`
    case 'raft':
      if (e.event.type === 'roleChanged' && e.event.to === 'leader') return `node ${e.nodeId} became leader (term ${String(e.event.term)})`
      return undefined
    case 'trace.gap':
      return `node ${e.nodeId}: ${e.missing} trace events lost (seq ${e.fromSeq}–${e.toSeq})`
    default:
      return undefined
  }
}

async function connectToUp(options: Record<string, string | number | boolean>): Promise<ControlClient> {
  try {
    return await ControlClient.connect(readControlFile(dataRootOf(options)))
  } catch (err) {
    if (err instanceof ControlError) throw new RunError(err.message)
    throw err
  }
}

class RunError extends Error {}

async function status(argv: string[]): Promise<number> {
  const { options, positionals } = parseOptions(argv, { 'data-dir': { kind: 'string' }, json: { kind: 'flag' } })
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  const client = await connectToUp(options)
  try {
    const c = await client.call('cluster.get')
    const views = await client.call('cluster.status')
    const links = await client.call('link.list')
    if (!c.ok || !views.ok || !links.ok) throw new RunError((!c.ok ? c.error : !views.ok ? views.error : !links.ok ? links.error : undefined)?.message)
    if (!c.value) throw new RunError('the lab has no cluster')
    process.stdout.write(options.json === true ? `${JSON.stringify({ cluster: c.value, status: views.value, links: links.value })}\n` : `${describeRun(c.value, views.value, links.value)}\n`)
    return 0
  } finally {
    client.close()
  }
}

async function fault(argv: string[]): Promise<number> {
  // --data-dir belongs to the CLI, the rest to the fault grammar.
  const rest: string[] = []
  const options: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--data-dir') {
      const v = argv[++i]
      if (!v) throw new UsageError('--data-dir needs a value')
      options['data-dir'] = v
    } else if (a.startsWith('--data-dir=')) options['data-dir'] = a.slice('--data-dir='.length)
    else rest.push(a)
  }
  const cmd = parseFaultArgs(rest)
  const client = await connectToUp(options)
  const must = <T>(r: Result<T>): T => {
    if (!r.ok) throw new RunError(r.error.message)
    return r.value
  }
  try {
    const views = must(await client.call('cluster.status'))
    const facts = views.map((v) => ({ nodeId: v.nodeId, role: v.status?.role ?? null, term: v.status?.term ?? 0 }))
    const pick = (sel: NodeSelector): NodeId => resolveSelector(sel, facts)
    let done: string
    switch (cmd.kind) {
      case 'node': {
        const nodeId = pick(cmd.node)
        const method = NODE_METHODS[cmd.action]
        must(await client.call(method, { nodeId }))
        done = `${cmd.action}: node ${nodeId}`
        break
      }
      case 'isolate': {
        const nodeId = pick(cmd.node)
        must(await client.call('link.preset', { preset: 'isolate', nodeId, cut: cmd.cut }))
        done = `isolated node ${nodeId} (${cmd.cut})`
        break
      }
      case 'split': {
        const groups = cmd.groups ?? splitGroups(views.map((v) => v.nodeId), cmd.sizes ?? defaultSplit(views.length))
        must(await client.call('link.preset', { preset: 'split', groups, cut: cmd.cut }))
        done = `split ${groups.map((g) => g.join(',')).join(' | ')} (${cmd.cut})`
        break
      }
      case 'bridge':
        must(await client.call('link.preset', { preset: 'bridge', cut: cmd.cut }))
        done = 'bridge partition'
        break
      case 'ring':
        must(await client.call('link.preset', { preset: 'majoritiesRing', cut: cmd.cut }))
        done = 'majorities-ring partition'
        break
      case 'oneWay':
        must(await client.call('link.preset', { preset: 'oneWay', from: cmd.from, to: cmd.to, cut: cmd.cut }))
        done = `one-way cut ${cmd.from} → ${cmd.to}`
        break
      case 'link':
        must(await client.call('link.set', { from: cmd.from, to: cmd.to, fault: cmd.fault }))
        done = `link ${cmd.from} → ${cmd.to} set`
        break
      case 'client': {
        const nodeId = pick(cmd.node)
        must(await client.call('link.client', { nodeId, fault: cmd.fault }))
        done = `client link → ${nodeId} set`
        break
      }
      case 'heal':
        if (cmd.from !== undefined && cmd.to !== undefined) must(await client.call('link.heal', { from: cmd.from, to: cmd.to }))
        else must(await client.call('link.healAll'))
        done = cmd.from !== undefined ? `healed ${cmd.from} → ${cmd.to}` : 'healed every link'
        break
    }
    process.stdout.write(`${done}\n`)
    return 0
  } finally {
    client.close()
  }
}

/** Built-in drills: beside the CLI in a build (out/cli → resources/drills), or ./resources/drills. */
function drillsDir(): string | undefined {
  for (const d of [join(scriptDir(), '..', '..', 'resources', 'drills'), resolve('resources', 'drills')]) if (existsSync(d)) return d
  return undefined
}

async function drill(argv: string[]): Promise<number> {
  const { options, positionals } = parseOptions(argv, {
    ...common,
    nodes: { kind: 'int', min: MIN_CLUSTER_SIZE, max: MAX_CLUSTER_SIZE },
    out: { kind: 'string' },
    lang: { kind: 'string' },
    list: { kind: 'flag' }
  })
  const dir = drillsDir()
  if (options.list === true) {
    if (!dir) throw new RunError('no built-in drills found (resources/drills)')
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
      const d = parseDrillScript(readFileSync(join(dir, f), 'utf8'), f)
      process.stdout.write(`${d.name.padEnd(26)} ${d.title.en} / ${d.title['zh-CN']}${d.notApplicable ? ' (not applicable)' : ''}\n`)
    }
    return 0
  }
  const [target, ...more] = positionals
  if (!target) throw new UsageError('drill needs a drill name (see `quorum-lab drill --list`) or a .yaml file')
  if (more.length > 0) throw new UsageError(`unexpected argument "${more[0]}"`)
  const lang = options.lang ?? 'en'
  if (lang !== 'en' && lang !== 'zh-CN') throw new UsageError(`--lang must be zh-CN or en, got "${String(lang)}"`)
  const file = existsSync(target) ? resolve(target) : dir && existsSync(join(dir, `${target}.yaml`)) ? join(dir, `${target}.yaml`) : undefined
  if (!file) throw new UsageError(`no drill "${target}": give a built-in name (see \`quorum-lab drill --list\`) or a path to a .yaml file`)
  let script
  try {
    script = parseDrillScript(readFileSync(file, 'utf8'), basename(file))
  } catch (err) {
    if (err instanceof DrillScriptError) throw new UsageError(err.message)
    throw err
  }
  const out = resolve(typeof options.out === 'string' ? options.out : join('drill-reports', `${script.name}-${newRunId()}`))
  const lab = makeLab(options, 'cli')
  process.on('exit', () => lab.killAllSync())
  const t0 = Date.now()
  const progress = (line: string): void => void process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`)
  const nodes = typeof options.nodes === 'number' ? options.nodes : undefined
  const command = `quorum-lab drill ${script.name}${nodes ? ` --nodes ${nodes}` : ''} --lang ${lang}`
  let result
  try {
    result = await runDrill({ lab, script, nodes, onProgress: progress, command, version: LAB_VERSION })
  } finally {
    await lab.shutdown()
  }
  const r0 = Date.now()
  await writeReports(out, result, lang)
  progress(`report written in ${Date.now() - r0} ms: ${join(out, 'report.html')}`)
  for (const c of result.checks) process.stdout.write(`${c.pass ? 'pass' : 'FAIL'}  ${c.name.padEnd(12)} expected ${c.expected}, measured ${c.actual}\n`)
  process.stdout.write(`${script.name}: ${result.verdict.toUpperCase()}\n`)
  return result.verdict === 'fail' ? EXIT_FAILURE : 0
}

const NODE_METHODS = {
  crash: 'node.crash',
  stop: 'node.stop',
  start: 'node.start',
  pause: 'node.pause',
  resume: 'node.resume',
  restart: 'node.restart',
  wipe: 'node.wipe',
  remove: 'node.remove',
  transfer: 'node.transferLeader'
} as const satisfies Record<NodeAction, LabMethod>

/** 3+2 for five nodes, 2+1 for three: the majority side first. */
const defaultSplit = (n: number): [number, number] => [Math.floor(n / 2) + 1, n - Math.floor(n / 2) - 1]

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'serve':
        return await serve(rest)
      case 'up':
        return await up(rest)
      case 'status':
        return await status(rest)
      case 'fault':
        return await fault(rest)
      case 'drill':
        return await drill(rest)
      case '--version':
        process.stdout.write(`${LAB_VERSION}\n`)
        return 0
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(USAGE)
        return command === undefined ? EXIT_USAGE : 0
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`quorum-lab: ${err.message}\n\n${USAGE}`)
      return EXIT_USAGE
    }
    process.stderr.write(`quorum-lab: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT_FAILURE
  }
}
