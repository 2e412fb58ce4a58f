/**
 * Small promise wrappers over node:fs callbacks for the write path (cheaper than FileHandle),
 * and the directory fsync that makes a create, rename or unlink durable.
 */
import * as fs from 'node:fs'

export function openFile(path: string, flags: string, mode = 0o644): Promise<number> {
  return new Promise((resolve, reject) => fs.open(path, flags, mode, (err, fd) => (err ? reject(err) : resolve(fd))))
}

export function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve())))
}

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())))
}

export function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())))
}

export function ftruncate(fd: number, len: number): Promise<void> {
  return new Promise((resolve, reject) => fs.ftruncate(fd, len, (err) => (err ? reject(err) : resolve())))
}

/** Write all of `buf` at the file's current position (looping over short writes). */
export async function writeAll(fd: number, buf: Buffer): Promise<void> {
  let off = 0
  while (off < buf.length) {
    const n = await new Promise<number>((resolve, reject) =>
      fs.write(fd, buf, off, buf.length - off, null, (err, written) => (err ? reject(err) : resolve(written)))
    )
    if (n <= 0) throw new Error(`write returned ${n} with ${buf.length - off} bytes left`)
    off += n
  }
}

/**
 * Write all of `buf` at the file's current position, synchronously. For the WAL's appends: a
 * write(2) into the page cache takes microseconds, less than the round trip through libuv's
 * thread pool (and the wake-ups) that the async write costs before the fsync can even start.
 */
export function writeAllSync(fd: number, buf: Buffer): void {
  let off = 0
  while (off < buf.length) {
    const n = fs.writeSync(fd, buf, off, buf.length - off, null)
    if (n <= 0) throw new Error(`write returned ${n} with ${buf.length - off} bytes left`)
    off += n
  }
}

/**
 * fsync a directory, so that entries created, renamed or removed in it survive a power loss.
 * Windows cannot open a directory for fsync (and NTFS journals metadata anyway): skipped there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const fd = await openFile(dir, 'r')
  try {
    await fsyncFd(fd)
  } finally {
    await closeFile(fd)
  }
}

export const isErrno = (e: unknown, code: string): boolean => (e as NodeJS.ErrnoException | undefined)?.code === code
