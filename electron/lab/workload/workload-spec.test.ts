import { describe, expect, it } from 'vitest'
import { LabServiceError } from '../errors'
import { createRandom, DEFAULT_WORKLOAD_SPEC, OP_KINDS, pickOp, validateWorkloadSpec, type OpKind } from './workload-spec'

const err = (f: () => unknown): LabServiceError => {
  try {
    f()
  } catch (e) {
    if (e instanceof LabServiceError) return e
    throw e
  }
  throw new Error('did not throw')
}

describe('validateWorkloadSpec', () => {
  it('fills every default from nothing', () => {
    expect(validateWorkloadSpec(undefined)).toEqual(DEFAULT_WORKLOAD_SPEC)
    expect(validateWorkloadSpec({})).toEqual(DEFAULT_WORKLOAD_SPEC)
  })

  it('merges a partial spec (and a partial mix) over a base', () => {
    const base = validateWorkloadSpec({ ratePerSec: 200, readRouting: 'linearizable' })
    const next = validateWorkloadSpec({ mix: { register: 0 }, concurrency: 4 }, base)
    expect(next).toMatchObject({ ratePerSec: 200, readRouting: 'linearizable', concurrency: 4 })
    expect(next.mix).toEqual({ ...DEFAULT_WORKLOAD_SPEC.mix, register: 0 })
  })

  it.each([
    [{ ratePerSec: -1 }, 'ratePerSec'],
    [{ ratePerSec: Number.NaN }, 'ratePerSec'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 1.5 }, 'concurrency'],
    [{ keys: 0 }, 'keys'],
    [{ services: 251 }, 'services'],
    [{ writeRouting: 'linearizable' }, 'writeRouting'],
    [{ readRouting: 'follower' }, 'readRouting'],
    [{ timeoutMs: 10 }, 'timeoutMs'],
    [{ beatIntervalMs: 50 }, 'beatIntervalMs'],
    [{ mix: { publish: -1 } }, 'mix.publish'],
    [{ mix: { delete: 1 } }, 'mix.delete'],
    [{ mix: { publish: 0, get: 0, register: 0, list: 0 } }, 'mix'],
    [{ keyPrefix: 'a b' }, 'keyPrefix'],
    [{ rate: 5 }, 'rate']
  ])('refuses %j, naming %s', (input, field) => {
    const e = err(() => validateWorkloadSpec(input))
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message.startsWith(`${field}:`)).toBe(true)
  })

  it('refuses a spec that is not an object', () => {
    expect(err(() => validateWorkloadSpec([1])).message).toMatch(/^spec:/)
  })
})

describe('pickOp', () => {
  it('follows the weights and never picks a zero-weight kind', () => {
    const seed = 1234
    const rnd = createRandom(seed)
    const mix = { publish: 3, get: 1, register: 0, list: 0 }
    const n: Record<OpKind, number> = { publish: 0, get: 0, register: 0, list: 0 }
    for (let i = 0; i < 20_000; i++) n[pickOp(mix, rnd())]++
    expect(n.register + n.list, `seed ${seed}`).toBe(0)
    expect(n.publish / 20_000).toBeCloseTo(0.75, 1)
  })

  it('maps the ends of [0,1) to the first and last weighted kinds', () => {
    const mix = { publish: 0, get: 1, register: 1, list: 0 }
    expect(pickOp(mix, 0)).toBe('get')
    expect(pickOp(mix, 0.999999)).toBe('register')
    expect(OP_KINDS.map((k) => pickOp({ publish: 0, get: 0, register: 0, list: 0, [k]: 1 }, 0.5))).toEqual(OP_KINDS)
  })

  it('is repeatable from a seed', () => {
    const a = createRandom(7)
    const b = createRandom(7)
    const xs = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
  })
})
