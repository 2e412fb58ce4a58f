// node-core started bare for the throughput figures, as the etcd baseline in issue 4 was run:
// three processes on loopback with direct peer links and nothing observing them. The lab lays
// out the homes (conf files, cluster secret, Raft timing) and has stopped its own cluster; its
// link proxies (one more process relaying every Raft frame) and its trace followers and log
// tails (which read every event the nodes emit) stay out of the path while the figures run.
import type { ChildProcess } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { NodeInfo } from '../electron/lab/api'
import { ROUTING_FILE } from '../electron/lab/cluster/conf-files'
import { spawnNodeCore } from '../electron/lab/cluster/cluster'
import { exitOf } from '../electron/lab/cluster/node-process'

export interface BareCluster {
  /** The lab's node records with the bare processes' pids. */
  nodes: NodeInfo[]
  /** SIGTERM every node (SIGKILL after 10 s), and put the lab's routing files back. */
  stop(): Promise<void>
}

const STOP_GRACE_MS = 10_000

export async function startBareCluster(script: string, nodes: readonly NodeInfo[]): Promise<BareCluster> {
  // Without a routing file node-core dials its peers directly; the lab's files go back on stop.
  const routing = new Map<string, string>()
  for (const n of nodes) {
    const file = join(n.home, ROUTING_FILE)
    const text = await readFile(file, 'utf8').catch(() => undefined)
    if (text !== undefined) routing.set(file, text)
    await rm(file, { force: true })
  }
  const children: ChildProcess[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (c) => {
        const exited = exitOf(c)
        c.kill('SIGTERM')
        const timer = setTimeout(() => c.kill('SIGKILL'), STOP_GRACE_MS)
        await exited
        clearTimeout(timer)
      })
    )
    for (const [file, text] of routing) await writeFile(file, text)
  }
  try {
    const started = nodes.map((n) => {
      const child = spawnNodeCore(script, n.home)
      children.push(child)
      // Logs go to files; keep the pipes drained so a chatty node never blocks on them.
      child.stdout?.resume()
      child.stderr?.resume()
      if (child.pid === undefined) throw new Error(`node ${n.id}: could not start ${script}`)
      return { ...n, pid: child.pid }
    })
    return { nodes: started, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
