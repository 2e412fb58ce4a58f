import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { LAB_METHODS, type Result } from '../lab/api'
import { Lab } from '../lab/lab'

// The Electron binary cannot run here: the 'electron' module is replaced by fakes that record
// what main asks of it. Everything main does beyond that is exercised for real.
const fake = vi.hoisted(() => {
  const handlers = new Map<string, (...args: unknown[]) => unknown>()
  const appListeners = new Map<string, ((...args: unknown[]) => void)[]>()
  const windows: { options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn> }[] = []
  let readyResolve: () => void = () => {}
  const ready = new Promise<void>((r) => (readyResolve = r))
  return { handlers, appListeners, windows, ready, readyResolve: () => readyResolve(), lock: true }
})

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn(), isDestroyed: () => false, once: vi.fn() }
    loadURL = vi.fn(async () => {})
    constructor(public options: Record<string, unknown>) {
      fake.windows.push(this)
    }
    once = vi.fn()
    on = vi.fn()
    isMinimized = (): boolean => false
    isMaximized = (): boolean => false
    isDestroyed = (): boolean => false
    getBounds = (): object => ({ x: 0, y: 0, width: 1280, height: 860 })
    restore = vi.fn()
    focus = vi.fn()
  }
  const menus: unknown[] = []
  return {
    BrowserWindow,
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn((m: unknown) => menus.push(m)) },
    shell: { openPath: vi.fn(async () => '') },
    app: {
      getLocale: vi.fn(() => 'zh-CN'),
      requestSingleInstanceLock: vi.fn(() => fake.lock),
      quit: vi.fn(),
      isPackaged: false,
      getPath: vi.fn(() => join(tmpdir(), 'quorum-lab-main-test')),
      whenReady: vi.fn(() => fake.ready),
      on: vi.fn((name: string, fn: (...args: unknown[]) => void) => {
        fake.appListeners.set(name, [...(fake.appListeners.get(name) ?? []), fn])
      })
    },
    ipcMain: {
      handle: vi.fn((ch: string, fn: (...args: unknown[]) => unknown) => fake.handlers.set(ch, fn)),
      removeHandler: vi.fn((ch: string) => fake.handlers.delete(ch))
    },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } }
  }
})

const { secureWebPreferences } = await import('./window')
const { senderFromRenderer, registerLabIpc } = await import('./ipc')
const { hardenApp, denyAllPermissions } = await import('./hardening')

const frameEvent = (url: string, parent: object | null = null): IpcMainInvokeEvent =>
  ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent

describe('window', () => {
  it('runs the page sandboxed and isolated, without Node', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs')
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs'
    })
  })
})

describe('senderFromRenderer', () => {
  const trusted = senderFromRenderer('file:///app/out/renderer/index.html')
  it('trusts only the main frame of our own page', () => {
    expect(trusted(frameEvent('file:///app/out/renderer/index.html'))).toBe(true)
    expect(trusted(frameEvent('file:///app/out/renderer/index.html#/logs'))).toBe(true)
    expect(trusted(frameEvent('file:///app/out/renderer/index.html', {}))).toBe(false)
    expect(trusted(frameEvent('file:///tmp/evil.html'))).toBe(false)
    expect(trusted(frameEvent('https://example.com/'))).toBe(false)
    expect(trusted({ senderFrame: null } as unknown as IpcMainInvokeEvent)).toBe(false)
  })
  it('trusts the dev server origin in development', () => {
    const dev = senderFromRenderer('http://localhost:5173/')
    expect(dev(frameEvent('http://localhost:5173/index.html'))).toBe(true)
    expect(dev(frameEvent('http://localhost:5174/'))).toBe(false)
  })
})

describe('registerLabIpc', () => {
  const lab = new Lab({ dataRoot: join(tmpdir(), 'ql-ipc'), nodeCoreScript: '/nonexistent.cjs', host: 'electron', version: 't' })
  const handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => Promise<Result<unknown>>>()
  const ipc = {
    handle: (ch: string, fn: never) => void handlers.set(ch, fn),
    removeHandler: (ch: string) => void handlers.delete(ch)
  }
  const good = frameEvent('file:///app/out/renderer/index.html')

  beforeEach(() => handlers.clear())

  it('binds one channel per LabApi method and unbinds them', () => {
    const off = registerLabIpc(ipc, lab, () => true)
    expect([...handlers.keys()].sort()).toEqual(LAB_METHODS.map((m) => `lab:${m}`).sort())
    off()
    expect(handlers.size).toBe(0)
  })

  it('refuses untrusted senders and invalid payloads before the lab sees them', async () => {
    const spy = vi.spyOn(lab, 'handle')
    registerLabIpc(ipc, lab, senderFromRenderer('file:///app/out/renderer/index.html'))
    const create = handlers.get('lab:cluster.create')!
    expect(await create(frameEvent('https://evil.example/'), { size: 3 })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    expect(await create(good, { size: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect(spy).not.toHaveBeenCalled()
    const info = await handlers.get('lab:lab.info')!(good, undefined)
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', version: 't' } })
    expect(await handlers.get('lab:cluster.start')!(good, undefined)).toMatchObject({ ok: false, error: { code: 'NO_CLUSTER' } })
  })
})

describe('hardening', () => {
  it('blocks navigation, redirects, webviews and new windows', () => {
    const listeners = new Map<string, (e: { preventDefault: () => void }) => void>()
    let openHandler: (() => { action: string }) | undefined
    const contents = {
      on: (name: string, fn: (e: { preventDefault: () => void }) => void) => listeners.set(name, fn),
      setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn)
    }
    let created: ((e: unknown, c: unknown) => void) | undefined
    hardenApp({ on: ((name: string, fn: (e: unknown, c: unknown) => void) => { if (name === 'web-contents-created') created = fn }) as never })
    created!({}, contents)
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() }
      listeners.get(name)!(e)
      expect(e.preventDefault).toHaveBeenCalled()
    }
    expect(openHandler!()).toEqual({ action: 'deny' })
  })

  it('denies every permission request', () => {
    let request: ((wc: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined
    let check: (() => boolean) | undefined
    denyAllPermissions({ setPermissionRequestHandler: ((fn: typeof request) => (request = fn)) as never, setPermissionCheckHandler: ((fn: typeof check) => (check = fn)) as never })
    const cb = vi.fn()
    request!({}, 'media', cb)
    expect(cb).toHaveBeenCalledWith(false)
    expect(check!()).toBe(false)
  })
})

describe('boot (electron/main/index.ts)', () => {
  it('takes the single-instance lock, then opens one secure window wired to the lab', async () => {
    const { app, ipcMain } = await import('electron')
    await import('./index')
    expect(app.requestSingleInstanceLock).toHaveBeenCalled()
    expect(fake.appListeners.has('second-instance')).toBe(true)
    expect(fake.appListeners.has('before-quit')).toBe(true)
    fake.readyResolve()
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1))
    const win = fake.windows[0]!
    expect((win.options.webPreferences as Record<string, unknown>).sandbox).toBe(true)
    expect(String((win.options.webPreferences as Record<string, unknown>).preload)).toMatch(/preload[\\/]index\.cjs$/)
    expect(win.loadURL).toHaveBeenCalledWith(expect.stringMatching(/^file:.*renderer\/index\.html$/))
    expect(vi.mocked(ipcMain.handle).mock.calls.map((c) => c[0]).sort()).toEqual(LAB_METHODS.map((m) => `lab:${m}`).sort())
    // A Chinese OS gets the Chinese menu.
    const { Menu } = await import('electron')
    const template = vi.mocked(Menu.buildFromTemplate).mock.calls.at(-1)![0] as { label: string }[]
    expect(template.map((m) => m.label)).toEqual(['文件', '视图', '集群', '帮助'])
  })

  it('resolves node-core outside app.asar, where a child process can run it', async () => {
    const { nodeCorePath } = await import('./index')
    expect(nodeCorePath('/opt/Quorum Lab/resources/app.asar/out')).toBe('/opt/Quorum Lab/resources/app.asar.unpacked/out/node-core/index.cjs')
    expect(nodeCorePath('/work/out')).toBe('/work/out/node-core/index.cjs')
  })
})
