import { describe, expect, it } from 'vitest'
import { parseApplicationProperties } from './application-properties'
import { raftSettings } from './raft-settings'

const members = [{ ip: '127.0.0.1', port: 8848, address: '127.0.0.1:8848', raftPort: 7848 }] as never

describe('raftSettings', () => {
  it('defaults to the seed timing and both safety switches on', () => {
    const s = raftSettings(parseApplicationProperties('', { file: '/h/conf/application.properties' }), '/h', members)
    expect(s).toMatchObject({ tickMs: 10, heartbeatTicks: 10, electionTicks: 15, preVote: true, checkQuorum: true, secretDerived: true, routingFile: undefined })
    expect(s.secret).toMatch(/^[0-9a-f]{64}$/)
  })

  it('reads every key and resolves the routing file against the home', () => {
    const text = ['quorum.raft.tick-ms=500', 'quorum.raft.pre-vote=false', 'quorum.raft.check-quorum=FALSE', 'quorum.cluster.secret=s3cret', 'quorum.cluster.routing-file=conf/routing.json'].join('\n')
    const s = raftSettings(parseApplicationProperties(text, { file: '/h/conf/application.properties' }), '/h', members)
    expect(s).toMatchObject({ tickMs: 500, preVote: false, checkQuorum: false, secret: 's3cret', secretDerived: false, routingFile: '/h/conf/routing.json' })
  })

  it('names the file, line and key of a bad value', () => {
    const props = parseApplicationProperties('a=1\nquorum.raft.pre-vote=maybe\n', { file: '/h/conf/application.properties' })
    expect(() => raftSettings(props, '/h', members)).toThrow(/application\.properties.*quorum\.raft\.pre-vote.*true or false|quorum\.raft\.pre-vote "maybe" is not valid/)
    const timing = parseApplicationProperties('quorum.raft.heartbeat-ticks=5\nquorum.raft.election-ticks=5\n', { file: '/h/conf/application.properties' })
    expect(() => raftSettings(timing, '/h', members)).toThrow(/election-ticks.*greater than quorum\.raft\.heartbeat-ticks/)
  })
})
