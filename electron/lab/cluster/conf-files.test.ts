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
