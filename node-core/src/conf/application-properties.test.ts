import { describe, it, expect } from 'vitest'
import {
  DEFAULT_ADVERTISED_IP,
  DEFAULT_BIND_ADDRESS,
  DEFAULT_SERVER_PORT,
  parseApplicationProperties,
  parsePropertiesEntries
} from './application-properties'
import { ConfError } from './conf-error'

const props = (text: string) => parseApplicationProperties(text)

/** Run `fn` and return the ConfError it must throw. */
function confError(fn: () => unknown): ConfError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfError)
    return err as ConfError
  }
  throw new Error('expected a ConfError')
}

describe('parsePropertiesEntries: java.util.Properties syntax', () => {
  it('accepts =, : and whitespace as separators, with blanks around them', () => {
    const entries = parsePropertiesEntries(['a=1', 'b:2', 'c 3', 'd = 4', 'e : 5', 'f\t\t6', 'g   =   7', 'h:=8', 'i==9'].join('\n'))
    expect(entries.map((e) => [e.key, e.value])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
      ['e', '5'],
      ['f', '6'],
      ['g', '7'],
      ['h', '=8'],
      ['i', '=9']
    ])
  })

  it('skips # and ! comments and blank lines, keeping line numbers', () => {
    const entries = parsePropertiesEntries('# comment\n! also a comment\n\n   \n  # indented\nserver.port=8848\n')
    expect(entries).toEqual([{ key: 'server.port', value: '8848', line: 6 }])
  })

  it('keeps # inside a value (Java has no trailing comments)', () => {
    expect(parsePropertiesEntries('a=1 # not a comment')[0]?.value).toBe('1 # not a comment')
  })

  it('trims the key and leading blanks; drops trailing unescaped blanks of the value', () => {
    expect(parsePropertiesEntries('   key   =   value with spaces   \t')[0]).toEqual({ key: 'key', value: 'value with spaces', line: 1 })
    expect(parsePropertiesEntries('a=x\\ ')[0]?.value).toBe('x ')
  })

  it('joins continuation lines, dropping their leading blanks, and reports the first line', () => {
    const entries = parsePropertiesEntries('# c\nlist=a,\\\n    b,\\\n\tc\nnext=1')
    expect(entries).toEqual([
      { key: 'list', value: 'a,b,c', line: 2 },
      { key: 'next', value: '1', line: 5 }
    ])
  })

  it('does not continue on an even number of trailing backslashes', () => {
    const entries = parsePropertiesEntries('path=C:\\\\\nnext=1')
    expect(entries).toEqual([
      { key: 'path', value: 'C:\\', line: 1 },
      { key: 'next', value: '1', line: 2 }
    ])
  })

  it('does not continue comment lines', () => {
    expect(parsePropertiesEntries('# comment \\\na=1')).toEqual([{ key: 'a', value: '1', line: 2 }])
  })

  it('ends a continued entry at an empty line, and tolerates a continuation at end of file', () => {
    expect(parsePropertiesEntries('a=1\\\n\nb=2')).toEqual([
      { key: 'a', value: '1', line: 1 },
      { key: 'b', value: '2', line: 3 }
    ])
    expect(parsePropertiesEntries('a=1\\')).toEqual([{ key: 'a', value: '1', line: 1 }])
  })

  it('decodes \\t \\n \\r \\f \\uXXXX and escaped separators in keys and values', () => {
    const [e] = parsePropertiesEntries('my\\ key\\=x\\:y = tab\\there\\nnl\\r\\f\\u00e9\\u4E2D\\\\end\\q')
    expect(e?.key).toBe('my key=x:y')
    expect(e?.value).toBe('tab\there\nnl\r\f\u00e9\u4e2d\\endq')
  })

  it('reads a key without a value as empty', () => {
    expect(parsePropertiesEntries('lonely\nalso=\n')).toEqual([
      { key: 'lonely', value: '', line: 1 },
      { key: 'also', value: '', line: 2 }
    ])
  })

  it('handles CRLF, lone CR and a BOM', () => {
    expect(parsePropertiesEntries('\uFEFFa=1\r\nb=2\rc=3').map((e) => `${e.key}=${e.value}@${e.line}`)).toEqual(['a=1@1', 'b=2@2', 'c=3@3'])
  })

  it('rejects a malformed \\uXXXX escape with file and line', () => {
    const err = confError(() => parsePropertiesEntries('a=1\nb=\\u12G4\n', '/h/conf/application.properties'))
    expect(err.code).toBe('CONF_MALFORMED')
    expect(err.line).toBe(2)
    expect(err.message).toBe('/h/conf/application.properties:2: malformed \\uXXXX escape "\\u12G4"')
    expect(confError(() => parsePropertiesEntries('a=\\u12')).message).toContain('"\\u12"')
  })
})

describe('ApplicationProperties', () => {
  it('gives the defaults for an empty file', () => {
    const p = props('')
    expect(p.serverPort).toBe(DEFAULT_SERVER_PORT)
    expect(DEFAULT_SERVER_PORT).toBe(8848)
    expect(p.serverAddress).toBe(DEFAULT_BIND_ADDRESS)
    expect(DEFAULT_BIND_ADDRESS).toBe('127.0.0.1')
    expect(p.advertisedIp).toBe(DEFAULT_ADVERTISED_IP)
    expect(p.logLevel).toBe('info')
    expect(p.file).toBe('conf/application.properties')
  })

  it('reads the typed keys', () => {
    const p = props(
      'server.port = 28848\nserver.address=0.0.0.0\nnacos.inetutils.ip-address=10.0.0.7\nlogging.level.root=DEBUG\n'
    )
    expect(p.serverPort).toBe(28848)
    expect(p.serverAddress).toBe('0.0.0.0')
    expect(p.advertisedIp).toBe('10.0.0.7')
    expect(p.logLevel).toBe('debug')
  })

  it('treats an empty value as absent', () => {
    const p = props('server.port=\nserver.address=   \nnacos.inetutils.ip-address=\n')
    expect(p.serverPort).toBe(8848)
    expect(p.serverAddress).toBe('127.0.0.1')
    expect(p.advertisedIp).toBe('127.0.0.1')
  })

  it('lets the last of repeated keys win, with its line', () => {
    const p = props('server.port=1111\nserver.port=2222\n')
    expect(p.serverPort).toBe(2222)
    expect(p.entry('server.port')?.line).toBe(2)
  })

  it('keeps unknown keys for later features', () => {
    const p = props('nacos.core.protocol.raft.data.election_timeout_ms=5000\nfoo.bar=baz\n')
    expect(p.keys()).toEqual(['nacos.core.protocol.raft.data.election_timeout_ms', 'foo.bar'])
    expect(p.get('foo.bar')).toBe('baz')
    expect(p.get('missing')).toBeUndefined()
    expect(p.getInt('nacos.core.protocol.raft.data.election_timeout_ms', 1000, { min: 100 })).toBe(5000)
    expect(p.getInt('missing', 42)).toBe(42)
  })

  it.each([
    ['99999', 'must be 1-65535'],
    ['0', 'must be 1-65535'],
    ['abc', 'must be a number'],
    ['88 48', 'must be a number'],
    ['-1', 'must be a number'],
    ['8848.0', 'must be a number']
  ])('rejects server.port=%s naming file, line and key', (value, problem) => {
    const p = parseApplicationProperties(`# node 1\nserver.port=${value}\n`, { file: '/h/conf/application.properties' })
    const err = confError(() => p.serverPort)
    expect(err.code).toBe('CONF_INVALID')
    expect(err.file).toBe('/h/conf/application.properties')
    expect(err.line).toBe(2)
    expect(err.key).toBe('server.port')
    expect(err.message).toBe(`/h/conf/application.properties:2: server.port "${value}" is not valid: ${problem}`)
  })

  it('rejects a bad advertised ip or bind address', () => {
    expect(confError(() => props('nacos.inetutils.ip-address=300.1.1.1').advertisedIp).message).toContain(
      'nacos.inetutils.ip-address "300.1.1.1" is not valid: "300.1.1.1" is not a valid IPv4 address'
    )
    expect(confError(() => props('nacos.inetutils.ip-address=0.0.0.0').advertisedIp).key).toBe('nacos.inetutils.ip-address')
    expect(confError(() => props('\n\nserver.address=no_such host').serverAddress).line).toBe(3)
    expect(props('server.address=::1').serverAddress).toBe('::1')
    expect(props('server.address=LocalHost').serverAddress).toBe('localhost')
  })

  it('maps Spring log levels and rejects unknown ones', () => {
    expect(props('logging.level.root=OFF').logLevel).toBe('silent')
    expect(props('logging.level.root=Warning').logLevel).toBe('warn')
    expect(props('logging.level.root=trace').logLevel).toBe('trace')
    expect(confError(() => props('logging.level.root=loud').logLevel).message).toContain('must be one of trace, debug, info, warn, error, fatal, off')
  })

  it('validates integers in getInt', () => {
    const p = props('a=12\nb=x\nc=5\nd=1e3')
    expect(p.getInt('a', 0, { min: 1, max: 20 })).toBe(12)
    expect(confError(() => p.getInt('b', 0)).message).toBe('conf/application.properties:2: b "x" is not valid: must be an integer')
    expect(confError(() => p.getInt('c', 0, { min: 10, max: 20 })).message).toContain('must be 10-20')
    expect(confError(() => p.getInt('d', 0)).line).toBe(4)
  })
})
