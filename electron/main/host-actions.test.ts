import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

// No Electron binary here: BrowserWindow and shell are fakes that record what main asks.
const fake = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; loadFile: ReturnType<typeof vi.fn>; destroyed: boolean; printToPDF: ReturnType<typeof vi.fn> }[],
  loadNever: false,
  openPathAnswer: ''
}))

vi.mock('electron', () => {
  class BrowserWindow {
    destroyed = false
    printToPDF = vi.fn(async () => Buffer.from('%PDF-1.7 fake'))
    webContents = { printToPDF: this.printToPDF }
    loadFile = vi.fn(() => (fake.loadNever ? new Promise(() => {}) : Promise.resolve()))
    constructor(public options: Record<string, unknown>) {
      fake.windows.push(this)
    }
    isDestroyed = (): boolean => this.destroyed
    destroy = (): void => {
      this.destroyed = true
    }
  }
  return { BrowserWindow, shell: { openPath: vi.fn(async () => fake.openPathAnswer) } }
})

const { printReportPdf, openFolder } = await import('./host-actions')

const dirs: string[] = []
afterEach(() => {
  fake.windows.length = 0
  fake.loadNever = false
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('printReportPdf', () => {
  it('prints the report from a hidden, sandboxed, script-less window and closes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ql-pdf-'))
    dirs.push(dir)
    await printReportPdf(join(dir, 'report.html'), join(dir, 'report.pdf'))
    expect(fake.windows).toHaveLength(1)
    const win = fake.windows[0]!
    expect(win.options).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } })
    expect(win.loadFile).toHaveBeenCalledWith(join(dir, 'report.html'))
    expect(win.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ printBackground: true }))
    expect(readFileSync(join(dir, 'report.pdf'), 'utf8')).toBe('%PDF-1.7 fake')
    expect(win.destroyed).toBe(true)
  })

  it('gives up on a page that never loads, and still closes the window', async () => {
    fake.loadNever = true
    await expect(printReportPdf('/nowhere/report.html', '/nowhere/report.pdf', 50)).rejects.toThrow(/longer than 50 ms/)
    expect(fake.windows[0]!.destroyed).toBe(true)
  })
})

describe('openFolder', () => {
  it('opens the folder, and turns shell.openPath error text into a failure', async () => {
    const { shell } = await import('electron')
    await openFolder('/data/lab')
    expect(shell.openPath).toHaveBeenCalledWith('/data/lab')
    fake.openPathAnswer = 'Failed to open path'
    await expect(openFolder('/data/lab')).rejects.toThrow(/Failed to open path/)
    fake.openPathAnswer = ''
  })
})
