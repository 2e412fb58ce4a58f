import { Writable } from 'node:stream'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { expireCommand, setHealthCommand, type ApplyResult } from '../fsm'
import { inst } from '../fsm/testing/builders'
import { LOG_EACH_MAX, logApplied } from './apply-log'

/** A pino logger whose JSON lines land in an array. */
function memoryLog(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString())
      cb()
    }
  })
  const log = pino({ level: 'info' }, sink)
  return { log, lines: () => out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }
}

const instances = (n: number) => Array.from({ length: n }, (_, i) => inst({ ip: `10.0.${i >> 8}.${i & 255}` }))

describe('logApplied', () => {
  it('logs a line per instance for a few health changes, and skips those that changed nothing', () => {
    const { log, lines } = memoryLog()
    const changes = instances(3).map((k, i) => ({ ...k, healthy: i === 2 }))
    const r: ApplyResult = { op: 'naming.setHealth', index: 7, servicesChanged: [], configsChanged: [], outcomes: ['changed', 'unchanged', 'changed'] }
    logApplied(r, setHealthCommand(changes, 1), { naming: log })
    const got = lines()
    expect(got.map((l) => l.msg)).toEqual([
      'heartbeat failed (no beat within the timeout), instance marked unhealthy: DEFAULT_GROUP@@orders 10.0.0.0:8080',
      'beat resumed, instance healthy again: DEFAULT_GROUP@@orders 10.0.0.2:8080'
    ])
    expect(got[0]).toMatchObject({ level: 40, index: 7 })
  })

  it('sums up a mass health change or expiry in one line with a count and a sample', () => {
    const { log, lines } = memoryLog()
    const n = LOG_EACH_MAX * 50
    const changes = instances(n).map((k) => ({ ...k, healthy: false }))
    logApplied({ op: 'naming.setHealth', index: 8, servicesChanged: [], configsChanged: [], outcomes: changes.map(() => 'changed' as const) }, setHealthCommand(changes, 1), { naming: log })
    logApplied({ op: 'naming.expire', index: 9, servicesChanged: [], configsChanged: [], outcomes: changes.map(() => 'removed' as const) }, expireCommand(instances(n), 1), { naming: log })
    const got = lines()
    expect(got).toHaveLength(2)
    expect(got[0]).toMatchObject({ index: 8, count: n })
    expect(got[0]!.msg).toMatch(new RegExp(`^${n} instances marked unhealthy \\(heartbeat failed: no beat within the timeout\\); first ${LOG_EACH_MAX}: DEFAULT_GROUP@@orders 10\\.0\\.0\\.0:8080, `))
    expect((got[0]!.sample as string[]).length).toBe(LOG_EACH_MAX)
    expect(got[1]).toMatchObject({ index: 9, count: n })
    expect(got[1]!.msg).toMatch(/instances removed \(no beat for too long\)/)
  })
})
