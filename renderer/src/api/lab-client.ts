/**
 * The renderer's one door to the lab engine (ARCHITECTURE.md, rule 5): nothing else touches
 * `window.lab` or opens the web bridge. Stores call `getLab()`; components call stores.
 *
 * Two hosts give the same `LabApi`:
 * - Electron: the preload exposes it as `window.lab` (IPC underneath).
 * - Web mode (`quorum-lab serve`): a WebSocket bridge to the same engine, built here with
 *   `buildLabApi` so the object shape cannot drift from the preload's.
 *
 * Web protocol (the server implements exactly this):
 * - URL `ws[s]://<host>/lab?token=<token>`; the token comes from the page link `#token=<hex>`.
 * - client → server `{"id": n, "method": LabMethod, "payload": unknown}`;
 *   server → client `{"id": n, "result": Result}` or `{"events": LabEvent[]}`.
 * - A call never rejects: a lost socket answers `DISCONNECTED`, a missing token `UNAUTHORIZED`.
 */
import {
  buildLabApi,
  fail,
  type LabApi,
  type LabEvent,
  type LabMethod,
  type Result
} from '../../../electron/lab/api'

/** The web bridge's socket as the UI sees it; Electron IPC is always `'open'`. */
export type ConnectionState = 'connecting' | 'open' | 'closed'

/** Which host the renderer runs in. */
export type LabMode = 'electron' | 'web'

/** Connection status for the UI (banner, header badge). */
export interface LabConnection {
  readonly mode: LabMode
  /** False in web mode when the page was opened without an access token: nothing will connect. */
  readonly hasToken: boolean
  readonly state: ConnectionState
  /** Called on every state change. Returns the unsubscribe function. */
  onStateChange(listener: (state: ConnectionState) => void): () => void
}

/** The part of a WebSocket the bridge uses, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null
  onmessage: ((ev: MessageEvent) => void) | null
  onerror: ((ev: Event) => void) | null
  onclose: ((ev: CloseEvent) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export interface WebBridgeOptions {
  location: Pick<Location, 'protocol' | 'host' | 'hash' | 'pathname' | 'search'>
  createSocket: (url: string) => SocketLike
  /** Where the token survives a reload (sessionStorage in the browser). */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null
  /** Used to strip the token from the visible URL. */
  history?: Pick<History, 'replaceState'> | null
  /** Reconnect delay: starts at `initialMs`, doubles per failure, capped at `maxMs`. */
  backoff?: { initialMs?: number; maxMs?: number }
}

export interface WebBridge {
  api: LabApi
  connection: LabConnection
  /** Stop reconnecting and close the socket; later calls answer `DISCONNECTED`. */
  close(): void
}

export const TOKEN_STORAGE_KEY = 'quorum-lab.token'
export const BRIDGE_PATH = '/lab'

const NO_TOKEN_MESSAGE =
  'No access token. Open the link printed by `quorum-lab serve`: it carries the access token.'
const DISCONNECTED_MESSAGE =
  'Not connected to the lab; reconnecting. If this persists, check that `quorum-lab serve` is still running.'

/**
 * Take the access token from `#token=...` (then keep it in session storage and strip it from
 * the visible URL, so it is neither bookmarked nor shown over a shoulder), or from session
 * storage after a reload. Returns null when there is none.
 */
export function takeToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null,
  history?: Pick<History, 'replaceState'> | null
): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''))
  const fromHash = params.get('token')?.trim()
  if (fromHash) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromHash)
    } catch {
      // Storage can be disabled (privacy settings); the token still works for this page.
    }
    params.delete('token')
    const rest = params.toString()
    history?.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`)
    return fromHash
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) || null
  } catch {
    return null
  }
}

/** The bridge's socket URL for a page served at `location`. */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`
}

interface Outgoing {
  id: number
  method: LabMethod
  payload: unknown
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Accept only well-formed Results: a malformed answer must not reach a store as "ok". */
function toResult(raw: unknown): Result<unknown> {
  if (isRecord(raw)) {
    if (raw.ok === true) return { ok: true, value: raw.value }
    const error = raw.error
    if (raw.ok === false && isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
      return raw as Result<unknown>
    }
  }
  return fail('INTERNAL', 'malformed answer from the lab')
}

/**
 * The web-mode LabApi over one WebSocket, reconnecting with backoff. Calls made while the
 * socket connects wait for it; calls made while it is down answer `DISCONNECTED` at once, so
 * a click never hangs on a dead server.
 */
export function createWebBridge(options: WebBridgeOptions): WebBridge {
  const initialMs = options.backoff?.initialMs ?? 500
  const maxMs = options.backoff?.maxMs ?? 5000
  const token = takeToken(options.location, options.storage, options.history)

  let state: ConnectionState = token ? 'connecting' : 'closed'
  let socket: SocketLike | null = null
  let nextId = 1
  let retryMs = initialMs
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let disposed = false
  /** Sent, waiting for `{id, result}`. */
  const inFlight = new Map<number, (r: Result<unknown>) => void>()
  /** Made while connecting: sent on open, failed if the attempt fails. */
  let queued: Array<{ frame: Outgoing; resolve: (r: Result<unknown>) => void }> = []
  const eventListeners = new Set<(events: LabEvent[]) => void>()
  const stateListeners = new Set<(s: ConnectionState) => void>()

  const setState = (next: ConnectionState): void => {
    if (next === state) return
    state = next
    for (const l of [...stateListeners]) {
      try {
        l(next)
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }

  const send = (frame: Outgoing, resolve: (r: Result<unknown>) => void): void => {
    try {
      socket!.send(JSON.stringify(frame))
      inFlight.set(frame.id, resolve)
    } catch (err) {
      resolve(fail('DISCONNECTED', `${DISCONNECTED_MESSAGE} (${err instanceof Error ? err.message : String(err)})`))
    }
  }

  const failAll = (): void => {
    const waiting = [...inFlight.values(), ...queued.map((q) => q.resolve)]
    inFlight.clear()
    queued = []
    for (const resolve of waiting) resolve(fail('DISCONNECTED', DISCONNECTED_MESSAGE))
  }

  const handleFrame = (data: unknown): void => {
    if (typeof data !== 'string') return
    let msg: unknown
    try {
      msg = JSON.parse(data)
    } catch {
      return
    }
    if (!isRecord(msg)) return
    if (Array.isArray(msg.events)) {
      const events = msg.events.filter(
        (e): e is LabEvent => isRecord(e) && typeof e.type === 'string'
      )
      if (events.length === 0) return
      for (const l of [...eventListeners]) {
        try {
          l(events)
        } catch {
          // A throwing subscriber must not starve the others.
        }
      }
      return
    }
    if (typeof msg.id === 'number') {
      const resolve = inFlight.get(msg.id)
      if (!resolve) return
      inFlight.delete(msg.id)
      resolve(toResult(msg.result))
    }
  }

  const down = (): void => {
    socket = null
    failAll()
    setState('closed')
    if (disposed) return
    retryTimer = setTimeout(() => {
      retryTimer = null
      connect()
    }, retryMs)
    retryMs = Math.min(retryMs * 2, maxMs)
  }

  const connect = (): void => {
    if (disposed || !token) return
    setState('connecting')
    let ws: SocketLike
    try {
      ws = options.createSocket(bridgeUrl(options.location, token))
    } catch {
      down()
      return
    }
    socket = ws
    // Handlers check `socket === ws` so a late callback of an abandoned socket is ignored.
    ws.onopen = () => {
      if (socket !== ws) return
      retryMs = initialMs
      setState('open')
      const waiting = queued
      queued = []
      for (const q of waiting) send(q.frame, q.resolve)
    }
    ws.onmessage = (ev) => {
      if (socket === ws) handleFrame(ev.data)
    }
    // Browsers follow an error with a close; handle whichever comes first, once.
    const lost = (): void => {
      if (socket !== ws) return
      try {
        ws.close()
      } catch {
        // Already closing.
      }
      down()
    }
    ws.onerror = lost
    ws.onclose = lost
  }

  const invoke = (method: LabMethod, payload: unknown): Promise<Result<unknown>> => {
    if (!token) return Promise.resolve(fail('UNAUTHORIZED', NO_TOKEN_MESSAGE))
    if (disposed || state === 'closed') return Promise.resolve(fail('DISCONNECTED', DISCONNECTED_MESSAGE))
    // `null`, not `undefined`: JSON would drop the field, and the protocol always carries it.
    const frame: Outgoing = { id: nextId++, method, payload: payload ?? null }
    return new Promise((resolve) => {
      if (state === 'open') send(frame, resolve)
      else queued.push({ frame, resolve })
    })
  }

  const onEvents = (listener: (events: LabEvent[]) => void): (() => void) => {
    eventListeners.add(listener)
    return () => {
      eventListeners.delete(listener)
    }
  }

  const connection: LabConnection = {
    mode: 'web',
    hasToken: token !== null,
    get state() {
      return state
    },
    onStateChange(listener) {
      stateListeners.add(listener)
      return () => {
        stateListeners.delete(listener)
      }
    }
  }

  connect()

  return {
    api: buildLabApi(invoke, onEvents),
    connection,
    close() {
      disposed = true
      if (retryTimer) clearTimeout(retryTimer)
      retryTimer = null
      const ws = socket
      socket = null
      try {
        ws?.close()
      } catch {
        // Already closing.
      }
      failAll()
      setState('closed')
    }
  }
}

/** Electron IPC has no connection to lose: the preload is in-process. */
const ELECTRON_CONNECTION: LabConnection = {
  mode: 'electron',
  hasToken: true,
  state: 'open',
  onStateChange: () => () => {}
}

let webBridge: WebBridge | null = null

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage
  } catch {
    return null
  }
}

function getWebBridge(): WebBridge {
  if (webBridge) return webBridge
  webBridge = createWebBridge({
    location: window.location,
    createSocket: (url) => new WebSocket(url),
    storage: sessionStorageOrNull(),
    history: window.history
  })
  // Pasting a fresh link into an open tab changes only the hash (no page load): start over
  // with the new token rather than keep using the old one, or none.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(window.location.hash.replace(/^#/, '')).has('token')) window.location.reload()
  })
  return webBridge
}

/** The lab API of this host: the preload's `window.lab`, else the web bridge (created once). */
export function getLab(): LabApi {
  return window.lab ?? getWebBridge().api
}

/** Connection status of this host's lab API, for the UI. */
export function getLabConnection(): LabConnection {
  return window.lab ? ELECTRON_CONNECTION : getWebBridge().connection
}
