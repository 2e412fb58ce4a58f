import { OP_KINDS, type OpKind, type WorkloadSpec } from '../api'
import { LabServiceError } from '../errors'

/** What a workload does, and how it routes. Pure: validation and op choice only. */

// The shapes are the LabApi contract's (api.ts): one definition for engine, hosts and UI.
export { OP_KINDS } from '../api'
export type { OpKind, ReadRouting, WorkloadSpec, WorkloadSpecInput, WriteRouting } from '../api'

export const DEFAULT_WORKLOAD_SPEC: WorkloadSpec = {
  ratePerSec: 50,
  concurrency: 16,
  mix: { publish: 40, get: 40, register: 5, list: 15 },
  keys: 5,
  services: 2,
  instancesPerService: 3,
  writeRouting: 'any',
  readRouting: 'any',
  timeoutMs: 3000,
  beatIntervalMs: 5000,
  keyPrefix: 'lab-key-',
  servicePrefix: 'lab-svc-',
  group: 'DEFAULT_GROUP'
}


const bad = (field: string, message: string): LabServiceError => new LabServiceError('INVALID_ARGUMENT', `${field}: ${message}`)

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw bad(field, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`)
  }
  return v
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw bad(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`)
  }
  return v as T
}

function name(v: unknown, field: string): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(v)) throw bad(field, `must be 1–64 letters, digits or . _ : -, got ${JSON.stringify(v)}`)
  return v
}

/**
 * Fill defaults (over `base`, so `update` can pass a partial spec) and check every field; a
 * bad one throws INVALID_ARGUMENT naming the field.
 */
export function validateWorkloadSpec(input: unknown, base: WorkloadSpec = DEFAULT_WORKLOAD_SPEC): WorkloadSpec {
  if (input === undefined || input === null) input = {}
  if (typeof input !== 'object' || Array.isArray(input)) throw bad('spec', 'must be an object')
  const i = input as Record<string, unknown>
  for (const k of Object.keys(i)) if (!(k in base)) throw bad(k, 'is not a workload setting')
  const v = { ...base, ...i } as Record<string, unknown>
  const mixIn = i.mix === undefined ? {} : i.mix
  if (typeof mixIn !== 'object' || mixIn === null || Array.isArray(mixIn)) throw bad('mix', 'must be an object of weights')
  for (const k of Object.keys(mixIn)) if (!(OP_KINDS as readonly string[]).includes(k)) throw bad(`mix.${k}`, `is not an op kind (${OP_KINDS.join(', ')})`)
  const mixed = { ...base.mix, ...(mixIn as Record<string, unknown>) }
  const mix = {} as Record<OpKind, number>
  for (const k of OP_KINDS) {
    const w = mixed[k]
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw bad(`mix.${k}`, `must be a weight ≥ 0, got ${JSON.stringify(w)}`)
    mix[k] = w
  }
  if (OP_KINDS.every((k) => mix[k] === 0)) throw bad('mix', 'needs at least one weight above 0')
  const rate = v.ratePerSec
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 100_000) {
    throw bad('ratePerSec', `must be a number from 0 to 100000 (0 = as fast as concurrency allows), got ${JSON.stringify(rate)}`)
  }
  const beat = int(v.beatIntervalMs, 'beatIntervalMs', 0, 600_000)
  if (beat !== 0 && beat < 100) throw bad('beatIntervalMs', `must be 0 (off) or at least 100, got ${beat}`)
  return {
    ratePerSec: rate,
    concurrency: int(v.concurrency, 'concurrency', 1, 1024),
    mix,
    keys: int(v.keys, 'keys', 1, 100_000),
    services: int(v.services, 'services', 1, 250),
    instancesPerService: int(v.instancesPerService, 'instancesPerService', 1, 250),
    writeRouting: oneOf(v.writeRouting, 'writeRouting', ['any', 'leader'] as const),
    readRouting: oneOf(v.readRouting, 'readRouting', ['any', 'leader', 'linearizable'] as const),
    timeoutMs: int(v.timeoutMs, 'timeoutMs', 50, 600_000),
    beatIntervalMs: beat,
    keyPrefix: name(v.keyPrefix, 'keyPrefix'),
    servicePrefix: name(v.servicePrefix, 'servicePrefix'),
    group: name(v.group, 'group')
  }
}

/** The op kind for a uniform `r` in [0, 1), by weight. */
export function pickOp(mix: Record<OpKind, number>, r: number): OpKind {
  const total = OP_KINDS.reduce((s, k) => s + mix[k], 0)
  let x = r * total
  for (const k of OP_KINDS) {
    if (mix[k] <= 0) continue
    if (x < mix[k]) return k
    x -= mix[k]
  }
  return [...OP_KINDS].reverse().find((k) => mix[k] > 0)!
}

/** Reads and writes by kind: which routing rule applies. */
export const isWriteOp = (k: OpKind): boolean => k === 'publish' || k === 'register'

/** Small seeded PRNG (mulberry32) so a run can be repeated from its printed seed. */
export { seededRandom as createRandom } from '../random'
