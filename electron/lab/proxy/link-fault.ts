/**
 * What a faulty link does to one message. Pure: the proxies hand in a seeded random source,
 * so a test can replay exactly which frames were dropped or duplicated.
 */
import { HEALTHY_LINK, type LinkFault } from '../api'

export type FrameAction = { action: 'pass' | 'drop' | 'hold'; copies: 1 | 2; delayMs: number }

/** A partial fault with the missing fields healthy. */
export function normalizeFault(f: Partial<LinkFault>): LinkFault {
  return { ...HEALTHY_LINK, ...f }
}

export const isHealthy = (f: LinkFault): boolean => f.cut === 'none' && f.delayMs === 0 && f.jitterMs === 0 && f.dropPct === 0 && f.dupPct === 0

/**
 * The fate of one frame. A `hello` (the handshake that opens a connection) is never dropped or
 * duplicated, only cut or delayed: losing it would only make the link reconnect after a
 * timeout, which is a different fault (a flapping connection) than the one asked for.
 */
export function decideFrame(f: LinkFault, rand: () => number, isHello: boolean): FrameAction {
  if (f.cut === 'blackhole') return { action: 'hold', copies: 1, delayMs: 0 }
  const delayMs = f.delayMs + (f.jitterMs > 0 ? rand() * f.jitterMs : 0)
  if (isHello) return { action: 'pass', copies: 1, delayMs }
  if (f.dropPct > 0 && rand() * 100 < f.dropPct) return { action: 'drop', copies: 1, delayMs: 0 }
  const copies = f.dupPct > 0 && rand() * 100 < f.dupPct ? 2 : 1
  return { action: 'pass', copies, delayMs }
}

export { seededRandom } from '../random'
