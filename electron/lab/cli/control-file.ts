/**
 * How `quorum-lab status` and `quorum-lab fault` find a running `quorum-lab up`: `up` serves
 * LabApi on a loopback WebSocket (the web bridge, same token rules) and writes its address and
 * token to `<dataRoot>/control.json`, readable by this user only. The file is removed when `up`
 * stops; a file left by a lab that died is recognised by its pid and reported as stale.
 */
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ControlInfo {
  /** ws://127.0.0.1:PORT/lab */
  wsUrl: string
  token: string
  pid: number
  runId: string
  startedAt: number
}

export const controlFilePath = (dataRoot: string): string => join(dataRoot, 'control.json')

export function writeControlFile(dataRoot: string, info: ControlInfo): void {
  const file = controlFilePath(dataRoot)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, file)
}

/** Remove the file if it is still ours (another `up` may have replaced it). */
export function removeControlFile(dataRoot: string, pid = process.pid): void {
  try {
    const cur = JSON.parse(readFileSync(controlFilePath(dataRoot), 'utf8')) as Partial<ControlInfo>
    if (cur.pid === pid) rmSync(controlFilePath(dataRoot), { force: true })
  } catch {
    // Gone or unreadable: nothing of ours to remove.
  }
}

export class ControlError extends Error {
  constructor(
    readonly code: 'NO_LAB' | 'STALE' | 'BAD_FILE',
    message: string
  ) {
    super(message)
    this.name = 'ControlError'
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Read and check the control file; errors say what to do. */
export function readControlFile(dataRoot: string): ControlInfo {
  const file = controlFilePath(dataRoot)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new ControlError('NO_LAB', `no running \`quorum-lab up\` found (no ${file}); start one with \`quorum-lab up\`${dataRoot ? ' using the same --data-dir' : ''}`)
  }
  let info: Partial<ControlInfo>
  try {
    info = JSON.parse(text) as Partial<ControlInfo>
  } catch {
    throw new ControlError('BAD_FILE', `${file} is not valid JSON; remove it and start \`quorum-lab up\` again`)
  }
  if (typeof info.wsUrl !== 'string' || typeof info.token !== 'string' || typeof info.pid !== 'number' || typeof info.runId !== 'string') {
    throw new ControlError('BAD_FILE', `${file} lacks wsUrl, token, pid or runId; remove it and start \`quorum-lab up\` again`)
  }
  if (!alive(info.pid)) {
    throw new ControlError('STALE', `the \`quorum-lab up\` that wrote ${file} (pid ${info.pid}) is gone; start a new one`)
  }
  return info as ControlInfo
}
