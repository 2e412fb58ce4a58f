import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { channelFor, dispatchLab, EVENT_CHANNEL, fail, LAB_METHODS, type LabEvent, type Result } from '../lab/api'
import type { Lab } from '../lab/lab'

/** Decides whether an IPC call comes from our own renderer's top frame. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/**
 * A sender is trusted when it is the main frame of a page loaded from `rendererUrl` (the
 * file:// index.html of the build, or the dev server in development). Subframes, other
 * windows and navigated-away pages are refused.
 */
export function senderFromRenderer(rendererUrl: string): SenderCheck {
  const expected = new URL(rendererUrl)
  return (event) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null) return false
    let url: URL
    try {
      url = new URL(frame.url)
    } catch {
      return false
    }
    if (expected.protocol === 'file:') return url.protocol === 'file:' && url.pathname === expected.pathname
    return url.origin === expected.origin
  }
}

/**
 * Bind every LabApi method to `ipcMain.handle('lab:<method>')`. Thin by design: check the
 * sender, validate the payload, call the lab, answer a Result. Returns the unbind function.
 */
export function registerLabIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, lab: Lab, isTrusted: SenderCheck): () => void {
  for (const method of LAB_METHODS) {
    ipcMain.handle(channelFor(method), async (event, payload: unknown): Promise<Result<unknown>> => {
      if (!isTrusted(event)) return fail('UNAUTHORIZED', `${method}: refused a call from an untrusted frame`)
      return dispatchLab(lab.handle, method, payload)
    })
  }
  return () => {
    for (const method of LAB_METHODS) ipcMain.removeHandler(channelFor(method))
  }
}

/** Push event batches to one window; stops when the window's contents are gone. */
export function forwardEvents(lab: Lab, contents: WebContents): () => void {
  const unsubscribe = lab.subscribe((events: LabEvent[]) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, events)
  })
  contents.once('destroyed', unsubscribe)
  return unsubscribe
}
