import type { NodeInfo, Result } from '../../electron/lab/api'
import { getJson } from '../../electron/lab/cluster/http-probe'
import { ADMIN_STATUS_PATH, type NodeStatus } from '../../node-core/src/protocol/admin'
import { waitFor } from './wait'

/** The value of an ok Result, or a thrown error naming its code. */
export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

export const nodeStatus = (n: NodeInfo): Promise<NodeStatus> => getJson<NodeStatus>(n.host, n.httpPort, ADMIN_STATUS_PATH)

/** One HTTP call to a node; a body is sent as a form. */
export async function http(n: NodeInfo, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://${n.address}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
    body
  })
  return { status: res.status, text: await res.text() }
}

/** Wait until every node answers and all name the same leader; return that leader. */
export function leaderOf(nodes: NodeInfo[]): Promise<NodeInfo> {
  return waitFor(
    'one leader that every live node agrees on',
    async () => {
      const seen = await Promise.all(nodes.map((n) => nodeStatus(n).catch(() => undefined)))
      const leaders = new Set(seen.map((s) => s?.leader))
      if (leaders.size !== 1 || seen.some((s) => !s)) return undefined
      return nodes.find((n) => n.address === [...leaders][0])
    },
    { timeoutMs: 20_000 }
  )
}
