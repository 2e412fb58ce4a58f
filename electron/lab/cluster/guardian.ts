/**
 * The orphan guardian: one small watcher process per cluster that kills the lab's nodes when
 * the lab dies without running any code (SIGKILL, a crash).
 *
 * node-core already exits when its IPC channel drops or its parent pid vanishes, but a node
 * frozen with SIGSTOP runs no code and cannot notice. The guardian is told every node pid as
 * it changes; when its own parent (the lab) goes, it SIGCONTs and SIGKILLs each one, then
 * exits. It is not detached: it shares the lab's process group, so a terminal's Ctrl-C reaches
 * it too (it ignores SIGINT/SIGHUP and waits for the lab to go, so a lab that handles SIGINT
 * and stops its cluster cleanly is not raced).
 */
import { spawn, type ChildProcess } from 'node:child_process'

/**
 * The guardian itself, run with `node -e`. Protocol on its stdin, one line each: `+<pid>`
 * watch, `-<pid>` forget, `q` exit without killing (the lab stopped its cluster itself).
 * The lab going away shows as stdin's end (the pipe's only writer died) and, as a second
 * witness, as a change of our parent pid (reparenting).
 */
export const GUARDIAN_SCRIPT = `
const pids = new Set()
const parent = process.ppid
let buf = ''
let done = false
function reap() {
  if (done) return
  done = true
  for (const p of pids) {
    try { process.kill(p, 'SIGCONT') } catch {}
    try { process.kill(p, 'SIGKILL') } catch {}
  }
  process.exit(0)
}
process.on('SIGINT', () => {})
process.on('SIGHUP', () => {})
process.on('SIGTERM', reap)
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  buf += chunk
  let i
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i).trim()
    buf = buf.slice(i + 1)
    if (line === 'q') process.exit(0)
    const pid = Number(line.slice(1))
    if (!Number.isInteger(pid) || pid <= 0) continue
    if (line[0] === '+') pids.add(pid)
    else if (line[0] === '-') pids.delete(pid)
  }
})
process.stdin.on('end', reap)
process.stdin.on('error', reap)
setInterval(() => { if (process.ppid !== parent) reap() }, 250)
`

/** One stdin line of the guardian protocol. */
export const guardianLine = (op: '+' | '-', pid: number): string => `${op}${pid}\n`

/** How to start a guardian: the same binary as the lab, as plain Node (also under Electron). */
export function guardianCommand(): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return { command: process.execPath, args: ['-e', GUARDIAN_SCRIPT], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }
}

export class Guardian {
  private readonly child: ChildProcess
  private closed = false

  private constructor(child: ChildProcess) {
    this.child = child
  }

  /** Spawn the guardian; it never keeps the lab's event loop alive. */
  static start(): Guardian {
    const { command, args, env } = guardianCommand()
    const child = spawn(command, args, { env, stdio: ['pipe', 'ignore', 'ignore'] })
    const g = new Guardian(child)
    child.on('error', () => {
      // Could not spawn (or it died): the other orphan guards still hold; nothing to do here.
      g.closed = true
    })
    child.on('exit', () => (g.closed = true))
    child.stdin?.on('error', () => (g.closed = true))
    child.unref()
    ;(child.stdin as unknown as { unref?: () => void } | null)?.unref?.()
    return g
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  get alive(): boolean {
    return !this.closed && this.child.exitCode === null && this.child.signalCode === null
  }

  watch(pid: number): void {
    this.send(guardianLine('+', pid))
  }

  forget(pid: number): void {
    this.send(guardianLine('-', pid))
  }

  /** Let the guardian go without killing anything (the lab stopped its nodes itself). */
  close(): void {
    if (!this.alive) return
    this.send('q\n')
    this.closed = true
    this.child.stdin?.end()
  }

  private send(line: string): void {
    if (!this.alive) return
    this.child.stdin?.write(line)
  }
}
