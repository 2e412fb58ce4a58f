import type { App, Session, WebContents } from 'electron'

/**
 * App-wide guards from Electron's security checklist: no navigation away from our page, no
 * new windows, no <webview>, and no permission (camera, notifications, ...) ever granted.
 */
export function hardenApp(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event: unknown, contents: WebContents) => {
    contents.on('will-navigate', (e) => e.preventDefault())
    contents.on('will-redirect', (e) => e.preventDefault())
    contents.on('will-attach-webview', (e) => e.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
