/**
 * Nacos-style authentication (spec/nacos-open-api.md §4), off by default.
 *
 * Keys in conf/application.properties:
 * - `nacos.core.auth.enabled=true` turns it on (Nacos's key).
 * - `nacos.core.auth.plugin.nacos.token.secret.key` (Nacos 2.x) or
 *   `nacos.core.auth.default.token.secret.key` (Nacos 1.x): the HMAC key for access tokens.
 *   Absent: the cluster secret (`quorum.cluster.secret`, or the one derived from cluster.conf)
 *   is used, so a token issued by one node is accepted by every member.
 * - `nacos.core.auth.plugin.nacos.token.expire.seconds`: token lifetime, default 18000 (Nacos's).
 * - `quorum.auth.users=user:password,user2:password2` (our own key: node-core has no user
 *   database). Absent: Nacos's built-in `nacos:nacos`. There are no roles: every user may do
 *   everything, so login answers `globalAdmin: true`.
 *
 * With auth on, every Nacos API call under `/nacos/v1/` (naming, config, cluster, ops) needs
 * an `accessToken` (query/form parameter, `accessToken` header or `Authorization: Bearer`) or
 * `username` + `password` parameters — what the official SDK sends on every request. Open:
 * login itself, the liveness/readiness probes, `/nacos/actuator/prometheus` and the lab's
 * `/quorum/` admin endpoints (the lab drives and observes its own loopback cluster). No header
 * (`User-Agent: Nacos-Server`, `serverIdentity`, ...) bypasses the check. Failures get 403.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { ApplicationProperties } from '../conf/application-properties'
import type { Handler, RouteTable } from './http-server'
import { BodyTooLargeError, readParams } from './request-params'

export const AUTH_KEYS = {
  enabled: 'nacos.core.auth.enabled',
  secret: 'nacos.core.auth.plugin.nacos.token.secret.key',
  secretV1: 'nacos.core.auth.default.token.secret.key',
  ttlSeconds: 'nacos.core.auth.plugin.nacos.token.expire.seconds',
  users: 'quorum.auth.users'
} as const

export const LOGIN_PATHS = ['/nacos/v1/auth/login', '/nacos/v1/auth/users/login'] as const

export interface AuthSettings {
  enabled: boolean
  /** HMAC key for tokens. */
  secret: string
  tokenTtlSeconds: number
  /** user → password. */
  users: ReadonlyMap<string, string>
  /** True when `quorum.auth.users` was absent and the default nacos:nacos is in use. */
  defaultUsers: boolean
}

export const DEFAULT_USERS: ReadonlyMap<string, string> = new Map([['nacos', 'nacos']])

/** Parse `user:password,user2:password2` (a password may contain `:`; not `,`). */
export function parseUsers(raw: string): Map<string, string> | string {
  const users = new Map<string, string>()
  for (const part of raw.split(',')) {
    const item = part.trim()
    if (item === '') continue
    const i = item.indexOf(':')
    if (i <= 0 || i === item.length - 1) return `"${item.slice(0, 40)}" is not user:password`
    users.set(item.slice(0, i), item.slice(i + 1))
  }
  return users.size > 0 ? users : 'no users listed'
}

/** Read the auth keys; `clusterSecret` is the fallback HMAC key (shared by all members). */
export function authSettings(props: ApplicationProperties, clusterSecret: string): AuthSettings {
  const rawUsers = props.getString(AUTH_KEYS.users)
  let users: ReadonlyMap<string, string> = DEFAULT_USERS
  if (rawUsers !== undefined) {
    const parsed = parseUsers(rawUsers)
    if (typeof parsed === 'string') throw props.invalid(AUTH_KEYS.users, parsed)
    users = parsed
  }
  return {
    enabled: props.getBool(AUTH_KEYS.enabled, false),
    secret: props.getString(AUTH_KEYS.secret) ?? props.getString(AUTH_KEYS.secretV1) ?? `quorum-auth:${clusterSecret}`,
    tokenTtlSeconds: props.getInt(AUTH_KEYS.ttlSeconds, 18_000, { min: 1, max: 365 * 24 * 3600 }),
    users,
    defaultUsers: rawUsers === undefined
  }
}

/** Constant-time string comparison (hash both so lengths never leak through timing). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

export type AuthResult = { ok: true; user: string } | { ok: false; message: string }

export class Authenticator {
  private readonly now: () => number

  constructor(
    readonly settings: AuthSettings,
    now?: () => number
  ) {
    this.now = now ?? Date.now
  }

  get enabled(): boolean {
    return this.settings.enabled
  }

  checkPassword(username: string, password: string): boolean {
    const stored = this.settings.users.get(username)
    // Compare against something even for an unknown user, so timing does not tell them apart.
    const ok = sameSecret(stored ?? '\u0000no-such-user', password)
    return ok && stored !== undefined
  }

  /** `base64url(payload).base64url(HMAC-SHA256(payload))`, payload `{"sub":user,"exp":seconds}`. */
  issue(username: string): string {
    const exp = Math.floor(this.now() / 1000) + this.settings.tokenTtlSeconds
    const payload = Buffer.from(JSON.stringify({ sub: username, exp })).toString('base64url')
    return `${payload}.${this.sign(payload)}`
  }

  verify(token: string): AuthResult {
    const dot = token.indexOf('.')
    if (dot <= 0 || token.length > 2048) return { ok: false, message: 'token invalid!' }
    const payload = token.slice(0, dot)
    const sig = Buffer.from(token.slice(dot + 1), 'base64url')
    const want = Buffer.from(this.sign(payload), 'base64url')
    if (sig.length !== want.length || !timingSafeEqual(sig, want)) return { ok: false, message: 'token invalid!' }
    let claims: { sub?: unknown; exp?: unknown }
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims
    } catch {
      return { ok: false, message: 'token invalid!' }
    }
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return { ok: false, message: 'token invalid!' }
    if (claims.exp * 1000 <= this.now()) return { ok: false, message: 'token expired!' }
    if (!this.settings.users.has(claims.sub)) return { ok: false, message: 'user not found!' }
    return { ok: true, user: claims.sub }
  }

  /** Credentials of one request: token first (as Nacos), then username + password. */
  authenticate(req: IncomingMessage, params: ReadonlyMap<string, string>): AuthResult {
    const token = params.get('accessToken') || header(req, 'accesstoken') || bearer(req)
    if (token) return this.verify(token)
    const username = params.get('username')
    const password = params.get('password')
    if (username && password !== undefined) {
      return this.checkPassword(username, password) ? { ok: true, user: username } : { ok: false, message: 'unknown user or wrong password' }
    }
    return { ok: false, message: 'no accessToken, and no username and password given (nacos.core.auth.enabled=true)' }
  }

  /** `POST /nacos/v1/auth/login`: Nacos's answer shape. */
  login(params: ReadonlyMap<string, string>): { status: number; json: unknown } | { status: number; text: string } {
    const username = params.get('username') ?? ''
    const password = params.get('password') ?? ''
    if (username === '' || !this.checkPassword(username, password)) return { status: 403, text: 'unknown user or wrong password\n' }
    return { status: 200, json: { accessToken: this.issue(username), tokenTtl: this.settings.tokenTtlSeconds, globalAdmin: true, username } }
  }

  /** Whether a path needs credentials when auth is on. */
  static guards(path: string): boolean {
    if (!path.startsWith('/nacos/v1/')) return false
    if ((LOGIN_PATHS as readonly string[]).includes(path)) return false
    return !path.startsWith('/nacos/v1/core/probe/')
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.settings.secret).update(payload).digest('base64url')
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function bearer(req: IncomingMessage): string | undefined {
  const v = header(req, 'authorization')
  const m = v ? /^Bearer\s+(\S+)$/i.exec(v) : null
  return m?.[1]
}

/** The login endpoints (Nacos serves both paths). Parameters from the query or a form body. */
export function authRoutes(auth: Authenticator): RouteTable {
  const login: Handler = async (req, url) => {
    let params: Map<string, string>
    try {
      params = await readParams(req, url)
    } catch (err) {
      if (err instanceof BodyTooLargeError) return { status: 413, text: `${err.message}\n` }
      throw err
    }
    return auth.login(params)
  }
  return new Map(LOGIN_PATHS.map((p) => [p, { POST: login }]))
}
