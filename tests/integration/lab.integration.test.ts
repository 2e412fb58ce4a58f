// Real node-core processes on loopback, driven through the lab engine.
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CLUSTER_NODES_PATH, type ClusterNodesResponse } from '../../node-core/src/protocol/admin'
import type { ClusterInfo, LabEvent, NodeInfo, Result } from '../../electron/lab/api'
import { getJson } from '../../electron/lab/cluster/http-probe'
import { Lab } from '../../electron/lab/lab'
import { cliBundle, makeLab, proxyHostBundle } from '../support/lab-fixture'
import { isAlive, waitFor } from '../support/wait'

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

describe('lab engine with a 3-node cluster', () => {
  let fx: Awaited<ReturnType<typeof makeLab>>
  let cluster: ClusterInfo

  beforeAll(async () => {
    fx = await makeLab()
    cluster = value(await fx.lab.handle('cluster.create', { size: 3 }))
  })
  afterAll(async () => fx.dispose())

  it('writes each node its conf files on free loopback ports', async () => {
    expect(cluster.state).toBe('created')
    expect(cluster.nodes.map((n) => n.id)).toEqual([1, 2, 3])
    expect(new Set(cluster.nodes.map((n) => n.httpPort)).size).toBe(3)
    for (const n of cluster.nodes) {
      expect(n.raftPort).toBe(n.httpPort - 1000)
      const conf = await readFile(join(n.home, 'conf/cluster.conf'), 'utf8')
      expect(conf.split('\n').filter((l) => /^\d/.test(l))).toEqual(cluster.nodes.map((m) => `127.0.0.1:${m.httpPort}`))
      const props = await readFile(join(n.home, 'conf/application.properties'), 'utf8')
      expect(props).toMatch(new RegExp(`^server\\.port=${n.httpPort}$`, 'm'))
    }
  })

  it('starts every node as a real process that answers, and reports each on the bus', async () => {
    cluster = value(await fx.lab.handle('cluster.start', undefined))
    expect(cluster.state).toBe('running')
    for (const n of cluster.nodes) {
      expect(n.state).toBe('up')
      expect(n.pid).toBeGreaterThan(0)
      expect(isAlive(n.pid!)).toBe(true)
      const nodes = await getJson<ClusterNodesResponse>(n.host, n.httpPort, CLUSTER_NODES_PATH)
      expect(nodes.data.map((m) => m.address)).toEqual(cluster.nodes.map((m) => m.address))
      expect(nodes.data.find((m) => m.extendInfo.self)?.extendInfo.pid).toBe(n.pid)
    }
    await waitFor('three node.ready events', () => fx.events.filter((e) => e.type === 'node.ready').length === 3)
    const types = fx.events.map((e) => e.type)
    expect(types.filter((t) => t === 'node.spawned')).toHaveLength(3)
    expect(types.indexOf('cluster.state')).toBeGreaterThanOrEqual(0)
    const seqs = fx.events.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
  })

  it('crashes one node with SIGKILL and reports its exit as unexpected', async () => {
    const victim = cluster.nodes[1]!
    const crashed: NodeInfo = value(await fx.lab.handle('node.crash', { nodeId: 2 }))
    expect(crashed.state).toBe('down')
    expect(crashed.pid).toBeNull()
    expect(crashed.lastExit).toMatchObject({ signal: 'SIGKILL', code: null, expected: false })
    expect(isAlive(victim.pid!)).toBe(false)
    const exit = await waitFor('node.exited for node 2', () =>
      fx.events.find((e): e is Extract<LabEvent, { type: 'node.exited' }> => e.type === 'node.exited' && e.nodeId === 2)
    )
    expect(exit).toMatchObject({ pid: victim.pid, signal: 'SIGKILL', expected: false })
    expect(fx.events.some((e) => e.type === 'fault.injected' && e.nodeId === 2)).toBe(true)
    // The others keep serving.
    for (const n of [cluster.nodes[0]!, cluster.nodes[2]!]) {
      await expect(getJson(n.host, n.httpPort, CLUSTER_NODES_PATH)).resolves.toBeTruthy()
    }
  })

  it('refuses to crash a node that is down, naming the node', async () => {
    expect(await fx.lab.handle('node.crash', { nodeId: 2 })).toEqual({
      ok: false,
      error: { code: 'NODE_NOT_RUNNING', message: 'node 2 is not running' }
    })
    expect(await fx.lab.handle('node.crash', { nodeId: 7 })).toMatchObject({ ok: false, error: { code: 'NODE_NOT_FOUND' } })
  })

  it('refuses a second cluster while this one runs', async () => {
    expect(await fx.lab.handle('cluster.create', { size: 3 })).toMatchObject({ ok: false, error: { code: 'CLUSTER_BUSY' } })
  })

  it('restarts the crashed node on its old port with a new pid', async () => {
    const old = cluster.nodes[1]!
    const n = value(await fx.lab.handle('node.restart', { nodeId: 2 }))
    expect(n.state).toBe('up')
    expect(n.httpPort).toBe(old.httpPort)
    expect(n.pid).not.toBe(old.pid)
    expect(isAlive(n.pid!)).toBe(true)
  })

  it('stops every node with SIGTERM: clean exits, no process left', async () => {
    const pids = value(await fx.lab.handle('cluster.get', undefined))!.nodes.map((n) => n.pid!)
    const stopped = value(await fx.lab.handle('cluster.stop', undefined))
    expect(stopped.state).toBe('stopped')
    for (const n of stopped.nodes) {
      expect(n.state).toBe('stopped')
      expect(n.lastExit).toMatchObject({ code: 0, signal: null, expected: true })
    }
    for (const pid of pids) expect(isAlive(pid)).toBe(false)
    const log = await readFile(join(stopped.nodes[0]!.home, 'logs/nacos.log'), 'utf8')
    expect(log.trim().split('\n').length).toBeGreaterThan(1)
  })
})

describe('lab engine failures', () => {
  let fx: Awaited<ReturnType<typeof makeLab>>
  afterEach(async () => fx.dispose())

  it('reports a node that dies during start as SPAWN_FAILED with its last words', async () => {
    fx = await makeLab()
    const script = join(fx.dataRoot, 'dies.cjs')
    await writeFile(script, "process.stderr.write('cannot open the data dir\\n'); process.exit(3)\n")
    const lab = new Lab({ dataRoot: fx.dataRoot, nodeCoreScript: script, proxyHostScript: proxyHostBundle, host: 'cli', version: 't' })
    value(await lab.handle('cluster.create', { size: 1 }))
    const r = await lab.handle('cluster.start', undefined)
    expect(r).toMatchObject({ ok: false, error: { code: 'SPAWN_FAILED' } })
    if (!r.ok) expect(r.error.message).toMatch(/node 1 exited during start \(code 3\): cannot open the data dir/)
    expect(value(await lab.handle('cluster.get', undefined))?.state).toBe('stopped')
  })

  it('answers NO_CLUSTER before a cluster exists', async () => {
    fx = await makeLab()
    expect(await fx.lab.handle('node.crash', { nodeId: 1 })).toMatchObject({ ok: false, error: { code: 'NO_CLUSTER' } })
  })
})

describe('no orphans', () => {
  it('leaves no node-core process behind when the lab itself is SIGKILLed', async () => {
    const fx = await makeLab()
    const lab = spawn(process.execPath, [cliBundle, 'up', '--size', '3', '--json', '--data-dir', fx.dataRoot], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    lab.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    try {
      const lines: string[] = []
      createInterface({ input: lab.stdout }).on('line', (l) => lines.push(l))
      const ready = await waitFor(
        'the lab CLI to report a ready cluster',
        () => {
          const line = lines.find((l) => l.startsWith('{"event":"ready"'))
          return line ? (JSON.parse(line) as { cluster: ClusterInfo }).cluster : undefined
        },
        { timeoutMs: 30_000 }
      ).catch((err: Error) => {
        throw new Error(`${err.message}; stderr: ${stderr}`)
      })
      const pids = ready.nodes.map((n) => n.pid!)
      expect(pids).toHaveLength(3)
      for (const pid of pids) expect(isAlive(pid)).toBe(true)

      lab.kill('SIGKILL')
      await waitFor('the lab process to die', () => lab.exitCode !== null || lab.signalCode !== null)
      await waitFor(`node-core pids ${pids.join(', ')} to exit after the lab died`, () => pids.every((p) => !isAlive(p)), { timeoutMs: 10_000 })
    } finally {
      if (lab.exitCode === null && lab.signalCode === null) lab.kill('SIGKILL')
      await fx.dispose()
    }
  })
})
