import { describe, expect, it } from 'vitest'
import * as fsm from './index'

describe('public API (index.ts)', () => {
  it('exposes what the server calls, end to end: validate → command → encode → apply → read', () => {
    const req = fsm.validateRegister({ serviceName: 'DEFAULT_GROUP@@orders', ip: '10.0.0.5', port: '8080', metadata: '{"version":"1"}' })
    if (!req.ok) throw new Error(req.error.message)
    const m = new fsm.StateMachine()
    const result = m.apply(fsm.encodeCommand(fsm.registerCommand(req.value, 1)), 1)
    expect(result.servicesChanged).toEqual([{ namespace: 'public', service: 'DEFAULT_GROUP@@orders' }])
    const list = m.naming.listInstances({ namespace: 'public', service: 'DEFAULT_GROUP@@orders', clusters: '', cacheMillis: 3000, lastRefTime: 2 })
    expect(list.hosts.map((h) => h.instanceId)).toEqual(['10.0.0.5#8080#DEFAULT#DEFAULT_GROUP@@orders'])

    const pub = fsm.validatePublish({ dataId: 'app.yaml', group: 'DEFAULT_GROUP', content: 'a: 1', tenant: '' })
    if (!pub.ok) throw new Error(pub.error.message)
    const applied = m.apply(fsm.encodeCommand(fsm.publishCommand(pub.value, 3)), 2)
    expect(applied.configsChanged).toEqual([{ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' }])
    const probe = fsm.parseListeningConfigs('app.yaml\u0002DEFAULT_GROUP\u0002\u0001')
    if (!probe.ok) throw new Error(probe.error.message)
    expect(fsm.formatChangedKeys(fsm.changedEntries(probe.value, m.config))).toBe('app.yaml%02DEFAULT_GROUP%01')
    expect(fsm.md5Hex('a: 1')).toBe(m.config.md5Of(pub.value))
    expect(fsm.configKeyId(pub.value)).toBe('public\u0002DEFAULT_GROUP\u0002app.yaml')
    expect(fsm.planHealth(m.naming, { now: 40_000, lastBeat: () => undefined, graceStart: 0 }).expire?.targets).toHaveLength(1)
    expect(new fsm.FsmError('INVALID_COMMAND', 'x').code).toBe('INVALID_COMMAND')
  })
})
