/**
 * Pure helpers behind the cluster store: quorum arithmetic, folding LabEvents into the
 * cluster snapshot, and merging snapshots that may be older than events already applied.
 */
import type { ClusterInfo, LabEvent, NodeInfo, NodeRunState } from '../../../electron/lab/api'

/** Sizes offered first in the UI: 2 is there on purpose, to show that two nodes cannot lose one. */
export const CLUSTER_SIZES = [2, 3, 5, 7] as const
/** Every other size the lab runs (1–9): even sizes show that they add no fault tolerance. */
export const OTHER_CLUSTER_SIZES = [1, 4, 6, 8, 9] as const
export const DEFAULT_CLUSTER_SIZE = 3

/** Raft needs a strict majority of the voters: ⌊N/2⌋ + 1. */
export function majorityOf(size: number): number {
  return Math.floor(size / 2) + 1
}

/** How many nodes may fail while a majority stays up. */
export function toleratedFailures(size: number): number {
  return size - majorityOf(size)
}

export function countUp(cluster: ClusterInfo | null): number {
  return cluster ? cluster.nodes.filter((n) => n.state === 'up').length : 0
}

/** The latest lifecycle transition of a node we know of, in wall-clock ms. */
function transitionAt(node: NodeInfo): number {
  return Math.max(node.startedAt ?? 0, node.lastExit?.at ?? 0)
}

/**
 * Merge a node snapshot (an action's answer, `cluster.get`) into what events already told us.
 *
 * Why: events arrive in ~50 ms batches while answers come at once, so an answer can describe
 * an older moment than an event already applied (an answer saying "up" after the exit event
 * arrived). Both clocks are the lab host's, so the side with the later transition wins; any
 * transition the snapshot knows and we do not will still arrive as an event.
 */
export function mergeNode(current: NodeInfo | undefined, incoming: NodeInfo): NodeInfo {
  if (current && current.id === incoming.id && transitionAt(current) > transitionAt(incoming)) {
    return { ...incoming, state: current.state, pid: current.pid, startedAt: current.startedAt, lastExit: current.lastExit }
  }
  return incoming
}

/** Merge a cluster snapshot: a different run replaces everything, the same run merges nodes. */
export function mergeCluster(current: ClusterInfo | null, incoming: ClusterInfo): ClusterInfo {
  if (!current || current.runId !== incoming.runId) return incoming
  const byId = new Map(current.nodes.map((n) => [n.id, n]))
  return { ...incoming, nodes: incoming.nodes.map((n) => mergeNode(byId.get(n.id), n)) }
}

/** Node state after an exit: a stop the lab asked for is "stopped", anything else is "down". */
export function exitState(expected: boolean): NodeRunState {
  return expected ? 'stopped' : 'down'
}

/**
 * Fold one event into the cluster. Mutates `cluster` in place (the store's reactive object)
 * and returns the cluster to keep, which is a new object only for `cluster.created`.
 * Events for unknown nodes or before any cluster are ignored: the next snapshot covers them.
 */
export function applyEvent(cluster: ClusterInfo | null, event: LabEvent): ClusterInfo | null {
  // A copy: the event is shared with every other subscriber of the feed, and this one gets mutated.
  if (event.type === 'cluster.created') return structuredClone(event.cluster)
  if (!cluster) return cluster
  switch (event.type) {
    case 'cluster.state':
      cluster.state = event.state
      break
    case 'node.spawned': {
      const node = cluster.nodes.find((n) => n.id === event.nodeId)
      if (node) {
        node.state = 'starting'
        node.pid = event.pid
        node.startedAt = event.ts
      }
      break
    }
    case 'node.ready': {
      const node = cluster.nodes.find((n) => n.id === event.nodeId)
      if (node) {
        node.state = 'up'
        node.pid = event.pid
      }
      break
    }
    case 'node.exited': {
      const node = cluster.nodes.find((n) => n.id === event.nodeId)
      // A late exit of an older process (a restart already spawned a new pid) changes nothing.
      if (node && (node.pid === null || node.pid === event.pid)) {
        node.state = exitState(event.expected)
        node.pid = null
        node.lastExit = { code: event.code, signal: event.signal, at: event.ts, expected: event.expected }
      }
      break
    }
    case 'node.paused':
    case 'node.resumed': {
      const node = cluster.nodes.find((n) => n.id === event.nodeId)
      if (node && node.pid === event.pid) node.state = event.type === 'node.paused' ? 'paused' : 'up'
      break
    }
    case 'cluster.settings':
      cluster.settings = { ...event.settings }
      break
    case 'member.removed': {
      const i = cluster.nodes.findIndex((n) => n.id === event.nodeId)
      if (i >= 0) {
        cluster.nodes.splice(i, 1)
        cluster.size = cluster.nodes.length
      }
      break
    }
    default:
      // fault.injected, node.output, member.added (a snapshot follows) and events.dropped
      // change no node state here.
      break
  }
  return cluster
}
