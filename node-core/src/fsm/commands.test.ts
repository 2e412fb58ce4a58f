import { describe, expect, it } from 'vitest'
import {
  COMMAND_FORMAT_VERSION,
  MAX_BATCH,
  decodeCommand,
  describeCommand,
  encodeCommand,
  expireCommand,
  publishCommand,
  registerCommand,
  setHealthCommand,
  type Command
} from './commands'
import { FsmError, type FsmErrorCode } from './errors'
import { dereg, inst, pub, reg, rm, TS } from './testing/builders'
import { validatePublish, validateRegister } from './validate'

const enc = new TextEncoder()

/** Raw entry bytes: version, op code, then a JSON payload. */
const raw = (version: number, op: number, payload: string): Uint8Array => new Uint8Array([version, op, ...enc.encode(payload)])

function fsmCode(f: () => unknown): FsmErrorCode {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(FsmError)
    return (e as FsmError).code
  }
  throw new Error('expected an FsmError')
}

function fsmMessage(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

const samples: Command[] = [
  { op: 'noop' },
  reg({ metadata: { version: '1', zone: 'a' }, weight: 0.5, healthy: false, enabled: false, ephemeral: false }),
  reg({ namespace: 'ns1', service: 'G2@@pay', ip: '::1', port: 0, cluster: 'c-1' }),
  dereg(),
  setHealthCommand([{ ...inst(), healthy: false, revision: 7 }, { ...inst({ port: 9090 }), healthy: true }], TS),
  expireCommand([{ ...inst(), revision: 3 }, inst({ ip: 'host-a' })], TS),
  pub({ content: '中文 🚀\r\n"quotes" \\ \u0000 \u2028', casMd5: 'd41d8cd98f00b204e9800998ecf8427e' }),
  pub({ type: 'text', appName: 'shop' }),
  rm({ namespace: 'ns1', group: 'G:2', dataId: 'a.b-c_d' })
]

describe('encodeCommand / decodeCommand', () => {
  it.each(samples.map((c) => [c.op, c] as const))('round-trips %s', (_op, cmd) => {
    const bytes = encodeCommand(cmd)
    expect(bytes[0]).toBe(COMMAND_FORMAT_VERSION)
    expect(decodeCommand(bytes)).toEqual(cmd)
    // Encoding is a function of the command: the same command, the same bytes.
    expect(encodeCommand(decodeCommand(bytes))).toEqual(bytes)
  })

  it('decodes an empty entry (the leader no-op) as noop', () => {
    expect(decodeCommand(new Uint8Array(0))).toEqual({ op: 'noop' })
  })

  it('is compact: positional fields, no field names', () => {
    const bytes = encodeCommand(reg())
    expect(new TextDecoder().decode(bytes.subarray(2))).toBe('[1732400000000,"public","DEFAULT_GROUP@@orders","10.0.0.5",8080,"DEFAULT",1,true,true,true,{}]')
    expect(bytes.length).toBeLessThan(100)
    expect(bytes[1]).toBe(1)
    expect(encodeCommand({ op: 'noop' })).toEqual(new Uint8Array([1, 0, 0x5b, 0x5d]))
  })

  it('keeps a 100 KB config exact through the log', () => {
    const content = '配置'.repeat(17_000) + '\n'
    const cmd = pub({ content })
    expect((decodeCommand(encodeCommand(cmd)) as typeof cmd).content).toBe(content)
  })

  it('builds commands from validated requests', () => {
    const r = validateRegister({ serviceName: 'orders', ip: '1.2.3.4', port: '80', metadata: '{"b":"2","a":"1"}' })
    if (!r.ok) throw new Error(r.error.message)
    const cmd = registerCommand(r.value, 5)
    expect(cmd).toEqual({
      op: 'naming.register',
      ts: 5,
      namespace: 'public',
      service: 'DEFAULT_GROUP@@orders',
      ip: '1.2.3.4',
      port: 80,
      cluster: 'DEFAULT',
      weight: 1,
      healthy: true,
      enabled: true,
      ephemeral: true,
      metadata: { a: '1', b: '2' }
    })
    const p = validatePublish({ dataId: 'a', content: 'x', tenant: 'ns1' })
    if (!p.ok) throw new Error(p.error.message)
    expect(publishCommand(p.value, 9)).toEqual({ op: 'config.publish', ts: 9, namespace: 'ns1', group: 'DEFAULT_GROUP', dataId: 'a', content: 'x', type: 'text', appName: '' })
    expect(decodeCommand(encodeCommand(publishCommand(p.value, 9)))).toEqual(publishCommand(p.value, 9))
  })
})

describe('decodeCommand refuses malformed entries', () => {
  const register = '[1,"public","DEFAULT_GROUP@@orders","10.0.0.5",8080,"DEFAULT",1,true,true,true,{}]'

  it('accepts the hand-written payload these cases mutate', () => {
    expect(decodeCommand(raw(1, 1, register))).toEqual(reg({ ts: 1 }))
  })

  it('refuses an unknown format version with UNSUPPORTED_COMMAND_VERSION and says what to do', () => {
    expect(fsmCode(() => decodeCommand(raw(2, 1, register)))).toBe('UNSUPPORTED_COMMAND_VERSION')
    expect(fsmMessage(() => decodeCommand(raw(2, 1, register)))).toMatch(/version 2.*understands version 1/)
    expect(fsmCode(() => decodeCommand(raw(0, 1, register)))).toBe('UNSUPPORTED_COMMAND_VERSION')
  })

  it.each([
    ['only a version byte', new Uint8Array([1])],
    ['an unknown op code', raw(1, 99, '[]')],
    ['a payload that is not JSON', raw(1, 1, '[1,')],
    ['a payload that is not UTF-8', new Uint8Array([1, 6, 0x5b, 0xff, 0xfe, 0x5d])],
    ['a payload that is an object', raw(1, 1, '{"ts":1}')],
    ['too few fields', raw(1, 1, '[1,"public","DEFAULT_GROUP@@orders","10.0.0.5",8080,"DEFAULT",1,true,true,true]')],
    ['too many fields', raw(1, 1, register.replace('{}]', '{},5]'))],
    ['a string port', raw(1, 1, register.replace('8080', '"8080"'))],
    ['a fractional port', raw(1, 1, register.replace('8080', '80.5'))],
    ['port 70000', raw(1, 1, register.replace('8080', '70000'))],
    ['a negative ts', raw(1, 1, register.replace('[1,', '[-1,'))],
    ['a fractional ts', raw(1, 1, register.replace('[1,', '[1.5,'))],
    ['a string boolean', raw(1, 1, register.replace('true,true,true', '"true",true,true'))],
    ['weight out of range', raw(1, 1, register.replace(',1,true', ',10001,true'))],
    ['a non-canonical namespace', raw(1, 1, register.replace('"public"', '""'))],
    ['an alias of public', raw(1, 1, register.replace('"public"', '"PUBLIC"'))],
    ['an ungrouped service', raw(1, 1, register.replace('DEFAULT_GROUP@@orders', 'orders'))],
    ['a bad ip', raw(1, 1, register.replace('10.0.0.5', '10.0.0.256'))],
    ['a bad cluster', raw(1, 1, register.replace('"DEFAULT"', '"DE FAULT"'))],
    ['metadata that is a list', raw(1, 1, register.replace('{}', '[]'))],
    ['metadata with a number value', raw(1, 1, register.replace('{}', '{"a":1}'))],
    ['a setHealth with no changes', raw(1, 3, '[1,[]]')],
    ['a setHealth change that is not a list', raw(1, 3, '[1,[{}]]')],
    ['a setHealth change without revision', raw(1, 3, '[1,[["public","DEFAULT_GROUP@@orders","10.0.0.5",8080,"DEFAULT",true]]]')],
    ['a negative revision', raw(1, 3, '[1,[["public","DEFAULT_GROUP@@orders","10.0.0.5",8080,"DEFAULT",true,-4]]]')],
    ['an expire with a bad target', raw(1, 4, '[1,[["public","DEFAULT_GROUP@@orders","10.0.0.5",8080]]]')],
    ['a publish with an unknown type', raw(1, 5, '[1,"public","DEFAULT_GROUP","a","x","exotic","",""]')],
    ['a publish with a bad casMd5', raw(1, 5, '[1,"public","DEFAULT_GROUP","a","x","text","","xyz"]')],
    ['a publish with a numeric content', raw(1, 5, '[1,"public","DEFAULT_GROUP","a",5,"text","",""]')],
    ['a publish with a bad dataId', raw(1, 5, '[1,"public","DEFAULT_GROUP","a b","x","text","",""]')],
    ['a remove with a bad group', raw(1, 6, '[1,"public","G/1","a"]')],
    ['a noop with fields', raw(1, 0, '[1]')]
  ])('refuses %s with INVALID_COMMAND', (_what, bytes) => {
    expect(fsmCode(() => decodeCommand(bytes))).toBe('INVALID_COMMAND')
  })

  it('names the problem in the message', () => {
    expect(fsmMessage(() => decodeCommand(raw(1, 1, register.replace('8080', '"8080"'))))).toBe('invalid naming.register command: port must be a number')
    expect(fsmMessage(() => decodeCommand(raw(1, 1, register.replace('10.0.0.5', '10.0.0.256'))))).toContain('ip "10.0.0.256"')
  })

  it('keeps a __proto__ metadata key as data', () => {
    const cmd = decodeCommand(raw(1, 1, register.replace('{}', '{"__proto__":"x"}')))
    if (cmd.op !== 'naming.register') throw new Error('wrong op')
    expect(Object.getPrototypeOf(cmd.metadata)).toBe(Object.prototype)
    expect(cmd.metadata).toHaveProperty('__proto__', 'x')
  })
})

describe('encodeCommand refuses what decode would refuse', () => {
  it.each([
    ['ungrouped service', reg({ service: 'orders' })],
    ['ts NaN', reg({ ts: Number.NaN })],
    ['weight -1', reg({ weight: -1 })],
    ['bad ip', reg({ ip: 'a b' })],
    ['non-string metadata value', reg({ metadata: { a: 1 as unknown as string } })],
    ['empty batch', setHealthCommand([], TS)],
    [`a batch over ${MAX_BATCH}`, expireCommand(Array.from({ length: MAX_BATCH + 1 }, () => inst()), TS)],
    ['revision 0', expireCommand([{ ...inst(), revision: 0 }], TS)],
    ['bad type', pub({ type: 'exotic' as 'text' })],
    ['upper-case casMd5', pub({ casMd5: 'D41D8CD98F00B204E9800998ECF8427E' })],
    ['default namespace spelled ""', rm({ namespace: '' })],
    ['unknown op', { op: 'naming.beat' } as unknown as Command]
  ])('%s', (_what, cmd) => {
    expect(fsmCode(() => encodeCommand(cmd))).toBe('INVALID_COMMAND')
  })
})

describe('describeCommand', () => {
  it('gives one readable line per op', () => {
    expect(describeCommand(reg())).toBe('naming.register public/DEFAULT_GROUP@@orders 10.0.0.5:8080/DEFAULT weight=1 healthy=true enabled=true ephemeral=true')
    expect(describeCommand(dereg())).toBe('naming.deregister public/DEFAULT_GROUP@@orders 10.0.0.5:8080/DEFAULT')
    expect(describeCommand(setHealthCommand([{ ...inst(), healthy: false }], TS))).toBe('naming.setHealth public/DEFAULT_GROUP@@orders 10.0.0.5:8080/DEFAULT healthy=false')
    expect(describeCommand(expireCommand([inst(), inst({ port: 1 })], TS))).toBe('naming.expire 2 instances')
    expect(describeCommand(pub({ content: '中' }))).toBe('config.publish public/DEFAULT_GROUP/app.yaml (3 bytes, yaml)')
    expect(describeCommand(rm())).toBe('config.remove public/DEFAULT_GROUP/app.yaml')
    expect(describeCommand({ op: 'noop' })).toBe('noop')
  })
})
