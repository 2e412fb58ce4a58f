import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { parseApplicationProperties } from '../conf/application-properties'
import { parseClusterConf } from '../conf/cluster-conf'
import { readParams } from './request-params'
import { Authenticator, authRoutes, authSettings, parseUsers, type AuthSettings } from './auth'
import { createNodeHttpServer, type NodeHttpServer, type RouteTable } from './http-server'

const props = (text: string) => parseApplicationProperties(text, { file: '/h/conf/application.properties' })
const settings = (over: Partial<AuthSettings> = {}): AuthSettings => ({
  enabled: true,
  secret: 'k',
  tokenTtlSeconds: 100,
  users: new Map([['alice', 'pw:1']]),
  defaultUsers: false,
  ...over
})

describe('authSettings', () => {
  it('is off by default with Nacos defaults (nacos:nacos, 18000 s) and the cluster secret as key', () => {
    const s = authSettings(props(''), 'cluster')
    expect(s).toMatchObject({ enabled: false, tokenTtlSeconds: 18_000, defaultUsers: true })
    expect([...s.users]).toEqual([['nacos', 'nacos']])
    expect(s.secret).toContain('cluster')
  })

  it('reads Nacos keys and quorum.auth.users', () => {
    const s = authSettings(
      props('nacos.core.auth.enabled=true\nnacos.core.auth.plugin.nacos.token.secret.key=abc\nnacos.core.auth.plugin.nacos.token.expire.seconds=60\nquorum.auth.users=a:1, b:x:y\n'),
      'cluster'
    )
    expect(s).toMatchObject({ enabled: true, secret: 'abc', tokenTtlSeconds: 60, defaultUsers: false })
    expect([...s.users]).toEqual([
      ['a', '1'],
      ['b', 'x:y']
    ])
    expect(authSettings(props('nacos.core.auth.default.token.secret.key=v1'), 'c').secret).toBe('v1')
  })

  it('rejects a malformed user list naming the key', () => {
    expect(parseUsers('a')).toMatch(/not user:password/)
    expect(() => authSettings(props('quorum.auth.users=alice\n'), 'c')).toThrow(/quorum\.auth\.users/)
    expect(() => authSettings(props('nacos.core.auth.enabled=maybe\n'), 'c')).toThrow(/nacos\.core\.auth\.enabled/)
  })
})

describe('Authenticator', () => {
  it('issues tokens that verify, expire, and cannot be forged or re-signed', () => {
    let now = 1_000_000
    const a = new Authenticator(settings(), () => now)
    const t = a.issue('alice')
    expect(a.verify(t)).toEqual({ ok: true, user: 'alice' })
    const [payload, sig] = t.split('.') as [string, string]
    const forged = Buffer.from(JSON.stringify({ sub: 'alice', exp: 9e12 })).toString('base64url')
    expect(a.verify(`${forged}.${sig}`)).toMatchObject({ ok: false })
    expect(a.verify(`${payload}.${sig.slice(0, -2)}AA`)).toMatchObject({ ok: false })
    expect(a.verify('garbage')).toMatchObject({ ok: false })
    expect(new Authenticator(settings({ secret: 'other' }), () => now).verify(t)).toMatchObject({ ok: false })
    now += 100_000
    expect(a.verify(t)).toEqual({ ok: false, message: 'token expired!' })
  })

  it('checks passwords, and answers login in the Nacos shape', () => {
    const a = new Authenticator(settings())
    expect(a.checkPassword('alice', 'pw:1')).toBe(true)
    expect(a.checkPassword('alice', 'pw')).toBe(false)
    expect(a.checkPassword('bob', 'pw:1')).toBe(false)
    const ok = a.login(new Map([['username', 'alice'], ['password', 'pw:1']]))
    expect(ok).toMatchObject({ status: 200, json: { tokenTtl: 100, globalAdmin: true } })
    expect(a.login(new Map([['username', 'alice'], ['password', 'nope']])).status).toBe(403)
  })

  it('guards the Nacos API but not login, probes, metrics or the lab admin endpoints', () => {
    expect(Authenticator.guards('/nacos/v1/ns/instance')).toBe(true)
    expect(Authenticator.guards('/nacos/v1/cs/configs')).toBe(true)
    expect(Authenticator.guards('/nacos/v1/core/cluster/nodes')).toBe(true)
    expect(Authenticator.guards('/nacos/v1/auth/login')).toBe(false)
    expect(Authenticator.guards('/nacos/v1/core/probe/readiness')).toBe(false)
    expect(Authenticator.guards('/nacos/actuator/prometheus')).toBe(false)
    expect(Authenticator.guards('/quorum/v1/admin/status')).toBe(false)
  })
})

describe('auth on the HTTP server', () => {
  const servers: NodeHttpServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close(100)))
  })

  async function start(enabled: boolean): Promise<{ base: string; seen: string[] }> {
    const members = parseClusterConf('127.0.0.1:28848\n').members
    const auth = new Authenticator(settings({ enabled }))
    const seen: string[] = []
    const routes: RouteTable = new Map([
      ...authRoutes(auth),
      ['/nacos/v1/cs/configs', { POST: async (req, url) => ({ status: 200, text: (await readParams(req, url)).get('content') ?? '' }) }]
    ])
    const http = createNodeHttpServer({ members, self: members[0]!, logger: pino({ level: 'silent' }), startedAt: 0 }, routes, {
      auth,
      observe: (method, uri, status) => seen.push(`${method} ${uri} ${status}`)
    })
    servers.push(http)
    const addr = await http.listen('127.0.0.1', 0)
    return { base: `http://127.0.0.1:${addr.port}`, seen }
  }
  const form = (body: string, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body
  })

  it('403s without credentials, whatever the headers; accepts form credentials and tokens; the handler still sees the form', async () => {
    const { base, seen } = await start(true)
    const none = await fetch(`${base}/nacos/v1/cs/configs`, form('content=x', { 'User-Agent': 'Nacos-Server', serverIdentity: 'security' }))
    expect(none.status).toBe(403)
    expect(await none.text()).toMatch(/no accessToken/)
    const wrong = await fetch(`${base}/nacos/v1/cs/configs?username=alice&password=bad`, form('content=x'))
    expect(wrong.status).toBe(403)
    expect(await wrong.text()).toMatch(/wrong password/)
    const creds = await fetch(`${base}/nacos/v1/cs/configs`, form('content=hello&username=alice&password=pw%3A1'))
    expect(creds.status).toBe(200)
    expect(await creds.text()).toBe('hello')

    const login = await fetch(`${base}/nacos/v1/auth/login`, form('username=alice&password=pw%3A1'))
    const { accessToken } = (await login.json()) as { accessToken: string }
    expect((await fetch(`${base}/nacos/v1/cs/configs?accessToken=${accessToken}`, form('content=t'))).status).toBe(200)
    expect((await fetch(`${base}/nacos/v1/cs/configs`, form('content=t', { accessToken }))).status).toBe(200)
    expect((await fetch(`${base}/nacos/v1/cs/configs`, form('content=t', { Authorization: `Bearer ${accessToken}` }))).status).toBe(200)
    const forged = await fetch(`${base}/nacos/v1/cs/configs?accessToken=${accessToken.slice(0, -3)}xyz`, form('content=t'))
    expect(forged.status).toBe(403)
    expect(await forged.text()).toMatch(/token invalid/)
    expect((await fetch(`${base}/nacos/v1/auth/users/login?username=alice&password=x`, { method: 'POST' })).status).toBe(403)
    expect(seen).toContain('POST /nacos/v1/cs/configs 403')
    expect(seen).toContain('POST /nacos/v1/auth/login 200')
  })

  it('lets everything through when off', async () => {
    const { base } = await start(false)
    const res = await fetch(`${base}/nacos/v1/cs/configs`, form('content=open'))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('open')
  })
})
