import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, it, expect } from 'vitest'
import { NODE_LOG_FILES } from '../protocol/admin'
import { createNodeLoggers, type NodeLoggers } from './logger'

const homes: string[] = []
const open: NodeLoggers[] = []

function setup(level?: 'debug' | 'info'): { home: string; loggers: NodeLoggers } {
  const home = mkdtempSync(join(tmpdir(), 'node-core-log-'))
  homes.push(home)
  const loggers = createNodeLoggers({ home, node: '127.0.0.1:8848', ...(level ? { level } : {}) })
  open.push(loggers)
  return { home, loggers }
}

/** The end of the current event-loop turn, when the loggers write what the turn logged. */
const turnEnd = (): Promise<void> => new Promise((r) => setImmediate(r))

function lines(home: string, file: string): Record<string, unknown>[] {
  const text = readFileSync(join(home, 'logs', file), 'utf8')
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

afterEach(async () => {
  for (const l of open.splice(0)) await l.close()
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true })
})

describe('createNodeLoggers', () => {
  it('creates logs/ and the four Nacos files', () => {
    const { home, loggers } = setup()
    expect(loggers.dir).toBe(join(home, 'logs'))
    for (const f of ['nacos.log', 'naming-server.log', 'config-server.log', 'nacos-cluster.log']) {
      expect(existsSync(join(home, 'logs', f))).toBe(true)
    }
    expect(Object.values(NODE_LOG_FILES).sort()).toEqual(['config-server.log', 'nacos-cluster.log', 'nacos.log', 'naming-server.log'])
  })

  it('writes one JSON object per line with time, level label, node and msg', async () => {
    const { home, loggers } = setup()
    const before = Date.now()
    loggers.main.info({ answer: 42 }, 'hello')
    loggers.main.warn('careful')
    await turnEnd()
    const [first, second] = lines(home, 'nacos.log')
    expect(first).toMatchObject({ level: 'info', node: '127.0.0.1:8848', msg: 'hello', answer: 42 })
    expect(second).toMatchObject({ level: 'warn', msg: 'careful' })
    expect(typeof first?.time).toBe('number')
    expect(first?.time as number).toBeGreaterThanOrEqual(before)
    expect(first?.time as number).toBeLessThanOrEqual(Date.now())
    expect(first).not.toHaveProperty('pid')
    expect(first).not.toHaveProperty('hostname')
  })

  it('routes each channel to its own file', async () => {
    const { home, loggers } = setup()
    loggers.naming.info('n')
    loggers.config.info('c')
    loggers.cluster.info('k')
    await turnEnd()
    expect(lines(home, 'naming-server.log').map((l) => l.msg)).toEqual(['n'])
    expect(lines(home, 'config-server.log').map((l) => l.msg)).toEqual(['c'])
    expect(lines(home, 'nacos-cluster.log').map((l) => l.msg)).toEqual(['k'])
    expect(lines(home, 'nacos.log')).toEqual([])
  })

  it('writes a turn\'s lines in one go when the turn ends (a SIGKILL loses at most that turn)', async () => {
    const { home, loggers } = setup()
    for (let i = 0; i < 100; i++) loggers.main.info({ i }, 'line')
    // Batched: not one write(2) per line while the turn runs...
    expect(lines(home, 'nacos.log')).toHaveLength(0)
    // ...and all of them on disk right after it.
    await turnEnd()
    expect(lines(home, 'nacos.log').map((l) => l.i)).toEqual([...Array(100).keys()])
  })

  it('flush() puts buffered lines on disk at once (uncaught errors, exit)', () => {
    const { home, loggers } = setup()
    loggers.main.info('before a crash')
    loggers.flush()
    expect(lines(home, 'nacos.log')).toMatchObject([{ msg: 'before a crash' }])
  })

  it('honours the level: debug lines only when asked for', async () => {
    const quiet = setup()
    quiet.loggers.main.debug('hidden')
    await turnEnd()
    expect(lines(quiet.home, 'nacos.log')).toEqual([])
    const verbose = setup('debug')
    verbose.loggers.main.debug('shown')
    await turnEnd()
    expect(lines(verbose.home, 'nacos.log')).toMatchObject([{ level: 'debug', msg: 'shown' }])
  })

  it('serialises errors with message and stack', async () => {
    const { home, loggers } = setup()
    loggers.main.error({ err: new Error('boom') }, 'failed')
    await turnEnd()
    const [line] = lines(home, 'nacos.log')
    expect(line).toMatchObject({ level: 'error', msg: 'failed', err: { message: 'boom', type: 'Error' } })
  })

  it('appends to existing files across restarts', async () => {
    const { home, loggers } = setup()
    loggers.main.info('first run')
    await loggers.close()
    const again = createNodeLoggers({ home, node: '127.0.0.1:8848' })
    open.push(again)
    again.main.info('second run')
    await turnEnd()
    expect(lines(home, 'nacos.log').map((l) => l.msg)).toEqual(['first run', 'second run'])
  })

  it('closes idempotently and drops later lines instead of throwing', async () => {
    const { home, loggers } = setup()
    loggers.main.info('before')
    loggers.flush()
    const a = loggers.close()
    const b = loggers.close()
    expect(a).toBe(b)
    await a
    expect(() => loggers.main.info('after')).not.toThrow()
    expect(() => loggers.flush()).not.toThrow()
    expect(lines(home, 'nacos.log').map((l) => l.msg)).toEqual(['before'])
  })
})
