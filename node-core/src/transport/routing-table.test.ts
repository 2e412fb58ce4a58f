import { describe, expect, it } from 'vitest'
import { isTransportError } from './errors'
import { defaultDialTarget, parseRoutingTable, resolveTarget, sameRoutes, splitHostPort } from './routing-table'

const FILE = '/lab/run-1/routes.json'

function parseError(text: string): string {
  try {
    parseRoutingTable(text, FILE)
  } catch (err) {
    expect(isTransportError(err, 'ROUTING_FILE')).toBe(true)
    return (err as Error).message
  }
  throw new Error('expected a ROUTING_FILE error')
}

describe('routing table', () => {
  it('dials a member at its own ip and HTTP port − 1000 by default', () => {
    expect(defaultDialTarget('127.0.0.1:8848')).toEqual({ host: '127.0.0.1', port: 7848 })
    expect(defaultDialTarget('node-2.lab:28849')).toEqual({ host: 'node-2.lab', port: 27849 })
    expect(() => defaultDialTarget('127.0.0.1:900')).toThrow(/no Raft port/)
    expect(() => defaultDialTarget('nonsense')).toThrow(/not host:port/)
  })

  it('parses member → proxy routes', () => {
    const routes = parseRoutingTable('{"127.0.0.1:28848": "127.0.0.1:41001", "127.0.0.1:28849": "localhost:41002"}', FILE)
    expect([...routes]).toEqual([
      ['127.0.0.1:28848', { host: '127.0.0.1', port: 41001 }],
      ['127.0.0.1:28849', { host: 'localhost', port: 41002 }]
    ])
    expect(resolveTarget(routes, '127.0.0.1:28848')).toEqual({ target: { host: '127.0.0.1', port: 41001 }, routed: true })
    expect(resolveTarget(routes, '127.0.0.1:28850')).toEqual({ target: { host: '127.0.0.1', port: 27850 }, routed: false })
    expect(parseRoutingTable('{}', FILE).size).toBe(0)
  })

  it('names the file and the field in every error', () => {
    expect(parseError('')).toBe(`routing file ${FILE}: is empty; write {} for no routes`)
    expect(parseError('{"a": ')).toMatch(new RegExp(`^routing file ${FILE}: is not valid JSON`))
    expect(parseError('[]')).toContain('must be a JSON object mapping member addresses to "host:port", got an array')
    expect(parseError('"x"')).toContain('got "x"')
    expect(parseError('{"127.0.0.1:28848": 41001}')).toBe(`routing file ${FILE}: "127.0.0.1:28848" must map to a "host:port" string, got 41001`)
    expect(parseError('{"127.0.0.1:28848": "127.0.0.1"}')).toContain('"127.0.0.1:28848" maps to an address that cannot be dialed')
    expect(parseError('{"127.0.0.1:28848": "127.0.0.1:70000"}')).toContain('port must be 1-65535')
    expect(parseError('{"127.0.0.1:28848": "256.0.0.1:4000"}')).toContain('not a valid IPv4 address')
    expect(parseError('{"node-1": "127.0.0.1:4000"}')).toContain('key "node-1" is not a member address')
  })

  it('splits host:port strictly', () => {
    expect(splitHostPort('10.0.0.1:80')).toEqual({ host: '10.0.0.1', port: 80 })
    expect(typeof splitHostPort(':80')).toBe('string')
    expect(typeof splitHostPort('10.0.0.1:+80')).toBe('string')
    expect(typeof splitHostPort('[::1]:80')).toBe('string')
  })

  it('compares tables by content', () => {
    const a = parseRoutingTable('{"127.0.0.1:28848": "127.0.0.1:41001"}', FILE)
    expect(sameRoutes(a, parseRoutingTable('{"127.0.0.1:28848": "127.0.0.1:41001"}', FILE))).toBe(true)
    expect(sameRoutes(a, parseRoutingTable('{"127.0.0.1:28848": "127.0.0.1:41002"}', FILE))).toBe(false)
    expect(sameRoutes(a, parseRoutingTable('{}', FILE))).toBe(false)
  })
})
