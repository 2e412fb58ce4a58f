/**
 * Pure helpers behind the links store: what each directed peer link is doing (ok, cut,
 * delayed, lossy) and what a pair of nodes looks like as a whole (ok, cut both ways, one-way,
 * degraded), from `link.list` answers and `link.fault` / `link.healed` events.
 */
import { HEALTHY_LINK, type LabEvent, type LinkFault, type LinkInfo, type NodeId } from '../../../electron/lab/api'

/** One direction of a peer link. `degraded` is delayed and lossy at once. */
export type LinkState = 'ok' | 'cut' | 'delayed' | 'lossy' | 'degraded'

/** A pair of nodes, both directions together. */
export type PairState = 'ok' | 'cut' | 'oneWay' | 'degraded'

/** `from→to` key of a directed link. */
export const linkKey = (from: NodeId, to: NodeId): string => `${from}>${to}`

export function linkState(fault: LinkFault | undefined): LinkState {
  if (!fault) return 'ok'
  if (fault.cut !== 'none') return 'cut'
  const delayed = fault.delayMs > 0 || fault.jitterMs > 0
  const lossy = fault.dropPct > 0 || fault.dupPct > 0
  if (delayed && lossy) return 'degraded'
  if (delayed) return 'delayed'
  if (lossy) return 'lossy'
  return 'ok'
}

export function pairState(ab: LinkState, ba: LinkState): PairState {
  if (ab === 'cut' && ba === 'cut') return 'cut'
  if (ab === 'cut' || ba === 'cut') return 'oneWay'
  if (ab === 'ok' && ba === 'ok') return 'ok'
  return 'degraded'
}

/** Directed peer link faults by key; a missing key is a healthy link. */
export type FaultMap = ReadonlyMap<string, LinkFault>

/** Faults of the peer links in a `link.list`-style answer (healthy links are left out). */
export function faultsOf(links: readonly LinkInfo[]): Map<string, LinkFault> {
  const out = new Map<string, LinkFault>()
  for (const l of links) if (l.kind === 'peer' && linkState(l.fault) !== 'ok') out.set(linkKey(l.from, l.to), { ...l.fault })
  return out
}

/** Fold link events in; returns `faults` itself when none of them touched a peer link. */
export function applyLinkEvents(faults: FaultMap, batch: readonly LabEvent[]): FaultMap {
  let next: Map<string, LinkFault> | null = null
  for (const e of batch) {
    if (e.type === 'cluster.created') {
      // A new run starts with every link healthy.
      next = new Map()
      continue
    }
    if ((e.type !== 'link.fault' && e.type !== 'link.healed') || e.kind !== 'peer') continue
    next ??= new Map(faults)
    const key = linkKey(e.from, e.to)
    if (e.type === 'link.healed' || linkState(e.fault) === 'ok') next.delete(key)
    else next.set(key, { ...HEALTHY_LINK, ...e.fault })
  }
  return next ?? faults
}

/** Every unordered pair of nodes, lower id first, in a stable order. */
export function pairsOf(ids: readonly NodeId[]): Array<[NodeId, NodeId]> {
  const sorted = [...ids].sort((a, b) => a - b)
  const out: Array<[NodeId, NodeId]> = []
  for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) out.push([sorted[i]!, sorted[j]!])
  return out
}

/** How many of a node's outgoing and incoming peer links are cut (both: it is isolated). */
export function cutCount(faults: FaultMap, id: NodeId, peers: readonly NodeId[]): { out: number; in: number } {
  let out = 0
  let inn = 0
  for (const p of peers) {
    if (p === id) continue
    if ((faults.get(linkKey(id, p))?.cut ?? 'none') !== 'none') out++
    if ((faults.get(linkKey(p, id))?.cut ?? 'none') !== 'none') inn++
  }
  return { out, in: inn }
}

/** Groups for the split preset: the first majority of the nodes against the rest (3 + 2 for 5). */
export function majoritySplit(ids: readonly NodeId[]): NodeId[][] | null {
  if (ids.length < 3) return null
  const sorted = [...ids].sort((a, b) => a - b)
  const m = Math.floor(sorted.length / 2) + 1
  return [sorted.slice(0, m), sorted.slice(m)]
}
