/**
 * Parser and typed accessors for `conf/application.properties`.
 *
 * The syntax is java.util.Properties#load (what Nacos's Spring Boot reads): `key=value`,
 * `key:value` or `key value`; `#` and `!` comment lines; a line ending in an odd number of
 * backslashes continues on the next one (whose leading blanks are dropped); `\t \n \r \f`
 * and `\uXXXX` escapes; any other escaped character stands for itself. Like Spring Boot's
 * loader, trailing unescaped blanks of a value are dropped. A repeated key keeps the last value.
 *
 * Keys node-core does not know yet are kept: later features (Raft timing, auth) read them
 * through {@link ApplicationProperties.get} / {@link ApplicationProperties.getInt}.
 */
import { checkHost, parsePort } from './address'
import { ConfError } from './conf-error'

/** One `key=value` of the file. */
export interface PropertyEntry {
  key: string
  value: string
  /** 1-based line where the (possibly continued) entry starts. */
  line: number
}

/** Options for {@link parseApplicationProperties}. */
export interface PropertiesParseOptions {
  /** How errors name the file. Default `conf/application.properties`. */
  file?: string
}

/** Log levels node-core accepts (pino's names; Spring's `OFF` maps to `silent`). */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'

const LOG_LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']

/** HTTP port when `server.port` is absent: Nacos's default. */
export const DEFAULT_SERVER_PORT = 8848
/**
 * Bind address when `server.address` is absent. Loopback, not all interfaces: a lab node must
 * never be reachable from the network unless someone asks for it.
 */
export const DEFAULT_BIND_ADDRESS = '127.0.0.1'
/** Advertised ip when `nacos.inetutils.ip-address` is absent. */
export const DEFAULT_ADVERTISED_IP = '127.0.0.1'

/** Property keys node-core reads today. */
export const PROPERTY_KEYS = {
  serverPort: 'server.port',
  serverAddress: 'server.address',
  advertisedIp: 'nacos.inetutils.ip-address',
  /** Spring Boot's root log level key. */
  logLevel: 'logging.level.root'
} as const

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f'

/**
 * Split properties text into entries, in file order (repeats included), with Java's rules.
 * Throws {@link ConfError} `CONF_MALFORMED` for a broken `\uXXXX` escape.
 */
export function parsePropertiesEntries(text: string, file = 'conf/application.properties'): PropertyEntry[] {
  const natural = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const entries: PropertyEntry[] = []
  for (let i = 0; i < natural.length; i++) {
    const startLine = i + 1
    let logical = stripLeadingBlanks(natural[i] ?? '')
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue
    // Continuation: an odd run of trailing backslashes escapes the line break itself.
    while (endsWithOddBackslashes(logical)) {
      logical = logical.slice(0, -1)
      if (i + 1 >= natural.length) break
      i++
      logical += stripLeadingBlanks(natural[i] ?? '')
    }
    entries.push(splitEntry(logical, startLine, file))
  }
  return entries
}

function stripLeadingBlanks(s: string): string {
  let k = 0
  while (k < s.length && isBlank(s[k])) k++
  return s.slice(k)
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0
  for (let k = s.length - 1; k >= 0 && s[k] === '\\'; k--) n++
  return n % 2 === 1
}

/** Split a logical line into key and value at the first unescaped `=`, `:` or blank. */
function splitEntry(logical: string, line: number, file: string): PropertyEntry {
  let keyEnd = logical.length
  let valueStart = logical.length
  let hasSeparator = false
  let escaped = false
  for (let k = 0; k < logical.length; k++) {
    const c = logical[k]
    if (escaped) {
      escaped = false
      continue
    }
    if (c === '\\') {
      escaped = true
    } else if (c === '=' || c === ':') {
      keyEnd = k
      valueStart = k + 1
      hasSeparator = true
      break
    } else if (isBlank(c)) {
      keyEnd = k
      valueStart = k + 1
      break
    }
  }
  // After a blank separator, one `=` or `:` may still follow (`key = value`).
  while (valueStart < logical.length) {
    const c = logical[valueStart]
    if (!isBlank(c)) {
      if (hasSeparator || (c !== '=' && c !== ':')) break
      hasSeparator = true
    }
    valueStart++
  }
  const key = unescape(logical.slice(0, keyEnd), line, file).trim()
  const value = unescape(stripTrailingBlanks(logical.slice(valueStart)), line, file)
  return { key, value, line }
}

/** Drop trailing blanks that are not themselves escaped (`a\ ` keeps its space). */
function stripTrailingBlanks(s: string): string {
  let end = s.length
  while (end > 0 && isBlank(s[end - 1])) {
    let slashes = 0
    for (let k = end - 2; k >= 0 && s[k] === '\\'; k--) slashes++
    if (slashes % 2 === 1) break
    end--
  }
  return s.slice(0, end)
}

function unescape(s: string, line: number, file: string): string {
  if (!s.includes('\\')) return s
  let out = ''
  for (let k = 0; k < s.length; k++) {
    const c = s[k]
    if (c !== '\\') {
      out += c
      continue
    }
    k++
    const e = s[k]
    if (e === undefined) break // a lone trailing backslash of the last line: dropped, as Java does
    if (e === 'u') {
      const hex = s.slice(k + 1, k + 5)
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new ConfError('CONF_MALFORMED', file, `malformed \\uXXXX escape "\\u${hex}"`, { line })
      }
      out += String.fromCharCode(parseInt(hex, 16))
      k += 4
    } else if (e === 't') out += '\t'
    else if (e === 'n') out += '\n'
    else if (e === 'r') out += '\r'
    else if (e === 'f') out += '\f'
    else out += e
  }
  return out
}

/** Parse application.properties text into {@link ApplicationProperties}. */
export function parseApplicationProperties(text: string, options: PropertiesParseOptions = {}): ApplicationProperties {
  const file = options.file ?? 'conf/application.properties'
  return new ApplicationProperties(file, parsePropertiesEntries(text, file))
}

/**
 * The properties of one node, with typed, validated accessors for the keys node-core uses.
 * An accessor throws {@link ConfError} naming file, line and key when a value is wrong. An
 * empty value counts as absent, as Spring's binder treats it.
 */
export class ApplicationProperties {
  /** The file as errors name it. */
  readonly file: string
  readonly #entries = new Map<string, PropertyEntry>()

  constructor(file: string, entries: readonly PropertyEntry[]) {
    this.file = file
    for (const e of entries) this.#entries.set(e.key, e)
  }

  /** Raw value of `key` (last one wins), or undefined. */
  get(key: string): string | undefined {
    return this.#entries.get(key)?.value
  }

  /** The entry (value and line) of `key`, or undefined. */
  entry(key: string): PropertyEntry | undefined {
    return this.#entries.get(key)
  }

  /** Every key, in order of first appearance. */
  keys(): string[] {
    return [...this.#entries.keys()]
  }

  /**
   * An integer property in `[min, max]`, or `fallback` when absent or empty. Decimal only;
   * anything else is a `CONF_INVALID` error naming file, line and key.
   */
  getInt(key: string, fallback: number, { min = -Infinity, max = Infinity }: { min?: number; max?: number } = {}): number {
    const e = this.#present(key)
    if (!e) return fallback
    const text = e.value.trim()
    const n = /^[+-]?[0-9]+$/.test(text) ? Number(text) : NaN
    if (!Number.isSafeInteger(n)) throw this.#invalid(e, 'must be an integer')
    if (n < min || n > max) throw this.#invalid(e, `must be ${min}-${max}`)
    return n
  }

  /** A boolean property (`true`/`false`, any case), or `fallback` when absent or empty. */
  getBool(key: string, fallback: boolean): boolean {
    const e = this.#present(key)
    if (!e) return fallback
    const v = e.value.trim().toLowerCase()
    if (v === 'true') return true
    if (v === 'false') return false
    throw this.#invalid(e, 'must be true or false')
  }

  /** A string property, trimmed, or undefined when absent or empty. */
  getString(key: string): string | undefined {
    const v = this.#present(key)?.value.trim()
    return v === '' ? undefined : v
  }

  /** A ConfError naming this file, the key's line and the problem (for checks across keys). */
  invalid(key: string, problem: string): ConfError {
    const e = this.#entries.get(key)
    return e ? this.#invalid(e, problem) : new ConfError('CONF_INVALID', this.file, `${key}: ${problem}`, { key })
  }

  /** `server.port`: the HTTP port, 1-65535, default 8848. */
  get serverPort(): number {
    const e = this.#present(PROPERTY_KEYS.serverPort)
    if (!e) return DEFAULT_SERVER_PORT
    const parsed = parsePort(e.value.trim())
    if (!parsed.ok) throw this.#invalid(e, parsed.problem.replace(/^port must be a number.*/, 'must be a number').replace(/^port /, ''))
    return parsed.port
  }

  /** `server.address`: where the HTTP server binds; default loopback. May be 0.0.0.0 or IPv6. */
  get serverAddress(): string {
    const e = this.#present(PROPERTY_KEYS.serverAddress)
    if (!e) return DEFAULT_BIND_ADDRESS
    const host = e.value.trim()
    const problem = checkHost(host, { bindable: true })
    if (problem) throw this.#invalid(e, problem)
    return host.toLowerCase()
  }

  /**
   * `nacos.inetutils.ip-address`: the ip this node is known by, which with `server.port` must
   * name a member of cluster.conf. Default 127.0.0.1.
   */
  get advertisedIp(): string {
    const e = this.#present(PROPERTY_KEYS.advertisedIp)
    if (!e) return DEFAULT_ADVERTISED_IP
    const host = e.value.trim()
    const problem = checkHost(host)
    if (problem) throw this.#invalid(e, problem)
    return host.toLowerCase()
  }

  /** `logging.level.root`: Spring's names, case-insensitive (`OFF` → silent); default info. */
  get logLevel(): LogLevelName {
    const e = this.#present(PROPERTY_KEYS.logLevel)
    if (!e) return 'info'
    const name = e.value.trim().toLowerCase()
    const level = name === 'off' ? 'silent' : name === 'warning' ? 'warn' : name
    if (!(LOG_LEVELS as readonly string[]).includes(level)) {
      throw this.#invalid(e, `must be one of ${LOG_LEVELS.filter((l) => l !== 'silent').join(', ')}, off`)
    }
    return level as LogLevelName
  }

  #present(key: string): PropertyEntry | undefined {
    const e = this.#entries.get(key)
    return e && e.value.trim() !== '' ? e : undefined
  }

  #invalid(e: PropertyEntry, problem: string): ConfError {
    return new ConfError('CONF_INVALID', this.file, `${e.key} "${e.value}" is not valid: ${problem}`, {
      line: e.line,
      key: e.key
    })
  }
}
