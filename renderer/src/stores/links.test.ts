import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HEALTHY_LINK, ok } from '../../../electron/lab/api'
import { createFakeLab, failed, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
import { peerLinks } from '../testing/map-fixtures'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { useLinksStore } from './links'

let lab: FakeLab

async function setup() {
  lab = createFakeLab(runningCluster(3))
  vi.mocked(lab.api.link.list).mockResolvedValue(ok(peerLinks([1, 2, 3], { '1>2': { cut: 'blackhole' } })))
  window.lab = lab.api
  await useClusterStore().init()
  const links = useLinksStore()
  links.init()
  await vi.waitFor(() => expect(links.faultyCount).toBe(1))
  return links
}

beforeEach(() => setActivePinia(createPinia()))

afterEach(() => {
  useLinksStore().$dispose()
  useClusterStore().$dispose()
  useFeedStore().dispose()
  delete window.lab
})

describe('links store', () => {
  it('loads the links of a running cluster', async () => {
    const links = await setup()
    expect(lab.api.link.list).toHaveBeenCalled()
    expect(links.stateOf(1, 2)).toBe('cut')
    expect(links.stateOf(2, 1)).toBe('ok')
    expect(links.faultOf(2, 1)).toEqual(HEALTHY_LINK)
    expect(links.cutCount).toBe(1)
  })

  it('follows link.fault and link.healed events', async () => {
    const links = await setup()
    lab.emit(
      stamp({ type: 'link.fault', kind: 'peer', from: 2, to: 3, fault: { ...HEALTHY_LINK, delayMs: 200, jitterMs: 50 } }),
      stamp({ type: 'link.healed', kind: 'peer', from: 1, to: 2 })
    )
    expect(links.stateOf(2, 3)).toBe('delayed')
    expect(links.faultOf(2, 3).jitterMs).toBe(50)
    expect(links.stateOf(1, 2)).toBe('ok')
  })

  it('cuts, shapes and heals one direction, taking the answer as the truth', async () => {
    const links = await setup()
    vi.mocked(lab.api.link.set).mockResolvedValueOnce(ok(peerLinks([1, 2, 3], { '3>1': { dropPct: 20 } })))
    await expect(links.setLink(3, 1, { dropPct: 20 })).resolves.toBe(true)
    expect(lab.api.link.set).toHaveBeenCalledWith({ from: 3, to: 1, fault: { dropPct: 20 } })
    expect(links.stateOf(3, 1)).toBe('lossy')
    expect(links.stateOf(1, 2)).toBe('ok')
    vi.mocked(lab.api.link.heal).mockResolvedValueOnce(ok(peerLinks([1, 2, 3])))
    await links.heal(3, 1)
    expect(lab.api.link.heal).toHaveBeenCalledWith({ from: 3, to: 1 })
    expect(links.faultyCount).toBe(0)
  })

  it('runs presets and heal all, and reports a refusal', async () => {
    const links = await setup()
    vi.mocked(lab.api.link.preset).mockResolvedValueOnce(failed('NO_LEADER', 'there is no leader to isolate right now'))
    await expect(links.preset({ preset: 'isolateLeader' })).resolves.toBe(false)
    expect(useClusterStore().lastError?.code).toBe('NO_LEADER')
    vi.mocked(lab.api.link.preset).mockResolvedValueOnce(ok(peerLinks([1, 2, 3], { '3>1': { cut: 'blackhole' }, '1>3': { cut: 'blackhole' }, '3>2': { cut: 'blackhole' }, '2>3': { cut: 'blackhole' } })))
    await links.preset({ preset: 'isolate', nodeId: 3 })
    expect(useClusterStore().lastError).toBeNull()
    expect(links.cutCount).toBe(4)
    await links.healAll()
    expect(lab.api.link.healAll).toHaveBeenCalled()
    expect(links.faultyCount).toBe(0)
  })

  it('drops everything for a new run and on a feed reset', async () => {
    const links = await setup()
    lab.emit(stamp({ type: 'cluster.created', cluster: runningCluster(3, 1, 'run-2') }))
    expect(links.faultyCount).toBe(0)
    lab.emit(stamp({ type: 'link.fault', kind: 'peer', from: 2, to: 3, fault: { ...HEALTHY_LINK, cut: 'reset' } }))
    useFeedStore().beginReplay(1)
    expect(links.faultyCount).toBe(0)
  })
})
