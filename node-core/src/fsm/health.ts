/**
 * The leader's health decisions, as a pure function.
 *
 * Beats are not log entries: each node records the beats it receives as leases (server side),
 * and the leader turns lease gaps into the few commands that are replicated — `naming.setHealth`
 * and `naming.expire` — with Nacos's rules (spec §2.5, §5.5):
 *
 * - no beat for more than the heartbeat timeout (15 s): unhealthy;
 * - no beat for more than the ip delete timeout (30 s): removed;
 * - a beat after the instance went unhealthy: healthy again;
 * - persistent instances are never judged by beats.
 *
 * Per-instance timeouts come from Nacos's preserved metadata keys (see `leaseTiming`). A
 * register counts as a sign of life, and so does the moment this leader started judging
 * (`graceStart`): a new leader has seen no beats yet and must not expire everyone at once.
 * Every decision carries the instance's `revision`, so it is skipped if the instance was
 * registered again before the decision committed.
 */
import { MAX_BATCH, expireCommand, setHealthCommand, type ExpireCommand, type ExpireTarget, type HealthChange, type SetHealthCommand } from './commands'
import { compareStrings, type InstanceKey } from './model'
import { compareInstances, leaseTiming, type NamingView } from './naming'

export interface HealthPlanInput {
  /** The leader's wall clock, ms; becomes the commands' `ts`. */
  readonly now: number
  /** The latest beat the leader knows of for this instance (from any node), or undefined. */
  lastBeat(key: InstanceKey): number | undefined
  /** When this leader started judging (e.g. when it won its term). */
  readonly graceStart: number
  /** Most instances per command; the rest wait for the next sweep. Default {@link MAX_BATCH}. */
  readonly maxBatch?: number
}

export interface HealthPlan {
  readonly setHealth?: SetHealthCommand
  readonly expire?: ExpireCommand
}

const key = (k: InstanceKey): InstanceKey => ({ namespace: k.namespace, service: k.service, ip: k.ip, port: k.port, cluster: k.cluster })

/** Decide which ephemeral instances change health or expire now. Deterministic: output sorted by identity. */
export function planHealth(naming: NamingView, input: HealthPlanInput): HealthPlan {
  const limit = Math.max(1, Math.min(input.maxBatch ?? MAX_BATCH, MAX_BATCH))
  const changes: HealthChange[] = []
  const targets: ExpireTarget[] = []
  for (const r of naming.instances()) {
    if (!r.ephemeral) continue
    const beat = input.lastBeat(r)
    const alive = Math.max(beat ?? Number.NEGATIVE_INFINITY, r.registeredAt, input.graceStart)
    const idle = input.now - alive
    const timing = leaseTiming(r.metadata)
    if (idle > timing.ipDeleteTimeout) targets.push({ ...key(r), revision: r.revision })
    else if (idle > timing.heartBeatTimeout) {
      if (r.healthy) changes.push({ ...key(r), healthy: false, revision: r.revision })
    } else if (!r.healthy && beat !== undefined && beat >= r.updatedAt) {
      changes.push({ ...key(r), healthy: true, revision: r.revision })
    }
  }
  const order = (a: InstanceKey, b: InstanceKey): number =>
    compareStrings(a.namespace, b.namespace) || compareStrings(a.service, b.service) || compareInstances(a, b)
  changes.sort(order)
  targets.sort(order)
  return {
    ...(changes.length > 0 ? { setHealth: setHealthCommand(changes.slice(0, limit), input.now) } : {}),
    ...(targets.length > 0 ? { expire: expireCommand(targets.slice(0, limit), input.now) } : {})
  }
}
