/**
 * Compare the copies of the registry and the configs that each node holds (`node.data`) and
 * mark where they diverge. Pure.
 *
 * A row is one instance (namespace / service / cluster / ip:port) or one config (namespace /
 * group / dataId). Each node's cell is missing, or carries a signature: the healthy flag for
 * an instance, the md5 for a config. The reference is the signature most nodes have (a tie
 * goes to the node with the highest applied index: the freshest copy); a cell that differs
 * from it is divergent. Nodes that never answered take no part; a node that stopped
 * answering is compared by its last copy, which is exactly what it would serve.
 */
import type { ConfigView, DataView, InstanceView, NodeId } from '../../../electron/lab/api'

export type DataRowKind = 'config' | 'instance'

export interface NodeCopy {
  nodeId: NodeId
  /** The node's last answer; null when it never answered. */
  data: DataView | null
}

export interface DiffCell {
  present: boolean
  /** For people: "healthy"/"unhealthy" or the md5; '' when missing. */
  signature: string
  divergent: boolean
  config?: ConfigView
  instance?: InstanceView
}

export interface DiffRow {
  kind: DataRowKind
  key: string
  /** Display parts of the key, e.g. [namespace, group, dataId]. */
  parts: string[]
  cells: Map<NodeId, DiffCell>
  divergent: boolean
}

export interface DataDiff {
  configs: DiffRow[]
  instances: DiffRow[]
  /** Rows divergent on each node. */
  divergentByNode: Map<NodeId, number>
}

export function configKey(c: Pick<ConfigView, 'namespace' | 'group' | 'dataId'>): string {
  return `${c.namespace}\u0000${c.group}\u0000${c.dataId}`
}

export function instanceKey(i: Pick<InstanceView, 'namespace' | 'service' | 'cluster' | 'ip' | 'port'>): string {
  return `${i.namespace}\u0000${i.service}\u0000${i.cluster}\u0000${i.ip}:${i.port}`
}

const MISSING = '\u0000missing'

interface Entry<T> {
  parts: string[]
  byNode: Map<NodeId, T>
}

function collect<T>(copies: readonly NodeCopy[], list: (d: DataView) => readonly T[], key: (t: T) => string, parts: (t: T) => string[]): Map<string, Entry<T>> {
  const out = new Map<string, Entry<T>>()
  for (const copy of copies) {
    if (!copy.data) continue
    for (const item of list(copy.data)) {
      const k = key(item)
      let e = out.get(k)
      if (!e) out.set(k, (e = { parts: parts(item), byNode: new Map() }))
      e.byNode.set(copy.nodeId, item)
    }
  }
  return out
}

function buildRows<T>(
  kind: DataRowKind,
  entries: Map<string, Entry<T>>,
  answered: readonly NodeCopy[],
  signature: (t: T) => string,
  attach: (cell: DiffCell, t: T) => void
): DiffRow[] {
  const rows: DiffRow[] = []
  for (const [key, e] of entries) {
    const sigs = new Map<NodeId, string>()
    const counts = new Map<string, number>()
    for (const copy of answered) {
      const item = e.byNode.get(copy.nodeId)
      const sig = item === undefined ? MISSING : signature(item)
      sigs.set(copy.nodeId, sig)
      counts.set(sig, (counts.get(sig) ?? 0) + 1)
    }
    // Majority; on a tie, the freshest node's (answered is sorted by applied, highest first).
    let reference = MISSING
    let best = -1
    for (const copy of answered) {
      const sig = sigs.get(copy.nodeId)!
      const n = counts.get(sig)!
      if (n > best) {
        best = n
        reference = sig
      }
    }
    const cells = new Map<NodeId, DiffCell>()
    let divergent = false
    for (const copy of answered) {
      const sig = sigs.get(copy.nodeId)!
      const item = e.byNode.get(copy.nodeId)
      const cell: DiffCell = { present: item !== undefined, signature: item === undefined ? '' : sig, divergent: sig !== reference }
      if (item !== undefined) attach(cell, item)
      if (cell.divergent) divergent = true
      cells.set(copy.nodeId, cell)
    }
    rows.push({ kind, key, parts: e.parts, cells, divergent })
  }
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return rows
}

export function diffData(copies: readonly NodeCopy[]): DataDiff {
  const answered = copies.filter((c) => c.data !== null).sort((a, b) => b.data!.applied - a.data!.applied || a.nodeId - b.nodeId)
  const configs = buildRows(
    'config',
    collect(answered, (d) => d.configs, configKey, (c) => [c.namespace, c.group, c.dataId]),
    answered,
    (c) => c.md5,
    (cell, c) => (cell.config = c)
  )
  const instances = buildRows(
    'instance',
    collect(answered, (d) => d.instances, instanceKey, (i) => [i.namespace, i.service, i.cluster, `${i.ip}:${i.port}`]),
    answered,
    (i) => (i.healthy ? 'healthy' : 'unhealthy'),
    (cell, i) => (cell.instance = i)
  )
  const divergentByNode = new Map<NodeId, number>()
  for (const row of [...configs, ...instances]) {
    for (const [id, cell] of row.cells) if (cell.divergent) divergentByNode.set(id, (divergentByNode.get(id) ?? 0) + 1)
  }
  return { configs, instances, divergentByNode }
}

/** Rows whose key parts contain `text` (case-insensitive), divergent ones only when asked. */
export function filterDiffRows(rows: readonly DiffRow[], text: string, divergentOnly: boolean): DiffRow[] {
  const needle = text.trim().toLowerCase()
  return rows.filter((r) => (!divergentOnly || r.divergent) && (needle === '' || r.parts.some((p) => p.toLowerCase().includes(needle))))
}
