/**
 * The config state machine: configs keyed by (namespace, group, dataId), with content, md5,
 * type, appName and times taken from the commands. Plus the long-poll listener protocol as
 * pure functions: parse the client's `Listening-Configs` probe, find the keys whose md5 differs,
 * and format the reply body byte for byte as the SDK expects (spec §3.7).
 */
import type { PublishCommand, RemoveCommand } from './commands'
import { invalid, valid, type Validated } from './errors'
import { md5Hex } from './md5'
import { compareStrings, configKeyId, type ConfigKey, type ConfigType } from './model'
import { LIMITS, checkNamespace, isValidDataId, isValidGroup, quote } from './validate'

/** One config as stored. Immutable: a publish replaces the record. */
export interface ConfigRecord extends ConfigKey {
  /** Byte for byte as published: no trimming, no line-ending changes. */
  readonly content: string
  /** Lowercase hex MD5 of the UTF-8 bytes of `content` — what the SDK computes (spec §3.7). */
  readonly md5: string
  readonly type: ConfigType
  readonly appName: string
  /** `ts` of the publish that created it. */
  readonly createdAt: number
  /** `ts` of the latest publish (Nacos's Last-Modified). */
  readonly lastModified: number
  /** Log index of the latest publish. */
  readonly revision: number
}

/**
 * - `created`, `updated`: the content (hence the md5) is new; listeners must be woken.
 * - `content-unchanged`: the same content was published again (type or appName may differ);
 *   `lastModified` moves, listeners have nothing to fetch.
 * - `cas-mismatch`: `casMd5` did not match the stored md5; nothing changed.
 */
/** A frozen record with one fixed key order, whichever path made it (publish or restore). */
function makeRecord(r: ConfigRecord): ConfigRecord {
  return Object.freeze({
    namespace: r.namespace,
    group: r.group,
    dataId: r.dataId,
    content: r.content,
    md5: r.md5,
    type: r.type,
    appName: r.appName,
    createdAt: r.createdAt,
    lastModified: r.lastModified,
    revision: r.revision
  })
}

export type PublishOutcome = 'created' | 'updated' | 'content-unchanged' | 'cas-mismatch'
export type RemoveOutcome = 'removed' | 'absent'

/** The read side of the config state, as the façade exposes it. */
export interface ConfigView {
  get(key: ConfigKey): ConfigRecord | undefined
  /** The md5 a listener compares with: `""` for a missing config (spec §3.7). */
  md5Of(key: ConfigKey): string
  /** Configs in one namespace, or in all. */
  count(namespace?: string): number
  /** Namespaces holding at least one config, sorted. */
  namespaces(): string[]
  /** Every config (in one namespace, or all). Order unspecified; sort if it matters. */
  configs(namespace?: string): IterableIterator<ConfigRecord>
}

/** The config state machine. */
export class ConfigState implements ConfigView {
  private readonly items = new Map<string, ConfigRecord>()

  get(key: ConfigKey): ConfigRecord | undefined {
    return this.items.get(configKeyId(key))
  }

  md5Of(key: ConfigKey): string {
    return this.items.get(configKeyId(key))?.md5 ?? ''
  }

  count(namespace?: string): number {
    if (namespace === undefined) return this.items.size
    let n = 0
    for (const r of this.items.values()) if (r.namespace === namespace) n++
    return n
  }

  namespaces(): string[] {
    return [...new Set([...this.items.values()].map((r) => r.namespace))].sort(compareStrings)
  }

  *configs(namespace?: string): IterableIterator<ConfigRecord> {
    for (const r of this.items.values()) if (namespace === undefined || r.namespace === namespace) yield r
  }

  /** Every config, unsorted: references to the immutable records, for a snapshot to encode later. */
  capture(): ConfigRecord[] {
    return [...this.items.values()]
  }

  // --- mutations (apply.ts and snapshot.ts only) -----------------------------------------------

  publish(cmd: PublishCommand, index: number): { outcome: PublishOutcome; md5: string } {
    const id = configKeyId(cmd)
    const old = this.items.get(id)
    if (cmd.casMd5 !== undefined && old !== undefined && old.md5 !== cmd.casMd5) return { outcome: 'cas-mismatch', md5: old.md5 }
    const sameContent = old !== undefined && old.content === cmd.content
    const md5 = sameContent ? old.md5 : md5Hex(cmd.content)
    this.items.set(
      id,
      makeRecord({
        namespace: cmd.namespace,
        group: cmd.group,
        dataId: cmd.dataId,
        content: cmd.content,
        md5,
        type: cmd.type,
        appName: cmd.appName,
        createdAt: old?.createdAt ?? cmd.ts,
        lastModified: cmd.ts,
        revision: index
      })
    )
    return { outcome: old === undefined ? 'created' : sameContent ? 'content-unchanged' : 'updated', md5 }
  }

  remove(cmd: RemoveCommand): RemoveOutcome {
    return this.items.delete(configKeyId(cmd)) ? 'removed' : 'absent'
  }

  /** Put a record read from a snapshot. Returns false when that key is already present. */
  restoreRecord(record: ConfigRecord): boolean {
    const id = configKeyId(record)
    if (this.items.has(id)) return false
    this.items.set(id, makeRecord(record))
    return true
  }
}

/** (namespace, group, dataId) in code-unit order. */
export const compareConfigKeys = (a: ConfigKey, b: ConfigKey): number =>
  compareStrings(a.namespace, b.namespace) || compareStrings(a.group, b.group) || compareStrings(a.dataId, b.dataId)

// ---------------------------------------------------------------------------------------------
// Listener (long-poll) protocol, spec §3.7
// ---------------------------------------------------------------------------------------------

/** U+0002 separates the fields of one key; U+0001 ends a key. */
export const WORD_SEPARATOR = '\u0002'
export const LINE_SEPARATOR = '\u0001'

/** One key a client listens to. */
export interface ListenEntry extends ConfigKey {
  /** The md5 the client holds, lowercase; `""` when it has no content for the key. */
  readonly md5: string
  /** The tenant exactly as the client wrote it (`""` when its probe had none): echoed in the reply. */
  readonly tenant: string
}

const HEX32_ANY_CASE = /^[0-9a-fA-F]{32}$/

/**
 * Parse the `Listening-Configs` form field (already form-decoded by the HTTP layer): segments
 * `dataId ␂ group ␂ md5 ␁` or `dataId ␂ group ␂ md5 ␂ tenant ␁`, as Nacos's
 * MD5Util.getClientMd5Map reads them. Like Nacos (which URL-decodes the field once more), text
 * that still carries `%` escapes is decoded once; valid keys never contain `%`.
 *
 * Stricter than Nacos: a segment with too few fields, an unterminated tail, a bad dataId or
 * group, or an md5 that is not 32 hex digits is a 400 naming the segment, instead of a 500 or
 * a key that can never match. A key listed twice keeps its first position and its last md5.
 */
export function parseListeningConfigs(raw: string | undefined, field = 'Listening-Configs'): Validated<ListenEntry[]> {
  if (raw === undefined || raw === '') return invalid(field, 'REQUIRED', `${field} is required`)
  let text = raw
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text)
    } catch {
      return invalid(field, 'INVALID', `${field} has a malformed %-escape`)
    }
  }
  const byKey = new Map<string, ListenEntry>()
  let fields: string[] = []
  let start = 0
  let segment = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === WORD_SEPARATOR) {
      fields.push(text.slice(start, i))
      start = i + 1
      if (fields.length > 3) return invalid(field, 'INVALID', `${field} segment ${segment + 1} has more than 4 fields`)
    } else if (c === LINE_SEPARATOR) {
      fields.push(text.slice(start, i))
      start = i + 1
      segment++
      if (fields.length !== 3 && fields.length !== 4) {
        return invalid(field, 'INVALID', `${field} segment ${segment} has ${fields.length} field(s); expected dataId, group, md5 and an optional tenant`)
      }
      const [dataId, group, md5, tenant = ''] = fields as [string, string, string, string?]
      if (!isValidDataId(dataId) || dataId === '') {
        return invalid(field, 'INVALID', `${field} segment ${segment} has an invalid dataId ${quote(dataId)}`)
      }
      if (!isValidGroup(group) || group === '') {
        return invalid(field, 'INVALID', `${field} segment ${segment} has an invalid group ${quote(group)}`)
      }
      if (md5 !== '' && !HEX32_ANY_CASE.test(md5)) {
        return invalid(field, 'INVALID', `${field} segment ${segment} has an md5 that is not 32 hex digits: ${quote(md5)}`)
      }
      const namespace = checkNamespace(tenant === '' ? undefined : tenant, field)
      if (!namespace.ok) {
        return invalid(field, namespace.error.code, `${field} segment ${segment} has an invalid tenant ${quote(tenant)}`)
      }
      const entry: ListenEntry = { namespace: namespace.value, group, dataId, md5: md5.toLowerCase(), tenant }
      const id = configKeyId(entry)
      // Map.set on a key already listed keeps its first position and takes the latest md5.
      byKey.set(id, entry)
      if (byKey.size > LIMITS.listenKeys) {
        return invalid(field, 'TOO_LARGE', `${field} lists more than ${LIMITS.listenKeys} keys`)
      }
      fields = []
    }
  }
  if (start !== text.length || fields.length > 0) {
    return invalid(field, 'INVALID', `${field} does not end with U+0001 (%01) after its last key`)
  }
  return valid([...byKey.values()])
}

/** The entries whose md5 differs from the server's (`""` for a missing config), in probe order. */
export function changedEntries(entries: readonly ListenEntry[], view: Pick<ConfigView, 'md5Of'>): ListenEntry[] {
  return entries.filter((e) => view.md5Of(e) !== e.md5)
}

/**
 * The reply body for changed keys (spec §3.7): `dataId ␂ group [␂ tenant] ␁` per key, the whole
 * string percent-encoded once (`app.yaml%02DEFAULT_GROUP%01`, `app.yaml%02G2%02ns1%01`). The
 * tenant is written when the client's probe had one, exactly as it wrote it. `""` when nothing
 * changed. encodeURIComponent never emits `+` or a bare `%`, which the SDK would choke on.
 */
export function formatChangedKeys(entries: readonly ListenEntry[]): string {
  let body = ''
  for (const e of entries) {
    body += e.dataId + WORD_SEPARATOR + e.group
    if (e.tenant !== '') body += WORD_SEPARATOR + e.tenant
    body += LINE_SEPARATOR
  }
  return encodeURIComponent(body)
}
