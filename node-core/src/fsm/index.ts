/**
 * The pure state machines of node-core: naming and config, applied from committed Raft
 * entries. See README.md in this folder for the API the server calls and the decisions taken.
 */
export { StateMachine } from './fsm'
export type { ApplyEffects, ApplyResult } from './apply'
export {
  COMMAND_FORMAT_VERSION,
  MAX_BATCH,
  checkCommand,
  decodeCommand,
  describeCommand,
  deregisterCommand,
  encodeCommand,
  expireCommand,
  noopCommand,
  publishCommand,
  registerCommand,
  removeCommand,
  setHealthCommand
} from './commands'
export type {
  Command,
  CommandOp,
  DeregisterCommand,
  ExpireCommand,
  ExpireTarget,
  HealthChange,
  NoopCommand,
  PublishCommand,
  RegisterCommand,
  RemoveCommand,
  SetHealthCommand
} from './commands'
export { changedEntries, formatChangedKeys, parseListeningConfigs } from './config'
export type { ConfigRecord, ConfigView, ListenEntry, PublishOutcome, RemoveOutcome } from './config'
export { FsmError } from './errors'
export type { FieldError, FieldErrorCode, FsmErrorCode, Validated } from './errors'
export { planHealth } from './health'
export type { HealthPlan, HealthPlanInput } from './health'
export { md5Hex } from './md5'
export * from './model'
export { leaseTiming, registerCommandFromBeat } from './naming'
export type {
  DeregisterOutcome,
  ExpireOutcome,
  HealthOutcome,
  HostJson,
  InstanceListJson,
  InstanceListQuery,
  InstanceRecord,
  LeaseTiming,
  NamingCounts,
  NamingView,
  RegisterOutcome,
  ServiceListJson,
  ServiceListQuery
} from './naming'
export { SNAPSHOT_FORMAT_VERSION, joinSnapshot, snapshotPieces } from './snapshot'
export type { SnapshotView } from './snapshot'
export {
  LIMITS,
  readParam,
  validateBeat,
  validateConfigKey,
  validateDeregister,
  validateInstanceList,
  validatePublish,
  validateRegister,
  validateServiceList
} from './validate'
export type {
  BeatRequest,
  DeregisterRequest,
  InstanceListRequest,
  Metadata,
  ParamSource,
  PublishOptions,
  PublishRequest,
  RegisterRequest,
  ServiceListRequest
} from './validate'
