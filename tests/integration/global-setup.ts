import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

/**
 * Build everything the integration tests run (the Electron bundles, node-core, the CLI), so
 * they never test a stale build. `npm test` builds first and sets QUORUM_SKIP_BUILD=1.
 */
export default function setup(): void {
  if (process.env.QUORUM_SKIP_BUILD === '1') return
  const root = resolve(import.meta.dirname, '../..')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  execFileSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
}
