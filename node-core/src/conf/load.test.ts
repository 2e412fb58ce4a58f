import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, it, expect } from 'vitest'
import { ConfError } from './conf-error'
import { confFiles, loadNodeConfig } from './load'

const homes: string[] = []

/** A temp node home with the given conf files (undefined = leave the file out). */
function makeHome(files: { cluster?: string; properties?: string }): string {
  const home = mkdtempSync(join(tmpdir(), 'node-core-load-'))
  homes.push(home)
  mkdirSync(join(home, 'conf'))
  if (files.cluster !== undefined) writeFileSync(join(home, 'conf', 'cluster.conf'), files.cluster)
  if (files.properties !== undefined) writeFileSync(join(home, 'conf', 'application.properties'), files.properties)
  return home
}

function confError(home: string): ConfError {
  try {
    loadNodeConfig(home)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfError)
    return err as ConfError
  }
  throw new Error('expected a ConfError')
}

afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true })
})

const THREE = '127.0.0.1:28848\n127.0.0.1:28849\n127.0.0.1:28850\n'

describe('loadNodeConfig', () => {
  it('finds self from nacos.inetutils.ip-address and server.port', () => {
    const home = makeHome({ cluster: THREE, properties: 'server.port=28849\nnacos.inetutils.ip-address=127.0.0.1\n' })
    const config = loadNodeConfig(home)
    expect(config.home).toBe(home)
    expect(config.files).toEqual(confFiles(home))
    expect(config.files.clusterConf).toBe(join(home, 'conf', 'cluster.conf'))
    expect(config.self.address).toBe('127.0.0.1:28849')
    expect(config.self.line).toBe(2)
    expect(config.members.map((m) => m.address)).toEqual(['127.0.0.1:28848', '127.0.0.1:28849', '127.0.0.1:28850'])
    expect(config).toMatchObject({ httpPort: 28849, raftPort: 27849, bindAddress: '127.0.0.1', advertisedIp: '127.0.0.1', logLevel: 'info' })
    expect(config.warnings).toEqual([])
  })

  it('defaults to 127.0.0.1:8848 and binds loopback', () => {
    const config = loadNodeConfig(makeHome({ cluster: '127.0.0.1\n127.0.0.2\n', properties: '' }))
    expect(config.self.address).toBe('127.0.0.1:8848')
    expect(config.bindAddress).toBe('127.0.0.1')
  })

  it('warns when bound to loopback but advertised on another address', () => {
    const config = loadNodeConfig(makeHome({ cluster: '10.0.0.1:8848\n', properties: 'nacos.inetutils.ip-address=10.0.0.1\n' }))
    expect(config.warnings).toHaveLength(1)
    expect(config.warnings[0]).toContain('members on other hosts cannot reach it')
  })

  it('keeps unknown properties', () => {
    const config = loadNodeConfig(makeHome({ cluster: THREE, properties: 'server.port=28848\nraft.tick_ms=100\n' }))
    expect(config.properties.get('raft.tick_ms')).toBe('100')
  })

  it('names the full path of a missing cluster.conf', () => {
    const home = makeHome({ properties: 'server.port=28848\n' })
    const err = confError(home)
    expect(err.code).toBe('CONF_MISSING')
    expect(err.file).toBe(join(home, 'conf', 'cluster.conf'))
    expect(err.message).toBe(`${join(home, 'conf', 'cluster.conf')}: file not found`)
  })

  it('names the full path of a missing application.properties', () => {
    const home = makeHome({ cluster: THREE })
    const err = confError(home)
    expect(err.code).toBe('CONF_MISSING')
    expect(err.message).toBe(`${join(home, 'conf', 'application.properties')}: file not found`)
  })

  it('reports a home that does not exist as a missing cluster.conf', () => {
    const err = confError('/nonexistent/node-core-home')
    expect(err.code).toBe('CONF_MISSING')
    expect(err.file).toBe('/nonexistent/node-core-home/conf/cluster.conf')
  })

  it('reports a directory in place of a file as unreadable', () => {
    const home = makeHome({ properties: '' })
    mkdirSync(join(home, 'conf', 'cluster.conf'))
    const err = confError(home)
    expect(err.code).toBe('CONF_UNREADABLE')
    expect(err.message).toContain('cluster.conf: cannot read: is a directory')
  })

  it('passes parse errors through with the full path and line', () => {
    const home = makeHome({ cluster: '127.0.0.1:28848\n127.0.0.1:99999\n', properties: 'server.port=28848\n' })
    const err = confError(home)
    expect(err.code).toBe('CONF_INVALID')
    expect(err.message).toBe(`${join(home, 'conf', 'cluster.conf')}:2: "127.0.0.1:99999" is not a valid member: port must be 1-65535`)
  })

  it('passes a bad server.port through with the full path, line and key', () => {
    const home = makeHome({ cluster: THREE, properties: '# node\n\nserver.port=http\n' })
    const err = confError(home)
    expect(err.file).toBe(join(home, 'conf', 'application.properties'))
    expect(err.line).toBe(3)
    expect(err.key).toBe('server.port')
  })

  it('refuses a node whose own address is not a member, naming cluster.conf and the address', () => {
    const home = makeHome({ cluster: THREE, properties: 'server.port=28851\n' })
    const err = confError(home)
    expect(err.code).toBe('CONF_SELF_NOT_MEMBER')
    expect(err.file).toBe(join(home, 'conf', 'cluster.conf'))
    expect(err.line).toBeUndefined()
    expect(err.message).toContain(`${join(home, 'conf', 'cluster.conf')}: this node's address 127.0.0.1:28851`)
    expect(err.message).toContain('members are 127.0.0.1:28848, 127.0.0.1:28849, 127.0.0.1:28850')
  })

  it('matches self case-insensitively for hostnames', () => {
    const home = makeHome({ cluster: 'NODE-A:28848\n', properties: 'server.port=28848\nnacos.inetutils.ip-address=node-a\n' })
    expect(loadNodeConfig(home).self.address).toBe('node-a:28848')
  })
})
