/**
 * What only the desktop host can do for the lab (`report.pdf`, `lab.openDataDir`). The lab
 * engine checks paths before it calls these; here only Electron's part.
 */
import { BrowserWindow, shell } from 'electron'
import { writeFile } from 'node:fs/promises'
import type { HostActions } from '../lab/lab'

/** Printing a report takes well under a second; a page that never loads must not hang the call. */
export const PDF_TIMEOUT_MS = 30_000

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Render the report in a hidden window and print it to PDF. The window is as locked down as
 * the app's own (sandbox, isolation, no Node) and runs no script at all: the report has none.
 */
export async function printReportPdf(htmlFile: string, pdfFile: string, timeoutMs = PDF_TIMEOUT_MS): Promise<void> {
  const win = new BrowserWindow({
    show: false,
    width: 1100,
    height: 1400,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  try {
    const pdf = await withTimeout(
      (async () => {
        await win.loadFile(htmlFile)
        return win.webContents.printToPDF({ printBackground: true, pageSize: 'A4', margins: { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 } })
      })(),
      timeoutMs,
      'printing the report'
    )
    await writeFile(pdfFile, pdf)
  } finally {
    if (!win.isDestroyed()) win.destroy()
  }
}

/** shell.openPath answers an error text, '' on success: turn it into a throw. */
export async function openFolder(path: string): Promise<void> {
  const error = await shell.openPath(path)
  if (error) throw new Error(`could not open ${path}: ${error}`)
}

export const electronHostActions: HostActions = { printToPdf: (html, pdf) => printReportPdf(html, pdf), openFolder }
