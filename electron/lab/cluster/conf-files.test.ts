import { describe, expect, it } from 'vitest'
import { renderApplicationProperties, renderClusterConf } from './conf-files'

describe('conf files', () => {
  it('writes cluster.conf as Nacos does: one ip:port per line, comments with #', () => {
    const text = renderClusterConf(
      [
        { host: '127.0.0.1', httpPort: 28848 },
        { host: '127.0.0.1', httpPort: 28849 }
      ],
      'run r1'
    )
    const members = text.split('\n').filter((l) => l && !l.startsWith('#'))
    expect(members).toEqual(['127.0.0.1:28848', '127.0.0.1:28849'])
    expect(text.endsWith('\n')).toBe(true)
  })

  it('writes application.properties with the port and a loopback bind address', () => {
    const text = renderApplicationProperties({ host: '127.0.0.1', httpPort: 28848 }, 'run r1')
    expect(text).toMatch(/^server\.port=28848$/m)
    expect(text).toMatch(/^server\.address=127\.0\.0\.1$/m)
    expect(text).toMatch(/^nacos\.inetutils\.ip-address=127\.0\.0\.1$/m)
    expect(text).not.toMatch(/secret/)
    expect(renderApplicationProperties({ host: '127.0.0.1', httpPort: 28848 }, 'run r1', 'abc123')).toMatch(/^quorum\.cluster\.secret=abc123$/m)
  })
})

describe('raft settings in application.properties', () => {
  const self = { host: '127.0.0.1', httpPort: 28848 }

  it('writes the seed profile by default: 10 ms ticks, heartbeat 10, election 15, both switches on', () => {
    const text = renderApplicationProperties(self, 'run r1', 's')
    expect(text).toMatch(/^quorum\.raft\.tick-ms=10$/m)
    expect(text).toMatch(/^quorum\.raft\.heartbeat-ticks=10$/m)
    expect(text).toMatch(/^quorum\.raft\.election-ticks=15$/m)
    expect(text).toMatch(/^quorum\.raft\.pre-vote=true$/m)
    expect(text).toMatch(/^quorum\.raft\.check-quorum=true$/m)
    expect(text).toMatch(/heartbeat 100 ms, election timeout 150-300 ms/)
    expect(text).not.toMatch(/quorum\.raft\.join/)
  })

  it('writes the teaching profile ten times slower, and the switches as asked', () => {
    const text = renderApplicationProperties(self, 'run r1', 's', { settings: { profile: 'teaching', preVote: false, checkQuorum: false } })
    expect(text).toMatch(/^quorum\.raft\.tick-ms=100$/m)
    expect(text).toMatch(/^quorum\.raft\.pre-vote=false$/m)
    expect(text).toMatch(/^quorum\.raft\.check-quorum=false$/m)
    expect(text).toMatch(/heartbeat 1000 ms, election timeout 1500-3000 ms/)
  })

  it('always names the routing file, and marks a joining node', () => {
    expect(renderApplicationProperties(self, 'r')).toMatch(/^quorum\.cluster\.routing-file=conf\/routing\.json$/m)
    expect(renderApplicationProperties(self, 'r', 's', { join: true })).toMatch(/^quorum\.raft\.join=true$/m)
  })

  it('puts a comment above every key, as an operator would', () => {
    const lines = renderApplicationProperties(self, 'r', 's', { join: true }).split('\n')
    const keys = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^quorum\./.test(l))
    expect(keys.length).toBeGreaterThanOrEqual(8)
    for (const { l, i } of keys) expect(lines[i - 1], `comment above ${l}`).toMatch(/^#/)
  })
})
