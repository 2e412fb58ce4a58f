import { describe, expect, it } from 'vitest'
import type { FieldError, Validated } from './errors'
import {
  LIMITS,
  checkMetadata,
  checkServiceName,
  isIPv6,
  isValidHost,
  readParam,
  validateBeat,
  validateConfigKey,
  validateDeregister,
  validateInstanceList,
  validatePublish,
  validateRegister,
  validateServiceList,
  type ParamSource
} from './validate'

/** The value of a result that must be ok (fails the test with the error otherwise). */
function ok<T>(r: Validated<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`)
  return r.value
}

/** The error of a result that must fail. */
function err<T>(r: Validated<T>): FieldError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`)
  return r.error
}

/** A register exactly as the SDK sends it (spec §2.2). */
const sdkRegister = {
  namespaceId: 'public',
  serviceName: 'DEFAULT_GROUP@@orders',
  groupName: 'DEFAULT_GROUP',
  clusterName: 'DEFAULT',
  ip: '10.0.0.5',
  port: '8080',
  weight: '1',
  enable: 'true',
  healthy: 'true',
  ephemeral: 'true',
  metadata: '{"version":"1"}'
}

describe('readParam', () => {
  it('reads records and URLSearchParams, and treats "" and null as absent', () => {
    expect(readParam({ a: 'x', b: '', c: null }, 'a')).toBe('x')
    expect(readParam({ a: 'x', b: '', c: null }, 'b')).toBeUndefined()
    expect(readParam({ a: 'x', b: '', c: null }, 'c')).toBeUndefined()
    expect(readParam({}, 'toString')).toBeUndefined() // never an inherited property
    const usp = new URLSearchParams('tenant=&dataId=app.yaml')
    expect(readParam(usp, 'tenant')).toBeUndefined()
    expect(readParam(usp, 'dataId')).toBe('app.yaml')
    expect(readParam(usp, 'missing')).toBeUndefined()
  })
})

describe('validateRegister', () => {
  it('accepts exactly what the SDK sends', () => {
    expect(ok(validateRegister(sdkRegister))).toEqual({
      namespace: 'public',
      service: 'DEFAULT_GROUP@@orders',
      group: 'DEFAULT_GROUP',
      name: 'orders',
      ip: '10.0.0.5',
      port: 8080,
      cluster: 'DEFAULT',
      weight: 1,
      healthy: true,
      enabled: true,
      ephemeral: true,
      metadata: { version: '1' }
    })
  })

  it('applies Nacos defaults when only serviceName, ip and port are given', () => {
    const r = ok(validateRegister({ serviceName: 'orders', ip: '10.0.0.5', port: '8080' }))
    expect(r).toMatchObject({
      namespace: 'public',
      service: 'DEFAULT_GROUP@@orders',
      cluster: 'DEFAULT',
      weight: 1,
      healthy: true,
      enabled: true,
      ephemeral: true,
      metadata: {}
    })
  })

  it('treats empty values as absent (the SDK sends unset options as x=)', () => {
    const r = ok(validateRegister({ ...sdkRegister, namespaceId: '', clusterName: '', weight: '', metadata: '', enable: '', healthy: '' }))
    expect(r).toMatchObject({ namespace: 'public', cluster: 'DEFAULT', weight: 1, metadata: {}, enabled: true, healthy: true })
  })

  describe('grouped service names', () => {
    it('does not double-prefix a grouped name, and ignores groupName then (ServiceNameFilter)', () => {
      expect(ok(validateRegister({ ...sdkRegister, serviceName: 'G2@@orders', groupName: 'G2' })).service).toBe('G2@@orders')
      const r = ok(validateRegister({ ...sdkRegister, serviceName: 'G2@@orders', groupName: 'OTHER' }))
      expect(r).toMatchObject({ service: 'G2@@orders', group: 'G2', name: 'orders' })
    })

    it('prefixes a plain name with groupName, or DEFAULT_GROUP', () => {
      expect(ok(validateRegister({ ...sdkRegister, serviceName: 'orders', groupName: 'G2' })).service).toBe('G2@@orders')
      expect(ok(validateRegister({ ...sdkRegister, serviceName: 'orders', groupName: '' })).service).toBe('DEFAULT_GROUP@@orders')
    })

    it.each([
      ['@@orders', 'empty group'],
      ['G@@', 'empty name'],
      ['a@@b@@c', 'more than once'],
      ['G@@or ders', 'letters, digits'],
      ['G!@@orders', 'letters, digits'],
      ['or/ders', 'letters, digits']
    ])('refuses serviceName %j naming the field', (serviceName, words) => {
      const e = err(validateRegister({ ...sdkRegister, serviceName }))
      expect(e.field).toBe('serviceName')
      expect(e.code).toBe('INVALID')
      expect(e.message).toContain('serviceName')
      expect(e.message).toContain(words)
    })

    it('names groupName when the separate group parameter is the bad part', () => {
      const e = err(validateRegister({ ...sdkRegister, serviceName: 'orders', groupName: 'bad group' }))
      expect(e.field).toBe('groupName')
      expect(e.message).toContain('groupName')
    })

    it('checks lengths of both parts', () => {
      expect(err(checkServiceName('G@@' + 'x'.repeat(LIMITS.serviceNameLength + 1), undefined))).toMatchObject({ field: 'serviceName', code: 'TOO_LONG' })
      expect(ok(checkServiceName('G@@' + 'x'.repeat(LIMITS.serviceNameLength), undefined)).name).toHaveLength(LIMITS.serviceNameLength)
      expect(err(checkServiceName('x'.repeat(129) + '@@a', undefined))).toMatchObject({ field: 'serviceName', code: 'TOO_LONG' })
      expect(err(checkServiceName('a', 'g'.repeat(129)))).toMatchObject({ field: 'groupName', code: 'TOO_LONG' })
    })
  })

  it('reads enabled before enable, and names the one that was wrong', () => {
    expect(ok(validateRegister({ ...sdkRegister, enable: 'false' })).enabled).toBe(false)
    expect(ok(validateRegister({ ...sdkRegister, enabled: 'false', enable: 'true' })).enabled).toBe(false)
    expect(ok(validateRegister({ ...sdkRegister, enabled: 'TRUE', enable: 'false' })).enabled).toBe(true)
    expect(ok(validateRegister({ ...sdkRegister, enabled: '', enable: 'false' })).enabled).toBe(false)
    expect(err(validateRegister({ ...sdkRegister, enable: 'yes' })).field).toBe('enable')
    expect(err(validateRegister({ ...sdkRegister, enabled: 'nope' })).field).toBe('enabled')
  })

  it.each([
    ['10.0.0.5', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['::1', true],
    ['fe80::1', true],
    ['2001:db8:0:0:1:0:0:1', true],
    ['::ffff:10.0.0.1', true],
    ['::', true],
    ['1:2:3:4:5:6:7:8', true],
    ['node-1.svc.local', true],
    ['localhost', true],
    ['256.0.0.1', false],
    ['10.0.0', false],
    ['010.0.0.1', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['fe80::1%eth0', false],
    ['[::1]', false],
    ['host_name', false],
    ['-host', false],
    ['a..b', false],
    ['10.0.0.5#1', false],
    ['1:2:3:4:5:6:7::8:9', false],
    ['::ffff:300.0.0.1', false]
  ])('ip %j valid=%s', (ip, expected) => {
    expect(isValidHost(ip)).toBe(expected)
    const r = validateRegister({ ...sdkRegister, ip })
    if (expected) expect(ok(r).ip).toBe(ip)
    else expect(err(r)).toMatchObject({ field: 'ip', code: 'INVALID' })
  })

  it('IPv6 needs :: to stand for at least one group', () => {
    expect(isIPv6('1:2:3:4::5:6:7')).toBe(true)
    expect(isIPv6('1:2:3:4::5:6:7:8')).toBe(false)
  })

  it.each([
    ['0', 0],
    ['1', 1],
    ['8080', 8080],
    ['65535', 65535]
  ])('port %j is %d (Nacos accepts 0)', (port, n) => {
    expect(ok(validateRegister({ ...sdkRegister, port })).port).toBe(n)
  })

  it.each([
    ['65536', 'OUT_OF_RANGE'],
    ['-1', 'INVALID'],
    ['+80', 'INVALID'],
    ['80.5', 'INVALID'],
    ['abc', 'INVALID'],
    [' 80', 'INVALID'],
    ['0x50', 'INVALID']
  ])('port %j is refused (%s)', (port, code) => {
    expect(err(validateRegister({ ...sdkRegister, port }))).toMatchObject({ field: 'port', code })
  })

  it.each([
    ['0', 0],
    ['1', 1],
    ['0.5', 0.5],
    ['10000', 10000],
    ['1e2', 100],
    ['.25', 0.25]
  ])('weight %j is %d', (weight, n) => {
    expect(ok(validateRegister({ ...sdkRegister, weight })).weight).toBe(n)
  })

  it.each([
    ['10000.01', 'OUT_OF_RANGE'],
    ['-1', 'OUT_OF_RANGE'],
    ['NaN', 'INVALID'],
    ['Infinity', 'INVALID'],
    ['1e400', 'OUT_OF_RANGE'],
    ['one', 'INVALID']
  ])('weight %j is refused (%s)', (weight, code) => {
    expect(err(validateRegister({ ...sdkRegister, weight }))).toMatchObject({ field: 'weight', code })
  })

  it.each(['healthy', 'ephemeral'] as const)('%s must be true or false', (field) => {
    expect(ok(validateRegister({ ...sdkRegister, [field]: 'False' }))[field]).toBe(false)
    expect(err(validateRegister({ ...sdkRegister, [field]: '1' }))).toMatchObject({ field, code: 'INVALID' })
  })

  it.each([
    ['DEFAULT', true],
    ['cluster-a', true],
    ['A1', true],
    ['c_1', false],
    ['c.1', false],
    ['c 1', false]
  ])('clusterName %j valid=%s (Nacos: 0-9a-zA-Z-)', (clusterName, expected) => {
    const r = validateRegister({ ...sdkRegister, clusterName })
    if (expected) expect(ok(r).cluster).toBe(clusterName)
    else expect(err(r)).toMatchObject({ field: 'clusterName', code: 'INVALID' })
  })

  describe('metadata', () => {
    it('keeps string values and turns numbers and booleans into strings', () => {
      expect(ok(checkMetadata('{"version":"1","n":2,"b":true,"f":1.5}'))).toEqual({ b: 'true', f: '1.5', n: '2', version: '1' })
    })

    it('sorts keys (canonical across nodes)', () => {
      expect(Object.keys(ok(checkMetadata('{"z":"1","a":"2","m":"3"}')))).toEqual(['a', 'm', 'z'])
    })

    it('accepts the legacy k=v,k2=v2 form', () => {
      expect(ok(checkMetadata('version=1,zone=a'))).toEqual({ version: '1', zone: 'a' })
    })

    it('keeps a __proto__ key as a plain key (no prototype pollution)', () => {
      const m = ok(checkMetadata('{"__proto__":"x","a":"1"}'))
      expect(Object.getPrototypeOf(m)).toBe(Object.prototype)
      expect(Object.keys(m)).toEqual(['__proto__', 'a'])
      expect(JSON.stringify(m)).toBe('{"__proto__":"x","a":"1"}')
    })

    it.each([
      ['{"a":', 'not valid JSON'],
      ['[1,2]', 'k=v'],
      ['{"a":{"b":"c"}}', 'value of "a" must be a string'],
      ['{"a":null}', 'got null'],
      ['{"a":[1]}', 'value of "a"'],
      ['k=v=w', 'k=v'],
      ['k=', 'k=v'],
      ['justtext', 'k=v']
    ])('refuses %j naming metadata', (metadata, words) => {
      const e = err(validateRegister({ ...sdkRegister, metadata }))
      expect(e.field).toBe('metadata')
      expect(e.code).toBe('INVALID')
      expect(e.message).toContain(words)
    })

    it('refuses metadata beyond the size limit', () => {
      const metadata = JSON.stringify({ big: 'x'.repeat(LIMITS.metadataLength) })
      expect(err(validateRegister({ ...sdkRegister, metadata }))).toMatchObject({ field: 'metadata', code: 'TOO_LONG' })
    })
  })

  describe('namespaces', () => {
    it.each(['', 'public', 'PUBLIC', 'null', 'Null'])('%j is the default namespace', (namespaceId) => {
      expect(ok(validateRegister({ ...sdkRegister, namespaceId })).namespace).toBe('public')
    })

    it('keeps other namespaces as given (case matters)', () => {
      expect(ok(validateRegister({ ...sdkRegister, namespaceId: 'ns1' })).namespace).toBe('ns1')
      expect(ok(validateRegister({ ...sdkRegister, namespaceId: 'Dev-Team_1.a:b' })).namespace).toBe('Dev-Team_1.a:b')
    })

    it('refuses bad namespace ids naming namespaceId', () => {
      expect(err(validateRegister({ ...sdkRegister, namespaceId: 'ns 1' }))).toMatchObject({ field: 'namespaceId', code: 'INVALID' })
      expect(err(validateRegister({ ...sdkRegister, namespaceId: 'n'.repeat(129) }))).toMatchObject({ field: 'namespaceId', code: 'TOO_LONG' })
    })
  })

  it.each(['serviceName', 'ip', 'port'] as const)('%s is required, and the error says so', (field) => {
    const params: Record<string, string> = { ...sdkRegister }
    delete params[field]
    const e = err(validateRegister(params))
    expect(e).toEqual({ field, code: 'REQUIRED', message: `${field} is required` })
    expect(err(validateRegister({ ...sdkRegister, [field]: '' }))).toEqual(e)
  })

  it('quotes long bad values shortly in messages', () => {
    const e = err(validateRegister({ ...sdkRegister, ip: '!'.repeat(200) }))
    expect(e.message.length).toBeLessThan(200)
  })
})

describe('validateDeregister', () => {
  it('takes the group from the @@ prefix (the SDK sends no groupName)', () => {
    const r = ok(validateDeregister({ namespaceId: 'public', serviceName: 'G2@@orders', clusterName: 'DEFAULT', ip: '10.0.0.5', port: '8080', ephemeral: 'false' }))
    expect(r).toEqual({ namespace: 'public', service: 'G2@@orders', ip: '10.0.0.5', port: 8080, cluster: 'DEFAULT', ephemeral: false })
  })

  it.each([
    [{ serviceName: '', ip: '1.1.1.1', port: '1' }, 'serviceName'],
    [{ serviceName: 'a', port: '1' }, 'ip'],
    [{ serviceName: 'a', ip: '1.1.1.1' }, 'port'],
    [{ serviceName: 'a', ip: '1.1.1.1', port: '1', clusterName: 'x_y' }, 'clusterName'],
    [{ serviceName: 'a', ip: '1.1.1.1', port: '1', ephemeral: 'maybe' }, 'ephemeral'],
    [{ serviceName: 'a', ip: '1.1.1.1', port: '1', namespaceId: 'a b' }, 'namespaceId']
  ])('names the bad field %#', (params, field) => {
    expect(err(validateDeregister(params)).field).toBe(field)
  })
})

describe('validateInstanceList', () => {
  const sdkList = { namespaceId: 'public', serviceName: 'DEFAULT_GROUP@@orders', clusters: '', udpPort: '0', clientIP: '192.168.1.7', healthyOnly: 'false' }

  it('keeps clusters exactly as sent and parses the filter', () => {
    expect(ok(validateInstanceList(sdkList))).toMatchObject({ clusters: '', clusterFilter: [], healthyOnly: false, udpPort: 0, clientIP: '192.168.1.7' })
    expect(ok(validateInstanceList({ ...sdkList, clusters: 'DEFAULT' }))).toMatchObject({ clusters: 'DEFAULT', clusterFilter: ['DEFAULT'] })
    expect(ok(validateInstanceList({ ...sdkList, clusters: 'B,A,,C' }))).toMatchObject({ clusters: 'B,A,,C', clusterFilter: ['B', 'A', 'C'] })
    expect(ok(validateInstanceList({ serviceName: 'orders' }))).toMatchObject({ clusters: '', service: 'DEFAULT_GROUP@@orders', udpPort: 0, clientIP: undefined })
  })

  it.each([
    [{ ...sdkList, serviceName: '' }, 'serviceName'],
    [{ ...sdkList, clusters: 'A, B' }, 'clusters'],
    [{ ...sdkList, clusters: 'x'.repeat(5000) }, 'clusters'],
    [{ ...sdkList, healthyOnly: 'yes' }, 'healthyOnly'],
    [{ ...sdkList, udpPort: '70000' }, 'udpPort'],
    [{ ...sdkList, clientIP: 'not an ip' }, 'clientIP'],
    [{ ...sdkList, namespaceId: '%' }, 'namespaceId']
  ])('names the bad field %#', (params, field) => {
    expect(err(validateInstanceList(params)).field).toBe(field)
  })
})

describe('validateBeat', () => {
  const beat = { serviceName: 'DEFAULT_GROUP@@orders', ip: '10.0.0.5', port: 8080, cluster: 'DEFAULT', weight: 1, metadata: { version: '1' }, scheduled: true }
  const sdkBeat = (b: object = beat) => ({ beat: JSON.stringify(b), namespaceId: 'public', serviceName: 'DEFAULT_GROUP@@orders' })

  it('reads ip, port and cluster (not clusterName) from the beat JSON', () => {
    expect(ok(validateBeat(sdkBeat()))).toEqual({
      namespace: 'public',
      service: 'DEFAULT_GROUP@@orders',
      ip: '10.0.0.5',
      port: 8080,
      cluster: 'DEFAULT',
      weight: 1,
      metadata: { version: '1' },
      canRecreate: true
    })
    expect(ok(validateBeat(sdkBeat({ ...beat, cluster: 'B' }))).cluster).toBe('B')
    expect(ok(validateBeat({ ...sdkBeat({ ...beat, cluster: undefined }), clusterName: 'C' })).cluster).toBe('C')
    expect(ok(validateBeat(sdkBeat({ ...beat, cluster: undefined }))).cluster).toBe('DEFAULT')
  })

  it('accepts a numeric-string port (Jackson would) and defaults weight and metadata', () => {
    expect(ok(validateBeat(sdkBeat({ ip: '10.0.0.5', port: '8080' })))).toMatchObject({ port: 8080, weight: 1, metadata: {} })
  })

  it('falls back to the beat serviceName when the query has none', () => {
    expect(ok(validateBeat({ beat: JSON.stringify({ ...beat, serviceName: 'G2@@pay' }) })).service).toBe('G2@@pay')
  })

  it('without beat JSON uses ip/port/clusterName parameters and cannot re-create', () => {
    expect(ok(validateBeat({ serviceName: 'orders', ip: '10.0.0.5', port: '8080' }))).toMatchObject({ cluster: 'DEFAULT', canRecreate: false })
  })

  it.each([
    [{ ...sdkBeat(), beat: '{' }, 'beat'],
    [{ ...sdkBeat(), beat: '[1]' }, 'beat'],
    [{ ...sdkBeat(), beat: 'x'.repeat(40_000) }, 'beat'],
    [sdkBeat({ ...beat, ip: undefined }), 'beat.ip'],
    [sdkBeat({ ...beat, ip: 42 }), 'beat.ip'],
    [sdkBeat({ ...beat, ip: '999.1.1.1' }), 'beat.ip'],
    [sdkBeat({ ...beat, port: undefined }), 'beat.port'],
    [sdkBeat({ ...beat, port: 70000 }), 'beat.port'],
    [sdkBeat({ ...beat, port: 1.5 }), 'beat.port'],
    [sdkBeat({ ...beat, port: true }), 'beat.port'],
    [sdkBeat({ ...beat, cluster: 'a_b' }), 'beat.cluster'],
    [sdkBeat({ ...beat, cluster: 5 }), 'beat.cluster'],
    [sdkBeat({ ...beat, weight: -1 }), 'beat.weight'],
    [sdkBeat({ ...beat, weight: 'heavy' }), 'beat.weight'],
    [sdkBeat({ ...beat, weight: {} }), 'beat.weight'],
    [sdkBeat({ ...beat, metadata: 'v=1' }), 'beat.metadata'],
    [sdkBeat({ ...beat, metadata: { a: { b: 1 } } }), 'beat.metadata'],
    [{ ...sdkBeat(), serviceName: '@@x' }, 'serviceName'],
    [{ beat: JSON.stringify({ ...beat, serviceName: 'G@@' }) }, 'beat.serviceName'],
    [{ ...sdkBeat(), namespaceId: 'bad ns' }, 'namespaceId'],
    [{ serviceName: 'orders', ip: '10.0.0.5' }, 'port']
  ])('names the bad field %#', (params, field) => {
    expect(err(validateBeat(params)).field).toBe(field)
  })
})

describe('validateServiceList', () => {
  it('defaults and parses', () => {
    expect(ok(validateServiceList({}))).toEqual({ namespace: 'public', group: 'DEFAULT_GROUP', pageNo: 1, pageSize: 10 })
    expect(ok(validateServiceList({ pageNo: '3', pageSize: '50', groupName: 'G2', namespaceId: 'ns1' }))).toEqual({ namespace: 'ns1', group: 'G2', pageNo: 3, pageSize: 50 })
  })

  it.each([
    [{ pageNo: '0' }, 'pageNo', 'OUT_OF_RANGE'],
    [{ pageNo: 'x' }, 'pageNo', 'INVALID'],
    [{ pageSize: '0' }, 'pageSize', 'OUT_OF_RANGE'],
    [{ pageSize: '10001' }, 'pageSize', 'OUT_OF_RANGE'],
    [{ pageSize: '-5' }, 'pageSize', 'INVALID'],
    [{ groupName: 'a@b' }, 'groupName', 'INVALID'],
    [{ namespaceId: 'a/b' }, 'namespaceId', 'INVALID']
  ])('names the bad field %#', (params, field, code) => {
    expect(err(validateServiceList(params))).toMatchObject({ field, code })
  })
})

describe('config validation', () => {
  /** A publish body exactly as the SDK sends it (spec §3.5), decoded. */
  const sdkPublish = { dataId: 'app.yaml', group: 'DEFAULT_GROUP', content: 'a&b=c%d\n中 +', tenant: '', type: '', appName: '' }

  it('accepts the SDK publish and normalises tenant and type', () => {
    expect(ok(validatePublish(sdkPublish))).toEqual({
      namespace: 'public',
      group: 'DEFAULT_GROUP',
      dataId: 'app.yaml',
      content: 'a&b=c%d\n中 +',
      type: 'text',
      appName: '',
      casMd5: undefined
    })
    expect(ok(validatePublish({ ...sdkPublish, type: 'yaml', appName: 'shop', tenant: 'ns1' }))).toMatchObject({ type: 'yaml', appName: 'shop', namespace: 'ns1' })
    expect(ok(validatePublish({ ...sdkPublish, type: 'exotic' })).type).toBe('text') // Nacos folds unknown types to text
  })

  it('keeps content byte for byte (no trimming)', () => {
    const content = '  leading and trailing  \r\n\n'
    expect(ok(validatePublish({ ...sdkPublish, content })).content).toBe(content)
  })

  it('limits content in UTF-8 bytes, inclusive, 100 KiB by default', () => {
    const exact = 'x'.repeat(LIMITS.contentBytes)
    expect(ok(validatePublish({ ...sdkPublish, content: exact })).content).toHaveLength(102_400)
    expect(err(validatePublish({ ...sdkPublish, content: exact + 'x' }))).toMatchObject({ field: 'content', code: 'TOO_LARGE' })
    // 34,134 Chinese characters are 102,402 bytes: over, although far fewer than 102,400 characters.
    const chinese = '中'.repeat(34_134)
    const e = err(validatePublish({ ...sdkPublish, content: chinese }))
    expect(e).toMatchObject({ field: 'content', code: 'TOO_LARGE' })
    expect(e.message).toContain('102402 bytes')
    expect(ok(validatePublish({ ...sdkPublish, content: '中'.repeat(34_133) })).content).toHaveLength(34_133)
    expect(ok(validatePublish({ ...sdkPublish, content: chinese }, { maxContentBytes: 1024 * 1024 })).content).toBe(chinese)
  })

  it.each([
    [{ ...sdkPublish, content: '' }, 'content', 'REQUIRED'],
    [{ ...sdkPublish, content: ' \n\t ' }, 'content', 'INVALID'],
    [{ ...sdkPublish, dataId: '' }, 'dataId', 'REQUIRED'],
    [{ ...sdkPublish, dataId: 'app yaml' }, 'dataId', 'INVALID'],
    [{ ...sdkPublish, dataId: 'a/b' }, 'dataId', 'INVALID'],
    [{ ...sdkPublish, dataId: 'a@b' }, 'dataId', 'INVALID'],
    [{ ...sdkPublish, dataId: '配置' }, 'dataId', 'INVALID'],
    [{ ...sdkPublish, dataId: 'd'.repeat(256) }, 'dataId', 'TOO_LONG'],
    [{ ...sdkPublish, group: 'G%' }, 'group', 'INVALID'],
    [{ ...sdkPublish, group: 'g'.repeat(129) }, 'group', 'TOO_LONG'],
    [{ ...sdkPublish, tenant: 'ns 1' }, 'tenant', 'INVALID'],
    [{ ...sdkPublish, tenant: 't'.repeat(129) }, 'tenant', 'TOO_LONG'],
    [{ ...sdkPublish, appName: 'a'.repeat(129) }, 'appName', 'TOO_LONG'],
    [{ ...sdkPublish, appName: 'a\nb' }, 'appName', 'INVALID'],
    [{ ...sdkPublish, casMd5: 'abc' }, 'casMd5', 'INVALID']
  ])('names the bad field %#', (params, field, code) => {
    const e = err(validatePublish(params))
    expect(e).toMatchObject({ field, code })
    expect(e.message).toContain(field)
  })

  it('accepts dataId and group with every allowed character, at the maximum lengths', () => {
    const dataId = 'Aa0_.:-'.padEnd(255, 'z')
    expect(ok(validateConfigKey({ dataId, group: 'G_.:-'.padEnd(128, 'g') })).dataId).toBe(dataId)
  })

  it('lower-cases casMd5 and defaults group', () => {
    expect(ok(validatePublish({ ...sdkPublish, group: '', casMd5: 'D41D8CD98F00B204E9800998ECF8427E' }))).toMatchObject({
      group: 'DEFAULT_GROUP',
      casMd5: 'd41d8cd98f00b204e9800998ecf8427e'
    })
  })

  it('validateConfigKey names its fields', () => {
    expect(ok(validateConfigKey({ dataId: 'a', tenant: 'PUBLIC' }))).toEqual({ namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'a' })
    expect(err(validateConfigKey({})).field).toBe('dataId')
    expect(err(validateConfigKey({ dataId: 'a', group: '#' })).field).toBe('group')
    expect(err(validateConfigKey({ dataId: 'a', tenant: '#' })).field).toBe('tenant')
  })
})

describe('every error names a field', () => {
  // A sweep: for each validator and each parameter, a garbage value must produce an error whose
  // field is that parameter (or, for beat JSON, a beat.* field) and whose message mentions it.
  const garbage = '\u0001 bad value %'
  const cases: Array<[string, (p: ParamSource) => Validated<unknown>, Record<string, string>, string[]]> = [
    ['register', validateRegister, sdkRegister, ['namespaceId', 'serviceName', 'ip', 'port', 'clusterName', 'weight', 'healthy', 'enable', 'ephemeral', 'metadata']],
    ['deregister', validateDeregister, { serviceName: 'a', ip: '1.1.1.1', port: '1' }, ['namespaceId', 'serviceName', 'ip', 'port', 'clusterName', 'ephemeral']],
    ['list', validateInstanceList, { serviceName: 'a' }, ['namespaceId', 'serviceName', 'clusters', 'healthyOnly', 'udpPort', 'clientIP']],
    ['beat', validateBeat, { serviceName: 'a', ip: '1.1.1.1', port: '1' }, ['namespaceId', 'serviceName', 'ip', 'port', 'clusterName', 'beat']],
    ['service list', validateServiceList, {}, ['namespaceId', 'groupName', 'pageNo', 'pageSize']],
    ['publish', (p) => validatePublish(p), { dataId: 'a', content: 'x' }, ['dataId', 'group', 'tenant', 'content', 'appName', 'casMd5']]
  ]
  for (const [name, validate, base, fields] of cases) {
    it.each(fields)(`${name}: a bad %s is reported as that field`, (field) => {
      const value = field === 'content' ? ' ' : field === 'serviceName' ? 'x@@y@@z' : garbage
      const e = err(validate({ ...base, [field]: value }))
      expect(e.field).toBe(field)
      expect(e.message).toContain(field)
    })
  }
})
