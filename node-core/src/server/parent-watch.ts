/**
 * Orphan guard: a node must never outlive the lab that started it, even when the lab is
 * SIGKILLed and cannot clean up. The IPC 'disconnect' event covers forked children; this
 * poll covers every other way of being spawned.
 */

/** True while a process with `pid` exists. EPERM means it exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Options for {@link watchParent}. */
export interface ParentWatchOptions {
  pid: number
  /** Called once, when the parent is found gone. */
  onGone: () => void
  intervalMs?: number
  /** Liveness probe; default: the pid exists and, if it was our parent, still is. */
  isAlive?: (pid: number) => boolean
}

/**
 * Poll every `intervalMs` (default 500 ms) until `pid` is gone, then call `onGone` once.
 * The timer is unref'd: watching never keeps the process alive. Returns a stop function.
 */
export function watchParent({ pid, onGone, intervalMs = 500, isAlive }: ParentWatchOptions): () => void {
  // A dead parent that nobody has reaped yet is a zombie and still answers kill(pid, 0), but
  // we are reparented the moment it dies, so a changed ppid means gone as well.
  const wasParent = process.ppid === pid
  const alive = isAlive ?? ((p: number) => isProcessAlive(p) && (!wasParent || process.ppid === p))
  const timer = setInterval(() => {
    if (alive(pid)) return
    clearInterval(timer)
    onGone()
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
