// Real node-core processes on loopback.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { allocateNodePorts } from '../../electron/lab/cluster/ports'
import {
  CLUSTER_NODES_PATH,
  METRICS_PATH,
  NODE_EXIT_CODES,
  type ClusterNodesResponse,
  type OperatorMetrics,
  type ReadyMessage
} from '../../node-core/src/protocol/admin'
import { isAlive, waitFor } from '../support/wait'

/** The bundle global-setup.ts builds; the same file the app ships. */
const BUNDLE = resolve(import.meta.dirname, '../../out/node-core/index.cjs')
/** How long a node may take to stop once told to (its own bound is ~2 s plus log close). */
const EXIT_DEADLINE_MS = 8_000

interface NodeProc {
  child: ChildProcess
  pid: number
  stdout: string
  stderr: string
  /** Set once the process has exited and its pipes are drained. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
  messages: unknown[]
}

const procs: NodeProc[] = []
const homes: string[] = []
const blockers: Server[] = []

/** Environment for a child: ours without the variables node-core reads, plus `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.QUORUM_LAB_PARENT_PID
  delete env.NODE_CORE_LOG_LEVEL
  return { ...env, ...extra }
}

/**
 * Start node-core. By default it watches this test process's pid, so nothing outlives a
 * crashed test run; `ipc` forks it with an IPC channel as the lab does.
 */
function startNode(args: string[], opts: { ipc?: boolean; env?: Record<string, string> } = {}): NodeProc {
  const env = childEnv({ QUORUM_LAB_PARENT_PID: String(process.pid), ...opts.env })
  const child = opts.ipc
    ? fork(BUNDLE, args, { execPath: process.execPath, execArgv: [], env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, [BUNDLE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid === undefined) throw new Error('spawn failed')
  const p: NodeProc = { child, pid: child.pid, stdout: '', stderr: '', exit: undefined, messages: [] }
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (p.stdout += s))
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (p.stderr += s))
  child.on('message', (m) => p.messages.push(m))
  // Not 'close': Node never emits it for a child whose IPC channel the parent disconnected.
  // 'exit' plus both pipes closed means the same thing: gone, and all output read.
  let open = 2
  let status: NodeProc['exit']
  const settle = (): void => {
    if (status && open === 0) p.exit = status
  }
  for (const stream of [child.stdout, child.stderr]) stream?.once('close', () => (open--, settle()))
  child.once('exit', (code, signal) => ((status = { code, signal }), settle()))
  procs.push(p)
  return p
}

/** Wait until `p` has exited (deadline, not a sleep) and return its exit. */
async function exited(p: NodeProc, timeoutMs = EXIT_DEADLINE_MS): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return waitFor(`node-core pid ${p.pid} to exit (stderr: ${p.stderr.trim()})`, () => p.exit, { timeoutMs })
}

/** Wait for the readiness line on stdout. */
async function ready(p: NodeProc): Promise<void> {
  await waitFor(`node-core pid ${p.pid} to print ready (stderr: ${p.stderr.trim()})`, () => {
    if (p.exit) throw new Error(`exited early with ${JSON.stringify(p.exit)}: ${p.stderr}`)
    return /ready pid=\d+/.test(p.stdout)
  })
}

/** A temp node home with conf files (a value of undefined leaves that file out). */
async function makeHome(files: { cluster?: string; properties?: string }): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'node-core-it-'))
  homes.push(home)
  await mkdir(join(home, 'conf'))
  if (files.cluster !== undefined) await writeFile(join(home, 'conf', 'cluster.conf'), files.cluster)
  if (files.properties !== undefined) await writeFile(join(home, 'conf', 'application.properties'), files.properties)
  return home
}

const clusterConf = (ports: number[]): string => `# test cluster\n${ports.map((p) => `127.0.0.1:${p}`).join('\n')}\n`
const properties = (port: number): string => `server.port=${port}\nnacos.inetutils.ip-address=127.0.0.1\n`

/** A home for a one-member cluster on a free port. */
async function singleNodeHome(): Promise<{ home: string; port: number }> {
  const [port] = await allocateNodePorts(1)
  if (port === undefined) throw new Error('no port')
  return { home: await makeHome({ cluster: clusterConf([port]), properties: properties(port) }), port }
}

async function getJson<T>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`)
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`)
  return (await res.json()) as T
}

async function logLines(home: string, file = 'nacos.log'): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(home, 'logs', file), 'utf8')
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (!p.exit) {
      p.child.kill('SIGKILL')
      await exited(p)
    }
  }
  await Promise.all(blockers.splice(0).map((b) => new Promise((r) => b.close(r))))
})

afterAll(async () => {
  await Promise.all(homes.splice(0).map((h) => rm(h, { recursive: true, force: true })))
})

describe('node-core: a running cluster', () => {
  it('runs three members that each answer metrics UP and list all members with the right self', async () => {
    const ports = await allocateNodePorts(3)
    const conf = clusterConf(ports)
    const nodes = await Promise.all(
      ports.map(async (port) => ({ port, proc: startNode(['--home', await makeHome({ cluster: conf, properties: properties(port) })]) }))
    )
    await Promise.all(nodes.map((n) => ready(n.proc)))

    for (const { port, proc } of nodes) {
      expect(proc.stdout).toBe(`node-core 127.0.0.1:${port} ready pid=${proc.pid}\n`)
      const metrics = await getJson<OperatorMetrics>(port, METRICS_PATH)
      expect(metrics.status).toBe('UP')

      const body = await getJson<ClusterNodesResponse>(port, CLUSTER_NODES_PATH)
      expect(body.code).toBe(200)
      expect(body.data.map((m) => m.address)).toEqual(ports.map((p) => `127.0.0.1:${p}`))
      const selves = body.data.filter((m) => m.extendInfo.self)
      expect(selves).toHaveLength(1)
      expect(selves[0]).toMatchObject({ address: `127.0.0.1:${port}`, state: 'UP', extendInfo: { pid: proc.pid, raftPort: port - 1000 } })
      expect(selves[0]?.extendInfo.startedAt).toBeGreaterThan(0)
      for (const other of body.data.filter((m) => !m.extendInfo.self)) {
        // Peers' state comes from Raft contact: UP once heard from, SUSPICIOUS/DOWN otherwise.
        expect(['UP', 'SUSPICIOUS', 'DOWN']).toContain(other.state)
        expect(other).toMatchObject({ failAccessCnt: 0, extendInfo: { raftPort: other.port - 1000 } })
      }
    }
  })

  it('writes JSON lines with the startup message to nacos.log and the membership to nacos-cluster.log', async () => {
    const { home, port } = await singleNodeHome()
    const p = startNode(['--home', home])
    await ready(p)
    const started = (await logLines(home)).find((l) => l.msg === 'node-core started')
    expect(started).toMatchObject({ level: 'info', node: `127.0.0.1:${port}`, pid: p.pid, httpPort: port, raftPort: port - 1000 })
    expect(started?.members).toEqual([`127.0.0.1:${port}`])
    expect(typeof started?.time).toBe('number')
    const cluster = await logLines(home, 'nacos-cluster.log')
    const membership = cluster.find((l) => String(l.msg).includes('cluster membership'))
    expect(membership).toMatchObject({ level: 'info', node: `127.0.0.1:${port}`, size: 1 })
    // A one-member cluster elects itself: the role change is in the cluster log too.
    await waitFor('the election in nacos-cluster.log', async () => (await logLines(home, 'nacos-cluster.log')).some((l) => /became leader at term/.test(String(l.msg))))
    for (const f of ['naming-server.log', 'config-server.log']) expect(await readFile(join(home, 'logs', f), 'utf8')).toBe('')
  })

  it('answers 404 naming the path and 405 with Allow', async () => {
    const { home, port } = await singleNodeHome()
    const p = startNode(['--home', home])
    await ready(p)
    const missing = await fetch(`http://127.0.0.1:${port}/nacos/v1/ns/nothing`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('/nacos/v1/ns/nothing')
    const wrong = await fetch(`http://127.0.0.1:${port}${CLUSTER_NODES_PATH}`, { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
    await wrong.text()
    // Still serving afterwards.
    expect((await getJson<OperatorMetrics>(port, METRICS_PATH)).status).toBe('UP')
  })
})

describe('node-core: shutdown and the orphan guard', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s → exit 0 with the shutdown logged', async (signal) => {
    const { home, port } = await singleNodeHome()
    const p = startNode(['--home', home])
    await ready(p)
    // An idle keep-alive connection must not hold the shutdown up.
    expect((await getJson<OperatorMetrics>(port, METRICS_PATH)).status).toBe('UP')
    const t0 = Date.now()
    p.child.kill(signal)
    expect(await exited(p)).toEqual({ code: NODE_EXIT_CODES.ok, signal: null })
    expect(Date.now() - t0).toBeLessThan(EXIT_DEADLINE_MS)
    const lines = await logLines(home)
    expect(lines.find((l) => l.msg === 'shutting down')).toMatchObject({ level: 'info', reason: signal })
    expect(lines.at(-1)).toMatchObject({ msg: 'node-core stopped', reason: signal })
  })

  it('exits 0 when the IPC parent disconnects, after sending node-core.ready', async () => {
    const { home, port } = await singleNodeHome()
    const p = startNode(['--home', home], { ipc: true, env: { QUORUM_LAB_PARENT_PID: '' } })
    const msg = await waitFor('the ready message', () => p.messages[0] as ReadyMessage | undefined)
    expect(msg).toEqual({ type: 'node-core.ready', pid: p.pid, address: `127.0.0.1:${port}`, httpPort: port })
    p.child.disconnect()
    expect(await exited(p)).toEqual({ code: 0, signal: null })
    expect((await logLines(home)).find((l) => l.msg === 'shutting down')?.reason).toBe('parent lab went away')
  })

  it('dies with a forking parent that is SIGKILLed', async () => {
    const { home } = await singleNodeHome()
    // A stand-in lab: forks node-core with IPC, reports its ready message, then is killed hard.
    const script = `
      const { fork } = require('node:child_process')
      const c = fork(${JSON.stringify(BUNDLE)}, ['--home', ${JSON.stringify(home)}], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] })
      c.on('message', (m) => process.stdout.write(JSON.stringify(m) + '\\n'))
    `
    const lab = spawn(process.execPath, ['-e', script], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    lab.stdout.setEncoding('utf8').on('data', (s: string) => (out += s))
    try {
      const msg = await waitFor('the stand-in lab to relay node-core.ready', () => (out.includes('\n') ? (JSON.parse(out.split('\n')[0] ?? '') as ReadyMessage) : undefined))
      expect(isAlive(msg.pid)).toBe(true)
      lab.kill('SIGKILL')
      await waitFor('the orphaned node-core to exit', () => !isAlive(msg.pid), { timeoutMs: EXIT_DEADLINE_MS })
      const lines = await logLines(home)
      expect(lines.find((l) => l.msg === 'shutting down')?.reason).toBe('parent lab went away')
      expect(lines.at(-1)?.msg).toBe('node-core stopped')
    } finally {
      lab.kill('SIGKILL')
    }
  })

  it('exits 0 when the process named by QUORUM_LAB_PARENT_PID goes away', async () => {
    const { home } = await singleNodeHome()
    const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    try {
      const p = startNode(['--home', home], { env: { QUORUM_LAB_PARENT_PID: String(parent.pid) } })
      await ready(p)
      parent.kill('SIGKILL')
      expect(await exited(p)).toEqual({ code: 0, signal: null })
      expect((await logLines(home)).find((l) => l.msg === 'shutting down')?.reason).toBe('parent lab went away')
    } finally {
      parent.kill('SIGKILL')
    }
  })
})

describe('node-core: refusing to start', () => {
  it('exits 78 naming a missing cluster.conf', async () => {
    const home = await makeHome({ properties: 'server.port=28848\n' })
    const p = startNode(['--home', home])
    expect((await exited(p)).code).toBe(NODE_EXIT_CODES.config)
    expect(p.stderr).toBe(`node-core: ${join(home, 'conf', 'cluster.conf')}: file not found\n`)
  })

  it('exits 78 naming cluster.conf and the line of a malformed member', async () => {
    const [port = 0] = await allocateNodePorts(1)
    const home = await makeHome({ cluster: `# members\n127.0.0.1:${port}\n127.0.0.1:99999\n`, properties: properties(port) })
    const p = startNode(['--home', home])
    expect((await exited(p)).code).toBe(78)
    expect(p.stderr).toContain('cluster.conf:3: "127.0.0.1:99999" is not a valid member: port must be 1-65535')
    expect(p.stderr.startsWith('node-core: ')).toBe(true)
  })

  it('exits 78 naming application.properties and the line of a bad server.port', async () => {
    const home = await makeHome({ cluster: '127.0.0.1:28848\n', properties: '# node\nserver.port=eighty\n' })
    const p = startNode(['--home', home])
    expect((await exited(p)).code).toBe(78)
    expect(p.stderr).toContain(`${join(home, 'conf', 'application.properties')}:2: server.port "eighty" is not valid`)
  })

  it('exits 78 when this node is not a member of cluster.conf', async () => {
    const home = await makeHome({ cluster: '127.0.0.1:28848\n', properties: 'server.port=28849\n' })
    const p = startNode(['--home', home])
    expect((await exited(p)).code).toBe(78)
    expect(p.stderr).toContain("cluster.conf: this node's address 127.0.0.1:28849")
  })

  it('exits 1 with a clear message when its port is taken', async () => {
    const { home, port } = await singleNodeHome()
    const blocker = createServer()
    blockers.push(blocker)
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port }, r))
    const p = startNode(['--home', home])
    expect((await exited(p)).code).toBe(NODE_EXIT_CODES.failure)
    expect(p.stderr).toBe(`node-core: cannot listen on 127.0.0.1:${port}: address already in use (another node-core or program holds this port)\n`)
    expect(p.stdout).toBe('')
    expect((await logLines(home)).find((l) => l.level === 'error')).toMatchObject({ code: 'LISTEN_FAILED', errno: 'EADDRINUSE' })
  })

  it('exits 2 on a usage error and 0 for --version and --help', async () => {
    const none = startNode([])
    expect((await exited(none)).code).toBe(NODE_EXIT_CODES.usage)
    expect(none.stderr).toContain('node-core: --home DIR is required')
    const unknown = startNode(['--hom', '/x'])
    expect((await exited(unknown)).code).toBe(2)
    expect(unknown.stderr).toContain("Unknown option '--hom'")
    const version = startNode(['--version'])
    expect((await exited(version)).code).toBe(0)
    expect(version.stdout).toMatch(/^node-core \d+\.\d+\.\d+\n$/)
    const help = startNode(['--help'])
    expect((await exited(help)).code).toBe(0)
    expect(help.stdout).toContain('Usage: node-core --home DIR')
  })
})
