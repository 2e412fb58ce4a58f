/**
 * Messages between the lab and its proxy host process. The proxies run in their own process
 * so that nothing the lab does (a busy workload, a report being rendered, a GC pause of the
 * Electron main process) can delay a heartbeat and cause an election nobody asked for.
 */
import type { LinkFault, LinkInfo, NodeId } from '../api'
import type { LinkEvent, ProxiedNode } from './proxy-set'
import type { DirectedLink } from './topology'

export interface HostCalls {
  addNodes: { args: [ProxiedNode[]]; result: Record<NodeId, string> }
  removeNode: { args: [NodeId]; result: null }
  setLink: { args: [NodeId, NodeId, Partial<LinkFault>]; result: null }
  setClientLink: { args: [NodeId, Partial<LinkFault>]; result: null }
  cut: { args: [DirectedLink[], 'blackhole' | 'reset']; result: null }
  heal: { args: [NodeId, NodeId]; result: null }
  healAll: { args: []; result: null }
  links: { args: []; result: LinkInfo[] }
  close: { args: []; result: null }
}

export type HostMethod = keyof HostCalls

export type ToHost = { id: number; method: HostMethod; args: unknown[] }

export type FromHost =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'event'; event: LinkEvent }
  | { type: 'problem'; what: string }
