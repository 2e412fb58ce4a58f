import { appendFile, mkdir, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../tests/support/wait'
import { FileFollower } from './file-follower'

describe('FileFollower (real files)', () => {
  let dir: string
  let file: string
  let lines: string[]
  let follower: FileFollower | undefined

  const follow = (opts: { fromStart?: boolean } = {}): FileFollower => {
    follower = new FileFollower(file, (ls) => lines.push(...ls), { pollMs: 40, ...opts })
    return follower
  }
  const seen = (...want: string[]): Promise<true> =>
    waitFor(`lines ${JSON.stringify(want)} (have ${JSON.stringify(lines)})`, () => JSON.stringify(lines) === JSON.stringify(want), { timeoutMs: 3000 })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'follower-'))
    file = join(dir, 'app.log')
    lines = []
  })
  afterEach(async () => {
    await follower?.close()
    follower = undefined
    await rm(dir, { recursive: true, force: true })
  })

  it('starts at the end and reads appended lines', async () => {
    await writeFile(file, 'old 1\nold 2\n')
    const f = follow()
    // Make sure the follower has opened the file (at its end) before appending.
    await waitFor('follower opened', () => (f as unknown as { fh: unknown }).fh !== null)
    await appendFile(file, 'new 1\nnew 2\n')
    await seen('new 1', 'new 2')
  })

  it('reads from offset 0 when asked', async () => {
    await writeFile(file, 'a\nb\n')
    follow({ fromStart: true })
    await seen('a', 'b')
  })

  it('holds a partial last line until its newline arrives', async () => {
    await writeFile(file, '')
    follow({ fromStart: true })
    await appendFile(file, 'hel')
    await waitFor('partial read', () => (follower as unknown as { partial: string }).partial === 'hel', { timeoutMs: 3000 })
    expect(lines).toEqual([])
    await appendFile(file, 'lo\nwor')
    await seen('hello')
    await appendFile(file, 'ld\n')
    await seen('hello', 'world')
  })

  it('keeps multi-byte characters split across reads intact', async () => {
    await writeFile(file, '')
    follow({ fromStart: true })
    const bytes = Buffer.from('héllo ✓\n')
    await appendFile(file, bytes.subarray(0, 2))
    await waitFor('first half read', () => (follower as unknown as { offset: number }).offset === 2, { timeoutMs: 3000 })
    await appendFile(file, bytes.subarray(2))
    await seen('héllo ✓')
  })

  it('survives rotation: finishes the old file, then reads the new one from 0', async () => {
    await writeFile(file, 'one\n')
    follow({ fromStart: true })
    await seen('one')
    await appendFile(file, 'two\n')
    await rename(file, `${file}.1`)
    await writeFile(file, 'three\n')
    await seen('one', 'two', 'three')
    await appendFile(file, 'four\n')
    await seen('one', 'two', 'three', 'four')
  })

  it('restarts from 0 after truncation', async () => {
    await writeFile(file, 'first line that is long\n')
    follow({ fromStart: true })
    await seen('first line that is long')
    await truncate(file, 0)
    await waitFor('truncation noticed', () => (follower as unknown as { offset: number }).offset === 0, { timeoutMs: 3000 })
    await appendFile(file, 'x\n')
    await seen('first line that is long', 'x')
  })

  it('waits for a file (and directory) created late, and reads it from 0', async () => {
    file = join(dir, 'later', 'app.log')
    follow()
    await new Promise((r) => setTimeout(r, 100))
    await mkdir(join(dir, 'later'))
    await writeFile(file, 'born\n')
    await seen('born')
  })

  it('reports nothing after close', async () => {
    await writeFile(file, '')
    const f = follow({ fromStart: true })
    await f.close()
    await f.close()
    await appendFile(file, 'late\n')
    f.kick()
    await new Promise((r) => setTimeout(r, 150))
    expect(lines).toEqual([])
  })
})
