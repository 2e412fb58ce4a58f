import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Entry } from '../raft/types'
import { DiskStorage } from './disk-storage'
import { fdatasync } from './fs-util'
import type { StorageLogRecord } from './hooks'

// Inject an fsync failure: the one I/O error a WAL must never paper over.
vi.mock(import('./fs-util'), async (importOriginal) => {
  const mod = await importOriginal()
  return { ...mod, fdatasync: vi.fn(mod.fdatasync) }
})

const ent = (index: number): Entry => ({ index, term: 1, type: 'normal', data: new Uint8Array([index]) })

describe('a failed fsync', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-walfail-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('rejects the batch, poisons the WAL for every later write, and is logged; a reopen recovers', async () => {
    const logs: StorageLogRecord[] = []
    const s = await DiskStorage.open(dir, { logger: (r) => logs.push(r) })
    await s.save({ entries: [ent(1)] }, true)
    vi.mocked(fdatasync).mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))
    const failing = s.save({ entries: [ent(2)] }, true)
    await expect(failing).rejects.toMatchObject({ code: 'FAILED', message: expect.stringMatching(/EIO.*restart the node/s) })
    await expect(s.save({ entries: [ent(3)] }, true)).rejects.toMatchObject({ code: 'FAILED' })
    await expect(s.sync()).rejects.toMatchObject({ code: 'FAILED' })
    expect(logs.some((l) => l.level === 'error' && l.msg.includes('refusing further writes'))).toBe(true)
    await s.close()
    const again = await DiskStorage.open(dir)
    // Entry 2 was written (not fsynced) before the failure: after a process restart it is there.
    expect(again.lastIndex()).toBe(2)
    await again.close()
  })
})
