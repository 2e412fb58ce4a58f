/**
 * One colour per node (ids 1–9), for the logs and data views: the same node reads the same
 * colour in every row and column. Two sets, tuned for contrast on the light and dark surfaces.
 */
import type { ColorScheme } from '../../charts/palette'

const NODE_COLORS: Record<ColorScheme, readonly string[]> = {
  light: ['#2f6fed', '#c2410c', '#0f8a6a', '#9333ea', '#b45309', '#0e7490', '#be185d', '#4d7c0f', '#6b5bd6'],
  dark: ['#6f9bff', '#fb8c4a', '#34d3a5', '#c084fc', '#f4b640', '#38c4e0', '#f472b6', '#a3d65c', '#a59bff']
}

export function nodeColor(nodeId: number, scheme: ColorScheme): string {
  const set = NODE_COLORS[scheme]
  return set[(((nodeId - 1) % set.length) + set.length) % set.length]!
}
