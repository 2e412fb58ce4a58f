// electron-builder's real pipeline against a stub Electron dist, so a broken packaging config
// fails here, offline (the real Electron download is unreachable on these machines).
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'quorum-lab-pack-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

it('packs the app with node-core unpacked beside app.asar and no node_modules', async () => {
  const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version
  const stub = join(work, 'electron-stub')
  mkdirSync(join(stub, 'resources'), { recursive: true })
  writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho stub electron\n')
  chmodSync(join(stub, 'electron'), 0o755)
  writeFileSync(join(stub, 'version'), electronVersion)
  const output = join(work, 'dist')

  const cli = join(root, 'node_modules/electron-builder/cli.js')
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [cli, '--linux', 'dir', `-c.electronDist=${stub}`, `-c.directories.output=${output}`, '--publish', 'never'],
    { cwd: root, env: { ...process.env, CI: 'true' }, maxBuffer: 16 << 20 }
  ).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`electron-builder failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`)
  })
  expect(`${stdout}${stderr}`).not.toMatch(/⨯/)

  const app = join(output, 'linux-unpacked')
  expect(existsSync(join(app, 'quorum-lab'))).toBe(true)
  const unpacked = join(app, 'resources/app.asar.unpacked/out/node-core/index.cjs')
  expect(existsSync(unpacked)).toBe(true)
  expect(existsSync(join(app, 'resources/resources/samples/cluster.conf'))).toBe(true)

  const require = createRequire(import.meta.url)
  const asar = require('@electron/asar') as { listPackage(p: string, o: object): string[] }
  const files = asar.listPackage(join(app, 'resources/app.asar'), {}).map((f) => f.replace(/\\/g, '/'))
  for (const f of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files).toContain(f)
  expect(files.some((f) => f.startsWith('/node_modules/'))).toBe(false)
  expect(files.some((f) => f.endsWith('.map'))).toBe(false)
}, 180_000)
