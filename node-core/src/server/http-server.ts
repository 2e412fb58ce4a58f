/**
 * node-core's HTTP API on node:http (no framework: one less dependency to bundle and audit).
 *
 * Today it answers the two endpoints that say whether a node is up and who its members are;
 * the Nacos naming/config API and the lab's admin endpoints join the same route table later.
 * Unknown paths get 404, known paths with the wrong method 405 with `Allow`, and a handler
 * that throws gets a 500: a bad request must never take the process down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { Logger } from 'pino'
import type { ClusterConfMember } from '../conf/cluster-conf'
import { URI_NOT_FOUND } from '../observe/metrics'
import { ProcessMeter } from '../observe/process-metrics'
import {
  CLUSTER_NODES_PATH,
  METRICS_PATH,
  raftPortFor,
  type ClusterMember,
  type ClusterNodesResponse,
  type OperatorMetrics
} from '../protocol/admin'
import { NODE_CORE_VERSION } from '../version'
import { Authenticator } from './auth'
import { BodyTooLargeError, readParams } from './request-params'

/** HTTP methods node-core routes on (HEAD is answered by every GET route). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** What a handler answers: JSON (serialised for it) or plain text. */
export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string; headers?: Record<string, string> }
  /** JSON already serialized (a cached body). */
  | { status: number; jsonText: string; headers?: Record<string, string> }

/** Handles one request on a known path; may throw (→ 500). */
export type Handler = (req: IncomingMessage, url: URL) => Reply | Promise<Reply>

/** Path → method → handler. Paths match exactly, without the query string. */
export type RouteTable = Map<string, Partial<Record<HttpMethod, Handler>>>

/** The server could not bind its address. */
export class ListenError extends Error {
  override readonly name = 'ListenError'
  readonly code = 'LISTEN_FAILED' as const
  readonly host: string
  readonly port: number
  /** The OS error code (`EADDRINUSE`, `EACCES`, ...), when there was one. */
  readonly errno: string | undefined

  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const why =
      cause.code === 'EADDRINUSE'
        ? 'address already in use (another node-core or program holds this port)'
        : cause.code === 'EADDRNOTAVAIL'
          ? 'address not available on this host (check server.address)'
          : cause.code === 'EACCES'
            ? 'permission denied'
            : cause.code === 'ENOTFOUND'
              ? 'host not found (check server.address)'
              : cause.message
    super(`cannot listen on ${hostPort(host, port)}: ${why}`, { cause })
    this.host = host
    this.port = port
    this.errno = cause.code
  }
}

/** What the built-in routes need to know about this node. */
export interface NodeHttpContext {
  /** cluster.conf members, in file order. */
  members: readonly ClusterConfMember[]
  self: ClusterConfMember
  /** Main logger (nacos.log): request lines at debug, failures at error. */
  logger: Logger
  /** Wall-clock ms when the process started serving. */
  startedAt: number
  pid?: number
  meter?: ProcessMeter
}

/** Cross-cutting request concerns: metrics and authentication. */
export interface HttpHooks {
  /** Every finished request: `uri` is the matched route path (never the raw URL). */
  observe?: (method: string, uri: string, status: number, seconds: number) => void
  /** When enabled, requests to guarded paths (Authenticator.guards) need credentials (403 otherwise). */
  auth?: Authenticator
}

/** A node's HTTP server, not yet listening. */
export interface NodeHttpServer {
  readonly server: Server
  /** Bind and listen. Rejects with {@link ListenError}. */
  listen(host: string, port: number): Promise<AddressInfo>
  /**
   * Stop accepting, close idle keep-alive connections now and busy ones after `graceMs`.
   * Resolves when every connection is gone. Idempotent.
   */
  close(graceMs?: number): Promise<void>
}

/** Create the HTTP server with node-core's routes. */
export function createNodeHttpServer(ctx: NodeHttpContext, routes: RouteTable = coreRoutes(ctx), hooks: HttpHooks = {}): NodeHttpServer {
  const { logger } = ctx
  const server = createServer((req, res) => {
    handleRequest(routes, logger, req, res, hooks).catch((err: unknown) => {
      // Only reached if writing the reply itself failed: nothing more to tell the client.
      logger.error({ err }, 'http reply failed')
      res.destroy()
    })
  })

  let closing: Promise<void> | undefined
  return {
    server,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void => {
          server.off('listening', onListening)
          reject(new ListenError(host, port, err))
        }
        const onListening = (): void => {
          server.off('error', onError)
          server.on('error', (err) => logger.error({ err }, 'http server error'))
          resolve(server.address() as AddressInfo)
        }
        server.once('error', onError)
        server.once('listening', onListening)
        server.listen({ host, port, exclusive: true })
      })
    },
    close(graceMs = 2_000) {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve()
          return
        }
        const force = setTimeout(() => server.closeAllConnections(), graceMs)
        force.unref()
        server.close(() => {
          clearTimeout(force)
          resolve()
        })
        // Idle keep-alive sockets would otherwise hold close() open until they time out.
        server.closeIdleConnections()
      })
      return closing
    }
  }
}

/** The routes every node serves. */
export function coreRoutes(ctx: NodeHttpContext): RouteTable {
  const meter = ctx.meter ?? new ProcessMeter()
  return new Map<string, Partial<Record<HttpMethod, Handler>>>([
    [METRICS_PATH, { GET: () => ({ status: 200, json: operatorMetrics(meter) }) }],
    [
      CLUSTER_NODES_PATH,
      {
        GET: (_req, url) => {
          const keyword = url.searchParams.get('keyword') ?? ''
          const data = describeMembers(ctx).filter((m) => keyword === '' || m.address.includes(keyword))
          const body: ClusterNodesResponse = { code: 200, message: null, data }
          return { status: 200, json: body }
        }
      }
    ]
  ])
}

/** `GET /nacos/v1/ns/operator/metrics`. Counts are 0 until the naming state machine exists. */
export function operatorMetrics(meter: ProcessMeter): OperatorMetrics {
  const s = meter.sample()
  return {
    status: 'UP',
    serviceCount: 0,
    instanceCount: 0,
    responsibleServiceCount: 0,
    responsibleInstanceCount: 0,
    load: s.load,
    cpu: s.cpu,
    mem: s.mem
  }
}

/** Every member of cluster.conf in file order, as `GET /nacos/v1/core/cluster/nodes` shows it. */
export function describeMembers(ctx: Pick<NodeHttpContext, 'members' | 'self' | 'startedAt' | 'pid'>): ClusterMember[] {
  return ctx.members.map((m) => {
    const self = m.address === ctx.self.address
    const member: ClusterMember = {
      ip: m.ip,
      port: m.port,
      address: m.address,
      // Only self is known to be up. The Raft transport (a later issue) will set peers to
      // UP / SUSPICIOUS / DOWN from contact and count failAccessCnt.
      state: self ? 'UP' : 'STARTING',
      failAccessCnt: 0,
      extendInfo: { raftPort: raftPortFor(m.port), version: NODE_CORE_VERSION, self }
    }
    if (self) {
      member.extendInfo.pid = ctx.pid ?? process.pid
      member.extendInfo.startedAt = ctx.startedAt
    }
    return member
  })
}

async function handleRequest(routes: RouteTable, logger: Logger, req: IncomingMessage, res: ServerResponse, hooks: HttpHooks = {}): Promise<void> {
  const t0 = performance.now()
  const method = req.method ?? 'GET'
  const rawUrl = req.url ?? '/'
  let uri = URI_NOT_FOUND
  res.once('finish', () => {
    const ms = performance.now() - t0
    // Guarded: the fields object would be built for every request even with debug off.
    if (logger.isLevelEnabled('debug')) logger.debug({ method, url: rawUrl, status: res.statusCode, ms: round1(ms) }, 'http request')
    try {
      hooks.observe?.(method, uri, res.statusCode, ms / 1000)
    } catch (err) {
      logger.warn({ err }, 'http metrics hook failed')
    }
  })

  let url: URL
  try {
    url = new URL(rawUrl, 'http://node-core')
  } catch {
    send(res, method, { status: 400, text: 'bad request: unparsable URL\n' })
    return
  }

  const route = routes.get(url.pathname)
  if (!route) {
    send(res, method, { status: 404, text: `no such path: ${clip(url.pathname)}\n` })
    return
  }
  uri = url.pathname
  const handler = method === 'HEAD' ? route.GET : route[method as HttpMethod]
  if (!handler) {
    const allow = allowedMethods(route)
    send(res, method, {
      status: 405,
      text: `method ${clip(method)} not allowed on ${url.pathname}; allowed: ${allow}\n`,
      headers: { Allow: allow }
    })
    return
  }

  if (hooks.auth?.enabled && Authenticator.guards(url.pathname)) {
    let params: Map<string, string>
    try {
      // Reads (and caches) a form body: the SDK may send its credentials there.
      params = await readParams(req, url)
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err
      send(res, method, { status: 413, text: `${err.message}\n` })
      return
    }
    const who = hooks.auth.authenticate(req, params)
    if (!who.ok) {
      send(res, method, { status: 403, text: `authorization failed: ${who.message}\n` })
      return
    }
  }

  let reply: Reply
  try {
    reply = await handler(req, url)
  } catch (err) {
    logger.error({ err, method, path: url.pathname }, 'http handler failed')
    reply = { status: 500, text: `internal error: ${err instanceof Error ? err.message : String(err)}\n` }
  }
  send(res, method, reply)
}

function allowedMethods(route: Partial<Record<HttpMethod, Handler>>): string {
  const methods = Object.keys(route) as HttpMethod[]
  return (route.GET ? [...methods, 'HEAD'] : methods).join(', ')
}

function send(res: ServerResponse, method: string, reply: Reply): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const isJson = !('text' in reply)
  const body = 'json' in reply ? JSON.stringify(reply.json) : 'jsonText' in reply ? reply.jsonText : reply.text
  res.writeHead(reply.status, {
    'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    ...reply.headers
  })
  res.end(method === 'HEAD' ? undefined : body)
}

/** Echo request text in replies only in short form. */
function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10
}

/** `host:port`, with brackets for IPv6 literals. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
