import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LabEvent } from '../../../electron/lab/api'
import { createFakeLab } from '../testing/fake-lab'
import {
  bridgeUrl,
  createWebBridge,
  getLab,
  getLabConnection,
  takeToken,
  TOKEN_STORAGE_KEY,
  type ConnectionState,
  type SocketLike,
  type WebBridge,
  type WebBridgeOptions
} from './lab-client'

/** A WebSocket the test drives by hand. */
class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => void) | null = null
  onmessage: ((ev: MessageEvent) => void) | null = null
  onerror: ((ev: Event) => void) | null = null
  onclose: ((ev: CloseEvent) => void) | null = null
  readonly sent: Array<{ id: number; method: string; payload: unknown }> = []
  closed = false

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.closed) throw new Error('socket closed')
    this.sent.push(JSON.parse(data))
  }
  close(): void {
    this.closed = true
  }
  // Test controls:
  open(): void {
    this.onopen?.(new Event('open'))
  }
  receive(msg: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: typeof msg === 'string' ? msg : JSON.stringify(msg) }))
  }
  answer(id: number, result: unknown): void {
    this.receive({ id, result })
  }
  drop(): void {
    this.onclose?.(new CloseEvent('close', { code: 1006 }))
  }
  fail(): void {
    this.onerror?.(new Event('error'))
  }
}

class MemoryStorage {
  readonly data = new Map<string, string>()
  getItem(key: string): string | null {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value)
  }
}

let sockets: FakeSocket[]
let bridges: WebBridge[]

function bridge(over: Partial<WebBridgeOptions> = {}): WebBridge {
  const b = createWebBridge({
    location: { protocol: 'http:', host: '127.0.0.1:4173', hash: '#token=abc123', pathname: '/', search: '' },
    createSocket: (url) => {
      const s = new FakeSocket(url)
      sockets.push(s)
      return s
    },
    storage: new MemoryStorage(),
    history: { replaceState: vi.fn() },
    ...over
  })
  bridges.push(b)
  return b
}

const last = (): FakeSocket => sockets.at(-1)!

beforeEach(() => {
  sockets = []
  bridges = []
  vi.useFakeTimers()
})

afterEach(() => {
  for (const b of bridges) b.close()
  vi.useRealTimers()
})

describe('takeToken', () => {
  it('takes the token from the hash, keeps it for reloads and strips it from the URL', () => {
    const storage = new MemoryStorage()
    const history = { replaceState: vi.fn() }
    const token = takeToken({ hash: '#token=deadbeef', pathname: '/app/', search: '?x=1' }, storage, history)
    expect(token).toBe('deadbeef')
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe('deadbeef')
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/app/?x=1')
  })

  it('keeps other hash parameters', () => {
    const history = { replaceState: vi.fn() }
    takeToken({ hash: '#token=ab&view=logs', pathname: '/', search: '' }, null, history)
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/#view=logs')
  })

  it('falls back to the stored token after a reload', () => {
    const storage = new MemoryStorage()
    storage.setItem(TOKEN_STORAGE_KEY, 'cafe01')
    const history = { replaceState: vi.fn() }
    expect(takeToken({ hash: '', pathname: '/', search: '' }, storage, history)).toBe('cafe01')
    expect(history.replaceState).not.toHaveBeenCalled()
  })

  it('prefers a new token in the link over a stored one', () => {
    const storage = new MemoryStorage()
    storage.setItem(TOKEN_STORAGE_KEY, 'old')
    expect(takeToken({ hash: '#token=new', pathname: '/', search: '' }, storage, null)).toBe('new')
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe('new')
  })

  it('returns null without a token, and survives storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('denied')
      }
    }
    expect(takeToken({ hash: '', pathname: '/', search: '' }, new MemoryStorage(), null)).toBeNull()
    expect(takeToken({ hash: '', pathname: '/', search: '' }, throwing, null)).toBeNull()
    expect(takeToken({ hash: '#token=ff', pathname: '/', search: '' }, throwing, null)).toBe('ff')
  })
})

describe('bridgeUrl', () => {
  it('uses ws for http and wss for https, on the page host, path /lab', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:4173' }, 'ab12')).toBe('ws://127.0.0.1:4173/lab?token=ab12')
    expect(bridgeUrl({ protocol: 'https:', host: 'lab.local' }, 'ab12')).toBe('wss://lab.local/lab?token=ab12')
    expect(bridgeUrl({ protocol: 'http:', host: 'h' }, 'a b&c')).toBe('ws://h/lab?token=a%20b%26c')
  })
})

describe('createWebBridge', () => {
  it('connects at once to the bridge URL with the token', () => {
    const b = bridge()
    expect(sockets).toHaveLength(1)
    expect(last().url).toBe('ws://127.0.0.1:4173/lab?token=abc123')
    expect(b.connection).toMatchObject({ mode: 'web', hasToken: true, state: 'connecting' })
  })

  it('queues calls made before the socket opens and sends them in order on open', async () => {
    const b = bridge()
    const info = b.api.lab.info()
    const created = b.api.cluster.create({ size: 3 })
    expect(last().sent).toEqual([])

    last().open()
    expect(b.connection.state).toBe('open')
    expect(last().sent).toEqual([
      { id: 1, method: 'lab.info', payload: null },
      { id: 2, method: 'cluster.create', payload: { size: 3 } }
    ])

    // Answers may come in any order; each resolves its own call.
    last().answer(2, { ok: true, value: { runId: 'r' } })
    last().answer(1, { ok: true, value: { version: '0.1.0' } })
    await expect(created).resolves.toEqual({ ok: true, value: { runId: 'r' } })
    await expect(info).resolves.toEqual({ ok: true, value: { version: '0.1.0' } })
  })

  it('passes failed Results through unchanged', async () => {
    const b = bridge()
    last().open()
    const crash = b.api.node.crash({ nodeId: 9 })
    last().answer(1, { ok: false, error: { code: 'NODE_NOT_FOUND', message: 'no node 9' } })
    await expect(crash).resolves.toEqual({ ok: false, error: { code: 'NODE_NOT_FOUND', message: 'no node 9' } })
  })

  it('answers INTERNAL for a malformed result, and ignores junk frames and unknown ids', async () => {
    const b = bridge()
    last().open()
    const get = b.api.cluster.get()
    last().receive('not json')
    last().receive({ id: 77, result: { ok: true, value: 1 } })
    last().receive([1, 2, 3])
    last().answer(1, { ok: 'yes' })
    await expect(get).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })

  it('keeps null values (cluster.get with no cluster)', async () => {
    const b = bridge()
    last().open()
    const get = b.api.cluster.get()
    last().answer(1, { ok: true, value: null })
    await expect(get).resolves.toEqual({ ok: true, value: null })
  })

  it('delivers pushed events to every subscriber until it unsubscribes', () => {
    const b = bridge()
    last().open()
    const a = vi.fn()
    const c = vi.fn()
    const offA = b.api.onEvents(a)
    b.api.onEvents(c)
    const events: LabEvent[] = [
      { type: 'node.spawned', nodeId: 1, pid: 42, seq: 1, ts: 10 },
      { type: 'node.ready', nodeId: 1, pid: 42, readyMs: 300, seq: 2, ts: 11 }
    ]
    last().receive({ events })
    expect(a).toHaveBeenCalledWith(events)
    expect(c).toHaveBeenCalledWith(events)

    offA()
    last().receive({ events: [events[0]] })
    expect(a).toHaveBeenCalledTimes(1)
    expect(c).toHaveBeenCalledTimes(2)
  })

  it('keeps delivering to others when a subscriber throws', () => {
    const b = bridge()
    last().open()
    const good = vi.fn()
    b.api.onEvents(() => {
      throw new Error('boom')
    })
    b.api.onEvents(good)
    last().receive({ events: [{ type: 'cluster.state', state: 'running', seq: 1, ts: 1 }] })
    expect(good).toHaveBeenCalledTimes(1)
  })

  it('resolves pending calls with DISCONNECTED when the socket drops, and later calls at once', async () => {
    const b = bridge()
    last().open()
    const start = b.api.cluster.start()
    last().drop()
    await expect(start).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } })
    expect(b.connection.state).toBe('closed')
    await expect(b.api.cluster.get()).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } })
  })

  it('fails calls queued during a connect attempt that fails', async () => {
    const b = bridge()
    const get = b.api.cluster.get()
    last().fail()
    await expect(get).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } })
  })

  it('handles an error followed by a close only once', () => {
    const b = bridge()
    const states: ConnectionState[] = []
    b.connection.onStateChange((s) => states.push(s))
    last().open()
    const s = last()
    s.fail()
    s.drop()
    expect(states).toEqual(['open', 'closed'])
    vi.advanceTimersByTime(500)
    expect(sockets).toHaveLength(2)
  })

  it('reconnects with backoff doubling from 0.5 s to 5 s, and resets it after a good connection', () => {
    const b = bridge()
    const states: ConnectionState[] = []
    b.connection.onStateChange((s) => states.push(s))

    const delays: number[] = []
    for (let i = 0; i < 6; i++) {
      last().drop()
      const before = sockets.length
      let waited = 0
      while (sockets.length === before) {
        vi.advanceTimersByTime(100)
        waited += 100
      }
      delays.push(waited)
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 5000, 5000])

    last().open()
    last().drop()
    vi.advanceTimersByTime(499)
    const count = sockets.length
    vi.advanceTimersByTime(1)
    expect(sockets.length).toBe(count + 1)
    expect(states.slice(0, 4)).toEqual(['closed', 'connecting', 'closed', 'connecting'])
    expect(b.connection.state).toBe('connecting')
  })

  it('works again after reconnecting (ids keep increasing)', async () => {
    const b = bridge()
    last().open()
    last().drop()
    vi.advanceTimersByTime(500)
    last().open()
    const get = b.api.cluster.get()
    expect(last().sent).toEqual([{ id: 1, method: 'cluster.get', payload: null }])
    last().answer(1, { ok: true, value: null })
    await expect(get).resolves.toEqual({ ok: true, value: null })
    const again = b.api.cluster.get()
    expect(last().sent.at(-1)?.id).toBe(2)
    last().answer(2, { ok: true, value: null })
    await again
  })

  it('ignores a late message from an abandoned socket', async () => {
    const b = bridge()
    const old = last()
    old.open()
    const get = b.api.cluster.get()
    old.drop()
    await expect(get).resolves.toMatchObject({ ok: false })
    vi.advanceTimersByTime(500)
    last().open()
    const next = b.api.cluster.get()
    old.receive({ id: 2, result: { ok: true, value: 'stale' } })
    last().answer(2, { ok: true, value: null })
    await expect(next).resolves.toEqual({ ok: true, value: null })
  })

  it('answers UNAUTHORIZED without a token and never opens a socket', async () => {
    const b = bridge({ location: { protocol: 'http:', host: 'h', hash: '', pathname: '/', search: '' } })
    expect(sockets).toHaveLength(0)
    expect(b.connection).toMatchObject({ hasToken: false, state: 'closed' })
    const r = await b.api.cluster.get()
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(r.ok ? '' : r.error.message).toContain('quorum-lab serve')
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(0)
  })

  it('treats a socket constructor that throws as a failed attempt', async () => {
    let attempts = 0
    const b = bridge({
      createSocket: () => {
        attempts++
        throw new Error('blocked by CSP')
      }
    })
    expect(b.connection.state).toBe('closed')
    await expect(b.api.lab.info()).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } })
    vi.advanceTimersByTime(500)
    expect(attempts).toBe(2)
  })

  it('close() stops reconnecting and fails what is pending', async () => {
    const b = bridge()
    last().open()
    const get = b.api.cluster.get()
    b.close()
    await expect(get).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } })
    expect(last().closed).toBe(true)
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
  })
})

describe('getLab', () => {
  afterEach(() => {
    delete window.lab
  })

  it('uses the Electron preload API when present, with a connection that is always open', () => {
    const fake = createFakeLab()
    window.lab = fake.api
    expect(getLab()).toBe(fake.api)
    expect(getLabConnection()).toMatchObject({ mode: 'electron', state: 'open', hasToken: true })
  })
})
