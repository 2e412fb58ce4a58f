import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DirLock, formatLockFile, isOwnerAlive, parseLockFile, processStartTicks } from './dir-lock'
import type { StorageLogRecord } from './hooks'

describe('DirLock', () => {
  let dir: string
  let logs: StorageLogRecord[]
  const log = (r: StorageLogRecord): void => void logs.push(r)
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-lock-'))
    logs = []
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('writes our pid, refuses a second holder in this process, and releases', async () => {
    const file = join(dir, 'LOCK')
    const lock = await DirLock.acquire(file, log)
    expect(parseLockFile(await readFile(file, 'utf8'))?.pid).toBe(process.pid)
    await expect(DirLock.acquire(file, log)).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/already open in this process/) })
    await lock.release()
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' })
    await (await DirLock.acquire(file, log)).release()
  })

  it('refuses while another live process holds it', async () => {
    const file = join(dir, 'LOCK')
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    try {
      await writeFile(file, formatLockFile({ pid: child.pid!, startTicks: processStartTicks(child.pid!) }))
      await expect(DirLock.acquire(file, log)).rejects.toMatchObject({
        code: 'LOCKED',
        message: expect.stringContaining(`in use by process ${child.pid}`)
      })
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('takes over a stale lock: a dead pid, a reused pid, our own pid from a previous life, garbage', async () => {
    const file = join(dir, 'LOCK')
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    const deadPid = dead.pid!
    await new Promise((r) => dead.on('exit', r))
    const ticks = processStartTicks(process.ppid)
    const cases = [
      formatLockFile({ pid: deadPid, startTicks: undefined }),
      ...(ticks === undefined ? [] : [formatLockFile({ pid: process.ppid, startTicks: ticks + 1 })]),
      formatLockFile({ pid: process.pid, startTicks: undefined }),
      'not a pid\n',
      ''
    ]
    for (const content of cases) {
      await writeFile(file, content)
      const lock = await DirLock.acquire(file, log)
      expect(parseLockFile(await readFile(file, 'utf8'))?.pid).toBe(process.pid)
      await lock.release()
    }
    expect(logs.filter((l) => l.msg === 'taking over a stale storage lock')).toHaveLength(cases.length)
  })

  it('judges owners by pid and start time', () => {
    expect(isOwnerAlive({ pid: process.ppid, startTicks: undefined })).toBe(true)
    const t = processStartTicks(process.ppid)
    if (t !== undefined) {
      expect(isOwnerAlive({ pid: process.ppid, startTicks: t })).toBe(true)
      expect(isOwnerAlive({ pid: process.ppid, startTicks: t + 5 })).toBe(false)
    }
    expect(parseLockFile('123\n456\n')).toEqual({ pid: 123, startTicks: 456 })
    expect(parseLockFile('123\n\n')).toEqual({ pid: 123, startTicks: undefined })
    expect(parseLockFile('-4\n')).toBeUndefined()
  })
})
