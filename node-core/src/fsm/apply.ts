/**
 * The dispatcher: one decoded command, applied to the naming and config state at a log index,
 * with a typed result the server acts on (wake long-polls for `configsChanged`, push to
 * subscribers of `servicesChanged`, answer the waiting HTTP request from `outcome`).
 */
import type { Command } from './commands'
import type { ConfigState, PublishOutcome, RemoveOutcome } from './config'
import { serviceKeyId, type ConfigKey, type InstanceKey, type ServiceKey } from './model'
import type { DeregisterOutcome, ExpireOutcome, HealthOutcome, NamingState, RegisterOutcome } from './naming'

/** What every apply reports. */
export interface ApplyEffects {
  /** The log index just applied. */
  readonly index: number
  /** Services whose instance list (as clients see it) changed: push / refresh subscribers. */
  readonly servicesChanged: readonly ServiceKey[]
  /** Configs whose md5 changed, including removals: wake the long-polls listening to them. */
  readonly configsChanged: readonly ConfigKey[]
}

/** The typed result of applying one entry. `outcome(s)` say what happened, for the waiting request. */
export type ApplyResult =
  | (ApplyEffects & { readonly op: 'noop' })
  /** A Raft membership entry: nothing for these state machines, but the index is consumed. */
  | (ApplyEffects & { readonly op: 'conf-change' })
  | (ApplyEffects & { readonly op: 'naming.register'; readonly outcome: RegisterOutcome; readonly instance: InstanceKey })
  | (ApplyEffects & { readonly op: 'naming.deregister'; readonly outcome: DeregisterOutcome; readonly instance: InstanceKey })
  /** One outcome per change, in the command's order. */
  | (ApplyEffects & { readonly op: 'naming.setHealth'; readonly outcomes: readonly HealthOutcome[] })
  /** One outcome per target, in the command's order. */
  | (ApplyEffects & { readonly op: 'naming.expire'; readonly outcomes: readonly ExpireOutcome[] })
  | (ApplyEffects & { readonly op: 'config.publish'; readonly outcome: PublishOutcome; readonly key: ConfigKey; readonly md5: string })
  | (ApplyEffects & { readonly op: 'config.remove'; readonly outcome: RemoveOutcome; readonly key: ConfigKey })

/** Both state machines, as the dispatcher mutates them. */
export interface StateMachines {
  readonly naming: NamingState
  readonly config: ConfigState
}

const serviceOf = (k: ServiceKey): ServiceKey => ({ namespace: k.namespace, service: k.service })
const instanceOf = (k: InstanceKey): InstanceKey => ({ namespace: k.namespace, service: k.service, ip: k.ip, port: k.port, cluster: k.cluster })
const configOf = (k: ConfigKey): ConfigKey => ({ namespace: k.namespace, group: k.group, dataId: k.dataId })

/** The services of the items whose outcome changed something, each once, in first-seen order. */
function changedServices<T>(items: readonly ServiceKey[], outcomes: readonly T[], changed: (o: T) => boolean): ServiceKey[] {
  const seen = new Map<string, ServiceKey>()
  items.forEach((item, i) => {
    if (!changed(outcomes[i]!)) return
    const id = serviceKeyId(item)
    if (!seen.has(id)) seen.set(id, serviceOf(item))
  })
  return [...seen.values()]
}

/**
 * Apply one command at `index`. Cannot fail half-way: commands arrive checked (decodeCommand),
 * and every mutation below is a lookup plus a replace.
 */
export function applyCommand(state: StateMachines, cmd: Command, index: number): ApplyResult {
  const none = { index, servicesChanged: [], configsChanged: [] }
  switch (cmd.op) {
    case 'noop':
      return { ...none, op: 'noop' }
    case 'naming.register': {
      const outcome = state.naming.register(cmd, index)
      return { ...none, op: cmd.op, outcome, instance: instanceOf(cmd), servicesChanged: outcome === 'unchanged' ? [] : [serviceOf(cmd)] }
    }
    case 'naming.deregister': {
      const outcome = state.naming.deregister(cmd)
      return { ...none, op: cmd.op, outcome, instance: instanceOf(cmd), servicesChanged: outcome === 'removed' ? [serviceOf(cmd)] : [] }
    }
    case 'naming.setHealth': {
      const outcomes = state.naming.setHealth(cmd)
      return { ...none, op: cmd.op, outcomes, servicesChanged: changedServices(cmd.changes, outcomes, (o) => o === 'changed') }
    }
    case 'naming.expire': {
      const outcomes = state.naming.expire(cmd)
      return { ...none, op: cmd.op, outcomes, servicesChanged: changedServices(cmd.targets, outcomes, (o) => o === 'removed') }
    }
    case 'config.publish': {
      const { outcome, md5 } = state.config.publish(cmd, index)
      const changed = outcome === 'created' || outcome === 'updated'
      return { ...none, op: cmd.op, outcome, key: configOf(cmd), md5, configsChanged: changed ? [configOf(cmd)] : [] }
    }
    case 'config.remove': {
      const outcome = state.config.remove(cmd)
      return { ...none, op: cmd.op, outcome, key: configOf(cmd), configsChanged: outcome === 'removed' ? [configOf(cmd)] : [] }
    }
  }
}
