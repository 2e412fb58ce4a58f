import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { LabEvent } from '../../electron/lab/api'
import { Lab } from '../../electron/lab/lab'

export const repoRoot = resolve(import.meta.dirname, '../..')
export const nodeCoreBundle = join(repoRoot, 'out/node-core/index.cjs')
export const cliBundle = join(repoRoot, 'out/cli/index.cjs')
export const proxyHostBundle = join(repoRoot, 'out/proxy-host/index.cjs')

/** A lab on a fresh temp data root that records every event it publishes. */
export async function makeLab(): Promise<{ lab: Lab; events: LabEvent[]; dataRoot: string; dispose: () => Promise<void> }> {
  const dataRoot = await mkdtemp(join(tmpdir(), 'quorum-lab-it-'))
  const lab = new Lab({ dataRoot, nodeCoreScript: nodeCoreBundle, host: 'cli', version: 'test' })
  const events: LabEvent[] = []
  const off = lab.bus.subscribe((batch) => events.push(...batch), { flushMs: 10 })
  return {
    lab,
    events,
    dataRoot,
    dispose: async () => {
      await lab.shutdown()
      off()
      await rm(dataRoot, { recursive: true, force: true })
    }
  }
}
