import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../tests/support/wait'
import type { LogLine } from './log-line'
import { LogTails } from './log-tails'

const json = (level: string, msg: string): string => `${JSON.stringify({ level, time: 1, node: 'n', msg })}\n`

describe('LogTails (real files)', () => {
  let root: string
  let tails: LogTails | undefined

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tails-'))
  })
  afterEach(async () => {
    await tails?.close()
    await rm(root, { recursive: true, force: true })
  })

  const home = async (n: number): Promise<string> => {
    const h = join(root, `node-${n}`)
    await mkdir(join(h, 'logs'), { recursive: true })
    return h
  }

  it('follows the four files of every node, batches parsed lines, counts per node and file', async () => {
    const h1 = await home(1)
    const h2 = await home(2)
    await writeFile(join(h1, 'logs/nacos.log'), json('info', 'node-core started'))
    const batches: LogLine[][] = []
    tails = new LogTails({ onLines: (b) => batches.push(b), pollMs: 40, flushMs: 10 })
    await tails.setNodes([
      { id: 1, home: h1 },
      { id: 2, home: h2 }
    ])
    await appendFile(join(h2, 'logs/config-server.log'), json('info', 'config published a'))
    await appendFile(join(h2, 'logs/nacos-cluster.log'), json('warn', 'cannot reach peer') + 'not json\n')
    await appendFile(join(h1, 'logs/naming-server.log'), `${JSON.stringify({ level: 50, time: 2, msg: 'boom' })}\n`)
    await waitFor('5 lines delivered', () => batches.flat().length === 5, { timeoutMs: 3000 })
    const all = tails.query()
    expect(all).toHaveLength(5)
    expect(tails.query({ nodes: [2], files: ['cluster'] }).map((l) => l.level)).toEqual(['warn', 'unknown'])
    expect(tails.query({ levels: ['error'] })).toMatchObject([{ nodeId: 1, file: 'naming', msg: 'boom' }])
    expect(tails.query({ text: 'STARTED' })).toMatchObject([{ nodeId: 1, file: 'main' }])
    const s = tails.stats()
    expect(s.total).toBe(5)
    expect(s.counters.find((c) => c.nodeId === 2 && c.file === 'cluster')).toEqual({ nodeId: 2, file: 'cluster', lines: 2, byLevel: { warn: 1, unknown: 1 } })
  })

  it('keeps a bounded ring and answers the newest matches, oldest first', async () => {
    const h1 = await home(1)
    tails = new LogTails({ capacity: 10, pollMs: 40 })
    await tails.setNodes([{ id: 1, home: h1 }])
    await appendFile(join(h1, 'logs/nacos.log'), Array.from({ length: 25 }, (_, i) => json(i % 2 ? 'warn' : 'info', `m${i}`)).join(''))
    await waitFor('25 lines read', () => tails!.stats().total === 25, { timeoutMs: 3000 })
    expect(tails.stats()).toMatchObject({ held: 10, evicted: 15 })
    expect(tails.query({}, 3).map((l) => l.msg)).toEqual(['m22', 'm23', 'm24'])
    expect(tails.query({ levels: ['warn'] }).map((l) => l.msg)).toEqual(['m15', 'm17', 'm19', 'm21', 'm23'])
  })

  it('stops following a node removed from the set', async () => {
    const h1 = await home(1)
    tails = new LogTails({ pollMs: 40 })
    await tails.setNodes([{ id: 1, home: h1 }])
    await appendFile(join(h1, 'logs/nacos.log'), json('info', 'a'))
    await waitFor('first line', () => tails!.stats().total === 1, { timeoutMs: 3000 })
    await tails.setNodes([])
    await appendFile(join(h1, 'logs/nacos.log'), json('info', 'b'))
    await new Promise((r) => setTimeout(r, 150))
    expect(tails.stats().total).toBe(1)
  })

  it('refuses a bad capacity, naming it', () => {
    expect(() => new LogTails({ capacity: 0 })).toThrow(/capacity/)
  })
})
