/**
 * The report's charts as ECharts options (pure) and their server-side SVG rendering (no
 * browser, no network: the SVG goes straight into the HTML file).
 */
import * as echarts from 'echarts'
import type { DrillResult } from '../drills/drill-runner'

type Option = Record<string, unknown>

const rel = (r: DrillResult, t: number): number => Math.round((t - r.startedAt) / 100) / 10

/** Fault bands: from each disruptive step to the next heal/return (or the end). */
export function faultBands(r: DrillResult): [number, number][] {
  const bands: [number, number][] = []
  let open: number | null = null
  for (const s of r.steps) {
    const disruptive = s.step.kind === 'partition' || s.step.kind === 'links' || s.step.kind === 'link' || (s.step.kind === 'node' && ['crash', 'stop', 'pause', 'wipe'].includes(s.step.action))
    const healing = s.step.kind === 'heal' || (s.step.kind === 'node' && ['restart', 'start', 'resume'].includes(s.step.action))
    if (disruptive && open === null) open = s.startedAt
    if (healing && open !== null) {
      bands.push([rel(r, open), rel(r, s.startedAt)])
      open = null
    }
  }
  if (open !== null) bands.push([rel(r, open), rel(r, r.steps.at(-1)?.endedAt ?? r.endedAt)])
  return bands
}

export function timelineOption(r: DrillResult, title: string): Option {
  const data = r.samples.map((s) => [rel(r, s.at), s.leader ?? 0])
  return {
    animation: false,
    title: { text: title, textStyle: { fontSize: 13 } },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'value', name: 's', min: 0 },
    yAxis: { type: 'value', name: 'leader', minInterval: 1, min: 0, max: r.cluster.nodes + 1, axisLabel: { formatter: (v: number) => (v === 0 ? '—' : `n${v}`) } },
    series: [
      {
        type: 'line',
        step: 'end',
        symbol: 'none',
        data,
        lineStyle: { width: 2, color: '#2f6fdf' },
        markArea: { itemStyle: { color: 'rgba(220, 60, 60, 0.15)' }, data: faultBands(r).map(([a, b]) => [{ xAxis: a }, { xAxis: b }]) }
      }
    ]
  }
}

export function throughputOption(r: DrillResult, title: string): Option {
  const x = (t: number): number => rel(r, t)
  return {
    animation: false,
    title: { text: title, textStyle: { fontSize: 13 } },
    legend: { data: ['ok', 'fail', 'unknown'], right: 10, top: 5 },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'value', name: 's', min: 0 },
    yAxis: { type: 'value', name: 'ops' },
    series: [
      { name: 'ok', type: 'line', symbol: 'none', data: r.throughput.map((p) => [x(p.at), p.ok]), color: '#2a9d55', markArea: { itemStyle: { color: 'rgba(220, 60, 60, 0.12)' }, data: faultBands(r).map(([a, b]) => [{ xAxis: a }, { xAxis: b }]) } },
      { name: 'fail', type: 'bar', data: r.throughput.map((p) => [x(p.at), p.fail]), color: '#d64545' },
      { name: 'unknown', type: 'bar', data: r.throughput.map((p) => [x(p.at), p.unknown]), color: '#e0a030' }
    ]
  }
}

export function latencyOption(r: DrillResult, title: string): Option {
  return {
    animation: false,
    title: { text: title, textStyle: { fontSize: 13 } },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'value', name: 's', min: 0 },
    yAxis: { type: 'value', name: 'ms' },
    series: [{ type: 'line', symbol: 'none', data: r.throughput.filter((p) => p.p99 !== null).map((p) => [rel(r, p.at), Math.round(p.p99!)]), color: '#7a4fd0' }]
  }
}

/** Render an option to an SVG string on the server (no DOM). */
export function renderSvg(option: Option, width = 860, height = 260): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption(option)
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}
