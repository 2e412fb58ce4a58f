/// <reference types="vite/client" />
import type { LabApi } from '../../electron/lab/api'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in web mode (the WebSocket bridge stands in). */
    lab?: LabApi
  }
}

export {}
