import { describe, expect, it } from 'vitest'
import { cardSizeFor, edgeDistance, hitBand, linkSegment, RING_PADDING, ringHeightFor, ringPositions } from './ring-layout'

const box = { w: 1000, h: 600 }
const card = { w: 200, h: 150 }

function overlap(a: { x: number; y: number }, b: { x: number; y: number }, c: { w: number; h: number }): boolean {
  return Math.abs(a.x - b.x) < c.w && Math.abs(a.y - b.y) < c.h
}

describe('ringPositions', () => {
  it('puts one node in the middle and two face to face', () => {
    expect(ringPositions(0, box, card)).toEqual([])
    expect(ringPositions(1, box, card)).toEqual([{ x: 500, y: 300 }])
    const [a, b] = ringPositions(2, box, card)
    expect(a!.y).toBe(300)
    expect(b!.y).toBe(300)
    expect(a!.x).toBeLessThan(b!.x)
  })

  it('starts on top, goes clockwise and keeps every card inside the box', () => {
    for (const n of [3, 5, 7, 9]) {
      const pts = ringPositions(n, box, card)
      expect(pts).toHaveLength(n)
      expect(pts[0]!.x).toBe(500)
      expect(pts[0]!.y).toBe(card.h / 2 + RING_PADDING)
      // Clockwise on screen: the second node is to the right of the first.
      expect(pts[1]!.x).toBeGreaterThan(500)
      for (const p of pts) {
        expect(p.x - card.w / 2).toBeGreaterThanOrEqual(RING_PADDING - 0.1)
        expect(p.x + card.w / 2).toBeLessThanOrEqual(box.w - RING_PADDING + 0.1)
        expect(p.y - card.h / 2).toBeGreaterThanOrEqual(RING_PADDING - 0.1)
        expect(p.y + card.h / 2).toBeLessThanOrEqual(box.h - RING_PADDING + 0.1)
      }
    }
  })

  it('leaves no two cards overlapping at the sizes the map uses', () => {
    for (const n of [2, 3, 4, 5, 6, 7, 8, 9]) {
      const c = cardSizeFor(n)
      for (const w of [1000, 1400]) {
        const pts = ringPositions(n, { w, h: ringHeightFor(n) }, c)
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(overlap(pts[i]!, pts[j]!, c), `n=${n} w=${w} ${i}/${j}`).toBe(false)
      }
    }
  })
})

describe('linkSegment', () => {
  it('clips at the card edges, leaving the gap', () => {
    expect(edgeDistance(1, 0, card)).toBe(100)
    expect(edgeDistance(0, 1, card)).toBe(75)
    const s = linkSegment({ x: 100, y: 300 }, { x: 700, y: 300 }, card, 0, 10)
    expect(s).toMatchObject({ x1: 210, y1: 300, x2: 590, y2: 300, visible: true })
    expect(s.mid).toEqual({ x: 400, y: 300 })
    // The state mark sits a third of the way from the sender.
    expect(s.mark.x).toBeCloseTo(210 + 380 / 3, 0)
    const back = linkSegment({ x: 700, y: 300 }, { x: 100, y: 300 }, card, 0, 10)
    expect(Math.abs(back.mark.x - s.mark.x)).toBeGreaterThan(100)
  })

  it('draws the two directions of a pair on opposite sides', () => {
    const a = { x: 100, y: 300 }
    const b = { x: 700, y: 300 }
    const ab = linkSegment(a, b, card, 6, 0)
    const ba = linkSegment(b, a, card, 6, 0)
    // Travelling right, the right-hand side is down the screen.
    expect(ab.y1).toBe(306)
    expect(ba.y1).toBe(294)
    expect(ab.x2).toBeGreaterThan(ab.x1)
    expect(ba.x2).toBeLessThan(ba.x1)
  })

  it('draws nothing between cards that touch', () => {
    expect(linkSegment({ x: 0, y: 0 }, { x: 0, y: 0 }, card).visible).toBe(false)
    expect(linkSegment({ x: 0, y: 0 }, { x: 210, y: 0 }, card).visible).toBe(false)
  })
})

describe('hitBand', () => {
  it('is a band with height even around a horizontal link', () => {
    expect(hitBand({ x1: 0, y1: 10, x2: 100, y2: 10 }, 7)).toBe('0,17 100,17 100,3 0,3')
  })
})
