import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron'
import { DEFAULT_APP_STATE, type WindowBounds } from './app-state'

/**
 * The renderer's web preferences, fixed here and asserted by a unit test: the page gets no
 * Node, runs sandboxed in an isolated world, and sees only what preload exposes (window.lab).
 */
export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false
  }
}

export function createMainWindow(preload: string, bounds: WindowBounds = DEFAULT_APP_STATE.window): BrowserWindow {
  const win = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Quorum Lab',
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(preload)
  })
  win.once('ready-to-show', () => {
    if (bounds.maximized) win.maximize()
    win.show()
  })
  return win
}
