/**
 * The conf files of one lab node, written as a Nacos operator would write them (the user can
 * open them from the lab). Pure: text in, text out; the cluster writes the files.
 */

export interface MemberAddress {
  host: string
  httpPort: number
}

export const memberAddress = (m: MemberAddress): string => `${m.host}:${m.httpPort}`

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

/** `conf/application.properties` for one member. Keys follow Nacos where Nacos has one. */
export function renderApplicationProperties(self: MemberAddress, header: string, secret?: string): string {
  return [
    `# ${header}`,
    `server.port=${self.httpPort}`,
    '# Listen on loopback only: the lab never exposes a node beyond this machine.',
    `server.address=${self.host}`,
    `nacos.inetutils.ip-address=${self.host}`,
    ...(secret ? ['# Peers prove membership with this secret in the Raft handshake (one per lab run).', `quorum.cluster.secret=${secret}`] : []),
    ''
  ].join('\n')
}
