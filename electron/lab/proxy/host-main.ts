/**
 * The proxy host process: all link proxies of one lab run, driven over the IPC channel of
 * its parent (the lab). It exits when the lab goes away (the channel closes or the parent pid
 * disappears), so it can never outlive the lab.
 */
import type { FromHost, HostCalls, HostMethod, ToHost } from './host-protocol'
import { ProxySet } from './proxy-set'

export function runProxyHost(): void {
  const send = (m: FromHost): void => {
    if (process.connected) process.send?.(m)
  }
  const set = new ProxySet({ onEvent: (event) => send({ type: 'event', event }), onProblem: (what) => send({ type: 'problem', what }) })
  const handlers: { [M in HostMethod]: (...args: never[]) => unknown } = {
    addNodes: async (nodes: HostCalls['addNodes']['args'][0]) => {
      await set.addNodes(nodes)
      return Object.fromEntries(nodes.map((n) => [n.id, set.clientAddress(n.id)]))
    },
    removeNode: async (id: number) => {
      await set.removeNode(id)
      return null
    },
    setLink: (a: number, b: number, f: HostCalls['setLink']['args'][2]) => (set.setLink(a, b, f), null),
    setClientLink: (id: number, f: HostCalls['setClientLink']['args'][1]) => (set.setClientLink(id, f), null),
    cut: (links: HostCalls['cut']['args'][0], mode: 'blackhole' | 'reset') => (set.cut(links, mode), null),
    heal: (a: number, b: number) => (set.heal(a, b), null),
    healAll: () => (set.healAll(), null),
    links: () => set.links(),
    close: async () => {
      await set.close()
      setImmediate(() => process.exit(0))
      return null
    }
  }
  process.on('message', (raw: ToHost) => {
    const fn = handlers[raw.method] as ((...a: unknown[]) => unknown) | undefined
    if (!fn) return send({ type: 'result', id: raw.id, ok: false, error: `unknown method ${String(raw.method)}` })
    Promise.resolve()
      .then(() => fn(...raw.args))
      .then(
        (value) => send({ type: 'result', id: raw.id, ok: true, value }),
        (err: unknown) => send({ type: 'result', id: raw.id, ok: false, error: err instanceof Error ? err.message : String(err) })
      )
  })
  const quit = (): void => {
    void set.close().finally(() => process.exit(0))
  }
  process.on('disconnect', quit)
  process.on('SIGTERM', quit)
  const parent = Number(process.env.QUORUM_LAB_PARENT_PID)
  if (parent > 0) {
    setInterval(() => {
      try {
        process.kill(parent, 0)
      } catch {
        quit()
      }
    }, 1000).unref()
  }
  send({ type: 'ready', pid: process.pid })
}
