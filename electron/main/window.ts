import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron'

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

export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Quorum Lab',
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(preload)
  })
  win.once('ready-to-show', () => win.show())
  return win
}
