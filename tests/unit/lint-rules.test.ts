import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

// The dependency rules of ARCHITECTURE.md are lint errors. Lint known-bad fixtures as if they
// lived in each zone and expect the rule to fire; lint a clean one and expect silence.

const root = resolve(import.meta.dirname, '../..')
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'lint-fixtures', name), 'utf8')

let eslint: ESLint

async function lintAs(fixtureName: string, virtualPath: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(fixture(fixtureName), { filePath: join(root, virtualPath) })
  if (!result) throw new Error('no lint result')
  return result.messages.map((m) => ({ rule: m.ruleId, message: m.message }))
}

const restricted = (msgs: { rule: string | null; message: string }[]): string[] =>
  msgs.filter((m) => m.rule?.startsWith('no-restricted')).map((m) => m.message)

beforeAll(() => {
  eslint = new ESLint({ cwd: root })
}, 60_000)

describe('dependency rules (ARCHITECTURE.md)', () => {
  it("refuses an 'electron' import in the lab engine", async () => {
    const msgs = restricted(await lintAs('imports-electron.ts', 'electron/lab/cluster/fixture.ts'))
    expect(msgs).toHaveLength(1)
    expect(msgs[0]).toMatch(/Only electron\/main and electron\/preload may import 'electron'/)
  })

  it("refuses an 'electron' import in node-core and in the renderer", async () => {
    expect(restricted(await lintAs('imports-electron.ts', 'node-core/src/server/fixture.ts'))).toHaveLength(1)
    expect(restricted(await lintAs('imports-electron.ts', 'renderer/src/stores/fixture.ts'))).toHaveLength(1)
  })

  it("allows 'electron' in electron/main", async () => {
    expect(restricted(await lintAs('imports-electron.ts', 'electron/main/fixture.ts'))).toEqual([])
  })

  it('refuses electron/** imports from node-core', async () => {
    const msgs = restricted(await lintAs('imports-lab-from-node-core.ts', 'node-core/src/server/fixture.ts'))
    expect(msgs).toHaveLength(2)
    for (const m of msgs) expect(m).toMatch(/node-core must not import electron\/\*\*/)
  })

  it('lets the lab engine import node-core/src/protocol only', async () => {
    const msgs = restricted(await lintAs('lab-imports-node-core-internals.ts', 'electron/lab/fixture.ts'))
    expect(msgs).toEqual([expect.stringMatching(/may import only node-core\/src\/protocol/)])
    expect(restricted(await lintAs('clean-lab-module.ts', 'electron/lab/fixture.ts'))).toEqual([])
  })

  it('keeps raft/ free of I/O, timers, Date.now and Math.random', async () => {
    const msgs = restricted(await lintAs('impure-raft.ts', 'node-core/src/raft/fixture.ts'))
    expect(msgs.join('\n')).toMatch(/no node:\* imports/)
    expect(msgs.join('\n')).toMatch(/must not use setTimeout/)
    expect(msgs.join('\n')).toMatch(/Time moves only through tick\(\)/)
    expect(msgs.join('\n')).toMatch(/seeded generator/)
    // The same code is fine outside the pure core.
    expect(restricted(await lintAs('impure-raft.ts', 'node-core/src/server/fixture.ts'))).toEqual([])
  })

  it('lets only lab-client.ts touch window.lab, and keeps Node out of the renderer', async () => {
    const msgs = restricted(await lintAs('renderer-touches-window-lab.ts', 'renderer/src/stores/fixture.ts'))
    expect(msgs.join('\n')).toMatch(/Only renderer\/src\/api\/lab-client.ts touches window.lab/)
    expect(msgs.join('\n')).toMatch(/no node:\* modules/)
    const inClient = restricted(await lintAs('renderer-touches-window-lab.ts', 'renderer/src/api/lab-client.ts'))
    expect(inClient.join('\n')).not.toMatch(/window.lab/)
  })
})
