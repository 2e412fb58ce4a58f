/**
 * LabApi: the one contract between every host (Electron IPC, the web-mode WebSocket bridge,
 * the CLI) and the lab engine.
 *
 * This module is pure on purpose: the sandboxed preload and the renderer bundle it, so it
 * imports nothing (no `node:*`, no `electron`, no DOM). Every method takes one JSON payload
 * and answers a `Result`, because only plain data survives IPC and WebSocket framing and a
 * thrown error would lose its `code` on the way.
 */

/** Node ids start at 1; 0 means none (as in etcd-io/raft). */
export type NodeId = number

/** What the lab knows of a node's process (not its Raft role). */
export type NodeRunState = 'stopped' | 'starting' | 'up' | 'stopping' | 'down'

export type ClusterState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped'

export interface NodeExit {
  code: number | null
  signal: string | null
  /** Wall-clock ms of the exit. */
  at: number
  /** True when the lab asked for it (stop), false for a crash or an unexpected death. */
  expected: boolean
}

export interface NodeInfo {
  id: NodeId
  /** Member address as cluster.conf names it: `ip:port` of the HTTP API. */
  address: string
  host: string
  httpPort: number
  /** Raft peer port: HTTP port − 1000, as in Nacos 2.x. */
  raftPort: number
  /** The node's home: conf/, data/, logs/ live under it. */
  home: string
  pid: number | null
  state: NodeRunState
  startedAt: number | null
  lastExit: NodeExit | null
}

export interface ClusterInfo {
  /** One id per lab run; names the run's directory. */
  runId: string
  dataDir: string
  size: number
  state: ClusterState
  nodes: NodeInfo[]
}

export interface LabInfo {
  version: string
  /** 'electron' | 'web' | 'cli' */
  host: LabHost
  platform: string
  nodeVersion: string
  dataRoot: string
}

export type LabHost = 'electron' | 'web' | 'cli'

export type LabErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_METHOD'
  | 'NO_CLUSTER'
  | 'CLUSTER_BUSY'
  | 'NODE_NOT_FOUND'
  | 'NODE_NOT_RUNNING'
  | 'SPAWN_FAILED'
  | 'TIMEOUT'
  | 'UNAUTHORIZED'
  | 'DISCONNECTED'
  | 'INTERNAL'

export interface LabError {
  code: LabErrorCode
  message: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: LabError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = <T = never>(code: LabErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message }
})

/** Every event carries the bus's sequence number and the wall-clock ms it was published. */
export interface EventStamp {
  seq: number
  ts: number
}

export type LabEventBody =
  | { type: 'cluster.created'; cluster: ClusterInfo }
  | { type: 'cluster.state'; state: ClusterState }
  | { type: 'node.spawned'; nodeId: NodeId; pid: number }
  | { type: 'node.ready'; nodeId: NodeId; pid: number; readyMs: number }
  | {
      type: 'node.exited'
      nodeId: NodeId
      pid: number
      code: number | null
      signal: string | null
      expected: boolean
    }
  | { type: 'fault.injected'; kind: 'crash'; nodeId: NodeId }
  | { type: 'node.output'; nodeId: NodeId; stream: 'stdout' | 'stderr'; text: string }
  /** Published to a subscriber whose queue overflowed: how many events it missed. */
  | { type: 'events.dropped'; count: number }

export type LabEvent = EventStamp & LabEventBody
export type LabEventType = LabEventBody['type']

export interface CreateClusterRequest {
  /** 1–9 nodes. 2 is allowed on purpose: it shows why two nodes cannot survive one failure. */
  size: number
}

export interface NodeRequest {
  nodeId: NodeId
}

/** Request payload and answer of every LabApi method, keyed by its wire name. */
export interface LabMethodMap {
  'lab.info': { req: undefined; res: LabInfo }
  'cluster.get': { req: undefined; res: ClusterInfo | null }
  'cluster.create': { req: CreateClusterRequest; res: ClusterInfo }
  'cluster.start': { req: undefined; res: ClusterInfo }
  'cluster.stop': { req: undefined; res: ClusterInfo }
  'node.crash': { req: NodeRequest; res: NodeInfo }
  'node.restart': { req: NodeRequest; res: NodeInfo }
}

export type LabMethod = keyof LabMethodMap
export type LabRequest<M extends LabMethod> = LabMethodMap[M]['req']
export type LabResponse<M extends LabMethod> = LabMethodMap[M]['res']

type Call<M extends LabMethod> =
  LabRequest<M> extends undefined
    ? () => Promise<Result<LabResponse<M>>>
    : (req: LabRequest<M>) => Promise<Result<LabResponse<M>>>

/** The API as the renderer sees it on `window.lab`: one async function per method. */
export interface LabApi {
  lab: { info: Call<'lab.info'> }
  cluster: {
    get: Call<'cluster.get'>
    create: Call<'cluster.create'>
    start: Call<'cluster.start'>
    stop: Call<'cluster.stop'>
  }
  node: {
    crash: Call<'node.crash'>
    restart: Call<'node.restart'>
  }
  /** Events arrive in batches (about every 50 ms). Returns the unsubscribe function. */
  onEvents(listener: (events: LabEvent[]) => void): () => void
}

/** What a host implements: a single dispatch point for already-validated payloads. */
export type LabHandler = <M extends LabMethod>(
  method: M,
  req: LabRequest<M>
) => Promise<Result<LabResponse<M>>>

export const MIN_CLUSTER_SIZE = 1
export const MAX_CLUSTER_SIZE = 9

type Validator<M extends LabMethod> = (payload: unknown) => Result<LabRequest<M>>

const noPayload: Validator<never> = (payload) =>
  payload === undefined || payload === null
    ? ok(undefined as never)
    : fail('INVALID_ARGUMENT', 'this method takes no payload')

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function intField(
  payload: unknown,
  field: string,
  min: number,
  max: number
): Result<number> {
  if (!isRecord(payload)) return fail('INVALID_ARGUMENT', `payload must be an object with "${field}"`)
  const unknown = Object.keys(payload).filter((k) => k !== field)
  if (unknown.length > 0) return fail('INVALID_ARGUMENT', `unknown field "${unknown[0]}"`)
  const v = payload[field]
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return fail('INVALID_ARGUMENT', `"${field}" must be an integer from ${min} to ${max}`)
  }
  return ok(v)
}

const nodeRequest = (payload: unknown): Result<NodeRequest> => {
  const r = intField(payload, 'nodeId', 1, MAX_CLUSTER_SIZE)
  return r.ok ? ok({ nodeId: r.value }) : r
}

/**
 * Payload validators, one per method. Hosts must run the matching validator on every payload
 * that crosses a process boundary before they dispatch it.
 */
export const labValidators: { [M in LabMethod]: Validator<M> } = {
  'lab.info': noPayload,
  'cluster.get': noPayload,
  'cluster.create': (payload) => {
    const r = intField(payload, 'size', MIN_CLUSTER_SIZE, MAX_CLUSTER_SIZE)
    return r.ok ? ok({ size: r.value }) : r
  },
  'cluster.start': noPayload,
  'cluster.stop': noPayload,
  'node.crash': nodeRequest,
  'node.restart': nodeRequest
}

export const LAB_METHODS = Object.keys(labValidators) as LabMethod[]

export function isLabMethod(name: unknown): name is LabMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(labValidators, name)
}

/** Validate an untrusted (method, payload) pair and dispatch it; never throws. */
export async function dispatchLab(
  handler: LabHandler,
  method: unknown,
  payload: unknown
): Promise<Result<unknown>> {
  if (!isLabMethod(method)) return fail('UNKNOWN_METHOD', `unknown method "${String(method)}"`)
  const valid = (labValidators[method] as Validator<LabMethod>)(payload)
  if (!valid.ok) return fail('INVALID_ARGUMENT', `${method}: ${valid.error.message}`)
  try {
    return await handler(method, valid.value)
  } catch (err) {
    return fail('INTERNAL', `${method}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** The IPC channel that carries a method call (`lab:cluster.create`, ...). */
export const channelFor = (method: LabMethod): string => `lab:${method}`
/** Main → renderer: batches of LabEvent. */
export const EVENT_CHANNEL = 'lab:events'

/**
 * Build the `LabApi` object from a transport. Preload (over ipcRenderer) and the web bridge
 * client (over a WebSocket) both use this, so the object shape cannot drift between hosts.
 */
export function buildLabApi(
  invoke: (method: LabMethod, payload: unknown) => Promise<Result<unknown>>,
  onEvents: (listener: (events: LabEvent[]) => void) => () => void
): LabApi {
  const call =
    <M extends LabMethod>(method: M) =>
    (req?: LabRequest<M>) =>
      invoke(method, req) as Promise<Result<LabResponse<M>>>
  return {
    lab: { info: call('lab.info') as Call<'lab.info'> },
    cluster: {
      get: call('cluster.get') as Call<'cluster.get'>,
      create: call('cluster.create') as Call<'cluster.create'>,
      start: call('cluster.start') as Call<'cluster.start'>,
      stop: call('cluster.stop') as Call<'cluster.stop'>
    },
    node: {
      crash: call('node.crash') as Call<'node.crash'>,
      restart: call('node.restart') as Call<'node.restart'>
    },
    onEvents
  }
}
