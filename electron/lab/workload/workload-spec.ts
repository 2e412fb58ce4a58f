import { LabServiceError } from '../errors'

/** What a workload does, and how it routes. Pure: validation and op choice only. */

export type OpKind = 'publish' | 'get' | 'register' | 'list'
export const OP_KINDS: readonly OpKind[] = ['publish', 'get', 'register', 'list']

/** 'leader': writes go to the node the cluster names leader (any node forwards anyway). */
export type WriteRouting = 'any' | 'leader'
/** 'linearizable': any node, with `consistency=linearizable` (a ReadIndex barrier on the server). */
export type ReadRouting = 'any' | 'leader' | 'linearizable'

export interface WorkloadSpec {
  /** Ops started per second (open loop); 0 = as fast as `concurrency` allows (closed loop). */
  ratePerSec: number
  /** Ops in flight at most; each slot is one "client" in the history. */
  concurrency: number
  /** Relative weights; at least one must be > 0. */
  mix: Record<OpKind, number>
  /** Config keys written and read (`<keyPrefix>0` … `<keyPrefix>{keys-1}`). */
  keys: number
  services: number
  instancesPerService: number
  writeRouting: WriteRouting
  readRouting: ReadRouting
  /** Per request: connect, headers and body each. */
  timeoutMs: number
  /** Beats for registered instances, as the SDK sends them; 0 = no beats. */
  beatIntervalMs: number
  keyPrefix: string
  servicePrefix: string
  group: string
}

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

export type WorkloadSpecInput = Partial<Omit<WorkloadSpec, 'mix'>> & { mix?: Partial<Record<OpKind, number>> }

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
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
