/**
 * The commands replicated through the Raft log, and their wire form.
 *
 * Only decisions go into the log: registrations, deregistrations, health transitions and
 * expiries the leader decided from beat leases, config publishes and removals. Beats themselves
 * are NOT log entries (ARCHITECTURE.md, "Heartbeats are not log entries").
 *
 * Time is part of the command: the leader stamps `ts` (ms since the epoch) when it proposes, so
 * every replica records the same `lastModified` — the state machines never read a clock.
 *
 * ## Encoding (format version 1)
 *
 *     byte 0      format version (1)
 *     byte 1      op code (see OP_CODES)
 *     bytes 2..   UTF-8 JSON array of the op's fields, in a fixed order
 *
 * Positional arrays instead of objects keep entries small (a register is ~120 bytes, not ~250)
 * while staying readable in a hex dump. An empty entry is the Raft leader's no-op and decodes
 * to `{op:'noop'}`.
 *
 * Decoding is strict: the version, the op code, the array length and every field's type and
 * syntax are checked before anything is returned, so a malformed entry is an {@link FsmError}
 * and never half-applied. What decode checks is what the state machines rely on (key syntax,
 * types, ranges); size and blank-content rules are proposal-time policy (`validate.ts`), so a
 * node with a different `maxContentBytes` still decodes every entry the same way.
 */
import { FsmError } from './errors'
import { isConfigType, type ConfigKey, type ConfigType, type InstanceKey } from './model'
import { utf8ByteLength, utf8DecodeStrict, utf8EncodeInto } from './utf8'
import {
  LIMITS,
  isCanonicalNamespace,
  isCanonicalService,
  isMd5,
  isValidClusterName,
  isValidDataId,
  isValidGroup,
  isValidHost,
  isValidPort,
  isValidWeight,
  type Metadata,
  type PublishRequest,
  type RegisterRequest
} from './validate'

/** The current encoding. Bump it (and keep decoding the old one) when a command's shape changes. */
export const COMMAND_FORMAT_VERSION = 1

/** Most instances one setHealth / expire command may carry; the leader splits larger sweeps. */
export const MAX_BATCH = 10_000

export type CommandOp =
  | 'noop'
  | 'naming.register'
  | 'naming.deregister'
  | 'naming.setHealth'
  | 'naming.expire'
  | 'config.publish'
  | 'config.remove'

/** Nothing to do; used as a barrier, and what the leader's empty entry decodes to. */
export interface NoopCommand {
  readonly op: 'noop'
}

/** Register or update (same identity = update) one instance. */
export interface RegisterCommand extends InstanceKey {
  readonly op: 'naming.register'
  readonly ts: number
  readonly weight: number
  readonly healthy: boolean
  readonly enabled: boolean
  readonly ephemeral: boolean
  readonly metadata: Metadata
}

/** Remove one instance (absent is fine: deregister is idempotent). */
export interface DeregisterCommand extends InstanceKey {
  readonly op: 'naming.deregister'
  readonly ts: number
}

/**
 * A guard against acting on an old decision. `revision` is the log index of the register the
 * leader looked at; when the instance has been registered again since, the change is skipped
 * ("stale"). Absent means unconditional.
 */
export interface Guarded {
  readonly revision?: number
}

/** One health transition decided by the leader. */
export interface HealthChange extends InstanceKey, Guarded {
  readonly healthy: boolean
}

/** Health transitions, decided by the leader from beat leases (several instances per entry). */
export interface SetHealthCommand {
  readonly op: 'naming.setHealth'
  readonly ts: number
  readonly changes: readonly HealthChange[]
}

/** One instance whose lease ran out. */
export interface ExpireTarget extends InstanceKey, Guarded {}

/** Expiry removals, decided by the leader (ip delete timeout passed without a beat). */
export interface ExpireCommand {
  readonly op: 'naming.expire'
  readonly ts: number
  readonly targets: readonly ExpireTarget[]
}

/** Publish (create or replace) one config. */
export interface PublishCommand extends ConfigKey {
  readonly op: 'config.publish'
  readonly ts: number
  readonly content: string
  readonly type: ConfigType
  readonly appName: string
  /** Publish only if the stored md5 is this one (Nacos's casMd5); a missing config is created. */
  readonly casMd5?: string
}

/** Remove one config (absent is fine). */
export interface RemoveCommand extends ConfigKey {
  readonly op: 'config.remove'
  readonly ts: number
}

export type Command =
  | NoopCommand
  | RegisterCommand
  | DeregisterCommand
  | SetHealthCommand
  | ExpireCommand
  | PublishCommand
  | RemoveCommand

/** Op codes on the wire. Never renumber: old log entries keep their codes forever. */
const OP_CODES = {
  noop: 0,
  'naming.register': 1,
  'naming.deregister': 2,
  'naming.setHealth': 3,
  'naming.expire': 4,
  'config.publish': 5,
  'config.remove': 6
} as const satisfies Record<CommandOp, number>

const OPS_BY_CODE: ReadonlyMap<number, CommandOp> = new Map(
  (Object.entries(OP_CODES) as Array<[CommandOp, number]>).map(([op, code]) => [code, op])
)

// ---------------------------------------------------------------------------------------------
// Builders (what the HTTP layer and the leader call)
// ---------------------------------------------------------------------------------------------

export const noopCommand = (): NoopCommand => ({ op: 'noop' })

export const registerCommand = (req: RegisterRequest, ts: number): RegisterCommand => ({
  op: 'naming.register',
  ts,
  namespace: req.namespace,
  service: req.service,
  ip: req.ip,
  port: req.port,
  cluster: req.cluster,
  weight: req.weight,
  healthy: req.healthy,
  enabled: req.enabled,
  ephemeral: req.ephemeral,
  metadata: req.metadata
})

const keyOf = (k: InstanceKey): InstanceKey => ({ namespace: k.namespace, service: k.service, ip: k.ip, port: k.port, cluster: k.cluster })

export const deregisterCommand = (key: InstanceKey, ts: number): DeregisterCommand => ({ op: 'naming.deregister', ts, ...keyOf(key) })

export const setHealthCommand = (changes: readonly HealthChange[], ts: number): SetHealthCommand => ({ op: 'naming.setHealth', ts, changes })

export const expireCommand = (targets: readonly ExpireTarget[], ts: number): ExpireCommand => ({ op: 'naming.expire', ts, targets })

export const publishCommand = (req: PublishRequest, ts: number): PublishCommand => ({
  op: 'config.publish',
  ts,
  namespace: req.namespace,
  group: req.group,
  dataId: req.dataId,
  content: req.content,
  type: req.type,
  appName: req.appName,
  ...(req.casMd5 !== undefined ? { casMd5: req.casMd5 } : {})
})

export const removeCommand = (key: ConfigKey, ts: number): RemoveCommand => ({
  op: 'config.remove',
  ts,
  namespace: key.namespace,
  group: key.group,
  dataId: key.dataId
})

// ---------------------------------------------------------------------------------------------
// Semantic check (shared by encode and decode)
// ---------------------------------------------------------------------------------------------

const bad = (op: string, detail: string): FsmError => new FsmError('INVALID_COMMAND', `invalid ${op} command: ${detail}`)

function checkTs(op: string, ts: number): void {
  if (!Number.isSafeInteger(ts) || ts < 0) throw bad(op, `ts must be a non-negative integer (ms since the epoch), got ${ts}`)
}

function checkInstanceKey(op: string, k: InstanceKey, where = ''): void {
  if (typeof k.namespace !== 'string' || !isCanonicalNamespace(k.namespace)) throw bad(op, `${where}namespace ${JSON.stringify(k.namespace)} is not canonical`)
  if (typeof k.service !== 'string' || !isCanonicalService(k.service)) throw bad(op, `${where}service ${JSON.stringify(k.service)} is not a valid group@@name`)
  if (typeof k.ip !== 'string' || !isValidHost(k.ip)) throw bad(op, `${where}ip ${JSON.stringify(k.ip)} is not an address or hostname`)
  if (typeof k.port !== 'number' || !isValidPort(k.port)) throw bad(op, `${where}port ${k.port} is not 0..65535`)
  if (typeof k.cluster !== 'string' || !isValidClusterName(k.cluster)) throw bad(op, `${where}cluster ${JSON.stringify(k.cluster)} is not a valid cluster name`)
}

function checkRevision(op: string, revision: number | undefined, where: string): void {
  if (revision !== undefined && (!Number.isSafeInteger(revision) || revision < 1)) {
    throw bad(op, `${where}revision must be a positive log index, got ${revision}`)
  }
}

function checkMetadataValue(op: string, metadata: unknown): void {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw bad(op, 'metadata must be an object')
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw bad(op, `metadata value of ${JSON.stringify(key)} must be a string`)
  }
  if (JSON.stringify(metadata).length > LIMITS.metadataLength) throw bad(op, `metadata is longer than ${LIMITS.metadataLength} characters`)
}

function checkConfigKey(op: string, k: ConfigKey): void {
  if (typeof k.namespace !== 'string' || !isCanonicalNamespace(k.namespace)) throw bad(op, `namespace ${JSON.stringify(k.namespace)} is not canonical`)
  if (typeof k.group !== 'string' || !isValidGroup(k.group)) throw bad(op, `group ${JSON.stringify(k.group)} is not valid`)
  if (typeof k.dataId !== 'string' || !isValidDataId(k.dataId)) throw bad(op, `dataId ${JSON.stringify(k.dataId)} is not valid`)
}

function checkBatch(op: string, items: readonly unknown[], what: string): void {
  if (!Array.isArray(items) || items.length === 0) throw bad(op, `${what} must be a non-empty list`)
  if (items.length > MAX_BATCH) throw bad(op, `${what} has ${items.length} items; at most ${MAX_BATCH} per command`)
}

/**
 * Check a command's values. Throws {@link FsmError} `INVALID_COMMAND` naming the problem.
 * Run by {@link encodeCommand} (so nothing malformed is ever proposed) and {@link decodeCommand}.
 */
export function checkCommand(cmd: Command): void {
  switch (cmd.op) {
    case 'noop':
      return
    case 'naming.register':
      checkTs(cmd.op, cmd.ts)
      checkInstanceKey(cmd.op, cmd)
      if (typeof cmd.weight !== 'number' || !isValidWeight(cmd.weight)) throw bad(cmd.op, `weight ${cmd.weight} is not 0..${LIMITS.weightMax}`)
      for (const flag of ['healthy', 'enabled', 'ephemeral'] as const) {
        if (typeof cmd[flag] !== 'boolean') throw bad(cmd.op, `${flag} must be a boolean`)
      }
      checkMetadataValue(cmd.op, cmd.metadata)
      return
    case 'naming.deregister':
      checkTs(cmd.op, cmd.ts)
      checkInstanceKey(cmd.op, cmd)
      return
    case 'naming.setHealth':
      checkTs(cmd.op, cmd.ts)
      checkBatch(cmd.op, cmd.changes, 'changes')
      cmd.changes.forEach((c, i) => {
        checkInstanceKey(cmd.op, c, `changes[${i}].`)
        if (typeof c.healthy !== 'boolean') throw bad(cmd.op, `changes[${i}].healthy must be a boolean`)
        checkRevision(cmd.op, c.revision, `changes[${i}].`)
      })
      return
    case 'naming.expire':
      checkTs(cmd.op, cmd.ts)
      checkBatch(cmd.op, cmd.targets, 'targets')
      cmd.targets.forEach((t, i) => {
        checkInstanceKey(cmd.op, t, `targets[${i}].`)
        checkRevision(cmd.op, t.revision, `targets[${i}].`)
      })
      return
    case 'config.publish':
      checkTs(cmd.op, cmd.ts)
      checkConfigKey(cmd.op, cmd)
      if (typeof cmd.content !== 'string') throw bad(cmd.op, 'content must be a string')
      if (typeof cmd.type !== 'string' || !isConfigType(cmd.type)) throw bad(cmd.op, `type ${JSON.stringify(cmd.type)} is not a known config type`)
      if (typeof cmd.appName !== 'string' || cmd.appName.length > LIMITS.appNameLength) throw bad(cmd.op, 'appName must be a string of at most 128 characters')
      if (cmd.casMd5 !== undefined && (typeof cmd.casMd5 !== 'string' || !isMd5(cmd.casMd5))) throw bad(cmd.op, 'casMd5 must be 32 lowercase hex digits')
      return
    case 'config.remove':
      checkTs(cmd.op, cmd.ts)
      checkConfigKey(cmd.op, cmd)
      return
    default:
      throw bad(String((cmd as { op?: unknown }).op), 'unknown op')
  }
}

// ---------------------------------------------------------------------------------------------
// Encode / decode
// ---------------------------------------------------------------------------------------------

const instanceTuple = (k: InstanceKey): unknown[] => [k.namespace, k.service, k.ip, k.port, k.cluster]

/** The op's fields as a positional array (the order is the format; never reorder). */
function toTuple(cmd: Command): unknown[] {
  switch (cmd.op) {
    case 'noop':
      return []
    case 'naming.register':
      return [cmd.ts, ...instanceTuple(cmd), cmd.weight, cmd.healthy, cmd.enabled, cmd.ephemeral, cmd.metadata]
    case 'naming.deregister':
      return [cmd.ts, ...instanceTuple(cmd)]
    case 'naming.setHealth':
      return [cmd.ts, cmd.changes.map((c) => [...instanceTuple(c), c.healthy, c.revision ?? 0])]
    case 'naming.expire':
      return [cmd.ts, cmd.targets.map((t) => [...instanceTuple(t), t.revision ?? 0])]
    case 'config.publish':
      return [cmd.ts, cmd.namespace, cmd.group, cmd.dataId, cmd.content, cmd.type, cmd.appName, cmd.casMd5 ?? '']
    case 'config.remove':
      return [cmd.ts, cmd.namespace, cmd.group, cmd.dataId]
  }
}

/**
 * Encode a command for `propose()`. Checks it first ({@link checkCommand}): a command that
 * would not decode is refused here, with an {@link FsmError}, instead of poisoning the log.
 */
export function encodeCommand(cmd: Command): Uint8Array {
  checkCommand(cmd)
  const json = JSON.stringify(toTuple(cmd))
  const out = new Uint8Array(2 + utf8ByteLength(json))
  out[0] = COMMAND_FORMAT_VERSION
  out[1] = OP_CODES[cmd.op]
  utf8EncodeInto(json, out.subarray(2))
  return out
}

/** Reads a positional array field by field, throwing INVALID_COMMAND with the field's name. */
class TupleReader {
  private next = 0
  constructor(
    private readonly items: readonly unknown[],
    private readonly op: string
  ) {}

  private take(name: string): unknown {
    if (this.next >= this.items.length) throw bad(this.op, `entry ends before ${name}`)
    return this.items[this.next++]
  }

  string(name: string): string {
    const v = this.take(name)
    if (typeof v !== 'string') throw bad(this.op, `${name} must be a string`)
    return v
  }

  number(name: string): number {
    const v = this.take(name)
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(this.op, `${name} must be a number`)
    return v
  }

  boolean(name: string): boolean {
    const v = this.take(name)
    if (typeof v !== 'boolean') throw bad(this.op, `${name} must be a boolean`)
    return v
  }

  array(name: string): unknown[] {
    const v = this.take(name)
    if (!Array.isArray(v)) throw bad(this.op, `${name} must be a list`)
    return v
  }

  /** A JSON object, copied with Object.fromEntries so a `__proto__` key stays a plain key. */
  object(name: string): Record<string, unknown> {
    const v = this.take(name)
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(this.op, `${name} must be an object`)
    return Object.fromEntries(Object.entries(v))
  }

  instanceKey(prefix = ''): InstanceKey {
    return {
      namespace: this.string(`${prefix}namespace`),
      service: this.string(`${prefix}service`),
      ip: this.string(`${prefix}ip`),
      port: this.number(`${prefix}port`),
      cluster: this.string(`${prefix}cluster`)
    }
  }

  /** 0 on the wire means "no guard". */
  revision(name: string): number | undefined {
    const v = this.number(name)
    return v === 0 ? undefined : v
  }

  end(): void {
    if (this.next !== this.items.length) throw bad(this.op, `entry has ${this.items.length} fields, expected ${this.next}`)
  }
}

function fromTuple(op: CommandOp, items: readonly unknown[]): Command {
  const r = new TupleReader(items, op)
  let cmd: Command
  switch (op) {
    case 'noop':
      cmd = { op }
      break
    case 'naming.register': {
      const ts = r.number('ts')
      const key = r.instanceKey()
      cmd = {
        op,
        ts,
        ...key,
        weight: r.number('weight'),
        healthy: r.boolean('healthy'),
        enabled: r.boolean('enabled'),
        ephemeral: r.boolean('ephemeral'),
        metadata: r.object('metadata') as Metadata
      }
      break
    }
    case 'naming.deregister':
      cmd = { op, ts: r.number('ts'), ...r.instanceKey() }
      break
    case 'naming.setHealth': {
      const ts = r.number('ts')
      const changes = r.array('changes').map((item, i): HealthChange => {
        if (!Array.isArray(item)) throw bad(op, `changes[${i}] must be a list`)
        const ir = new TupleReader(item, op)
        const key = ir.instanceKey(`changes[${i}].`)
        const healthy = ir.boolean(`changes[${i}].healthy`)
        const revision = ir.revision(`changes[${i}].revision`)
        ir.end()
        return revision === undefined ? { ...key, healthy } : { ...key, healthy, revision }
      })
      cmd = { op, ts, changes }
      break
    }
    case 'naming.expire': {
      const ts = r.number('ts')
      const targets = r.array('targets').map((item, i): ExpireTarget => {
        if (!Array.isArray(item)) throw bad(op, `targets[${i}] must be a list`)
        const ir = new TupleReader(item, op)
        const key = ir.instanceKey(`targets[${i}].`)
        const revision = ir.revision(`targets[${i}].revision`)
        ir.end()
        return revision === undefined ? key : { ...key, revision }
      })
      cmd = { op, ts, targets }
      break
    }
    case 'config.publish': {
      const ts = r.number('ts')
      const namespace = r.string('namespace')
      const group = r.string('group')
      const dataId = r.string('dataId')
      const content = r.string('content')
      const type = r.string('type') as ConfigType
      const appName = r.string('appName')
      const casMd5 = r.string('casMd5')
      cmd = { op, ts, namespace, group, dataId, content, type, appName, ...(casMd5 !== '' ? { casMd5 } : {}) }
      break
    }
    case 'config.remove':
      cmd = { op, ts: r.number('ts'), namespace: r.string('namespace'), group: r.string('group'), dataId: r.string('dataId') }
      break
  }
  r.end()
  return cmd
}

/**
 * Decode a log entry's data. An empty entry (the leader's no-op) is `{op:'noop'}`. Throws
 * {@link FsmError}: `UNSUPPORTED_COMMAND_VERSION` for a format this code does not know,
 * `INVALID_COMMAND` for anything malformed. Returns a fresh object every time.
 */
export function decodeCommand(data: Uint8Array): Command {
  if (data.length === 0) return { op: 'noop' }
  const version = data[0]!
  if (version !== COMMAND_FORMAT_VERSION) {
    throw new FsmError(
      'UNSUPPORTED_COMMAND_VERSION',
      `log entry has command format version ${version}; this node understands version ${COMMAND_FORMAT_VERSION}. Upgrade this node before applying entries written by a newer one.`
    )
  }
  if (data.length < 2) throw new FsmError('INVALID_COMMAND', 'log entry is truncated: no op code after the version byte')
  const op = OPS_BY_CODE.get(data[1]!)
  if (op === undefined) throw new FsmError('INVALID_COMMAND', `log entry has unknown op code ${data[1]}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(utf8DecodeStrict(data.subarray(2)))
  } catch (e) {
    throw new FsmError('INVALID_COMMAND', `invalid ${op} command: the payload is not UTF-8 JSON (${(e as Error).message})`, { cause: e })
  }
  if (!Array.isArray(parsed)) throw bad(op, 'the payload must be a JSON array')
  const cmd = fromTuple(op, parsed)
  checkCommand(cmd)
  return cmd
}

const showKey = (k: InstanceKey): string => `${k.namespace}/${k.service} ${k.ip}:${k.port}/${k.cluster}`

/** One line for logs and the lab's log window, e.g. `naming.register public/DEFAULT_GROUP@@orders 10.0.0.5:8080/DEFAULT`. */
export function describeCommand(cmd: Command): string {
  switch (cmd.op) {
    case 'noop':
      return 'noop'
    case 'naming.register':
      return `${cmd.op} ${showKey(cmd)} weight=${cmd.weight} healthy=${cmd.healthy} enabled=${cmd.enabled} ephemeral=${cmd.ephemeral}`
    case 'naming.deregister':
      return `${cmd.op} ${showKey(cmd)}`
    case 'naming.setHealth':
      return `${cmd.op} ${cmd.changes.length === 1 ? `${showKey(cmd.changes[0]!)} healthy=${cmd.changes[0]!.healthy}` : `${cmd.changes.length} instances`}`
    case 'naming.expire':
      return `${cmd.op} ${cmd.targets.length === 1 ? showKey(cmd.targets[0]!) : `${cmd.targets.length} instances`}`
    case 'config.publish':
      return `${cmd.op} ${cmd.namespace}/${cmd.group}/${cmd.dataId} (${utf8ByteLength(cmd.content)} bytes, ${cmd.type})`
    case 'config.remove':
      return `${cmd.op} ${cmd.namespace}/${cmd.group}/${cmd.dataId}`
  }
}
