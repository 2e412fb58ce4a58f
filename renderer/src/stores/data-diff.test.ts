import { describe, expect, it } from 'vitest'
import { config, dataView, instance } from '../testing/logsdata-fixtures'
import { diffData, filterDiffRows } from './data-diff'

describe('diffData', () => {
  it('marks nothing when every node holds the same copy', () => {
    const same = dataView(7, [config('a.yaml'), config('b.yaml')], [instance('svc', 80)])
    const d = diffData([1, 2, 3].map((nodeId) => ({ nodeId, data: same })))
    expect(d.configs.map((r) => r.parts[2])).toEqual(['a.yaml', 'b.yaml'])
    expect(d.instances).toHaveLength(1)
    expect([...d.configs, ...d.instances].some((r) => r.divergent)).toBe(false)
    expect(d.divergentByNode.size).toBe(0)
  })

  it('marks a config missing on a cut-off follower, on that node only', () => {
    const fresh = dataView(9, [config('a.yaml'), config('new.yaml')])
    const stale = dataView(5, [config('a.yaml')])
    const d = diffData([
      { nodeId: 1, data: fresh },
      { nodeId: 2, data: fresh },
      { nodeId: 3, data: stale }
    ])
    const row = d.configs.find((r) => r.parts[2] === 'new.yaml')!
    expect(row.divergent).toBe(true)
    expect(row.cells.get(3)).toMatchObject({ present: false, divergent: true })
    expect(row.cells.get(1)).toMatchObject({ present: true, divergent: false })
    expect(d.configs.find((r) => r.parts[2] === 'a.yaml')!.divergent).toBe(false)
    expect(d.divergentByNode.get(3)).toBe(1)
    expect(d.divergentByNode.get(1)).toBeUndefined()
  })

  it('marks a differing md5 and a differing healthy flag', () => {
    const d = diffData([
      { nodeId: 1, data: dataView(4, [config('a', 'x')], [instance('s', 1)]) },
      { nodeId: 2, data: dataView(4, [config('a', 'x')], [instance('s', 1)]) },
      { nodeId: 3, data: dataView(3, [config('a', 'old')], [instance('s', 1, { healthy: false })]) }
    ])
    expect(d.configs[0]!.cells.get(3)).toMatchObject({ divergent: true, signature: 'old' })
    expect(d.instances[0]!.cells.get(3)).toMatchObject({ divergent: true, signature: 'unhealthy' })
    expect(d.instances[0]!.cells.get(2)!.divergent).toBe(false)
  })

  it('breaks a tie in favour of the freshest copy (highest applied index)', () => {
    const d = diffData([
      { nodeId: 1, data: dataView(3, []) },
      { nodeId: 2, data: dataView(8, [config('a')]) }
    ])
    const row = d.configs[0]!
    expect(row.cells.get(2)!.divergent).toBe(false)
    expect(row.cells.get(1)).toMatchObject({ present: false, divergent: true })
  })

  it('leaves out nodes that never answered', () => {
    const d = diffData([
      { nodeId: 1, data: dataView(2, [config('a')]) },
      { nodeId: 2, data: null }
    ])
    expect(d.configs[0]!.cells.has(2)).toBe(false)
    expect(d.configs[0]!.divergent).toBe(false)
  })
})

describe('filterDiffRows', () => {
  it('filters by key text and by divergence', () => {
    const d = diffData([
      { nodeId: 1, data: dataView(2, [config('app.yaml'), config('db.yaml')]) },
      { nodeId: 2, data: dataView(2, [config('app.yaml'), config('db.yaml')]) },
      { nodeId: 3, data: dataView(1, [config('app.yaml')]) }
    ])
    expect(filterDiffRows(d.configs, 'APP', false).map((r) => r.parts[2])).toEqual(['app.yaml'])
    expect(filterDiffRows(d.configs, '', true).map((r) => r.parts[2])).toEqual(['db.yaml'])
    expect(filterDiffRows(d.configs, 'app', true)).toEqual([])
  })
})
