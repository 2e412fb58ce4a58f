/**
 * Randomized property test: random command sequences (seeded, see raft/rand.ts) applied to
 * several replicas must give byte-identical snapshots and identical reads, and must agree with
 * a deliberately naive reference model of the semantics.
 *
 * Reproduce a failure with FSM_SEED=<seed> npx vitest run node-core/src/fsm/property.test.ts
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createRng, randomInt, type Rng } from '../raft/rand'
import { decodeCommand, encodeCommand, type Command, type RegisterCommand } from './commands'
import { StateMachine } from './fsm'
import { configKeyId, instanceIdOf, type ConfigKey, type InstanceKey } from './model'

/** Bytes as text, so equality checks are fast and a mismatch shows a readable diff. */
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1')

const md5 = (s: string): string => createHash('md5').update(Buffer.from(s, 'utf8')).digest('hex')

const NAMESPACES = ['public', 'ns1']
const SERVICES = ['DEFAULT_GROUP@@a', 'G2@@b', 'DEFAULT_GROUP@@c']
const IPS = ['10.0.0.1', '10.0.0.2', '::1', 'host-a']
const PORTS = [0, 80, 8080]
const CLUSTERS = ['DEFAULT', 'A']
const GROUPS = ['DEFAULT_GROUP', 'G2']
const DATA_IDS = ['x', 'y.yaml', 'z:1']
const CONTENTS = ['', 'a', 'a: 1\n', '中文配置', '🚀 emoji', '"quoted" \\ \r\n', 'x'.repeat(300)]
const META_KEYS = ['version', 'zone', '__proto__', 'preserved.heart.beat.timeout']

/** The model's identity: Nacos's instanceId plus the namespace (the instanceId alone omits it). */
const mid = (k: InstanceKey): string => `${k.namespace}|${instanceIdOf(k)}`

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[randomInt(rng, xs.length)]!

/** What the reference model stores per instance. */
interface ModelInstance {
  key: InstanceKey
  weight: number
  healthy: boolean
  enabled: boolean
  ephemeral: boolean
  metadata: Record<string, string>
  revision: number
}

/** A naive model of the semantics: one flat map per kind, no caches, no cleverness. */
class Model {
  instances = new Map<string, ModelInstance>()
  configs = new Map<string, { key: ConfigKey; content: string }>()

  apply(cmd: Command, index: number): string | string[] {
    switch (cmd.op) {
      case 'noop':
        return 'noop'
      case 'naming.register': {
        const id = mid(cmd)
        const old = this.instances.get(id)
        const next: ModelInstance = {
          key: { namespace: cmd.namespace, service: cmd.service, ip: cmd.ip, port: cmd.port, cluster: cmd.cluster },
          weight: cmd.weight,
          healthy: cmd.healthy,
          enabled: cmd.enabled,
          ephemeral: cmd.ephemeral,
          metadata: { ...cmd.metadata },
          revision: index
        }
        this.instances.set(id, next)
        if (!old) return 'created'
        const same =
          old.weight === next.weight &&
          old.healthy === next.healthy &&
          old.enabled === next.enabled &&
          old.ephemeral === next.ephemeral &&
          JSON.stringify(Object.entries(old.metadata).sort()) === JSON.stringify(Object.entries(next.metadata).sort())
        return same ? 'unchanged' : 'updated'
      }
      case 'naming.deregister':
        return this.instances.delete(mid(cmd)) ? 'removed' : 'absent'
      case 'naming.setHealth':
        return cmd.changes.map((c) => {
          const r = this.instances.get(mid(c))
          if (!r) return 'absent'
          if (c.revision !== undefined && c.revision !== r.revision) return 'stale'
          if (r.healthy === c.healthy) return 'unchanged'
          r.healthy = c.healthy
          return 'changed'
        })
      case 'naming.expire':
        return cmd.targets.map((t) => {
          const r = this.instances.get(mid(t))
          if (!r) return 'absent'
          if (t.revision !== undefined && t.revision !== r.revision) return 'stale'
          if (!r.ephemeral) return 'persistent'
          this.instances.delete(mid(t))
          return 'removed'
        })
      case 'config.publish': {
        const id = configKeyId(cmd)
        const old = this.configs.get(id)
        if (cmd.casMd5 !== undefined && old && md5(old.content) !== cmd.casMd5) return 'cas-mismatch'
        this.configs.set(id, { key: { namespace: cmd.namespace, group: cmd.group, dataId: cmd.dataId }, content: cmd.content })
        return !old ? 'created' : old.content === cmd.content ? 'content-unchanged' : 'updated'
      }
      case 'config.remove':
        return this.configs.delete(configKeyId(cmd)) ? 'removed' : 'absent'
    }
  }
}

/** Random commands over a small universe of keys, so they collide often. */
function randomCommand(rng: Rng, ts: number, model: Model): Command {
  const key = (): InstanceKey => ({
    namespace: pick(rng, NAMESPACES),
    service: pick(rng, SERVICES),
    ip: pick(rng, IPS),
    port: pick(rng, PORTS),
    cluster: pick(rng, CLUSTERS)
  })
  // A guard: none, the instance's current revision (a fresh decision), or a stale one.
  const guard = (k: InstanceKey): { revision?: number } => {
    const r = model.instances.get(mid(k))
    const roll = randomInt(rng, 3)
    if (roll === 0 || !r) return {}
    return roll === 1 ? { revision: r.revision } : { revision: Math.max(1, r.revision - 1 - randomInt(rng, 3)) }
  }
  const configKey = (): ConfigKey => ({ namespace: pick(rng, NAMESPACES), group: pick(rng, GROUPS), dataId: pick(rng, DATA_IDS) })
  const roll = randomInt(rng, 100)
  if (roll < 30) {
    const metadata: Record<string, string> = {}
    for (let i = randomInt(rng, 3); i > 0; i--) metadata[pick(rng, META_KEYS)] = String(randomInt(rng, 3))
    const cmd: RegisterCommand = {
      op: 'naming.register',
      ts,
      ...key(),
      weight: pick(rng, [0, 1, 1, 2.5, 10000]),
      healthy: rng() < 0.8,
      enabled: rng() < 0.9,
      ephemeral: rng() < 0.8,
      metadata: Object.fromEntries(Object.entries(metadata))
    }
    return cmd
  }
  if (roll < 40) return { op: 'naming.deregister', ts, ...key() }
  if (roll < 55) {
    const changes = Array.from({ length: 1 + randomInt(rng, 3) }, () => {
      const k = key()
      return { ...k, healthy: rng() < 0.5, ...guard(k) }
    })
    return { op: 'naming.setHealth', ts, changes }
  }
  if (roll < 65) {
    const targets = Array.from({ length: 1 + randomInt(rng, 3) }, () => {
      const k = key()
      return { ...k, ...guard(k) }
    })
    return { op: 'naming.expire', ts, targets }
  }
  if (roll < 85) {
    const k = configKey()
    const existing = model.configs.get(configKeyId(k))
    const cas = randomInt(rng, 4)
    const casMd5 = cas === 0 && existing ? md5(existing.content) : cas === 1 ? md5(pick(rng, CONTENTS)) : undefined
    return {
      op: 'config.publish',
      ts,
      ...k,
      content: pick(rng, CONTENTS),
      type: pick(rng, ['text', 'yaml', 'json'] as const),
      appName: pick(rng, ['', 'shop']),
      ...(casMd5 !== undefined ? { casMd5 } : {})
    }
  }
  if (roll < 95) return { op: 'config.remove', ts, ...configKey() }
  return { op: 'noop' }
}

/** Everything a client can read, as one comparable value. */
function reads(m: StateMachine): unknown {
  const out: Record<string, unknown> = {}
  for (const namespace of NAMESPACES) {
    for (const service of SERVICES) {
      out[`list ${namespace} ${service}`] = m.naming.listInstances({ namespace, service, clusters: '', cacheMillis: 3000, lastRefTime: 1, includeDisabled: true })
      out[`list A ${namespace} ${service}`] = m.naming.listInstances({ namespace, service, clusters: 'A', cacheMillis: 3000, lastRefTime: 1, healthyOnly: true })
    }
    for (const group of GROUPS) out[`services ${namespace} ${group}`] = m.naming.listServices({ namespace, group, pageNo: 1, pageSize: 100 })
    out[`counts ${namespace}`] = m.naming.counts(namespace)
    out[`config count ${namespace}`] = m.config.count(namespace)
    for (const group of GROUPS) for (const dataId of DATA_IDS) out[`config ${namespace} ${group} ${dataId}`] = m.config.get({ namespace, group, dataId }) ?? null
  }
  out.counts = m.naming.counts()
  // Whole records, every field (times, revisions), in a fixed order.
  out.instances = [...m.naming.instances()].map((r) => JSON.stringify(r)).sort()
  out.configs = [...m.config.configs()].map((r) => JSON.stringify(r)).sort()
  out.namespaces = [m.naming.namespaces(), m.config.namespaces()]
  return out
}

/** Check the state machine against the model: same instances (fields), same configs (content, md5). */
function checkAgainstModel(m: StateMachine, model: Model): void {
  const actual = [...m.naming.instances()]
    .map((r) => `${mid(r)}|${r.weight}|${r.healthy}|${r.enabled}|${r.ephemeral}|${JSON.stringify(Object.entries(r.metadata).sort())}|${r.revision}`)
    .sort()
  const expected = [...model.instances.values()]
    .map((r) => `${mid(r.key)}|${r.weight}|${r.healthy}|${r.enabled}|${r.ephemeral}|${JSON.stringify(Object.entries(r.metadata).sort())}|${r.revision}`)
    .sort()
  expect(actual).toEqual(expected)
  const healthy = [...model.instances.values()].filter((r) => r.healthy).length
  const services = new Set([...model.instances.values()].map((r) => `${r.key.namespace}|${r.key.service}`)).size
  expect(m.naming.counts()).toEqual({ services, instances: model.instances.size, healthyInstances: healthy })
  const configs = [...m.config.configs()].map((r) => `${configKeyId(r)}|${r.content}|${r.md5}`).sort()
  expect(configs).toEqual([...model.configs.values()].map((c) => `${configKeyId(c.key)}|${c.content}|${md5(c.content)}`).sort())
}

function runSeed(seed: number, steps: number): void {
  const rng = createRng(seed)
  const model = new Model()
  const primary = new StateMachine()
  const second = new StateMachine()
  const cut = 1 + randomInt(rng, steps)
  let restored: StateMachine | undefined
  let ts = 1_700_000_000_000
  for (let index = 1; index <= steps; index++) {
    ts += randomInt(rng, 5000)
    if (rng() < 0.03) {
      // A membership entry: consumes an index, changes nothing here.
      const entry = { index, type: 'confChange' as const, data: new Uint8Array([1]) }
      primary.applyEntry(entry)
      second.applyEntry(entry)
      restored?.applyEntry(entry)
      continue
    }
    const cmd = randomCommand(rng, ts, model)
    const data = encodeCommand(cmd)
    const reencoded = text(encodeCommand(decodeCommand(data)))
    if (reencoded !== text(data)) expect(reencoded, `re-encoding ${cmd.op} at ${index}`).toBe(text(data))
    const expectedOutcome = model.apply(cmd, index)
    const result = primary.apply(data, index)
    second.apply(data, index)
    restored?.apply(data, index)
    const outcome = 'outcomes' in result ? result.outcomes : 'outcome' in result ? result.outcome : result.op
    if (JSON.stringify(outcome) !== JSON.stringify(expectedOutcome)) {
      expect(outcome, `outcome of ${cmd.op} at ${index}`).toEqual(expectedOutcome)
    }
    if (index === cut) {
      // A replica that joins from a snapshot here and follows the log from then on.
      restored = new StateMachine()
      restored.restore(second.snapshot())
    }
    if (rng() < 0.05) primary.restore(primary.snapshot()) // restoring your own snapshot changes nothing
    if (index % 50 === 0) checkAgainstModel(primary, model)
  }
  checkAgainstModel(primary, model)
  const bytes = text(primary.snapshot())
  expect(text(second.snapshot())).toBe(bytes)
  expect(reads(second)).toEqual(reads(primary))
  if (restored) {
    expect(text(restored.snapshot())).toBe(bytes)
    expect(reads(restored)).toEqual(reads(primary))
  }
}

const envSeed = process.env.FSM_SEED
const SEEDS = envSeed !== undefined ? [Number(envSeed)] : Array.from({ length: 60 }, (_, i) => 1000 + i * 7919)

describe('replicas applying the same random log', () => {
  it.each(SEEDS)('seed %i: identical snapshots and reads, agreeing with the model', (seed) => {
    try {
      runSeed(seed, 400)
    } catch (e) {
      ;(e as Error).message = `[seed ${seed}; reproduce with FSM_SEED=${seed}] ${(e as Error).message}`
      throw e
    }
  })
})
