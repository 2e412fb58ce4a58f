/**
 * The `quorum-lab` CLI as a person uses it: `up` in one terminal, `status` and `fault` in
 * another, Ctrl-C to stop — real processes, and nothing left behind.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClusterInfo, LinkInfo, NodeRaftView } from '../../electron/lab/api'
import { cliBundle } from '../support/lab-fixture'
import { isAlive, waitFor } from '../support/wait'

const cli = (dataDir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [cliBundle, ...args, '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

let up: ChildProcessWithoutNullStreams | undefined
let dir: string | undefined
afterEach(async () => {
  if (up && up.exitCode === null && up.signalCode === null) up.kill('SIGKILL')
  up = undefined
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

interface Status {
  cluster: ClusterInfo
  status: NodeRaftView[]
  links: LinkInfo[]
}

describe('quorum-lab CLI', () => {
  it('up → status → fault crash/partition/heal → Ctrl-C: every step works and no process survives', async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-lab-cli-'))
    up = spawn(process.execPath, [cliBundle, 'up', '--nodes', '3', '--json', '--data-dir', dir])
    let stderr = ''
    up.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const lines: string[] = []
    createInterface({ input: up.stdout }).on('line', (l) => lines.push(l))
    const ready = await waitFor('up to print a ready cluster with a leader', () => {
      const l = lines.find((x) => x.startsWith('{"event":"ready"'))
      return l ? (JSON.parse(l) as Status) : undefined
    }, { timeoutMs: 30_000 }).catch((e: Error) => {
      throw new Error(`${e.message}; stderr: ${stderr}`)
    })
    expect(ready.status.some((v) => v.status?.role === 'leader')).toBe(true)
    expect(ready.links.filter((l) => l.kind === 'peer')).toHaveLength(6)
    expect(ready.links.filter((l) => l.kind === 'client')).toHaveLength(3)
    await waitFor('the control file', () => lines.length > 0 && cli(dir!, 'status', '--json').status === 0)

    const st = JSON.parse(cli(dir, 'status', '--json').stdout) as Status
    const leader = st.status.find((v) => v.status?.role === 'leader')!
    const text = cli(dir, 'status')
    expect(text.stdout).toMatch(new RegExp(`leader: node ${leader.nodeId}`))

    // Crash the leader by role; a new one takes over.
    const crash = cli(dir, 'fault', 'crash', 'leader')
    expect(crash.stdout).toBe(`crash: node ${leader.nodeId}\n`)
    await waitFor('a new leader', () => {
      const s = JSON.parse(cli(dir!, 'status', '--json').stdout) as Status
      return s.status.some((v) => v.status?.role === 'leader' && v.nodeId !== leader.nodeId)
    })
    expect(cli(dir, 'fault', 'restart', String(leader.nodeId)).status).toBe(0)

    // A one-way cut shows in status; heal clears it.
    expect(cli(dir, 'fault', 'partition', 'one-way', '1', '2').stdout).toBe('one-way cut 1 → 2\n')
    expect(cli(dir, 'status').stdout).toMatch(/faulty links:\n {2}1 → 2: cut \(blackhole\)/)
    expect(cli(dir, 'fault', 'heal').stdout).toBe('healed every link\n')
    expect(cli(dir, 'status').stdout).not.toMatch(/faulty links/)
    await waitFor('up to report the cut and the heal', () => lines.some((l) => l.includes('"type":"link.fault"')) && lines.some((l) => l.includes('"type":"link.healed"')))

    // Bad input: a clear message and exit code 2.
    const bad = cli(dir, 'fault', 'crash', 'leadr')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/<node> must be a node id, "leader" or "follower", got "leadr"/)

    const pids = (JSON.parse(cli(dir, 'status', '--json').stdout) as Status).cluster.nodes.map((n) => n.pid!).filter(Boolean)
    expect(pids.length).toBe(3)
    up.kill('SIGINT')
    await waitFor('up to exit 0', () => up!.exitCode !== null, { timeoutMs: 20_000 })
    expect(up.exitCode).toBe(0)
    for (const p of pids) expect(isAlive(p), `node-core pid ${p}`).toBe(false)
    // The control file is gone with it.
    const after = cli(dir, 'status')
    expect(after.status).toBe(1)
    expect(after.stderr).toMatch(/no running `quorum-lab up` found/)
  })

  it('says what is wrong with a bad command line (exit 2)', () => {
    const d = tmpdir()
    expect(cli(d, 'up', '--nodes', '12').stderr).toMatch(/--nodes must be a whole number from 1 to 9, got "12"/)
    expect(cli(d, 'up', '--profile', 'fast').stderr).toMatch(/--profile must be seed or teaching/)
    expect(cli(d, 'explode').status).toBe(2)
  })
})
