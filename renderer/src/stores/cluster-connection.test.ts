/** The store in web mode: connection state, reconnect resync. The lab client is mocked. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { useClusterStore } from './cluster'
import { fakeConnection } from '../testing/fake-connection'

const mocks = vi.hoisted(() => ({ lab: null as FakeLab | null, connection: null as unknown }))

vi.mock('../api/lab-client', () => ({
  getLab: () => mocks.lab!.api,
  getLabConnection: () => mocks.connection
}))

let lab: FakeLab

beforeEach(() => {
  setActivePinia(createPinia())
  lab = createFakeLab(runningCluster(3))
  mocks.lab = lab
})

afterEach(() => {
  useClusterStore().$dispose()
})

describe('cluster store in web mode', () => {
  it('mirrors the connection state and blocks actions while not open', async () => {
    const conn = fakeConnection('connecting')
    mocks.connection = conn
    const store = useClusterStore()
    const ready = store.init()
    expect(store.connectionMode).toBe('web')
    expect(store.connection).toBe('connecting')
    expect(store.connected).toBe(false)
    // First connect: not a "lost connection" yet.
    expect(store.connectionLost).toBe(false)
    conn.set('open')
    await ready
    expect(store.connected).toBe(true)
    expect(store.canStop).toBe(true)

    conn.set('closed')
    expect(store.connection).toBe('closed')
    expect(store.connectionLost).toBe(true)
    expect(store.canStop).toBe(false)
    conn.set('connecting')
    expect(store.connectionLost).toBe(true)
  })

  it('re-reads the cluster and clears a DISCONNECTED error when the socket comes back', async () => {
    const conn = fakeConnection('open')
    mocks.connection = conn
    const store = useClusterStore()
    await store.init()
    expect(lab.api.cluster.get).toHaveBeenCalledTimes(1)

    conn.set('closed')
    vi.mocked(lab.api.cluster.stop).mockResolvedValueOnce(failed('DISCONNECTED'))
    await store.stopCluster()
    expect(store.lastError?.code).toBe('DISCONNECTED')

    lab.cluster!.state = 'stopped'
    conn.set('connecting')
    conn.set('open')
    await vi.waitFor(() => expect(store.cluster?.state).toBe('stopped'))
    expect(lab.api.cluster.get).toHaveBeenCalledTimes(2)
    expect(store.lastError).toBeNull()
    expect(store.connectionLost).toBe(false)
  })

  it('keeps other errors across a reconnect', async () => {
    const conn = fakeConnection('open')
    mocks.connection = conn
    const store = useClusterStore()
    await store.init()
    vi.mocked(lab.api.node.crash).mockResolvedValueOnce(failed('NODE_NOT_FOUND'))
    await store.crashNode(9)
    conn.set('closed')
    conn.set('open')
    expect(store.lastError?.code).toBe('NODE_NOT_FOUND')
  })

  it('does not report a lost connection when there is no token (that is UNAUTHORIZED)', async () => {
    mocks.connection = fakeConnection('closed', false)
    vi.mocked(lab.api.cluster.get).mockResolvedValueOnce(failed('UNAUTHORIZED'))
    const store = useClusterStore()
    await store.init()
    expect(store.hasToken).toBe(false)
    expect(store.connectionLost).toBe(false)
    expect(store.lastError?.code).toBe('UNAUTHORIZED')
    expect(store.canStart).toBe(false)
  })
})
