import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

/** Build the node-core and CLI bundles the integration tests spawn, so they never test a stale build. */
export default function setup(): void {
  if (process.env.QUORUM_SKIP_BUILD === '1') return
  const root = resolve(import.meta.dirname, '../..')
  for (const mode of ['node-core', 'cli']) {
    execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.standalone.config.ts', '--mode', mode, '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit'
    })
  }
}
