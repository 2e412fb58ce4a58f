import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface Served {
  openUrl: string
  child: ChildProcess
  dataDir: string
  stop(): Promise<void>
}

/** Run the real `quorum-lab serve` from the build and wait for the link it prints. */
export async function serveLab(): Promise<Served> {
  const root = resolve(import.meta.dirname, '../..')
  const dataDir = mkdtempSync(join(tmpdir(), 'quorum-lab-e2e-'))
  const child = spawn(process.execPath, [join(root, 'out/cli/index.cjs'), 'serve', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  const openUrl = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`quorum-lab serve printed no link in 20 s: ${out}`)), 20_000)
    const onData = (c: Buffer): void => {
      out += c.toString()
      const m = /Open: (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        res(m[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => rej(new Error(`quorum-lab serve exited with ${code}: ${out}`)))
  })
  return {
    openUrl,
    child,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
