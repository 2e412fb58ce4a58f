import { fork, type ChildProcess } from 'node:child_process'

/** How a child ended: exactly one of code / signal is set, as Node reports it. */
export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface SpawnOptions {
  args: string[]
  cwd?: string
  env?: Record<string, string>
  /** Node/V8 flags for the child (e.g. heap sizing); never the host's own. */
  nodeFlags?: readonly string[]
}

/**
 * Spawn a standalone Node bundle (node-core) as a real child process. One code path for every
 * host: under Electron `process.execPath` is the Electron binary and ELECTRON_RUN_AS_NODE=1
 * makes it plain Node; under Node (tests, CLI) the variable is ignored.
 *
 * The child gets an IPC channel and our pid: node-core shuts down when the channel drops or
 * the pid disappears, so a lab that is SIGKILLed leaves no node behind.
 */
export function spawnNodeScript(script: string, { args, cwd, env, nodeFlags = [] }: SpawnOptions): ChildProcess {
  return fork(script, args, {
    cwd,
    execPath: process.execPath,
    // Never pass on the host's loaders or inspector flags (vitest, tsx, --inspect).
    execArgv: [...nodeFlags],
    env: {
      ...process.env,
      ...env,
      ELECTRON_RUN_AS_NODE: '1',
      QUORUM_LAB_PARENT_PID: String(process.pid)
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json'
  })
}

/** Resolve with the exit of `child` (at once if it has already exited). */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
}

/** Keep the last `max` characters of a stream, for error messages about a dead child. */
export class TextTail {
  private text = ''
  constructor(private readonly max = 4096) {}
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.max)
  }
  toString(): string {
    return this.text
  }
}
