import { createHash } from 'node:crypto'
import { isAbsolute, join } from 'node:path'
import type { ApplicationProperties } from './application-properties'
import type { ClusterConfMember } from './cluster-conf'

/**
 * node-core's own keys in application.properties (Nacos has none for these). Defaults follow
 * the seed (§5.1): heartbeat 100 ms, election timeout 150–300 ms — a 10 ms tick, heartbeat
 * every 10 ticks, election after 15 ticks randomized to [15, 30). A fine tick matters: with
 * 50 ms ticks the timeout had only three values, so the two survivors of a crashed leader
 * often timed out in the same tick (split votes, pre-votes refused under the leader lease).
 */
export const RAFT_KEYS = {
  tickMs: 'quorum.raft.tick-ms',
  heartbeatTicks: 'quorum.raft.heartbeat-ticks',
  electionTicks: 'quorum.raft.election-ticks',
  preVote: 'quorum.raft.pre-vote',
  checkQuorum: 'quorum.raft.check-quorum',
  snapshotEntries: 'quorum.raft.snapshot-entries',
  /** Entries kept behind a snapshot for slightly lagging followers (fewer → more snapshot installs). */
  catchUpEntries: 'quorum.raft.snapshot-catchup-entries',
  noLeaderWaitMs: 'quorum.raft.no-leader-wait-ms',
  secret: 'quorum.cluster.secret',
  /** true for a node added to a running cluster: it starts empty and learns everything from the leader. */
  join: 'quorum.raft.join',
  routingFile: 'quorum.cluster.routing-file'
} as const

export interface RaftSettings {
  tickMs: number
  heartbeatTicks: number
  electionTicks: number
  preVote: boolean
  checkQuorum: boolean
  snapshotEntries: number
  catchUpEntries: number
  noLeaderWaitMs: number
  /** Peers must present it in the handshake. */
  secret: string
  /** True when no secret was configured and one was derived from cluster.conf. */
  secretDerived: boolean
  /** Join a running cluster instead of bootstrapping one (scale out). */
  join: boolean
  /** Where the lab's routing file is, if any (absolute). */
  routingFile: string | undefined
}

export function raftSettings(props: ApplicationProperties, home: string, members: readonly ClusterConfMember[]): RaftSettings {
  const heartbeatTicks = props.getInt(RAFT_KEYS.heartbeatTicks, 10, { min: 1, max: 1000 })
  const electionTicks = props.getInt(RAFT_KEYS.electionTicks, 15, { min: 2, max: 10_000 })
  if (electionTicks <= heartbeatTicks) {
    throw props.invalid(RAFT_KEYS.electionTicks, `must be greater than ${RAFT_KEYS.heartbeatTicks} (${heartbeatTicks})`)
  }
  const configured = props.getString(RAFT_KEYS.secret)
  const routing = props.getString(RAFT_KEYS.routingFile)
  return {
    tickMs: props.getInt(RAFT_KEYS.tickMs, 10, { min: 1, max: 60_000 }),
    heartbeatTicks,
    electionTicks,
    preVote: props.getBool(RAFT_KEYS.preVote, true),
    checkQuorum: props.getBool(RAFT_KEYS.checkQuorum, true),
    snapshotEntries: props.getInt(RAFT_KEYS.snapshotEntries, 10_000, { min: 10, max: 100_000_000 }),
    catchUpEntries: props.getInt(RAFT_KEYS.catchUpEntries, 5_000, { min: 0, max: 100_000_000 }),
    noLeaderWaitMs: props.getInt(RAFT_KEYS.noLeaderWaitMs, 3_000, { min: 0, max: 600_000 }),
    // Without a configured secret every member derives the same one from the membership, so a
    // cluster still forms; the startup log warns that this keeps out mistakes, not attackers.
    secret: configured ?? createHash('sha256').update(`quorum-lab:${members.map((m) => m.address).join(',')}`).digest('hex'),
    secretDerived: configured === undefined,
    join: props.getBool(RAFT_KEYS.join, false),
    routingFile: routing === undefined ? undefined : isAbsolute(routing) ? routing : join(home, routing)
  }
}
