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
