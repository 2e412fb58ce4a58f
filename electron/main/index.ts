import { app, ipcMain, Menu, session, shell } from 'electron'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Lab } from '../lab/lab'
import { LAB_VERSION } from '../lab/version'
import { loadAppState, saveAppState, type AppState } from './app-state'
import { denyAllPermissions, hardenApp } from './hardening'
import { electronHostActions } from './host-actions'
import { menuLocale, menuTemplate, type MenuActions } from './menu-template'
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
  const stateFile = join(app.getPath('userData'), 'app-state.json')
  const state: AppState = loadAppState(stateFile)
  const dataRoot = join(app.getPath('userData'), 'lab')
  const lab = new Lab({
    dataRoot,
    nodeCoreScript: nodeCorePath(outDir),
    host: 'electron',
    version: LAB_VERSION,
    clusterDefaults: state.cluster,
    // report.pdf and lab.openDataDir: only this host can print and open folders.
    hostActions: electronHostActions,
    // electron-builder copies resources/ beside the app (extraResources); in development it is the repo's.
    drillsDir: app.isPackaged ? join(process.resourcesPath, 'resources', 'drills') : join(outDir, '..', 'resources', 'drills')
  })
  // Remember the last cluster settings used, for the next start of the app.
  lab.subscribe((events) => {
    for (const e of events) {
      if (e.type !== 'cluster.created') continue
      state.cluster = { size: e.cluster.size, ...e.cluster.settings }
      saveAppState(stateFile, state)
    }
  })
  // Last resort: whatever ends this process, its node-core children go with it.
  process.on('exit', () => lab.killAllSync())

  const url = rendererUrl(outDir)
  let win: ReturnType<typeof createMainWindow> | null = null

  const actions: MenuActions = {
    ui: (command) => {
      if (command === 'locale.zh-CN' || command === 'locale.en') {
        state.locale = command === 'locale.zh-CN' ? 'zh-CN' : 'en'
        saveAppState(stateFile, state)
        setMenu()
      }
      lab.bus.publish({ type: 'ui.command', command })
    },
    cluster: (action) => void runClusterAction(lab, action, state),
    openDataDir: () => void shell.openPath(dataRoot),
    quit: () => app.quit(),
    ...(app.isPackaged ? {} : { devTools: () => win?.webContents.toggleDevTools() })
  }
  const setMenu = (): void => {
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(menuLocale(state.locale, app.getLocale()), actions)))
  }

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })

  app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession)
    registerLabIpc(ipcMain, lab, senderFromRenderer(url))
    win = createMainWindow(join(outDir, 'preload', 'index.cjs'), state.window)
    forwardEvents(lab, win.webContents)
    const w = win
    const rememberBounds = (): void => {
      if (w.isDestroyed()) return
      state.window = { ...(w.isMaximized() ? state.window : w.getBounds()), maximized: w.isMaximized() }
    }
    w.on('resize', rememberBounds)
    w.on('move', rememberBounds)
    w.on('close', () => {
      rememberBounds()
      saveAppState(stateFile, state)
    })
    win.on('closed', () => (win = null))
    setMenu()
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

/** Menu cluster actions: the same LabApi calls the page makes (their events show the outcome). */
async function runClusterAction(lab: Lab, action: Parameters<MenuActions['cluster']>[0], state: AppState): Promise<void> {
  const info = await lab.handle('cluster.get', undefined)
  const current = info.ok ? info.value : null
  switch (action) {
    case 'start':
      if (!current || current.state === 'stopped') {
        const created = await lab.handle('cluster.create', state.cluster)
        if (!created.ok) return
      }
      await lab.handle('cluster.start', undefined)
      return
    case 'stop':
      await lab.handle('cluster.stop', undefined)
      return
    case 'killLeader': {
      const views = await lab.handle('cluster.status', undefined)
      const leader = views.ok ? views.value.find((v) => v.status?.role === 'leader') : undefined
      if (leader) await lab.handle('node.crash', { nodeId: leader.nodeId })
      return
    }
    case 'isolateLeader':
      await lab.handle('link.preset', { preset: 'isolateLeader' })
      return
    case 'healAll':
      await lab.handle('link.healAll', undefined)
      return
  }
}

boot()
