import { describe, it, expect } from 'vitest'
import { parseMainArgs, UsageError, USAGE } from './main-args'

function usageError(argv: string[], env: Record<string, string> = {}): UsageError {
  try {
    parseMainArgs(argv, env)
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError)
    return err as UsageError
  }
  throw new Error('expected a UsageError')
}

describe('parseMainArgs', () => {
  it('reads --home DIR and --home=DIR', () => {
    expect(parseMainArgs(['--home', '/n1'], {})).toEqual({ kind: 'run', home: '/n1', parentPid: undefined, logLevel: undefined })
    expect(parseMainArgs(['--home=/n 2'], {})).toMatchObject({ kind: 'run', home: '/n 2' })
  })

  it('reads --help, -h and --version, which win over everything else', () => {
    expect(parseMainArgs(['--help'], {})).toEqual({ kind: 'help' })
    expect(parseMainArgs(['-h'], {})).toEqual({ kind: 'help' })
    expect(parseMainArgs(['--version'], {})).toEqual({ kind: 'version' })
    expect(parseMainArgs(['--home', '/x', '--help'], {})).toEqual({ kind: 'help' })
    expect(USAGE).toContain('--home DIR')
  })

  it('requires --home with a non-empty value', () => {
    expect(usageError([]).message).toBe('--home DIR is required')
    expect(usageError(['--home=']).message).toBe('--home needs a directory')
    expect(usageError(['--home']).message).toContain("'--home <value>' argument missing")
    expect(usageError(['--home', '--help']).message).toContain('ambiguous')
  })

  it('rejects unknown options and positionals', () => {
    expect(usageError(['--home', '/x', '--port', '1']).message).toContain("Unknown option '--port'")
    expect(usageError(['--home', '/x', 'extra']).message).toContain("Unexpected argument 'extra'")
    expect(usageError(['--home', '/x', 'extra']).code).toBe('USAGE')
  })

  it('reads QUORUM_LAB_PARENT_PID and NODE_CORE_LOG_LEVEL', () => {
    expect(parseMainArgs(['--home', '/x'], { QUORUM_LAB_PARENT_PID: '1234', NODE_CORE_LOG_LEVEL: 'DEBUG' })).toMatchObject({
      parentPid: 1234,
      logLevel: 'debug'
    })
    expect(parseMainArgs(['--home', '/x'], { QUORUM_LAB_PARENT_PID: '', NODE_CORE_LOG_LEVEL: ' ' })).toMatchObject({
      parentPid: undefined,
      logLevel: undefined
    })
  })

  it.each(['abc', '0', '-5', '12.5', '1e3', '99999999999999999999'])('rejects QUORUM_LAB_PARENT_PID=%s', (value) => {
    expect(usageError(['--home', '/x'], { QUORUM_LAB_PARENT_PID: value }).message).toBe(
      `QUORUM_LAB_PARENT_PID must be a process id, got "${value}"`
    )
  })

  it('rejects an unknown log level', () => {
    expect(usageError(['--home', '/x'], { NODE_CORE_LOG_LEVEL: 'loud' }).message).toContain('NODE_CORE_LOG_LEVEL must be one of')
  })
})
