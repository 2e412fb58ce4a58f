import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const r = (p: string): string => resolve(import.meta.dirname, p)

/**
 * Standalone Node bundles, one file each, with every dependency inlined so they run with
 * plain `node` and with Electron's binary under ELECTRON_RUN_AS_NODE=1, no node_modules:
 *   --mode node-core → out/node-core/index.cjs  (the server the lab spawns)
 *   --mode cli       → out/cli/index.cjs        (quorum-lab serve | up)
 *   --mode proxy-host → out/proxy-host/index.cjs (the lab's link proxies, in their own process)
 * CommonJS with a .cjs name so package.json's "type" cannot change how they load.
 */
const entries: Record<string, string> = {
  'node-core': 'node-core/src/main.ts',
  cli: 'electron/lab/cli/bin.ts',
  'proxy-host': 'electron/lab/proxy/host-bin.ts'
}

export default defineConfig(({ mode }) => {
  const entry = entries[mode]
  if (!entry) throw new Error(`vite.standalone.config.ts: --mode must be one of ${Object.keys(entries).join(', ')}`)
  return {
    build: {
      ssr: r(entry),
      outDir: r(`out/${mode}`),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: 'index.cjs' } }
    },
    ssr: { noExternal: true, target: 'node' }
  }
})
