/**
 * One process per data directory. Two node-core processes appending to the same WAL would
 * interleave frames and destroy it, so the directory holds a `LOCK` file created with O_EXCL
 * that names its owner:
 *
 *     <pid>\n<start time in clock ticks since boot, from /proc/<pid>/stat, when known>\n
 *
 * A LOCK left by a process that is gone (SIGKILL, a crash) is stale and taken over. The start
 * time tells a reused pid from the original owner (a container restarts node-core with the same
 * small pid). Why not flock(2): Node has no binding for it without a native addon.
 *
 * Known limit: two processes taking over the same stale LOCK at the same instant could both
 * succeed (unlink + create is not atomic). The lab never starts two nodes on one directory; the
 * lock guards against people and scripts doing so by mistake, which it does.
 */
import { readFileSync } from 'node:fs'
import { readFile, unlink, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { StorageError, describeError } from './errors'
import { isErrno } from './fs-util'
import { safely, type StorageLogger } from './hooks'

/** Lock files this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>()

export interface LockOwner {
  pid: number
  startTicks: number | undefined
}

/** The start time of a process in clock ticks since boot (Linux), or undefined. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command (which may contain spaces and parentheses): state is the 3rd
    // field overall, starttime the 22nd.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const v = Number(rest[19])
    return Number.isSafeInteger(v) ? v : undefined
  } catch {
    return undefined
  }
}

function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
  } catch {
    return undefined
  }
}

export function parseLockFile(text: string): LockOwner | undefined {
  const [pidText, ticksText] = text.split('\n')
  const pid = Number(pidText)
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined
  const ticks = ticksText ? Number(ticksText) : NaN
  return { pid, startTicks: Number.isSafeInteger(ticks) ? ticks : undefined }
}

export function formatLockFile(owner: LockOwner): string {
  return `${owner.pid}\n${owner.startTicks ?? ''}\n`
}

/** Is the process named in a LOCK file still the one that wrote it? */
export function isOwnerAlive(owner: LockOwner): boolean {
  // Our own pid but not held by this process: a previous incarnation that had the same pid.
  if (owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
  } catch (e) {
    // EPERM: it exists but belongs to another user; that still counts as alive.
    if (!isErrno(e, 'EPERM')) return false
  }
  if (processState(owner.pid) === 'Z') return false
  if (owner.startTicks !== undefined) {
    const now = processStartTicks(owner.pid)
    if (now !== undefined && now !== owner.startTicks) return false
  }
  return true
}

export class DirLock {
  private released = false

  private constructor(
    readonly file: string,
    private readonly content: string
  ) {}

  /** Take the LOCK file, taking over a stale one; refuse with `LOCKED` while its owner lives. */
  static async acquire(file: string, logger: StorageLogger): Promise<DirLock> {
    const path = resolve(file)
    if (heldHere.has(path)) {
      throw new StorageError('LOCKED', `the data directory of ${path} is already open in this process (pid ${process.pid}); close it first`, { file: path })
    }
    const content = formatLockFile({ pid: process.pid, startTicks: processStartTicks(process.pid) })
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        // 'wx': O_CREAT | O_EXCL, the only atomic test-and-set a plain filesystem offers.
        await writeFile(path, content, { flag: 'wx', mode: 0o644 })
        heldHere.add(path)
        return new DirLock(path, content)
      } catch (e) {
        if (!isErrno(e, 'EEXIST')) {
          throw new StorageError('LOCKED', `cannot create the lock file ${path}: ${describeError(e)}`, { file: path, cause: e })
        }
      }
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (e) {
        if (isErrno(e, 'ENOENT')) continue // released between our create and our read: try again
        throw new StorageError('LOCKED', `cannot read the lock file ${path}: ${describeError(e)}`, { file: path, cause: e })
      }
      const owner = parseLockFile(text)
      if (owner && isOwnerAlive(owner)) {
        throw new StorageError(
          'LOCKED',
          `the data directory is in use by process ${owner.pid} (lock file ${path}). Two processes must never share a data ` +
            'directory: stop that process first, or delete the lock file if you are certain it is not running.',
          { file: path }
        )
      }
      safely(() =>
        logger({
          level: 'warn',
          msg: 'taking over a stale storage lock',
          fields: { file: path, previousOwner: owner?.pid ?? null, content: owner ? undefined : text.slice(0, 64) }
        })
      )
      try {
        await unlink(path)
      } catch (e) {
        if (!isErrno(e, 'ENOENT')) throw new StorageError('LOCKED', `cannot remove the stale lock file ${path}: ${describeError(e)}`, { file: path, cause: e })
      }
    }
    throw new StorageError('LOCKED', `could not acquire the lock file ${path}: another process keeps recreating it`, { file: path })
  }

  /** Remove the LOCK file (only if it is still ours). Idempotent. */
  async release(): Promise<void> {
    if (this.released) return
    this.released = true
    heldHere.delete(this.file)
    try {
      if ((await readFile(this.file, 'utf8')) === this.content) await unlink(this.file)
    } catch {
      // Already gone, or unreadable: nothing of ours to remove.
    }
  }
}
