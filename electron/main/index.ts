import { app, ipcMain, session } from 'electron'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Lab } from '../lab/lab'
import { LAB_VERSION } from '../lab/version'
import { denyAllPermissions, hardenApp } from './hardening'
import { forwardEvents, registerLabIpc, senderFromRenderer } from './ipc'
import { createMainWindow } from './window'

const here = fileURLToPath(new URL('.', import.meta.url))

/** node-core must run from the unpacked copy: a child process cannot execute inside app.asar. */
export function nodeCorePath(outDir: string): string {
  return join(outDir, 'node-core', 'index.cjs').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
}

function rendererUrl(outDir: string): string {
  const dev = process.env.ELECTRON_RENDERER_URL
  return !app.isPackaged && dev ? dev : pathToFileURL(join(outDir, 'renderer', 'index.html')).href
}

export function boot(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  hardenApp(app)

  const outDir = join(here, '..')
  const lab = new Lab({
    dataRoot: join(app.getPath('userData'), 'lab'),
    nodeCoreScript: nodeCorePath(outDir),
    host: 'electron',
    version: LAB_VERSION
  })
  // Last resort: whatever ends this process, its node-core children go with it.
  process.on('exit', () => lab.killAllSync())

  const url = rendererUrl(outDir)
  let win: ReturnType<typeof createMainWindow> | null = null

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })

  app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession)
    registerLabIpc(ipcMain, lab, senderFromRenderer(url))
    win = createMainWindow(join(outDir, 'preload', 'index.cjs'))
    forwardEvents(lab, win.webContents)
    win.on('closed', () => (win = null))
    void win.loadURL(url)
  })

  let quitting = false
  app.on('before-quit', (e) => {
    if (quitting) return
    // Stop the cluster cleanly (SIGTERM, then SIGKILL) before the app goes.
    e.preventDefault()
    quitting = true
    void lab.shutdown().finally(() => app.quit())
  })
  app.on('window-all-closed', () => app.quit())
}

boot()
