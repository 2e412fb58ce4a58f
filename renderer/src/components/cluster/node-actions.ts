/**
 * Which actions a node offers right now, and why the others are off: the node menu shows
 * every action, disabled ones with the reason, so a learner sees what each needs.
 */
import type { ClusterState, NodeInfo } from '../../../../electron/lab/api'
import type { DisplayRole } from '../../stores/raft-model'

export type MenuAction = 'crash' | 'stop' | 'pause' | 'resume' | 'restart' | 'wipe' | 'transfer' | 'remove'

export const MENU_ACTIONS: readonly MenuAction[] = ['crash', 'stop', 'pause', 'resume', 'restart', 'wipe', 'transfer', 'remove']

/** Why an action is unavailable (a message key under `node.why`). */
export type Why =
  | 'notRunning'
  | 'alreadyStopped'
  | 'notUp'
  | 'notPaused'
  | 'paused'
  | 'pauseUnsupported'
  | 'clusterNotLive'
  | 'busy'
  | 'alreadyLeader'
  | 'learner'
  | 'noLeader'
  | 'lastNode'
  | 'disconnected'
  | 'replay'

export interface ActionContext {
  node: Pick<NodeInfo, 'id' | 'state'>
  role: DisplayRole
  clusterState: ClusterState | null
  clusterSize: number
  /** A leader exists somewhere (a transfer needs one to hand over). */
  hasLeader: boolean
  canPause: boolean
  busy: boolean
  connected: boolean
  /** False while a recorded run replays: the map shows the past, nothing can be changed. */
  live: boolean
}

export type Availability = { ok: true } | { ok: false; why: Why }

const yes: Availability = { ok: true }
const no = (why: Why): Availability => ({ ok: false, why })

/** A process exists (up, booting or frozen): it can be killed or stopped. */
function hasProcess(state: NodeInfo['state']): boolean {
  return state === 'up' || state === 'starting' || state === 'paused'
}

export function availability(action: MenuAction, c: ActionContext): Availability {
  if (!c.live) return no('replay')
  if (!c.connected) return no('disconnected')
  if (c.busy) return no('busy')
  const live = c.clusterState === 'starting' || c.clusterState === 'running'
  const state = c.node.state
  switch (action) {
    case 'crash':
      return hasProcess(state) ? yes : no('notRunning')
    case 'stop':
      return hasProcess(state) ? yes : no('alreadyStopped')
    case 'pause':
      if (!c.canPause) return no('pauseUnsupported')
      if (state === 'paused') return no('paused')
      return state === 'up' ? yes : no('notUp')
    case 'resume':
      if (!c.canPause) return no('pauseUnsupported')
      return state === 'paused' ? yes : no('notPaused')
    case 'restart':
    case 'wipe':
      // Both start a process: that belongs to a live cluster (a stopped one starts as a whole).
      return live ? yes : no('clusterNotLive')
    case 'transfer':
      if (state !== 'up') return no('notUp')
      if (c.role === 'leader') return no('alreadyLeader')
      if (c.role === 'learner') return no('learner')
      return c.hasLeader ? yes : no('noLeader')
    case 'remove':
      if (!live) return no('clusterNotLive')
      return c.clusterSize > 1 ? yes : no('lastNode')
  }
}
