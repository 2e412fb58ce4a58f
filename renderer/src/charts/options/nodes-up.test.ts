import { describe, expect, it } from 'vitest'
import { CHART_PALETTES } from '../palette'
import { buildNodesUpOption, DEFAULT_WINDOW_MS, visiblePoints, type NodesUpInput } from './nodes-up'

const labels: NodesUpInput['labels'] = {
  yAxis: 'nodes up',
  majority: 'majority 2',
  empty: 'no data',
  upText: (n) => `${n} up`,
  time: (ms) => `t${ms}`
}

function input(over: Partial<NodesUpInput> = {}): NodesUpInput {
  return { samples: [], size: 3, majority: 2, now: 1_000_000, palette: CHART_PALETTES.light, labels, ...over }
}

// The option is a union of many shapes; tests look at it as plain data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>
const build = (over: Partial<NodesUpInput> = {}): Loose => buildNodesUpOption(input(over)) as Loose

describe('visiblePoints', () => {
  it('moves the value in force at the window start to the start, and carries the last value to the end', () => {
    const samples = [
      { t: 0, up: 1 },
      { t: 50, up: 2 },
      { t: 200, up: 3 }
    ]
    expect(visiblePoints(samples, 100, 300)).toEqual([
      [100, 2],
      [200, 3],
      [300, 3]
    ])
  })

  it('keeps a sample exactly at the window start as is', () => {
    expect(visiblePoints([{ t: 100, up: 2 }], 100, 150)).toEqual([
      [100, 2],
      [150, 2]
    ])
  })

  it('draws a flat line when every sample is older than the window', () => {
    expect(visiblePoints([{ t: 10, up: 3 }], 100, 200)).toEqual([
      [100, 3],
      [200, 3]
    ])
  })

  it('is empty without samples', () => {
    expect(visiblePoints([], 0, 10)).toEqual([])
  })
})

describe('buildNodesUpOption', () => {
  it('draws a step line of the samples up to now', () => {
    const now = 1_000_000
    const o = build({
      now,
      samples: [
        { t: now - 30_000, up: 3 },
        { t: now - 10_000, up: 2 }
      ]
    })
    const series = o.series[0]
    expect(series.type).toBe('line')
    expect(series.step).toBe('end')
    expect(series.data).toEqual([
      [now - 30_000, 3],
      [now - 10_000, 2],
      [now, 2]
    ])
    expect(o.title.show).toBe(false)
  })

  it('marks the majority with a dashed line and its label', () => {
    const o = build({ majority: 3, size: 5, labels: { ...labels, majority: 'majority 3' } })
    const markLine = o.series[0].markLine
    expect(markLine.data).toEqual([{ yAxis: 3 }])
    expect(markLine.lineStyle.type).toBe('dashed')
    expect(markLine.label.formatter).toBe('majority 3')
    expect(o.yAxis).toMatchObject({ min: 0, max: 5, interval: 1 })
  })

  it('draws no majority line without a cluster', () => {
    const o = build({ majority: 0, size: 0 })
    expect(o.series[0].markLine).toBeUndefined()
    expect(o.yAxis.max).toBe(1)
  })

  it('fills a young series from the left over at least a minute, then follows now up to the window', () => {
    const now = 5_000_000
    const young = build({ now, samples: [{ t: now - 5_000, up: 1 }] })
    expect(young.xAxis).toMatchObject({ min: now - 5_000, max: now - 5_000 + 60_000 })
    expect(young.series[0].data.at(-1)).toEqual([now, 1])
    expect(build({ now, samples: [{ t: now - 200_000, up: 1 }] }).xAxis).toMatchObject({ min: now - 200_000, max: now })
    expect(build({ now, samples: [{ t: now - 3_600_000, up: 1 }] }).xAxis).toMatchObject({
      min: now - DEFAULT_WINDOW_MS,
      max: now
    })
  })

  it('shows a lone sample as a dot, and only then', () => {
    const now = 1_000_000
    expect(build({ now, samples: [{ t: now, up: 3 }] }).series[0].showSymbol).toBe(true)
    expect(build({ now, samples: [{ t: now - 1000, up: 3 }] }).series[0].showSymbol).toBe(false)
  })

  it('says so when there is nothing to draw', () => {
    const o = build({ samples: [] })
    expect(o.title).toMatchObject({ show: true, text: 'no data' })
    expect(o.series[0].data).toEqual([])
    expect(o.xAxis.show).toBe(false)
    expect(o.yAxis.show).toBe(false)
    expect(build({ samples: [{ t: 999_000, up: 1 }] }).xAxis.show).toBe(true)
  })

  it('takes its colours from the palette', () => {
    const dark = build({ palette: CHART_PALETTES.dark })
    expect(dark.series[0].lineStyle.color).toBe(CHART_PALETTES.dark.line)
    expect(dark.series[0].markLine.lineStyle.color).toBe(CHART_PALETTES.dark.majority)
    expect(build().series[0].lineStyle.color).toBe(CHART_PALETTES.light.line)
  })

  it('formats the tooltip with the given labels', () => {
    const o = build()
    expect(o.tooltip.formatter([{ value: [42, 2] }])).toBe('t42<br>2 up')
  })

  it('is pure: same input, same output, input untouched', () => {
    const samples = Object.freeze([Object.freeze({ t: 999_000, up: 1 })])
    const a = build({ samples })
    const b = build({ samples })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })
})
