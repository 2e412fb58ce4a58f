import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ConfigState, changedEntries, formatChangedKeys, parseListeningConfigs, type ListenEntry } from './config'
import type { FieldError, Validated } from './errors'
import { pub, rm, TS } from './testing/builders'

const nodeMd5 = (s: string): string => createHash('md5').update(Buffer.from(s, 'utf8')).digest('hex')

function ok<T>(r: Validated<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`)
  return r.value
}
function err<T>(r: Validated<T>): FieldError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`)
  return r.error
}

const key = { namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml' }

describe('ConfigState publish / get / remove', () => {
  it('stores content byte for byte with the md5 the SDK computes, and times from the command', () => {
    const s = new ConfigState()
    const content = '  spaced \r\n中文：配置\n🚀 tail  '
    expect(s.publish(pub({ content, appName: 'shop' }), 7)).toEqual({ outcome: 'created', md5: nodeMd5(content) })
    expect(s.get(key)).toEqual({ ...key, content, md5: nodeMd5(content), type: 'yaml', appName: 'shop', createdAt: TS, lastModified: TS, revision: 7 })
    expect(s.md5Of(key)).toBe(nodeMd5(content))
  })

  it('hashes a 100 KB config like node:crypto', () => {
    const s = new ConfigState()
    const content = '数据'.repeat(17_066) + 'abcd' // 102,400 bytes
    expect(Buffer.byteLength(content)).toBe(102_400)
    s.publish(pub({ content }), 1)
    expect(s.get(key)!.md5).toBe(nodeMd5(content))
  })

  it('distinguishes created, updated and content-unchanged, moving lastModified every time', () => {
    const s = new ConfigState()
    expect(s.publish(pub({ content: 'a' }), 1).outcome).toBe('created')
    expect(s.publish(pub({ content: 'b', ts: TS + 1 }), 2).outcome).toBe('updated')
    expect(s.publish(pub({ content: 'b', ts: TS + 2, type: 'json' }), 3).outcome).toBe('content-unchanged')
    expect(s.get(key)).toMatchObject({ content: 'b', type: 'json', createdAt: TS, lastModified: TS + 2, revision: 3, md5: nodeMd5('b') })
  })

  it('honours casMd5: mismatch changes nothing; match publishes; absent config is created (as Nacos)', () => {
    const s = new ConfigState()
    expect(s.publish(pub({ content: 'a', casMd5: nodeMd5('zzz') }), 1).outcome).toBe('created')
    expect(s.publish(pub({ content: 'b', casMd5: nodeMd5('zzz') }), 2)).toEqual({ outcome: 'cas-mismatch', md5: nodeMd5('a') })
    expect(s.get(key)).toMatchObject({ content: 'a', revision: 1 })
    expect(s.publish(pub({ content: 'b', casMd5: nodeMd5('a') }), 3).outcome).toBe('updated')
  })

  it('removes, and says when there was nothing to remove; a missing md5 is ""', () => {
    const s = new ConfigState()
    s.publish(pub(), 1)
    expect(s.remove(rm())).toBe('removed')
    expect(s.remove(rm())).toBe('absent')
    expect(s.get(key)).toBeUndefined()
    expect(s.md5Of(key)).toBe('')
  })

  it('isolates namespaces and groups', () => {
    const s = new ConfigState()
    s.publish(pub({ content: 'public' }), 1)
    s.publish(pub({ content: 'ns1', namespace: 'ns1' }), 2)
    s.publish(pub({ content: 'g2', group: 'G2' }), 3)
    expect(s.get(key)!.content).toBe('public')
    expect(s.get({ ...key, namespace: 'ns1' })!.content).toBe('ns1')
    expect(s.get({ ...key, group: 'G2' })!.content).toBe('g2')
    expect(s.count()).toBe(3)
    expect(s.count('ns1')).toBe(1)
    expect(s.count('public')).toBe(2)
    expect(s.namespaces()).toEqual(['ns1', 'public'])
    s.remove(rm({ namespace: 'ns1' }))
    expect(s.get(key)!.content).toBe('public')
    expect([...s.configs('ns1')]).toEqual([])
  })
})

describe('listener: parseListeningConfigs (spec §3.7)', () => {
  /** What the HTTP layer hands over: the form field after urlencoded-body decoding. */
  const formField = (body: string): string | undefined => new URLSearchParams(body).get('Listening-Configs') ?? undefined
  const md5 = nodeMd5('a: 1\n')

  it('parses the SDK probe without a namespace', () => {
    expect(ok(parseListeningConfigs(formField(`Listening-Configs=app.yaml%02DEFAULT_GROUP%02${md5}%01`)))).toEqual([
      { namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'app.yaml', md5, tenant: '' }
    ])
  })

  it('parses the SDK probe with a namespace and an empty md5', () => {
    expect(ok(parseListeningConfigs(formField('tenant=ns1&Listening-Configs=app.yaml%02G2%02%02ns1%01')))).toEqual([
      { namespace: 'ns1', group: 'G2', dataId: 'app.yaml', md5: '', tenant: 'ns1' }
    ])
  })

  it('parses several keys, keeps order, folds public aliases, and lower-cases md5s', () => {
    const text = `a\u0002G\u0002${md5.toUpperCase()}\u0001b\u0002G\u0002\u0002public\u0001c\u0002G\u0002\u0002NULL\u0001`
    const entries = ok(parseListeningConfigs(text))
    expect(entries.map((e) => [e.dataId, e.namespace, e.tenant, e.md5])).toEqual([
      ['a', 'public', '', md5],
      ['b', 'public', 'public', ''],
      ['c', 'public', 'NULL', '']
    ])
  })

  it('decodes a probe that is still percent-encoded, as Nacos decodes it a second time', () => {
    expect(ok(parseListeningConfigs(`app.yaml%02DEFAULT_GROUP%02${md5}%01`))).toEqual([{ ...key, md5, tenant: '' }])
  })

  it('keeps the first position and the last md5 of a key listed twice', () => {
    const entries = ok(parseListeningConfigs(`a\u0002G\u0002\u0001b\u0002G\u0002\u0001a\u0002G\u0002${md5}\u0001`))
    expect(entries.map((e) => [e.dataId, e.md5])).toEqual([
      ['a', md5],
      ['b', '']
    ])
  })

  it.each([
    [undefined, 'REQUIRED'],
    ['', 'REQUIRED'],
    ['a\u0002G\u0002', 'INVALID'], // not terminated
    ['a\u0002G\u0002\u0001trailing', 'INVALID'],
    ['a\u0002G\u0001', 'INVALID'], // too few fields
    ['a\u0001', 'INVALID'],
    ['a\u0002G\u0002m\u0002t\u0002x\u0001', 'INVALID'], // too many fields
    ['a b\u0002G\u0002\u0001', 'INVALID'], // bad dataId
    ['\u0002G\u0002\u0001', 'INVALID'], // empty dataId
    ['a\u0002\u0002\u0001', 'INVALID'], // empty group
    ['a\u0002G\u0002nothex\u0001', 'INVALID'], // bad md5
    ['a\u0002G\u0002\u0002bad tenant\u0001', 'INVALID'],
    ['a%2', 'INVALID'] // malformed escape
  ])('refuses %j naming Listening-Configs', (text, code) => {
    const e = err(parseListeningConfigs(text))
    expect(e.field).toBe('Listening-Configs')
    expect(e.code).toBe(code)
    expect(e.message).toContain('Listening-Configs')
  })

  it('refuses more than 10,000 keys (as Nacos)', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => `k${i}\u0002G\u0002\u0001`).join('')
    expect(err(parseListeningConfigs(many)).code).toBe('TOO_LARGE')
    expect(ok(parseListeningConfigs(many.slice(0, many.lastIndexOf('k')))).length).toBe(10_000)
  })
})

describe('listener: changed keys and the reply body (spec §3.7)', () => {
  const entry = (over: Partial<ListenEntry>): ListenEntry => ({ ...key, md5: '', tenant: '', ...over })

  it('formats the body byte for byte as the spec examples', () => {
    expect(formatChangedKeys([entry({})])).toBe('app.yaml%02DEFAULT_GROUP%01')
    expect(formatChangedKeys([entry({ group: 'G2', namespace: 'ns1', tenant: 'ns1' })])).toBe('app.yaml%02G2%02ns1%01')
    expect(formatChangedKeys([entry({}), entry({ dataId: 'b:c', group: 'G2', namespace: 'ns1', tenant: 'ns1' })])).toBe(
      'app.yaml%02DEFAULT_GROUP%01b%3Ac%02G2%02ns1%01'
    )
    expect(formatChangedKeys([])).toBe('')
  })

  it('produces a body the SDK decodes back into dataId and group (decodeURIComponent, split ␁ then ␂)', () => {
    const body = formatChangedKeys([entry({ dataId: 'a.b-c_d:e' }), entry({ dataId: 'x', group: 'G', tenant: 'ns1', namespace: 'ns1' })])
    expect(body).not.toMatch(/\+|%(?![0-9A-F]{2})/)
    const keys = decodeURIComponent(body)
      .split('\u0001')
      .filter((s) => s !== '')
      .map((s) => s.split('\u0002').slice(0, 2))
    expect(keys).toEqual([
      ['a.b-c_d:e', 'DEFAULT_GROUP'],
      ['x', 'G']
    ])
  })

  it('reports keys whose md5 differs, a missing config counting as ""', () => {
    const s = new ConfigState()
    s.publish(pub({ content: 'v1' }), 1)
    s.publish(pub({ content: 'other', dataId: 'other' }), 2)
    const probe = ok(parseListeningConfigs(`app.yaml\u0002DEFAULT_GROUP\u0002${nodeMd5('v1')}\u0001other\u0002DEFAULT_GROUP\u0002\u0001gone\u0002DEFAULT_GROUP\u0002\u0001`))
    // app.yaml is up to date; `other` exists but the client has nothing; `gone` is missing on both sides.
    expect(changedEntries(probe, s).map((e) => e.dataId)).toEqual(['other'])
    s.publish(pub({ content: 'v2' }), 3)
    expect(formatChangedKeys(changedEntries(probe, s))).toBe('app.yaml%02DEFAULT_GROUP%01other%02DEFAULT_GROUP%01')
    // A delete wakes listeners too: the server md5 becomes "".
    s.remove(rm({ dataId: 'other' }))
    expect(changedEntries(probe, s).map((e) => e.dataId)).toEqual(['app.yaml'])
  })

  it('compares within the listed namespace only', () => {
    const s = new ConfigState()
    s.publish(pub({ namespace: 'ns1', content: 'x' }), 1)
    const probe = ok(parseListeningConfigs(`app.yaml\u0002DEFAULT_GROUP\u0002${nodeMd5('x')}\u0001app.yaml\u0002DEFAULT_GROUP\u0002${nodeMd5('x')}\u0002ns1\u0001`))
    expect(changedEntries(probe, s).map((e) => e.tenant)).toEqual([''])
  })
})
