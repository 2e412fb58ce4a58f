import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeFrame, FrameDecoder } from '../../../node-core/src/protocol/frame'
import { normalizeFault } from './link-fault'
import { PeerProxy } from './peer-proxy'

// A real sender → proxy → receiver over loopback TCP, with hand-made frames.

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c()
})

async function rig(): Promise<{ proxy: PeerProxy; send: (bytes: Uint8Array) => void; got: string[]; sender: Socket }> {
  const got: string[] = []
  const server: Server = createServer((s) => {
    const d = new FrameDecoder()
    s.on('data', (c) => {
      for (const f of d.push(c)) got.push(`${f.header.type}:${Buffer.from(f.payload).toString()}`)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const proxy = new PeerProxy({ from: 1, to: 2, target: { host: '127.0.0.1', port: (server.address() as { port: number }).port } })
  const port = await proxy.listen()
  const sender = connect(port, '127.0.0.1')
  await new Promise<void>((r) => sender.once('connect', () => r()))
  cleanup.push(async () => {
    sender.destroy()
    await proxy.close()
    await new Promise<void>((r) => server.close(() => r()))
  })
  return { proxy, send: (b) => sender.write(b), got, sender }
}

const frame = (p: string, type: 'raft' | 'hello' = 'raft'): Uint8Array => encodeFrame(type, 1, 2, Buffer.from(p))
const until = async (what: string, ok: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5000
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('PeerProxy', () => {
  it('passes frames intact when chunks split them anywhere, and counts them', async () => {
    const { proxy, send, got } = await rig()
    const bytes = Buffer.concat([frame('hello', 'hello'), frame('a'), frame('bb'), frame('ccc')].map((f) => Buffer.from(f)))
    for (let i = 0; i < bytes.length; i += 7) send(bytes.subarray(i, i + 7))
    await until('4 frames', () => got.length === 4)
    expect(got).toEqual(['hello:hello', 'raft:a', 'raft:bb', 'raft:ccc'])
    expect(proxy.stats().passed).toBe(4)
  })

  it('switching to a fault mid-frame finishes that frame, then judges every next one', async () => {
    const { proxy, send, got } = await rig()
    const f1 = Buffer.from(frame('first-frame'))
    send(f1.subarray(0, 30))
    await until('bytes to arrive at the proxy', () => proxy.stats().bytes >= 30)
    proxy.setFault(normalizeFault({ dropPct: 100 }))
    send(Buffer.concat([f1.subarray(30), Buffer.from(frame('dropped')), Buffer.from(frame('hi', 'hello'))]))
    await until('the hello to pass', () => got.length === 2)
    expect(got).toEqual(['raft:first-frame', 'hello:hi'])
    expect(proxy.stats().dropped).toBe(1)
  })

  it('holds frames in a black hole and releases them in order on heal; delay keeps order', async () => {
    const { proxy, send, got } = await rig()
    proxy.setFault(normalizeFault({ cut: 'blackhole' }))
    for (const p of ['1', '2', '3']) send(frame(p))
    await until('3 held', () => proxy.stats().held === 3)
    expect(got).toEqual([])
    proxy.setFault(normalizeFault({ delayMs: 30, jitterMs: 20 }))
    for (const p of ['4', '5']) send(frame(p))
    await until('5 delivered', () => got.length === 5)
    expect(got).toEqual(['raft:1', 'raft:2', 'raft:3', 'raft:4', 'raft:5'])
  })

  it('duplicates, resets, and closes a connection that sends garbage', async () => {
    const { proxy, send, got, sender } = await rig()
    proxy.setFault(normalizeFault({ dupPct: 100 }))
    send(frame('twice'))
    await until('two copies', () => got.length === 2)
    expect(proxy.stats().duplicated).toBe(1)
    proxy.setFault(normalizeFault({ cut: 'none' }))
    send(Buffer.from('this is not a frame at all, not even close'))
    await until('the proxy to close the connection', () => sender.destroyed || sender.readableEnded)
    expect(proxy.malformed).toBe(1)
    proxy.setFault(normalizeFault({ cut: 'reset' }))
    const again = connect(proxy.listenPort, '127.0.0.1')
    await new Promise<void>((r) => again.once('close', () => r()))
    expect(proxy.stats().connections).toBe(0)
  })
})
