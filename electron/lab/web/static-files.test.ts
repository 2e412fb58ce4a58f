import { describe, expect, it } from 'vitest'
import { resolveInside } from './static-files'

describe('resolveInside', () => {
  const root = '/srv/renderer'
  it('maps / to index.html and plain paths inside the root', () => {
    expect(resolveInside(root, '/')).toBe('/srv/renderer/index.html')
    expect(resolveInside(root, '/assets/index-abc.js?v=1')).toBe('/srv/renderer/assets/index-abc.js')
  })
  it('refuses paths that escape the root, encoded or not', () => {
    for (const p of ['/../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc', '/%00', '/%E0%A4%A']) {
      const r = resolveInside(root, p)
      expect(r === null || r.startsWith('/srv/renderer/')).toBe(true)
      expect(r).not.toBe('/etc/passwd')
    }
    // A URL path is rooted: leading .. clamps at the root, as a web server does.
    expect(resolveInside(root, '/../etc/passwd')).toBe('/srv/renderer/etc/passwd')
    expect(resolveInside(root, '/%E0%A4%A')).toBeNull()
  })
})
