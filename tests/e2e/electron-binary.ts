import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Where Electron's binary would be, found the way node_modules/electron/index.js finds it but
 * without calling it: requiring 'electron' from Node starts a download, which cannot work here.
 */
export function electronBinary(): { path?: string; reason?: string } {
  const require = createRequire(import.meta.url)
  let pkgDir: string
  try {
    pkgDir = dirname(require.resolve('electron/package.json'))
  } catch {
    return { reason: 'the electron npm package is not installed' }
  }
  const pathTxt = join(pkgDir, 'path.txt')
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : 'electron'
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const bin = override ? join(override, rel) : join(pkgDir, 'dist', rel)
  return existsSync(bin)
    ? { path: bin }
    : {
        reason: `Electron binary unavailable (${bin} is missing; its download is not reachable from this machine). Set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron dist to run this test.`
      }
}
