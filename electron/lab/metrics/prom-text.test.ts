import { describe, expect, it } from 'vitest'
import { buckets, parsePromText, quantile } from './prom-text'

const TEXT = `# HELP http_server_requests_seconds x
# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_bucket{le="0.01",method="POST",uri="/nacos/v1/cs/configs",status="200"} 90
http_server_requests_seconds_bucket{le="0.1",method="POST",uri="/nacos/v1/cs/configs",status="200"} 100
http_server_requests_seconds_bucket{le="+Inf",method="POST",uri="/nacos/v1/cs/configs",status="200"} 100
http_server_requests_seconds_count{method="POST",uri="/nacos/v1/cs/configs",status="200"} 100
nacos_monitor{module="naming",name="a \\"quoted\\", comma\\\\ and\\nnewline"} 3
raft_term 4 1700000000000
bad line here
raft_commit_index not-a-number
`

describe('parsePromText', () => {
  it('keeps the labels of histogram series, escaped label values and timestamps; skips bad lines', () => {
    const s = parsePromText(TEXT)
    expect(s.get('http_server_requests_seconds_count')?.[0]).toEqual({
      name: 'http_server_requests_seconds_count',
      labels: { method: 'POST', uri: '/nacos/v1/cs/configs', status: '200' },
      key: 'method="POST",uri="/nacos/v1/cs/configs",status="200"',
      value: 100
    })
    expect(s.get('nacos_monitor')?.[0]?.labels.name).toBe('a "quoted", comma\\ and\nnewline')
    expect(s.get('raft_term')?.[0]?.value).toBe(4)
    expect(s.has('raft_commit_index')).toBe(false)
    expect(s.has('bad')).toBe(false)
    expect(parsePromText('').size).toBe(0)
  })

  it('parses only the metric names `keep` picks', () => {
    expect([...parsePromText(TEXT, (n) => n.startsWith('raft_')).keys()]).toEqual(['raft_term'])
  })
})

describe('quantile (histogram_quantile rule)', () => {
  it('interpolates linearly inside the bucket the rank falls in, from 0 for the first bucket', () => {
    const b = buckets(parsePromText(TEXT), 'http_server_requests_seconds')
    expect([...b]).toEqual([
      [0.01, 90],
      [0.1, 100],
      [Number.POSITIVE_INFINITY, 100]
    ])
    expect(quantile(0.5, b)).toBeCloseTo(0.01 * (50 / 90))
    expect(quantile(0.99, b)).toBeCloseTo(0.01 + 0.09 * (9 / 10))
  })

  it('answers the highest finite bound for a rank in +Inf, and null without observations', () => {
    expect(quantile(0.99, new Map([[0.1, 1], [Number.POSITIVE_INFINITY, 10]]))).toBe(0.1)
    expect(quantile(0.5, new Map())).toBeNull()
    expect(quantile(0.5, new Map([[0.1, 0], [Number.POSITIVE_INFINITY, 0]]))).toBeNull()
  })
})
