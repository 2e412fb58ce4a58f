/**
 * Test helpers: commands with sensible defaults, so each test states only what it is about.
 * Not used by production code.
 */
import type { DeregisterCommand, PublishCommand, RegisterCommand, RemoveCommand } from '../commands'
import type { InstanceKey } from '../model'

export const TS = 1_732_400_000_000

export const inst = (over: Partial<InstanceKey> = {}): InstanceKey => ({
  namespace: 'public',
  service: 'DEFAULT_GROUP@@orders',
  ip: '10.0.0.5',
  port: 8080,
  cluster: 'DEFAULT',
  ...over
})

export const reg = (over: Partial<RegisterCommand> = {}): RegisterCommand => ({
  op: 'naming.register',
  ts: TS,
  ...inst(),
  weight: 1,
  healthy: true,
  enabled: true,
  ephemeral: true,
  metadata: {},
  ...over
})

export const dereg = (over: Partial<DeregisterCommand> = {}): DeregisterCommand => ({ op: 'naming.deregister', ts: TS, ...inst(), ...over })

export const pub = (over: Partial<PublishCommand> = {}): PublishCommand => ({
  op: 'config.publish',
  ts: TS,
  namespace: 'public',
  group: 'DEFAULT_GROUP',
  dataId: 'app.yaml',
  content: 'a: 1\n',
  type: 'yaml',
  appName: '',
  ...over
})

export const rm = (over: Partial<RemoveCommand> = {}): RemoveCommand => ({
  op: 'config.remove',
  ts: TS,
  namespace: 'public',
  group: 'DEFAULT_GROUP',
  dataId: 'app.yaml',
  ...over
})
