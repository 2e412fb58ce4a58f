/**
 * Fixtures for the cluster map's tests: Raft ids of the fake lab's nodes, node status
 * answers, trace events and link lists. Test-only.
 */
import type { LabEventBody, LinkFault, LinkInfo, NodeInfo, NodeRaftView, NodeStatus, RaftRole } from '../../../electron/lab/api'
import { HEALTHY_LINK, nodeIdOf } from '../../../electron/lab/api'

/** The Raft id of a member address, as node-core derives it (via the LabApi contract). */
export function raftIdOf(address: string): number {
  return nodeIdOf(address)
}

export function nodeStatus(node: NodeInfo, all: readonly NodeInfo[], over: Partial<NodeStatus> = {}): NodeStatus {
  return {
    address: node.address,
    id: raftIdOf(node.address),
    pid: node.pid ?? 0,
    startedAt: node.startedAt ?? 0,
    role: 'follower',
    term: 2,
    vote: null,
    leader: all[0]!.address,
    commit: 10,
    applied: 10,
    lastIndex: 10,
    firstIndex: 1,
    snapshotIndex: 0,
    voters: all.map((n) => n.address),
    learners: [],
    leadTransferee: null,
    progress: [],
    counts: { services: 0, instances: 0, healthyInstances: 0, configs: 0, listeners: 0 },
    ...over
  }
}

/** Every node's answer to `cluster.status`: `leader` leads at `term`, the rest follow it. */
export function statusViews(nodes: readonly NodeInfo[], leader: number | null, term = 2): NodeRaftView[] {
  const lead = nodes.find((n) => n.id === leader) ?? null
  return nodes.map((n) => ({
    nodeId: n.id,
    status:
      n.state === 'up'
        ? nodeStatus(n, nodes, { role: (n.id === leader ? 'leader' : 'follower') as RaftRole, term, leader: lead?.address ?? null })
        : null,
    error: n.state === 'up' ? null : `not running (${n.state})`
  }))
}

/** A `raft` LabEvent body: node `nodeId`'s trace event. */
export function raftEvent(nodeId: number, event: { type: string } & Record<string, unknown>, nodeTs = Date.now()): LabEventBody {
  return { type: 'raft', nodeId, nodeSeq: 1, nodeTs, event: { node: 0, ...event } }
}

/** A `roleChanged` event of `node` becoming `to` at `term`, following `lead` (a NodeInfo or none). */
export function roleChanged(node: NodeInfo, to: RaftRole, term: number, lead: NodeInfo | null, nodeTs = Date.now()): LabEventBody {
  return raftEvent(node.id, { type: 'roleChanged', from: 'follower', to, term, lead: lead ? raftIdOf(lead.address) : 0 }, nodeTs)
}

export function peerLink(from: number, to: number, fault: Partial<LinkFault> = {}): LinkInfo {
  return {
    kind: 'peer',
    from,
    to,
    listen: `127.0.0.1:${20000 + from * 10 + to}`,
    fault: { ...HEALTHY_LINK, ...fault },
    stats: { passed: 0, bytes: 0, dropped: 0, duplicated: 0, held: 0, delayed: 0, connections: 1 }
  }
}

/** Every directed peer link of `ids`, with `faults` by `from>to`. */
export function peerLinks(ids: readonly number[], faults: Record<string, Partial<LinkFault>> = {}): LinkInfo[] {
  return ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => peerLink(a, b, faults[`${a}>${b}`])))
}
