/**
 * The conf files of one lab node, written as a Nacos operator would write them (the user can
 * open them from the lab). Pure: text in, text out; the cluster writes the files.
 */
import type { ClusterSettings } from '../api'
import { DEFAULT_SETTINGS, electionRangeMs, heartbeatMs, timingOf } from './profiles'

export interface MemberAddress {
  host: string
  httpPort: number
}

export const memberAddress = (m: MemberAddress): string => `${m.host}:${m.httpPort}`

/** Where the lab's link proxies publish their routes, relative to the node's home. */
export const ROUTING_FILE = 'conf/routing.json'

/** `conf/cluster.conf`: one `ip:port` per line, the canonical membership. */
export function renderClusterConf(members: MemberAddress[], header: string): string {
  const lines = [
    `# ${header}`,
    '# Nacos cluster.conf: one member per line as ip:port (the HTTP port).',
    '# The Raft port of each member is its HTTP port - 1000.',
    ...members.map(memberAddress),
    ''
  ]
  return lines.join('\n')
}

export interface NodeConfOptions {
  /** Raft timing profile and safety switches (default: the seed profile, both switches on). */
  settings?: ClusterSettings
  /** True for a node that must learn everything from the leader (scale out, wiped data). */
  join?: boolean
}

/** `conf/application.properties` for one member. Keys follow Nacos where Nacos has one. */
export function renderApplicationProperties(self: MemberAddress, header: string, secret?: string, opts: NodeConfOptions = {}): string {
  const settings = opts.settings ?? DEFAULT_SETTINGS
  const t = timingOf(settings.profile)
  const election = electionRangeMs(t)
  return [
    `# ${header}`,
    `server.port=${self.httpPort}`,
    '# Listen on loopback only: the lab never exposes a node beyond this machine.',
    `server.address=${self.host}`,
    `nacos.inetutils.ip-address=${self.host}`,
    ...(secret ? ['# Peers prove membership with this secret in the Raft handshake (one per lab run).', `quorum.cluster.secret=${secret}`] : []),
    '',
    `# Raft timing: the "${settings.profile}" profile (heartbeat ${heartbeatMs(t)} ms, election timeout ${election.min}-${election.max} ms).`,
    '# One Raft tick, in ms; the two settings below count ticks.',
    `quorum.raft.tick-ms=${t.tickMs}`,
    '# The leader sends a heartbeat every this many ticks.',
    `quorum.raft.heartbeat-ticks=${t.heartbeatTicks}`,
    '# A follower that hears no leader campaigns after a random [n, 2n) ticks.',
    `quorum.raft.election-ticks=${t.electionTicks}`,
    '# PreVote: ask for votes before raising the term, so a cut-off node cannot disrupt the cluster when it returns.',
    `quorum.raft.pre-vote=${settings.preVote}`,
    '# CheckQuorum: a leader that has not heard from a majority for an election timeout steps down.',
    `quorum.raft.check-quorum=${settings.checkQuorum}`,
    ...(opts.join
      ? ['# Join a running cluster: start empty and take the log (or a snapshot) from the leader, never bootstrap.', 'quorum.raft.join=true']
      : []),
    '',
    '# Peer routes written by the lab\'s link proxies; while the file is missing, peers are dialed directly.',
    `quorum.cluster.routing-file=${ROUTING_FILE}`,
    ''
  ].join('\n')
}
