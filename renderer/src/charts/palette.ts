/**
 * Chart colours per colour scheme. The canvas cannot read CSS variables, so these mirror
 * the tokens in styles/main.css; keep the two in step.
 */
export type ColorScheme = 'light' | 'dark'

export interface ChartPalette {
  text: string
  textMuted: string
  axisLine: string
  splitLine: string
  line: string
  area: string
  majority: string
  tooltipBg: string
  tooltipBorder: string
}

export const CHART_PALETTES: Record<ColorScheme, ChartPalette> = {
  light: {
    text: '#1d2330',
    textMuted: '#5b6475',
    axisLine: '#c9ced8',
    splitLine: '#e8ebf0',
    line: '#2f6fed',
    area: 'rgba(47, 111, 237, 0.12)',
    majority: '#d14343',
    tooltipBg: '#ffffff',
    tooltipBorder: '#e3e6eb'
  },
  dark: {
    text: '#e6e9ef',
    textMuted: '#9aa3b2',
    axisLine: '#3a4250',
    splitLine: '#262c37',
    line: '#6f9bff',
    area: 'rgba(111, 155, 255, 0.16)',
    majority: '#ff7070',
    tooltipBg: '#1f2530',
    tooltipBorder: '#323a48'
  }
}

/**
 * One colour per node id (node 1 = first), per scheme; chosen to stay apart from each other and
 * from the red of alerts, and readable on both backgrounds.
 */
export const NODE_COLORS: Record<ColorScheme, readonly string[]> = {
  light: ['#2f6fed', '#1f9d6a', '#d97706', '#8b5cf6', '#0891b2', '#db2777', '#65a30d', '#64748b', '#b45309'],
  dark: ['#6f9bff', '#4cd08a', '#f5a524', '#b197fc', '#38bdf8', '#f472b6', '#a3e635', '#94a3b8', '#fbbf24']
}

/** A node's colour, the same in every view (logs, data, metrics, ...). */
export function nodeColor(scheme: ColorScheme, id: number): string {
  const colors = NODE_COLORS[scheme]
  return colors[(((id - 1) % colors.length) + colors.length) % colors.length]!
}
