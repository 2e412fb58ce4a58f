import { describe, expect, it } from 'vitest'
import { addressOfNodeId, nodeIdOf } from './node-id'

describe('nodeIdOf', () => {
  it('derives a stable, readable id from an IPv4 member address', () => {
    const id = nodeIdOf('127.0.0.1:8848')
    expect(id).toBe(2130706433 * 65536 + 8848)
    expect(addressOfNodeId(id)).toBe('127.0.0.1:8848')
    expect(nodeIdOf('127.0.0.1:8849')).not.toBe(id)
    expect(nodeIdOf('255.255.255.255:65535')).toBeLessThan(2 ** 48)
  })

  it('hashes hostnames into a separate range, deterministically', () => {
    const a = nodeIdOf('nacos-1.example:8848')
    expect(a).toBeGreaterThanOrEqual(2 ** 48)
    expect(a).toBeLessThan(2 ** 53)
    expect(nodeIdOf('nacos-1.example:8848')).toBe(a)
    expect(nodeIdOf('nacos-2.example:8848')).not.toBe(a)
    expect(addressOfNodeId(a)).toBeUndefined()
  })

  it('refuses what is not a member address', () => {
    for (const bad of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', ':8848', '300.0.0.1:1']) {
      expect(() => nodeIdOf(bad)).toThrow(/member address|octet/)
    }
  })
})
