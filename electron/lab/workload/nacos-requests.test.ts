import { describe, expect, it } from 'vitest'
import { beatInstance, getConfig, instanceAddress, listInstances, publishConfig, registerInstance } from './nacos-requests'

const query = (path: string): Record<string, string> => Object.fromEntries(new URL(path, 'http://x').searchParams)

describe('Nacos requests', () => {
  it('publishes as a form body and reads with an optional consistency param', () => {
    const p = publishConfig('k 1', 'DEFAULT_GROUP', 'c1-1')
    expect(p).toMatchObject({ method: 'POST', path: '/nacos/v1/cs/configs' })
    expect(Object.fromEntries(new URLSearchParams(p.body))).toEqual({ dataId: 'k 1', group: 'DEFAULT_GROUP', content: 'c1-1' })
    expect(query(getConfig('k', 'G', false).path)).toEqual({ dataId: 'k', group: 'G' })
    expect(query(getConfig('k', 'G', true).path)).toEqual({ dataId: 'k', group: 'G', consistency: 'linearizable' })
  })

  it('registers, lists and beats with the grouped service name, the beat carrying ip/port/cluster', () => {
    const { ip, port } = instanceAddress(1, 2)
    expect(ip).toBe('10.88.1.3')
    const r = registerInstance('svc', 'G', ip, port)
    expect(r.method).toBe('POST')
    expect(query(r.path)).toMatchObject({ serviceName: 'G@@svc', groupName: 'G', ip, port: '8080', ephemeral: 'true' })
    expect(query(listInstances('svc', 'G', true).path)).toMatchObject({ serviceName: 'G@@svc', consistency: 'linearizable' })
    const b = beatInstance('svc', 'G', ip, port)
    expect(b.method).toBe('PUT')
    const q = query(b.path)
    expect(q.serviceName).toBe('G@@svc')
    expect(JSON.parse(q.beat!)).toEqual({ serviceName: 'G@@svc', ip, port, cluster: 'DEFAULT', weight: 1, metadata: {}, scheduled: true })
  })
})
