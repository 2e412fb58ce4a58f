import { describe, it, expect } from 'vitest'
import { parseClusterConf, DEFAULT_MEMBER_PORT } from './cluster-conf'
import { ConfError } from './conf-error'

/** Parse and return the ConfError it must throw. */
function confError(text: string, file?: string): ConfError {
  try {
    parseClusterConf(text, file === undefined ? {} : { file })
  } catch (err) {
    expect(err).toBeInstanceOf(ConfError)
    return err as ConfError
  }
  throw new Error('expected a ConfError')
}

describe('parseClusterConf: good files', () => {
  it('reads ip:port members in file order with line numbers', () => {
    const conf = parseClusterConf('127.0.0.1:8848\n127.0.0.1:8849\n127.0.0.1:8850\n')
    expect(conf.file).toBe('conf/cluster.conf')
    expect(conf.members.map((m) => [m.address, m.line])).toEqual([
      ['127.0.0.1:8848', 1],
      ['127.0.0.1:8849', 2],
      ['127.0.0.1:8850', 3]
    ])
    expect(conf.members[0]).toEqual({ ip: '127.0.0.1', port: 8848, address: '127.0.0.1:8848', raftPort: 7848, line: 1 })
  })

  it('skips whole-line and trailing comments, blank lines and surrounding whitespace', () => {
    const text = [
      '# cluster of three',
      '',
      '   127.0.0.1:8848   # node A',
      '\t',
      '#127.0.0.1:9999',
      '  # indented comment',
      '127.0.0.1:8849#no space before comment',
      '\t127.0.0.1:8850\t'
    ].join('\n')
    const conf = parseClusterConf(text)
    expect(conf.members.map((m) => `${m.address}@${m.line}`)).toEqual(['127.0.0.1:8848@3', '127.0.0.1:8849@7', '127.0.0.1:8850@8'])
  })

  it('defaults the port to 8848 for a bare ip, or to the given default', () => {
    expect(DEFAULT_MEMBER_PORT).toBe(8848)
    expect(parseClusterConf('10.0.0.1').members[0]).toMatchObject({ ip: '10.0.0.1', port: 8848, address: '10.0.0.1:8848', raftPort: 7848 })
    expect(parseClusterConf('10.0.0.1', { defaultPort: 9000 }).members[0]?.address).toBe('10.0.0.1:9000')
  })

  it('records the Nacos 1.x ?raft_port=N suffix but keeps raftPort = port - 1000', () => {
    const [m] = parseClusterConf('10.0.0.1:8848?raft_port=9999').members
    expect(m).toMatchObject({ address: '10.0.0.1:8848', raftPort: 7848, legacyRaftPort: 9999 })
    expect(parseClusterConf('10.0.0.1:8848').members[0]).not.toHaveProperty('legacyRaftPort')
  })

  it('accepts several comma-separated members on one line, as Nacos does', () => {
    const conf = parseClusterConf('10.0.0.1:8848, 10.0.0.2:8848 ,10.0.0.3:8848 # three\n10.0.0.4:8848')
    expect(conf.members.map((m) => `${m.address}@${m.line}`)).toEqual([
      '10.0.0.1:8848@1',
      '10.0.0.2:8848@1',
      '10.0.0.3:8848@1',
      '10.0.0.4:8848@2'
    ])
  })

  it('accepts hostnames and lower-cases them', () => {
    const conf = parseClusterConf('Nacos-1.Example.COM:8848\nlocalhost:8849\nnode3:8850')
    expect(conf.members.map((m) => m.address)).toEqual(['nacos-1.example.com:8848', 'localhost:8849', 'node3:8850'])
  })

  it('handles CRLF, lone CR, a BOM and a missing final newline', () => {
    const conf = parseClusterConf('\uFEFF127.0.0.1:8848\r\n127.0.0.1:8849\r127.0.0.1:8850')
    expect(conf.members.map((m) => `${m.address}@${m.line}`)).toEqual(['127.0.0.1:8848@1', '127.0.0.1:8849@2', '127.0.0.1:8850@3'])
  })

  it('accepts a single member and the port range edges that leave a Raft port', () => {
    expect(parseClusterConf('127.0.0.1:1001').members[0]?.raftPort).toBe(1)
    expect(parseClusterConf('127.0.0.1:65535').members[0]?.raftPort).toBe(64535)
  })
})

describe('parseClusterConf: errors name file, line and the problem', () => {
  it('formats the message like conf/cluster.conf:3: "..." is not a valid member: ...', () => {
    const err = confError('127.0.0.1:8848\n127.0.0.1:8849\n127.0.0.1:99999\n')
    expect(err.code).toBe('CONF_INVALID')
    expect(err.file).toBe('conf/cluster.conf')
    expect(err.line).toBe(3)
    expect(err.message).toBe('conf/cluster.conf:3: "127.0.0.1:99999" is not a valid member: port must be 1-65535')
    expect(err.detail).toBe('"127.0.0.1:99999" is not a valid member: port must be 1-65535')
  })

  it('uses the file name it is given', () => {
    expect(confError('x:0', '/tmp/home/conf/cluster.conf').message).toMatch(/^\/tmp\/home\/conf\/cluster\.conf:1: /)
  })

  it('counts comment and blank lines when numbering', () => {
    const err = confError('# header\n\n127.0.0.1:8848 # a\n\n   \n127.0.0.1:0\n')
    expect(err.line).toBe(6)
    expect(err.message).toContain('port must be 1-65535')
  })

  it.each([
    ['127.0.0.1:0', 'CONF_INVALID', 'port must be 1-65535'],
    ['127.0.0.1:65536', 'CONF_INVALID', 'port must be 1-65535'],
    ['127.0.0.1:abc', 'CONF_INVALID', 'port must be a number, got "abc"'],
    ['127.0.0.1:-1', 'CONF_INVALID', 'port must be a number'],
    ['127.0.0.1:88.5', 'CONF_INVALID', 'port must be a number'],
    ['127.0.0.1:', 'CONF_MALFORMED', 'port is empty'],
    [':8848', 'CONF_MALFORMED', 'host is empty'],
    ['127.0.0.1:8848:1', 'CONF_INVALID', 'IPv6'],
    ['node1:8848:extra', 'CONF_MALFORMED', 'expected ip:port'],
    ['[::1]:8848', 'CONF_INVALID', 'IPv6 addresses are not supported'],
    ['::1', 'CONF_INVALID', 'IPv6 addresses are not supported'],
    ['256.0.0.1:8848', 'CONF_INVALID', '"256.0.0.1" is not a valid IPv4 address'],
    ['127.0.0:8848', 'CONF_INVALID', 'not a valid IPv4 address'],
    ['0.0.0.0:8848', 'CONF_INVALID', '0.0.0.0 is not an address other members can reach'],
    ['bad_host:8848', 'CONF_INVALID', 'not a valid IPv4 address or hostname'],
    ['-bad.example:8848', 'CONF_INVALID', 'not a valid IPv4 address or hostname'],
    ['127.0.0.1 8848', 'CONF_MALFORMED', 'separate members with commas or newlines'],
    ['127.0.0.1:8848,,127.0.0.1:8849', 'CONF_MALFORMED', 'empty member between commas'],
    ['127.0.0.1:8848,', 'CONF_MALFORMED', 'empty member between commas'],
    ['127.0.0.1:1000', 'CONF_INVALID', 'port 1000 leaves no Raft port'],
    ['127.0.0.1:8848?', 'CONF_MALFORMED', 'nothing after "?"'],
    ['127.0.0.1:8848?raft_port', 'CONF_MALFORMED', '"raft_port" is not key=value'],
    ['127.0.0.1:8848?raft_port=', 'CONF_INVALID', 'raft_port: port is empty'],
    ['127.0.0.1:8848?raft_port=70000', 'CONF_INVALID', 'raft_port: port must be 1-65535'],
    ['127.0.0.1:8848?weight=2', 'CONF_INVALID', 'unknown parameter "weight"']
  ])('%s → %s (%s)', (line, code, text) => {
    const err = confError(`# first line\n${line}\n`)
    expect(err.code).toBe(code)
    expect(err.line).toBe(2)
    expect(err.message).toContain(text)
    expect(err.message.startsWith('conf/cluster.conf:2: ')).toBe(true)
  })

  it('rejects a duplicate member, naming both lines', () => {
    const err = confError('127.0.0.1:8848\n127.0.0.1:8849\n127.0.0.1:8848\n')
    expect(err.code).toBe('CONF_DUPLICATE')
    expect(err.line).toBe(3)
    expect(err.message).toBe('conf/cluster.conf:3: "127.0.0.1:8848" is listed twice; first on line 1')
  })

  it('treats differently written forms of one address as duplicates', () => {
    const bare = confError('10.0.0.1:8848\n10.0.0.1\n')
    expect(bare.code).toBe('CONF_DUPLICATE')
    expect(bare.message).toContain('"10.0.0.1" (10.0.0.1:8848) is listed twice; first on line 1')
    expect(confError('Node1:8848\nnode1:8848').code).toBe('CONF_DUPLICATE')
    expect(confError('127.0.0.1:8848\n127.0.0.1:08848').code).toBe('CONF_DUPLICATE')
    expect(confError('127.0.0.1:8848, 127.0.0.1:8848').line).toBe(1)
  })

  it('rejects a member whose HTTP port is another member’s Raft port, in either order', () => {
    const later = confError('127.0.0.1:8848\n127.0.0.1:7848\n')
    expect(later.code).toBe('CONF_INVALID')
    expect(later.line).toBe(2)
    expect(later.message).toBe(
      'conf/cluster.conf:2: "127.0.0.1:7848" is not a valid member: port 7848 is the Raft port of 127.0.0.1:8848 (line 1)'
    )
    const first = confError('127.0.0.1:7848\n127.0.0.1:8848\n')
    expect(first.line).toBe(2)
    expect(first.message).toContain('its Raft port 7848 is the HTTP port of 127.0.0.1:7848 (line 1)')
  })

  it('allows the same ports on different hosts', () => {
    expect(parseClusterConf('10.0.0.1:8848\n10.0.0.2:7848').members).toHaveLength(2)
  })

  it.each([
    ['an empty file', ''],
    ['only comments and blanks', '# nothing here\n\n   # still nothing\n\t\n']
  ])('rejects %s as an empty membership', (_name, text) => {
    const err = confError(text)
    expect(err.code).toBe('CONF_EMPTY')
    expect(err.line).toBeUndefined()
    expect(err.message).toBe('conf/cluster.conf: no members: list each member as ip:port, one per line')
  })
})
