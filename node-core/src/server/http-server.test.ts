import { request as httpRequest, Agent } from 'node:http'
import { createServer as createNetServer, type Server as NetServer } from 'node:net'
import { pino } from 'pino'
import { afterEach, describe, it, expect } from 'vitest'
import { parseClusterConf } from '../conf/cluster-conf'
import { CLUSTER_NODES_PATH, METRICS_PATH, type ClusterNodesResponse, type OperatorMetrics } from '../protocol/admin'
import { NODE_CORE_VERSION } from '../version'
import { coreRoutes, createNodeHttpServer, describeMembers, ListenError, type NodeHttpContext, type NodeHttpServer, type RouteTable } from './http-server'

const members = parseClusterConf('127.0.0.1:28848\n127.0.0.1:28849\n127.0.0.1:28850\n').members

/** A context whose logger keeps its lines in memory. */
function context(): { ctx: NodeHttpContext; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const logger = pino(
    { level: 'debug', formatters: { level: (label) => ({ level: label }) } },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) }
  )
  const self = members[1]
  if (!self) throw new Error('fixture')
  return { ctx: { members, self, logger, startedAt: 1_700_000_000_000, pid: 4321 }, lines }
}

const servers: NodeHttpServer[] = []
const blockers: NetServer[] = []

async function start(ctx: NodeHttpContext, routes?: RouteTable): Promise<{ base: string; http: NodeHttpServer }> {
  const http = createNodeHttpServer(ctx, routes)
  servers.push(http)
  const addr = await http.listen('127.0.0.1', 0)
  return { base: `http://127.0.0.1:${addr.port}`, http }
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(100)))
  await Promise.all(blockers.splice(0).map((b) => new Promise((r) => b.close(r))))
})

describe('node-core HTTP server', () => {
  it('answers operator/metrics with status UP, zero counts and real load figures', async () => {
    const { base } = await start(context().ctx)
    const res = await fetch(base + METRICS_PATH)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const body = (await res.json()) as OperatorMetrics
    expect(body).toMatchObject({ status: 'UP', serviceCount: 0, instanceCount: 0, responsibleServiceCount: 0, responsibleInstanceCount: 0 })
    expect(Object.keys(body).sort()).toEqual(
      ['cpu', 'instanceCount', 'load', 'mem', 'responsibleInstanceCount', 'responsibleServiceCount', 'serviceCount', 'status'].sort()
    )
    expect(body.mem).toBeGreaterThan(0)
    expect(body.load).toBeGreaterThanOrEqual(0)
    expect(body.cpu).toBeGreaterThanOrEqual(0)
  })

  it('lists every member in file order on cluster/nodes, with self UP', async () => {
    const { base } = await start(context().ctx)
    const res = await fetch(`${base}${CLUSTER_NODES_PATH}?namespaceId=`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as ClusterNodesResponse
    expect(body.code).toBe(200)
    expect(body.message).toBeNull()
    expect(body.data.map((m) => m.address)).toEqual(['127.0.0.1:28848', '127.0.0.1:28849', '127.0.0.1:28850'])
    expect(body.data[1]).toEqual({
      ip: '127.0.0.1',
      port: 28849,
      address: '127.0.0.1:28849',
      state: 'UP',
      failAccessCnt: 0,
      extendInfo: { raftPort: 27849, version: NODE_CORE_VERSION, self: true, pid: 4321, startedAt: 1_700_000_000_000 }
    })
    expect(body.data[0]).toEqual({
      ip: '127.0.0.1',
      port: 28848,
      address: '127.0.0.1:28848',
      state: 'STARTING',
      failAccessCnt: 0,
      extendInfo: { raftPort: 27848, version: NODE_CORE_VERSION, self: false }
    })
  })

  it('filters cluster/nodes by keyword, as Nacos does', async () => {
    const { base } = await start(context().ctx)
    const body = (await (await fetch(`${base}${CLUSTER_NODES_PATH}?keyword=28850`)).json()) as ClusterNodesResponse
    expect(body.data.map((m) => m.address)).toEqual(['127.0.0.1:28850'])
  })

  it('uses this process pid when none is given', () => {
    const { ctx } = context()
    delete ctx.pid
    expect(describeMembers(ctx).find((m) => m.extendInfo.self)?.extendInfo.pid).toBe(process.pid)
  })

  it('answers 404 with a plain text body naming the path', async () => {
    const { base } = await start(context().ctx)
    const res = await fetch(`${base}/nacos/v1/nope?x=1`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await res.text()).toBe('no such path: /nacos/v1/nope\n')
  })

  it('answers 405 with Allow for a wrong method on a known path', async () => {
    const { base } = await start(context().ctx)
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(base + METRICS_PATH, { method })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, HEAD')
      expect(await res.text()).toContain(`method ${method} not allowed on ${METRICS_PATH}`)
    }
  })

  it('answers HEAD on GET routes without a body', async () => {
    const { base } = await start(context().ctx)
    const res = await fetch(base + METRICS_PATH, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0)
    expect(await res.text()).toBe('')
  })

  it('turns a throwing handler into a 500, logs it, and keeps serving', async () => {
    const { ctx, lines } = context()
    const routes = coreRoutes(ctx)
    routes.set('/sync-boom', {
      GET: () => {
        throw new Error('sync boom')
      }
    })
    routes.set('/async-boom', { GET: () => Promise.reject(new Error('async boom')) })
    const { base } = await start(ctx, routes)
    for (const [path, message] of [
      ['/sync-boom', 'sync boom'],
      ['/async-boom', 'async boom']
    ] as const) {
      const res = await fetch(base + path)
      expect(res.status).toBe(500)
      expect(await res.text()).toBe(`internal error: ${message}\n`)
    }
    expect((await fetch(base + METRICS_PATH)).status).toBe(200)
    const errors = lines.filter((l) => l.level === 'error')
    expect(errors).toHaveLength(2)
    expect(errors[0]).toMatchObject({ msg: 'http handler failed', method: 'GET', path: '/sync-boom', err: { message: 'sync boom' } })
  })

  it('logs each request at debug level', async () => {
    const { ctx, lines } = context()
    const { base } = await start(ctx)
    await (await fetch(`${base}${METRICS_PATH}?onlyStatus=true`)).text()
    await (await fetch(`${base}/missing`)).text()
    const requests = lines.filter((l) => l.msg === 'http request')
    expect(requests).toHaveLength(2)
    expect(requests[0]).toMatchObject({ level: 'debug', method: 'GET', url: `${METRICS_PATH}?onlyStatus=true`, status: 200 })
    expect(requests[1]).toMatchObject({ level: 'debug', url: '/missing', status: 404 })
    expect(typeof requests[0]?.ms).toBe('number')
    expect(lines.filter((l) => l.level === 'info')).toEqual([])
  })

  it('fails to listen on a taken port with LISTEN_FAILED naming address and port', async () => {
    const blocker = createNetServer()
    blockers.push(blocker)
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, r))
    const port = (blocker.address() as { port: number }).port
    const http = createNodeHttpServer(context().ctx)
    servers.push(http)
    const err = await http.listen('127.0.0.1', port).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ListenError)
    const le = err as ListenError
    expect(le.code).toBe('LISTEN_FAILED')
    expect(le.errno).toBe('EADDRINUSE')
    expect(le.host).toBe('127.0.0.1')
    expect(le.port).toBe(port)
    expect(le.message).toBe(`cannot listen on 127.0.0.1:${port}: address already in use (another node-core or program holds this port)`)
  })

  it('closes promptly with an idle keep-alive connection open, and idempotently', async () => {
    const { base, http } = await start(context().ctx)
    const agent = new Agent({ keepAlive: true })
    await new Promise<void>((resolve, reject) => {
      httpRequest(base + METRICS_PATH, { agent }, (res) => {
        res.resume()
        res.on('end', resolve)
      })
        .on('error', reject)
        .end()
    })
    const t0 = Date.now()
    const a = http.close(10_000)
    expect(http.close()).toBe(a)
    await a
    expect(Date.now() - t0).toBeLessThan(2_000)
    expect(http.server.listening).toBe(false)
    agent.destroy()
  })

  it('cuts a request still running once the grace period is over', async () => {
    const { ctx } = context()
    const routes = coreRoutes(ctx)
    routes.set('/hang', { GET: () => new Promise(() => {}) })
    const { base, http } = await start(ctx, routes)
    const arrived = new Promise((r) => http.server.once('request', r))
    const pending = fetch(base + '/hang').then(
      () => 'answered',
      () => 'cut'
    )
    await arrived
    const t0 = Date.now()
    await http.close(150)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100)
    expect(await pending).toBe('cut')
  })

  it('closes a server that never listened', async () => {
    const http = createNodeHttpServer(context().ctx)
    await expect(http.close()).resolves.toBeUndefined()
  })
})
