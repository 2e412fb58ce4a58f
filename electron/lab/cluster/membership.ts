/**
 * Pure decisions for leadership and membership changes, read from the nodes' own
 * `GET /quorum/v1/admin/status` answers (the cluster does the I/O).
 */
import type { NodeId, NodeRaftView } from '../api'
import { LabServiceError } from '../errors'
import type { NodeStatus } from '../../../node-core/src/protocol/admin'

/** The node that leads in the highest term any live node reports, or null. */
export function pickLeader(views: readonly NodeRaftView[]): { nodeId: NodeId; status: NodeStatus } | null {
  let best: { nodeId: NodeId; status: NodeStatus } | null = null
  for (const v of views) {
    if (v.status?.role !== 'leader') continue
    // A deposed leader that has not heard of the new term yet still says 'leader': the higher term wins.
    if (!best || v.status.term > best.status.term) best = { nodeId: v.nodeId, status: v.status }
  }
  return best
}

/** True once the leader's progress for `address` has replicated everything the leader has committed. */
export function caughtUp(leader: NodeStatus, address: string): boolean {
  const p = leader.progress.find((x) => x.address === address)
  return p !== undefined && p.match >= leader.commit
}

/** True when `status` lists `address` as neither voter nor learner. */
export const excludes = (status: NodeStatus, address: string): boolean =>
  !status.voters.includes(address) && !status.learners.includes(address)

/** True when `status` lists `address` as a voter. */
export const hasVoter = (status: NodeStatus, address: string): boolean => status.voters.includes(address)

/**
 * Turn the answer of `POST /nacos/v1/core/ops/raft` into a lab error (null for 200): 400 is a
 * bad value, 409 a refusal by Raft (a change already pending, a leader leaving), 503 no
 * leader or no majority to commit the change in time.
 */
export function opsError(command: string, target: string, status: number, text: string): LabServiceError | null {
  if (status === 200) return null
  const why = text.trim().slice(0, 300) || `HTTP ${status}`
  const what = `${command} ${target}`
  if (status === 400) return new LabServiceError('INVALID_ARGUMENT', `${what}: ${why}`)
  if (status === 409) return new LabServiceError('NODE_REFUSED', `${what}: ${why}`)
  if (status === 503) return new LabServiceError(/no leader/i.test(why) ? 'NO_LEADER' : 'TIMEOUT', `${what}: ${why}`)
  return new LabServiceError('NODE_REFUSED', `${what}: HTTP ${status}: ${why}`)
}
