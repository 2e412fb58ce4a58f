import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildLabApi, channelFor, EVENT_CHANNEL, type LabEvent } from '../lab/api'

/**
 * Expose exactly LabApi as window.lab: one function per method over invoke, plus the event
 * subscription. Nothing else of ipcRenderer reaches the page.
 */
const lab = buildLabApi(
  (method, payload) => ipcRenderer.invoke(channelFor(method), payload),
  (listener) => {
    const handler = (_e: IpcRendererEvent, events: LabEvent[]): void => listener(events)
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  }
)

contextBridge.exposeInMainWorld('lab', lab)
