import { existsSync, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { MAX_CLUSTER_SIZE, MIN_CLUSTER_SIZE, type ClusterInfo } from '../api'
import { Lab } from '../lab'
import { LAB_VERSION } from '../version'
import { startBridge } from '../web/bridge-server'
import { parseOptions, UsageError, type OptionSpec } from './args'

const USAGE = `quorum-lab ${LAB_VERSION}: a lab for Nacos-style cluster high availability

Usage:
  quorum-lab serve [--port N] [--host H] [--data-dir DIR]   web mode: the lab in your browser
  quorum-lab up [--size N] [--data-dir DIR] [--json]        start a cluster headless; Ctrl-C stops it
  quorum-lab --help | --version

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
    readyTimeoutMs: typeof options['ready-timeout-ms'] === 'number' ? options['ready-timeout-ms'] : undefined
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

function describeCluster(c: ClusterInfo): string {
  const rows = c.nodes.map((n) => `  node ${n.id}  ${n.address.padEnd(21)} raft :${n.raftPort}  pid ${n.pid ?? '-'}  ${n.state}`)
  return [`cluster ${c.runId} (${c.size} nodes) ${c.state}, data in ${c.dataDir}`, ...rows].join('\n')
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

async function up(argv: string[]): Promise<number> {
  const { options } = parseOptions(argv, {
    ...common,
    size: { kind: 'int', min: MIN_CLUSTER_SIZE, max: MAX_CLUSTER_SIZE },
    json: { kind: 'flag' }
  })
  const lab = makeLab(options, 'cli')
  const json = options.json === true
  const print = (kind: string, c: ClusterInfo): void => {
    process.stdout.write(json ? `${JSON.stringify({ event: kind, cluster: c })}\n` : `${describeCluster(c)}\n`)
  }
  const size = typeof options.size === 'number' ? options.size : 3
  const created = await lab.handle('cluster.create', { size })
  if (!created.ok) throw new Error(created.error.message)
  const started = await lab.handle('cluster.start', undefined)
  if (!started.ok) throw new Error(started.error.message)
  print('ready', started.value)
  if (!json) process.stdout.write('Press Ctrl-C to stop the cluster.\n')
  lab.subscribe((events) => {
    for (const e of events) {
      if (e.type === 'node.exited') {
        const how = e.signal ?? `code ${e.code}`
        process.stdout.write(json ? `${JSON.stringify({ event: 'node.exited', ...e })}\n` : `node ${e.nodeId} exited (${how})\n`)
      }
    }
  })
  await holdUntilSignal(lab)
  return 0
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'serve':
        return await serve(rest)
      case 'up':
        return await up(rest)
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
