import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TransportLogRecord } from './hooks'
import type { RoutingTable } from './routing-table'
import { RoutingWatcher } from './routing-watcher'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(initial?: string): Promise<{ file: string; watcher: RoutingWatcher; changes: RoutingTable[]; logs: TransportLogRecord[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'quorum-routes-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'routes.json')
  if (initial !== undefined) await writeFile(file, initial)
  const changes: RoutingTable[] = []
  const logs: TransportLogRecord[] = []
  // A long poll interval: the tests drive re-checks through trigger() (what fs.watch and the
  // poll call), so they never depend on timing.
  const watcher = new RoutingWatcher({ file, pollMs: 60_000, log: (level, msg, fields) => logs.push({ level, msg, fields }), onChange: (r) => changes.push(r) })
  cleanups.push(() => watcher.close())
  return { file, watcher, changes, logs }
}

describe('RoutingWatcher', () => {
  it('starts with no routes when the file is absent, and picks it up when it appears', async () => {
    const { file, watcher, changes } = await setup()
    expect((await watcher.start()).size).toBe(0)
    await writeFile(file, '{"127.0.0.1:28848": "127.0.0.1:41001"}')
    await watcher.trigger()
    expect(changes).toHaveLength(1)
    expect(changes[0]!.get('127.0.0.1:28848')).toEqual({ host: '127.0.0.1', port: 41001 })
  })

  it('throws ROUTING_FILE at start when the file is invalid', async () => {
    const { watcher } = await setup('{"127.0.0.1:28848": 1}')
    await expect(watcher.start()).rejects.toMatchObject({ code: 'ROUTING_FILE', message: expect.stringContaining('"127.0.0.1:28848"') })
  })

  it('follows atomic replacement, keeps the old routes on a bad version, and drops routes when the file goes', async () => {
    const { file, watcher, changes, logs } = await setup('{"127.0.0.1:28848": "127.0.0.1:41001"}')
    expect((await watcher.start()).size).toBe(1)
    // Replace by rename (what the lab does): a new inode.
    await writeFile(`${file}.tmp`, '{"127.0.0.1:28848": "127.0.0.1:41009", "127.0.0.1:28849": "127.0.0.1:41010"}')
    await rename(`${file}.tmp`, file)
    await watcher.trigger()
    expect(changes.at(-1)!.get('127.0.0.1:28848')!.port).toBe(41009)
    expect(changes.at(-1)!.size).toBe(2)

    await writeFile(file, '{"127.0.0.1:28848": "127.0.0.1:4')
    await watcher.trigger()
    expect(changes).toHaveLength(1)
    expect(watcher.current.size).toBe(2)
    // fs.watch may also have seen the write half-done: at least this version was rejected.
    expect(watcher.errors).toBeGreaterThanOrEqual(1)
    expect(logs.find((l) => l.level === 'error')?.msg).toBe('routing file rejected; keeping the previous routes')

    // Same content rewritten: no change reported.
    await writeFile(file, '{"127.0.0.1:28849": "127.0.0.1:41010", "127.0.0.1:28848": "127.0.0.1:41009"}')
    await watcher.trigger()
    expect(changes).toHaveLength(1)

    await unlink(file)
    await watcher.trigger()
    expect(changes).toHaveLength(2)
    expect(changes.at(-1)!.size).toBe(0)
  })

  it('notices a change through fs.watch or the poll without being asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quorum-routes-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const file = join(dir, 'routes.json')
    await writeFile(file, '{}')
    let seen: RoutingTable | undefined
    const w = new RoutingWatcher({ file, pollMs: 50, log: () => {}, onChange: (r) => (seen = r) })
    cleanups.push(() => w.close())
    await w.start()
    await writeFile(file, '{"127.0.0.1:28848": "127.0.0.1:41001"}')
    const deadline = Date.now() + 5_000
    while (!seen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(seen?.size).toBe(1)
  })
})
