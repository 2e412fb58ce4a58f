// Metrics: what one scrape tick costs the lab's CPU for a 5-node cluster: parsing each node's
// exposition text and deriving the sample (node figures, cluster view, alert evaluation). The
// texts come from node-core's own registry (every route with a few statuses, Raft, fsync, peer
// RTT, prom-client's process metrics), so their size matches a busy node's.
import { deriveNode, deriveSample, derivedFrom, type NodeFigures } from '../electron/lab/metrics/derive'
import { AlertEngine } from '../electron/lab/metrics/alerts'
import { parsePromText, type Scrape } from '../electron/lab/metrics/prom-text'
import { NodeMetrics } from '../node-core/src/observe/metrics'

const ROUTES: [string, string][] = [
  ['POST', '/nacos/v1/ns/instance'],
  ['DELETE', '/nacos/v1/ns/instance'],
  ['PUT', '/nacos/v1/ns/instance/beat'],
  ['GET', '/nacos/v1/ns/instance/list'],
  ['GET', '/nacos/v1/cs/configs'],
  ['POST', '/nacos/v1/cs/configs'],
  ['DELETE', '/nacos/v1/cs/configs'],
  ['POST', '/nacos/v1/cs/configs/listener'],
  ['GET', 'NOT_FOUND']
]

/** A node's registry after `rounds` of traffic; returns its text after each round. */
async function texts(node: number, rounds: number): Promise<string[]> {
  const m = new NodeMetrics({ labels: { node: `127.0.0.1:${8848 + node}` } })
  m.bind({
    naming: () => ({ services: 10, instances: 100, healthyInstances: 100 }),
    configCount: () => 200,
    longPollListeners: () => 5,
    raft: () => ({ term: 3, lead: 1, isLeader: node === 1, commit: 1000, applied: 998, pendingProposals: 0 })
  })
  let seed = node * 7919
  const rnd = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647)
  const out: string[] = []
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 500; i++) {
      const [method, uri] = ROUTES[Math.floor(rnd() * ROUTES.length)]!
      m.onHttp(method, uri, rnd() < 0.01 ? 503 : rnd() < 0.05 ? 404 : 200, rnd() * 0.05)
      if (i % 10 === 0) m.onFsync(rnd() * 4)
    }
    out.push((await m.scrape()).text)
  }
  return out
}

export async function benchMetrics(): Promise<Record<string, number>> {
  const NODES = 5
  const ROUNDS = 200
  const perNode = await Promise.all(Array.from({ length: NODES }, (_, i) => texts(i + 1, ROUNDS)))
  const alerts = new AlertEngine()
  const prev: (Scrape | null)[] = Array.from({ length: NODES }, () => null)
  let parseMs = 0
  let deriveMs = 0
  let parseAllMs = 0
  for (let r = 0; r < ROUNDS; r++) {
    const tAll = performance.now()
    for (const t of perNode) parsePromText(t[r]!)
    const t0 = performance.now()
    // What the scraper does: parse only the metrics derivation reads.
    const cur = perNode.map((t) => parsePromText(t[r]!, derivedFrom))
    const t1 = performance.now()
    const nodes: NodeFigures[] = cur.map((c, i) => deriveNode({ nodeId: i + 1, cur: c, prev: prev[i]!, cpuPct: 1, rssBytes: 1e8 }, 1000))
    alerts.evaluate(deriveSample(r * 1000, 1000, nodes, NODES))
    const t2 = performance.now()
    cur.forEach((c, i) => (prev[i] = c))
    // The first rounds warm the JIT up.
    if (r >= 20) {
      parseAllMs += t0 - tAll
      parseMs += t1 - t0
      deriveMs += t2 - t1
    }
  }
  const measured = ROUNDS - 20
  const round3 = (x: number): number => Math.round(x * 1000) / 1000
  return {
    'metrics: exposition bytes per node': perNode[0]![ROUNDS - 1]!.length,
    'metrics: parse 5 nodes, every metric (ms)': round3(parseAllMs / measured),
    'metrics: parse 5 nodes per scrape (ms)': round3(parseMs / measured),
    'metrics: derive + alerts 5 nodes per scrape (ms)': round3(deriveMs / measured),
    'metrics: parse + derive 5 nodes per scrape (ms)': round3((parseMs + deriveMs) / measured)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchMetrics())
