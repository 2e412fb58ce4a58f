/**
 * The timeline's colours per scheme: roles, message families, marks and faults, on top of
 * the shared chart palette (text, axes, tooltip). The canvas cannot read CSS variables, so
 * these mirror the tokens of styles/main.css (accent, ok, warn, danger, neutral) where one
 * fits; the HTML legend of the view uses the same values.
 */
import { CHART_PALETTES, type ChartPalette, type ColorScheme } from '../palette'
import type { LaneState, MessageFamily } from '../../stores/timeline-model'

export interface TimelinePalette extends ChartPalette {
  state: Record<LaneState, string>
  /** Text drawn on a band of that state. */
  stateText: Record<LaneState, string>
  /** Border of down / paused bands (dashed). */
  stateBorder: Record<LaneState, string>
  message: Record<MessageFamily, string>
  reject: string
  lost: string
  granted: string
  rejected: string
  requested: string
  won: string
  warn: string
  gap: string
  gapFill: string
  fault: string
  faultFill: string
  laneStripe: string
}

const LIGHT: Omit<TimelinePalette, keyof ChartPalette> = {
  state: {
    unknown: '#e3e6eb',
    follower: '#c7d5ef',
    precandidate: '#f6e2ad',
    candidate: '#e8a93a',
    leader: '#2f6fed',
    down: '#fbe7e7',
    paused: '#fbf0d6'
  },
  stateText: {
    unknown: '#5b6475',
    follower: '#27406f',
    precandidate: '#6b4a00',
    candidate: '#3d2a00',
    leader: '#ffffff',
    down: '#c93a3a',
    paused: '#9a6400'
  },
  stateBorder: {
    unknown: 'transparent',
    follower: 'transparent',
    precandidate: 'transparent',
    candidate: 'transparent',
    leader: 'transparent',
    down: '#c93a3a',
    paused: '#9a6400'
  },
  message: { vote: '#7c4ddb', append: '#2f6fed', heartbeat: '#8a93a3', other: '#12857a' },
  reject: '#c93a3a',
  lost: '#c93a3a',
  granted: '#1f8f4e',
  rejected: '#c93a3a',
  requested: '#7c4ddb',
  won: '#c98a00',
  warn: '#9a6400',
  gap: '#c93a3a',
  gapFill: 'rgba(201, 58, 58, 0.14)',
  fault: '#c93a3a',
  faultFill: 'rgba(201, 58, 58, 0.08)',
  laneStripe: 'rgba(16, 24, 40, 0.025)'
}

const DARK: Omit<TimelinePalette, keyof ChartPalette> = {
  state: {
    unknown: '#2b323e',
    follower: '#2c3d5c',
    precandidate: '#5a4a20',
    candidate: '#c98f2a',
    leader: '#5b8cff',
    down: 'rgba(255, 112, 112, 0.16)',
    paused: 'rgba(232, 181, 74, 0.16)'
  },
  stateText: {
    unknown: '#9aa3b2',
    follower: '#c8d6f5',
    precandidate: '#f3dca0',
    candidate: '#1a1200',
    leader: '#0d1220',
    down: '#ff7070',
    paused: '#e8b54a'
  },
  stateBorder: {
    unknown: 'transparent',
    follower: 'transparent',
    precandidate: 'transparent',
    candidate: 'transparent',
    leader: 'transparent',
    down: '#ff7070',
    paused: '#e8b54a'
  },
  message: { vote: '#b18cff', append: '#6f9bff', heartbeat: '#6f7888', other: '#3cc2b0' },
  reject: '#ff7070',
  lost: '#ff7070',
  granted: '#4cd08a',
  rejected: '#ff7070',
  requested: '#b18cff',
  won: '#f0c14b',
  warn: '#e8b54a',
  gap: '#ff7070',
  gapFill: 'rgba(255, 112, 112, 0.18)',
  fault: '#ff7070',
  faultFill: 'rgba(255, 112, 112, 0.09)',
  laneStripe: 'rgba(255, 255, 255, 0.025)'
}

export const TIMELINE_PALETTES: Record<ColorScheme, TimelinePalette> = {
  light: { ...CHART_PALETTES.light, ...LIGHT },
  dark: { ...CHART_PALETTES.dark, ...DARK }
}
