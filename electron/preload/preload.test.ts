import { describe, expect, it, vi } from 'vitest'
import { LAB_METHODS } from '../lab/api'

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, (...args: unknown[]) => void>()
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => fake.exposed.set(key, api)) },
  ipcRenderer: {
    invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } })),
    on: vi.fn((ch: string, fn: (...args: unknown[]) => void) => fake.listeners.set(ch, fn)),
    removeListener: vi.fn((ch: string) => fake.listeners.delete(ch))
  }
}))

describe('preload', () => {
  it('exposes exactly LabApi as window.lab, one invoke channel per method', async () => {
    await import('./index')
    expect([...fake.exposed.keys()]).toEqual(['lab'])
    const lab = fake.exposed.get('lab') as import('../lab/api').LabApi
    // One group per method prefix, one function per method: nothing more is exposed.
    const groups = [...new Set(LAB_METHODS.map((m) => m.split('.')[0]!))]
    expect(Object.keys(lab).sort()).toEqual([...groups, 'onEvents'].sort())
    const exposedMethods = groups.flatMap((g) => Object.keys((lab as unknown as Record<string, object>)[g]!).map((n) => `${g}.${n}`))
    expect(exposedMethods.sort()).toEqual([...LAB_METHODS].sort())
    expect(await lab.cluster.create({ size: 3 })).toEqual({ ok: true, value: { channel: 'lab:cluster.create', payload: { size: 3 } } })
    const { ipcRenderer } = await import('electron')
    await lab.node.crash({ nodeId: 2 })
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('lab:node.crash', { nodeId: 2 })
    expect(LAB_METHODS.length).toBeGreaterThan(0)
  })

  it('delivers event batches and unsubscribes', async () => {
    const lab = fake.exposed.get('lab') as import('../lab/api').LabApi
    const got: unknown[] = []
    const off = lab.onEvents((events) => got.push(...events))
    fake.listeners.get('lab:events')!({}, [{ type: 'cluster.state', state: 'running', seq: 1, ts: 1 }])
    expect(got).toHaveLength(1)
    off()
    expect(fake.listeners.has('lab:events')).toBe(false)
  })
})
