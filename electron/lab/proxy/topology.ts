/**
 * Partition shapes as sets of directed links to cut. Pure. Links are `[from, to]`; a two-way
 * cut lists both directions.
 */
import type { NodeId } from '../api'

export type DirectedLink = readonly [NodeId, NodeId]

export const linkKey = (from: NodeId, to: NodeId): string => `${from}->${to}`

/** Every directed link between nodes in different groups. */
export function cutBetween(groups: readonly (readonly NodeId[])[]): DirectedLink[] {
  const out: DirectedLink[] = []
  groups.forEach((g, i) =>
    groups.forEach((h, j) => {
      if (i === j) return
      for (const a of g) for (const b of h) out.push([a, b])
    })
  )
  return out
}

/** Cut a node off from every other node, both ways. */
export const isolate = (ids: readonly NodeId[], node: NodeId): DirectedLink[] => cutBetween([[node], ids.filter((i) => i !== node)])

/** Majority first: 5 → 3 + 2, 3 → 2 + 1 (lowest ids on the majority side). */
export function defaultSplit(ids: readonly NodeId[]): NodeId[][] {
  const sorted = [...ids].sort((a, b) => a - b)
  const major = Math.floor(sorted.length / 2) + 1
  return [sorted.slice(0, major), sorted.slice(major)]
}

/**
 * Two halves that reach each other only through one bridge node (Jepsen's "bridge"): the
 * bridge sees everyone, so both halves can form a majority with it.
 */
export function bridge(ids: readonly NodeId[]): DirectedLink[] {
  const sorted = [...ids].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const bridgeNode = sorted[mid]!
  const left = sorted.slice(0, mid)
  const right = sorted.slice(mid + 1)
  return cutBetween([left, right])
    .filter(([a, b]) => a !== bridgeNode && b !== bridgeNode)
}

/**
 * Majorities ring (Jepsen): nodes on a ring, each sees only its neighbours within distance d,
 * with d the smallest that gives it a majority (itself included). For 5 nodes each sees 3, and
 * no two see the same 3: every node can win an election, none can keep a stable majority.
 * (With 3 nodes a majority is everyone's neighbour: nothing is cut.)
 */
export function majoritiesRing(ids: readonly NodeId[]): DirectedLink[] {
  const ring = [...ids].sort((a, b) => a - b)
  const n = ring.length
  const majority = Math.floor(n / 2) + 1
  const d = Math.ceil((majority - 1) / 2)
  const out: DirectedLink[] = []
  ring.forEach((a, i) =>
    ring.forEach((b, j) => {
      const dist = Math.min(Math.abs(i - j), n - Math.abs(i - j))
      if (dist > d) out.push([a, b])
    })
  )
  return out
}

/** Only from → to is cut; to → from still works. */
export const oneWay = (from: NodeId, to: NodeId): DirectedLink[] => [[from, to]]

/** Every directed link of a cluster. */
export function allLinks(ids: readonly NodeId[]): DirectedLink[] {
  const out: DirectedLink[] = []
  for (const a of ids) for (const b of ids) if (a !== b) out.push([a, b])
  return out
}
