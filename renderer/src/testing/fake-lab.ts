/**
 * Test doubles for the LabApi: a small in-memory "engine" whose methods are `vi.fn`s (so
 * tests can assert calls and override answers) and a way to push event batches.
 * Test-only: imported by *.test.ts files, never by app code.
 */
import { vi } from 'vitest'
import {
  fail,
  LAB_METHODS,
  ok,
  type LabMethod,
  type ClusterInfo,
  type LabApi,
  type LabErrorCode,
  type LabEvent,
  type LabEventBody,
  type NodeInfo,
  type Result
} from '../../../electron/lab/api'

export const BASE_HTTP_PORT = 18848

export function makeNode(id: number, overrides: Partial<NodeInfo> = {}): NodeInfo {
  const httpPort = BASE_HTTP_PORT + (id - 1) * 10
  return {
    id,
    address: `127.0.0.1:${httpPort}`,
    host: '127.0.0.1',
    httpPort,
    raftPort: httpPort - 1000,
    home: `/tmp/lab/run-1/node-${id}`,
    pid: null,
    state: 'stopped',
    startedAt: null,
    lastExit: null,
    ...overrides
  }
}

export function makeCluster(size: number, overrides: Partial<ClusterInfo> = {}): ClusterInfo {
  return {
    runId: 'run-1',
    dataDir: '/tmp/lab/run-1',
    size,
    state: 'created',
    settings: { profile: 'seed', preVote: true, checkQuorum: true },
    nodes: Array.from({ length: size }, (_, i) => makeNode(i + 1)),
    ...overrides
  }
}

/** A cluster whose every node is up (as `cluster.start` answers). */
export function runningCluster(size: number, startedAt = 1_000, runId = 'run-1'): ClusterInfo {
  return makeCluster(size, {
    runId,
    state: 'running',
    nodes: Array.from({ length: size }, (_, i) =>
      makeNode(i + 1, { state: 'up', pid: 4000 + i + 1, startedAt })
    )
  })
}

let seq = 0
/** Stamp event bodies the way the engine's bus does. */
export function stamp(body: LabEventBody, ts = Date.now()): LabEvent {
  return { ...body, seq: ++seq, ts } as LabEvent
}

export interface FakeLab {
  api: LabApi
  /** The engine's current cluster. */
  cluster: ClusterInfo | null
  /** Push one batch to every subscriber (bodies are stamped with Date.now()). */
  emit(...events: Array<LabEvent | LabEventBody>): void
  subscriberCount(): number
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

export function createFakeLab(initial: ClusterInfo | null = null): FakeLab {
  const listeners = new Set<(events: LabEvent[]) => void>()
  const lab: FakeLab = {
    cluster: initial ? clone(initial) : null,
    api: undefined as unknown as LabApi,
    emit(...events) {
      const batch = events.map((e) => ('seq' in e ? e : stamp(e)))
      for (const l of [...listeners]) l(batch)
    },
    subscriberCount: () => listeners.size
  }
  const needCluster = <T>(f: (c: ClusterInfo) => Result<T>): Promise<Result<T>> =>
    Promise.resolve(lab.cluster ? f(lab.cluster) : fail('NO_CLUSTER', 'no cluster'))
  const nodeOp = (nodeId: number, f: (n: NodeInfo) => void): Promise<Result<NodeInfo>> =>
    needCluster((c) => {
      const node = c.nodes.find((n) => n.id === nodeId)
      if (!node) return fail('NODE_NOT_FOUND', `no node ${nodeId}`)
      f(node)
      return ok(clone(node))
    })

  const explicit = {
    lab: {
      info: vi.fn(() =>
        Promise.resolve(
          ok({ version: '0.1.0', host: 'web' as const, platform: 'linux', nodeVersion: 'v20.20.2', dataRoot: '/tmp/lab', clusterDefaults: { size: 3, profile: 'seed' as const, preVote: true, checkQuorum: true } })
        )
      )
    },
    cluster: {
      get: vi.fn(() => Promise.resolve(ok(lab.cluster ? clone(lab.cluster) : null))),
      create: vi.fn(({ size }: { size: number }) => {
        lab.cluster = makeCluster(size, { runId: `run-${size}-${++seq}` })
        return Promise.resolve(ok(clone(lab.cluster)))
      }),
      start: vi.fn(() =>
        needCluster((c) => {
          c.state = 'running'
          c.nodes.forEach((n, i) => Object.assign(n, { state: 'up', pid: 5000 + i, startedAt: Date.now() }))
          return ok(clone(c))
        })
      ),
      stop: vi.fn(() =>
        needCluster((c) => {
          c.state = 'stopped'
          c.nodes.forEach((n) => {
            if (n.pid !== null) n.lastExit = { code: 0, signal: null, at: Date.now(), expected: true }
            Object.assign(n, { state: 'stopped', pid: null })
          })
          return ok(clone(c))
        })
      )
    },
    node: {
      crash: vi.fn(({ nodeId }: { nodeId: number }) =>
        nodeOp(nodeId, (n) => {
          n.lastExit = { code: null, signal: 'SIGKILL', at: Date.now(), expected: false }
          Object.assign(n, { state: 'down', pid: null })
        })
      ),
      restart: vi.fn(({ nodeId }: { nodeId: number }) =>
        nodeOp(nodeId, (n) => Object.assign(n, { state: 'starting', pid: 6000 + nodeId, startedAt: Date.now() }))
      )
    },
    onEvents: vi.fn((listener: (events: LabEvent[]) => void) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    })
  }
  // Every other method of the contract answers an empty, valid value (tests override as needed).
  const empty: Partial<Record<LabMethod, unknown>> = {
    'cluster.status': [],
    'link.list': [],
    'link.set': [],
    'link.heal': [],
    'link.healAll': [],
    'link.preset': [],
    'link.client': [],
    'metrics.get': [],
    'alerts.get': [],
    'alerts.configure': [],
    'logs.query': { lines: [], total: 0, evicted: 0 },
    'node.log': { firstIndex: 1, lastIndex: 0, commit: 0, applied: 0, entries: [] },
    'node.data': { applied: 0, instances: [], configs: [] }
  }
  const api = explicit as unknown as Record<string, Record<string, unknown>>
  for (const method of LAB_METHODS) {
    const [group, name] = method.split('.') as [string, string]
    api[group] ??= {}
    if (api[group][name]) continue
    api[group][name] = vi.fn(() => Promise.resolve(method in empty ? ok(empty[method]) : fail('UNKNOWN_METHOD', `fake lab: ${method} is not faked`)))
  }
  lab.api = explicit as unknown as LabApi
  return lab
}

/** A failed Result, for `mockResolvedValueOnce`. */
export function failed(code: LabErrorCode, message = `fake ${code}`): Result<never> {
  return fail(code, message)
}
