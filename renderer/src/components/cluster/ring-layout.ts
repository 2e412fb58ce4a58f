/**
 * Geometry of the cluster map: node cards on an ellipse that fills the map, and the two
 * directed links of every pair drawn side by side (each on its own right-hand side), clipped
 * at the cards' edges so arrows end where a card begins. Pure, so it is tested without a DOM.
 */

export interface Point {
  x: number
  y: number
}

export interface Size {
  w: number
  h: number
}

/** Room kept between a card and the map's edge. */
export const RING_PADDING = 14

/** Card size on the map (NodeCard's content fits it): narrower when many nodes share the ring. */
export function cardSizeFor(n: number): Size {
  return n <= 6 ? { w: 224, h: 206 } : { w: 184, h: 206 }
}

/**
 * Height the map needs so n cards fit around it without overlapping on a map 1000 px wide or
 * more (checked by the tests); the ring grows taller rather than letting cards collide.
 */
export function ringHeightFor(n: number): number {
  const heights = [320, 320, 320, 500, 520, 640, 680, 760, 860, 980]
  return heights[Math.min(Math.max(n, 0), heights.length - 1)]!
}

/**
 * Card centres, node i at angle −90° + i·360°/n (the first on top, clockwise), on the largest
 * ellipse that keeps every card inside `box`. One node sits in the middle; two face each other
 * left and right, which reads better than top and bottom.
 */
export function ringPositions(n: number, box: Size, card: Size): Point[] {
  const cx = box.w / 2
  const cy = box.h / 2
  if (n <= 0) return []
  if (n === 1) return [{ x: cx, y: cy }]
  const rx = Math.max(0, box.w / 2 - card.w / 2 - RING_PADDING)
  const ry = Math.max(0, box.h / 2 - card.h / 2 - RING_PADDING)
  const start = n === 2 ? Math.PI : -Math.PI / 2
  return Array.from({ length: n }, (_, i) => {
    const a = start + (2 * Math.PI * i) / n
    return { x: round(cx + rx * Math.cos(a)), y: round(cy + ry * Math.sin(a)) }
  })
}

/** Distance from a card's centre to its edge along the unit direction (dx, dy). */
export function edgeDistance(dx: number, dy: number, card: Size): number {
  const tx = dx === 0 ? Number.POSITIVE_INFINITY : card.w / 2 / Math.abs(dx)
  const ty = dy === 0 ? Number.POSITIVE_INFINITY : card.h / 2 / Math.abs(dy)
  return Math.min(tx, ty)
}

export interface Segment {
  x1: number
  y1: number
  x2: number
  y2: number
  /** Middle of the segment (where the link's editor opens). */
  mid: Point
  /**
   * Where the link's state mark goes: a third of the way from the sender, so the marks of a
   * pair's two directions never sit on top of each other.
   */
  mark: Point
  /** False when the cards overlap or touch: nothing to draw. */
  visible: boolean
}

/**
 * The directed link from the card at `a` to the card at `b`: offset by `offset` px to the
 * right of the direction of travel (so a→b and b→a sit side by side), leaving `gap` px between
 * the line and each card.
 */
export function linkSegment(a: Point, b: Point, card: Size, offset = 6, gap = 6): Segment {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const len = Math.hypot(dx, dy)
  if (len === 0) return { x1: a.x, y1: a.y, x2: b.x, y2: b.y, mid: { ...a }, mark: { ...a }, visible: false }
  const ux = dx / len
  const uy = dy / len
  // Right-hand normal in screen coordinates (y grows downwards).
  const nx = -uy
  const ny = ux
  const cut = edgeDistance(ux, uy, card) + gap
  const visible = len > 2 * cut + 8
  const x1 = a.x + ux * cut + nx * offset
  const y1 = a.y + uy * cut + ny * offset
  const x2 = b.x - ux * cut + nx * offset
  const y2 = b.y - uy * cut + ny * offset
  return {
    x1: round(x1),
    y1: round(y1),
    x2: round(x2),
    y2: round(y2),
    mid: { x: round((x1 + x2) / 2), y: round((y1 + y2) / 2) },
    mark: { x: round(x1 + (x2 - x1) / 3), y: round(y1 + (y2 - y1) / 3) },
    visible
  }
}

const round = (v: number): number => Math.round(v * 10) / 10

/**
 * The clickable band around a segment: a rectangle `halfWidth` px to each side, as SVG polygon
 * points. (A stroked line's box has no height when it is horizontal, so it cannot be the target.)
 */
export function hitBand(seg: Pick<Segment, 'x1' | 'y1' | 'x2' | 'y2'>, halfWidth = 7): string {
  const len = Math.hypot(seg.x2 - seg.x1, seg.y2 - seg.y1) || 1
  const nx = (-(seg.y2 - seg.y1) / len) * halfWidth
  const ny = ((seg.x2 - seg.x1) / len) * halfWidth
  return [
    [seg.x1 + nx, seg.y1 + ny],
    [seg.x2 + nx, seg.y2 + ny],
    [seg.x2 - nx, seg.y2 - ny],
    [seg.x1 - nx, seg.y1 - ny]
  ]
    .map(([x, y]) => `${round(x!)},${round(y!)}`)
    .join(' ')
}
