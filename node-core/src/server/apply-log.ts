import type { Logger } from 'pino'
import type { ApplyResult, Command, InstanceKey } from '../fsm'

/**
 * What the naming and config state machines did, written to naming-server.log and
 * config-server.log the way an operator greps them (seed §8.2): registrations, health
 * changes from missed beats, expiries, publishes and removals, one JSON line each.
 */
export function logApplied(r: ApplyResult, cmd: Command | undefined, logs: { naming?: Logger; config?: Logger }): void {
  switch (r.op) {
    case 'naming.register':
      logs.naming?.info({ index: r.index, instance: r.instance, outcome: r.outcome }, `instance ${r.outcome === 'created' ? 'registered' : r.outcome}: ${r.instance.service} ${r.instance.ip}:${r.instance.port}`)
      return
    case 'naming.deregister':
      logs.naming?.info({ index: r.index, instance: r.instance, outcome: r.outcome }, `instance deregistered: ${r.instance.service} ${r.instance.ip}:${r.instance.port}`)
      return
    case 'naming.setHealth': {
      const changes = cmd?.op === 'naming.setHealth' ? cmd.changes : []
      const changed = changes.filter((_, i) => r.outcomes[i] === 'changed')
      for (const healthy of [false, true]) {
        const group = changed.filter((c) => c.healthy === healthy)
        const what = healthy ? 'beat resumed, instance healthy again' : 'heartbeat failed (no beat within the timeout), instance marked unhealthy'
        logEach(logs.naming, healthy ? 'info' : 'warn', r.index, group, what, healthy ? 'instances healthy again' : 'instances marked unhealthy (heartbeat failed: no beat within the timeout)')
      }
      return
    }
    case 'naming.expire': {
      const targets = cmd?.op === 'naming.expire' ? cmd.targets : []
      const removed = targets.filter((_, i) => r.outcomes[i] === 'removed')
      logEach(logs.naming, 'warn', r.index, removed, 'no beat for too long, instance removed', 'instances removed (no beat for too long)')
      return
    }
    case 'config.publish':
      logs.config?.info({ index: r.index, key: r.key, md5: r.md5, outcome: r.outcome }, `publish config: ${r.key.namespace}/${r.key.group}/${r.key.dataId} md5=${r.md5}`)
      return
    case 'config.remove':
      logs.config?.info({ index: r.index, key: r.key, outcome: r.outcome }, `config removed: ${r.key.namespace}/${r.key.group}/${r.key.dataId}`)
      return
    default:
      return
  }
}

/** Up to this many instances of one health or expiry entry get a line each; more get one summary line. */
export const LOG_EACH_MAX = 20

/**
 * One line per instance for the usual handful; a summary with a sample when a sweep changes
 * many at once (clients of a whole zone lost): thousands of lines on every node in one turn
 * stalled the nodes and whatever tails their logs, just when the cluster is under stress.
 */
function logEach(log: Logger | undefined, level: 'info' | 'warn', index: number, items: readonly InstanceKey[], each: string, summary: string): void {
  if (!log || items.length === 0) return
  if (items.length <= LOG_EACH_MAX) {
    for (const i of items) log[level]({ index, instance: i }, `${each}: ${i.service} ${i.ip}:${i.port}`)
    return
  }
  const sample = items.slice(0, LOG_EACH_MAX).map((i) => `${i.service} ${i.ip}:${i.port}`)
  log[level]({ index, count: items.length, sample }, `${items.length} ${summary}; first ${LOG_EACH_MAX}: ${sample.join(', ')}`)
}
