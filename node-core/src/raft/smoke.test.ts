import { expect, it } from 'vitest'
import { createRng } from './rand'
import { RawNode } from './raw-node'
import { MemoryStorage } from './storage'
import type { Message } from './types'

it('three nodes elect a leader and commit a proposal', () => {
  const storages = [1, 2, 3].map(() => new MemoryStorage())
  const nodes = [1, 2, 3].map((id, i) => {
    const n = new RawNode({ id, storage: storages[i]!, rng: createRng(id) })
    n.bootstrap([1, 2, 3])
    return n
  })
  const inbox: Message[] = []
  const pump = (): void => {
    for (let round = 0; round < 100; round++) {
      let any = false
      nodes.forEach((n, i) => {
        while (n.hasReady()) {
          any = true
          const rd = n.ready()
          const st = storages[i]!
          if (rd.snapshot) st.applySnapshot(rd.snapshot)
          st.append(rd.entries)
          if (rd.hardState) st.setHardState(rd.hardState)
          inbox.push(...rd.messages)
          n.advance()
        }
      })
      while (inbox.length) {
        any = true
        const m = inbox.shift()!
        nodes[m.to - 1]!.step(m)
      }
      if (!any) return
    }
  }
  pump()
  expect(nodes[0]!.campaign()).toEqual({ ok: true })
  pump()
  expect(nodes.map((n) => n.status().role)).toEqual(['leader', 'follower', 'follower'])
  const enc = new TextEncoder()
  expect(nodes[1]!.propose(enc.encode('hello'))).toEqual({ ok: true })
  pump()
  for (const n of nodes) expect(n.status().commit).toBe(5)
  for (const n of nodes) expect(n.status().applied).toBe(5)
})
