import type { Logger } from 'pino'
import type { ApplyResult, Command } from '../fsm'

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
      r.outcomes.forEach((o, i) => {
        const c = changes[i]
        if (o !== 'changed' || !c) return
        const msg = c.healthy ? `beat resumed, instance healthy again: ${c.service} ${c.ip}:${c.port}` : `heartbeat timeout, instance marked unhealthy: ${c.service} ${c.ip}:${c.port}`
        logs.naming?.[c.healthy ? 'info' : 'warn']({ index: r.index, instance: c }, msg)
      })
      return
    }
    case 'naming.expire': {
      const targets = cmd?.op === 'naming.expire' ? cmd.targets : []
      r.outcomes.forEach((o, i) => {
        const t = targets[i]
        if (o === 'removed' && t) logs.naming?.warn({ index: r.index, instance: t }, `no beat for too long, instance removed: ${t.service} ${t.ip}:${t.port}`)
      })
      return
    }
    case 'config.publish':
      logs.config?.info({ index: r.index, key: r.key, md5: r.md5, outcome: r.outcome }, `config published: ${r.key.namespace}/${r.key.group}/${r.key.dataId} md5=${r.md5}`)
      return
    case 'config.remove':
      logs.config?.info({ index: r.index, key: r.key, outcome: r.outcome }, `config removed: ${r.key.namespace}/${r.key.group}/${r.key.dataId}`)
      return
    default:
      return
  }
}
