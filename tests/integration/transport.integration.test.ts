// The peer transport on real sockets on 127.0.0.1: message exchange in both directions, one-way
// links (a cut a→b proxy stops only a's traffic), the cluster secret, malformed input, peer
// restarts, live re-routing through the routing file, a 20 MiB chunked snapshot and the queue
// bound. Every wait polls with a deadline; nothing sleeps to wait.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { allocateNodePorts } from '../../electron/lab/cluster/ports'
import { encodeFrame } from '../../node-core/src/protocol/frame'
import { nodeIdOf } from '../../node-core/src/protocol/node-id'
import { encodeMessage } from '../../node-core/src/protocol/raft-codec'
import { emptyMessage, type Message, type MessageType, type NodeId } from '../../node-core/src/raft/types'
import {
  PeerTransport,
  deriveHelloKey,
  encodeHello,
  type PeerTransportOptions,
  type TransportLogRecord
} from '../../node-core/src/transport'
import { waitFor } from '../support/wait'

const SECRET = 'integration-cluster-secret'

// ---- fixtures ----------------------------------------------------------------------------

interface TestNode {
  id: NodeId
  address: string
  raftPort: number
  transport: PeerTransport
  messages: Message[]
  logs: TransportLogRecord[]
  unreachable: NodeId[]
  snapshotStatus: Array<[NodeId, boolean]>
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c()
    } catch {
      // Keep cleaning up the rest.
    }
  }
})

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'quorum-transport-it-'))
  cleanups.push(() => rm(d, { recursive: true, force: true }))
  return d
}

/** Member address (as in cluster.conf) and id for an HTTP port; the transport listens on port − 1000. */
const member = (httpPort: number): { address: string; id: NodeId; raftPort: number } => {
  const address = `127.0.0.1:${httpPort}`
  return { address, id: nodeIdOf(address), raftPort: httpPort - 1000 }
}

async function startNode(httpPort: number, peers: number[], extra: Partial<PeerTransportOptions> = {}): Promise<TestNode> {
  const me = member(httpPort)
  const node: TestNode = { ...me, transport: undefined as unknown as PeerTransport, messages: [], logs: [], unreachable: [], snapshotStatus: [] }
  node.transport = new PeerTransport({
    selfId: me.id,
    selfAddress: me.address,
    listenPort: me.raftPort,
    secret: SECRET,
    peers: new Map(peers.map((p) => [member(p).id, member(p).address])),
    logger: (r) => node.logs.push(r),
    onMessage: (m) => node.messages.push(m),
    onUnreachable: (id) => node.unreachable.push(id),
    onSnapshotStatus: (id, ok) => node.snapshotStatus.push([id, ok]),
    backoff: { initialMs: 20, maxMs: 200 },
    routingPollMs: 100,
    ...extra
  })
  cleanups.push(() => node.transport.close())
  await node.transport.start()
  return node
}

/** A message whose `commit` field is a marker the test looks for. */
const msg = (from: TestNode, to: TestNode, marker: number, type: MessageType = 'MsgHeartbeat'): Message => ({
  ...emptyMessage(type, from.id, to.id, 1),
  commit: marker
})

const hasMarker = (n: TestNode, from: TestNode, marker: number): boolean =>
  n.messages.some((m) => m.from === from.id && m.commit === marker)

const peerStats = (n: TestNode, peer: TestNode) => n.transport.stats().peers.find((p) => p.id === peer.id)!

const logged = (n: TestNode, pred: (r: TransportLogRecord) => boolean): TransportLogRecord | undefined => n.logs.find(pred)

/**
 * A tiny TCP proxy standing in for the lab's link proxy. `cut()` black-holes the forward
 * direction (bytes are held, connections stay open); `heal()` releases them in order.
 * `cut('stall')` instead stops reading, so the sender's socket buffers really fill up.
 */
class TestProxy {
  forwarded = 0
  /** Bytes that came back from the upstream (a listener must never send any). */
  backward = 0
  held = 0
  connections = 0
  private cutting = false
  private stalled = false
  private readonly clients = new Set<Socket>()
  private pending: Array<{ upstream: Socket; data: Buffer }> = []
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly server: Server,
    readonly port: number
  ) {}

  static async start(target: { host: string; port: number }): Promise<TestProxy> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
    const addr = server.address()
    const proxy = new TestProxy(server, typeof addr === 'object' && addr ? addr.port : 0)
    server.on('connection', (client) => proxy.onConnection(client, target))
    cleanups.push(() => proxy.close())
    return proxy
  }

  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  cut(mode: 'hold' | 'stall' = 'hold'): void {
    if (mode === 'stall') {
      this.stalled = true
      for (const c of this.clients) c.pause()
    } else {
      this.cutting = true
    }
  }

  heal(): void {
    this.stalled = false
    for (const c of this.clients) c.resume()
    this.cutting = false
    for (const { upstream, data } of this.pending.splice(0)) {
      this.forwarded += data.length
      upstream.write(data)
    }
    this.held = 0
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private onConnection(client: Socket, target: { host: string; port: number }): void {
    this.connections++
    const upstream = connect(target)
    this.sockets.add(client).add(upstream)
    this.clients.add(client)
    if (this.stalled) client.pause()
    client.on('data', (data: Buffer) => {
      if (this.cutting) {
        this.pending.push({ upstream, data })
        this.held += data.length
      } else {
        this.forwarded += data.length
        upstream.write(data)
      }
    })
    upstream.on('data', (data: Buffer) => {
      this.backward += data.length
      client.write(data)
    })
    const end = (): void => {
      client.destroy()
      upstream.destroy()
      this.sockets.delete(client)
      this.sockets.delete(upstream)
      this.clients.delete(client)
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  }
}

/** Write the routing file the way the lab should: a temp file renamed over it. */
async function writeRoutes(file: string, routes: Record<string, string>): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(routes))
  await rename(`${file}.tmp`, file)
}

/** A raw client socket to a transport's port, recording whether it was closed. */
async function rawConnect(port: number): Promise<{ socket: Socket; closed: () => boolean; received: () => number }> {
  const socket = connect({ host: '127.0.0.1', port })
  let closed = false
  let received = 0
  socket.on('error', () => {})
  socket.on('close', () => (closed = true))
  socket.on('data', (d: Buffer) => (received += d.length))
  cleanups.push(() => {
    socket.destroy()
  })
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  return { socket, closed: () => closed, received: () => received }
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

// ---- tests ---------------------------------------------------------------------------------

describe('peer transport on real sockets', () => {
  it('two transports exchange messages in both directions, each on its own outbound link', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const a = await startNode(pa!, [pb!])
    const b = await startNode(pb!, [pa!])
    for (let i = 1; i <= 20; i++) {
      a.transport.send(msg(a, b, i, 'MsgApp'))
      b.transport.send(msg(b, a, 100 + i, 'MsgAppResp'))
    }
    await waitFor('b to receive 20 messages from a', () => b.messages.length === 20)
    await waitFor('a to receive 20 messages from b', () => a.messages.length === 20)
    // In order, intact, typed.
    expect(b.messages.map((m) => m.commit)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(b.messages.every((m) => m.type === 'MsgApp' && m.from === a.id && m.to === b.id)).toBe(true)
    expect(a.messages.map((m) => m.commit)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i))

    const sa = peerStats(a, b)
    expect(sa.state).toBe('connected')
    expect(sa.connects).toBe(1)
    expect(sa.framesSent).toBe(21) // hello + 20
    expect(sa.received.messagesReceived).toBe(20)
    expect(sa.received.framesReceived).toBe(21)
    expect(sa.received.inboundConnections).toBe(1)
    expect(a.transport.stats().inbound.accepted).toBe(1)
    expect(logged(b, (r) => r.msg === 'accepted peer' && r.fields.peer === a.id && r.fields.peerAddress === a.address)).toBeDefined()
  })

  it('three transports: every node reaches every other', async () => {
    const ports = await allocateNodePorts(3)
    const nodes = await Promise.all(ports.map((p) => startNode(p, ports.filter((q) => q !== p))))
    for (const from of nodes) for (const to of nodes) if (from !== to) from.transport.send(msg(from, to, from.raftPort))
    for (const to of nodes) {
      for (const from of nodes) {
        if (from !== to) await waitFor(`${from.address} → ${to.address}`, () => hasMarker(to, from, from.raftPort))
      }
    }
    for (const n of nodes) expect(n.messages).toHaveLength(2)
  })

  it('one-way: cutting the a→b proxy stops a→b while b→a keeps flowing; nothing is ever written back on an inbound link', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const dir = await tempDir()
    const routes = join(dir, 'routes.json')
    const proxy = await TestProxy.start({ host: '127.0.0.1', port: member(pb!).raftPort })
    await writeRoutes(routes, { [member(pb!).address]: proxy.address })
    const a = await startNode(pa!, [pb!], { routingFile: routes })
    const b = await startNode(pb!, [pa!])
    expect(peerStats(a, b)).toMatchObject({ target: proxy.address, routed: true })

    a.transport.send(msg(a, b, 1))
    await waitFor('a→b through the proxy', () => hasMarker(b, a, 1))
    expect(proxy.forwarded).toBeGreaterThan(0)

    proxy.cut()
    a.transport.send(msg(a, b, 2))
    await waitFor('the proxy to hold a→b bytes', () => proxy.held > 0)
    b.transport.send(msg(b, a, 3))
    await waitFor('b→a while a→b is cut', () => hasMarker(a, b, 3))
    expect(hasMarker(b, a, 2)).toBe(false)
    // The cut link stays up (black hole), so a still counts itself connected.
    expect(peerStats(a, b).state).toBe('connected')

    proxy.heal()
    await waitFor('a→b after heal', () => hasMarker(b, a, 2))
    // b answered only on its own outbound link: not one byte came back through a's proxy.
    expect(proxy.backward).toBe(0)
  })

  it('refuses and logs a peer with the wrong secret, and keeps serving the others', async () => {
    const [pa, pb, pc] = await allocateNodePorts(3)
    const b = await startNode(pb!, [pa!, pc!])
    const a = await startNode(pa!, [pb!])
    const c = await startNode(pc!, [pb!], { secret: 'not-the-cluster-secret' })
    c.transport.send(msg(c, b, 66))
    const refused = await waitFor('b to log the refusal', () => logged(b, (r) => r.msg === 'refused peer: bad cluster secret'))
    expect(refused.level).toBe('warn')
    expect(refused.fields).toMatchObject({ code: 'BAD_SECRET', claimedFrom: c.id })
    expect(refused.fields.remote).toMatch(/^127\.0\.0\.1:\d+$/)
    // The dialer cannot be told why (one-way), but it recognises the pattern of a refusal.
    await waitFor('c to warn about being refused', () => logged(c, (r) => r.level === 'warn' && /probably refusing it/.test(r.msg)))

    a.transport.send(msg(a, b, 7))
    await waitFor('a→b still delivered', () => hasMarker(b, a, 7))
    expect(b.messages.some((m) => m.from === c.id)).toBe(false)
    expect(b.transport.stats().inbound.closed.BAD_SECRET).toBeGreaterThanOrEqual(1)
    expect(b.transport.stats().strangers).toEqual([])
  })

  it('garbage, a frame before hello, an oversized frame and a forged sender each close only their connection', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const b = await startNode(pb!, [pa!])
    const a = await startNode(pa!, [pb!])
    a.transport.send(msg(a, b, 1))
    await waitFor('a→b before the attacks', () => hasMarker(b, a, 1))
    const port = member(pb!).raftPort
    const key = deriveHelloKey(SECRET)
    const stranger = nodeIdOf('127.0.0.1:39999')
    const validHello = (): Uint8Array =>
      encodeFrame('hello', stranger, b.id, encodeHello({ key, from: stranger, to: b.id, address: '127.0.0.1:39999', nowMs: Date.now() }))

    const cases: Array<{ name: string; bytes: () => Uint8Array; code: string }> = [
      { name: 'garbage bytes', bytes: () => new TextEncoder().encode('GET / HTTP/1.1\r\nHost: raft\r\n\r\n'), code: 'HELLO_MISSING' },
      { name: 'a raft frame before hello', bytes: () => encodeFrame('raft', a.id, b.id, encodeMessage(msg(a, b, 99))), code: 'HELLO_MISSING' },
      {
        name: 'an oversized length after a valid hello',
        bytes: () => {
          const big = encodeFrame('raft', stranger, b.id, new Uint8Array(0))
          new DataView(big.buffer).setUint32(20, 64 * 1024 * 1024)
          return Uint8Array.from([...validHello(), ...big])
        },
        code: 'FRAME_TOO_LARGE'
      },
      {
        name: 'a frame claiming another sender after a valid hello',
        bytes: () => Uint8Array.from([...validHello(), ...encodeFrame('raft', a.id, b.id, encodeMessage(msg(a, b, 98)))]),
        code: 'WRONG_SENDER'
      }
    ]
    for (const c of cases) {
      const raw = await rawConnect(port)
      raw.socket.write(c.bytes())
      await waitFor(`b to close the connection that sent ${c.name}`, () => raw.closed())
      expect(raw.received(), c.name).toBe(0)
      const line = await waitFor(`b to log ${c.code}`, () => logged(b, (r) => r.fields.code === c.code))
      expect(line.fields.remote).toMatch(/^127\.0\.0\.1:\d+$/)
    }
    expect(b.messages.some((m) => m.commit === 99 || m.commit === 98)).toBe(false)

    a.transport.send(msg(a, b, 2))
    b.transport.send(msg(b, a, 3))
    await waitFor('a→b after the attacks', () => hasMarker(b, a, 2))
    await waitFor('b→a after the attacks', () => hasMarker(a, b, 3))
    expect(b.transport.stats().inbound.closed).toMatchObject({ HELLO_MISSING: 2, FRAME_TOO_LARGE: 1, WRONG_SENDER: 1 })
  })

  it('closes a connection that never says hello, after the handshake timeout', async () => {
    const [pb] = await allocateNodePorts(1)
    const b = await startNode(pb!, [], { handshakeTimeoutMs: 200 })
    const raw = await rawConnect(member(pb!).raftPort)
    raw.socket.write(Uint8Array.of(1, 4)) // two bytes of a header, then silence
    await waitFor('the silent connection to be closed', () => raw.closed())
    expect(logged(b, (r) => r.msg === 'refused peer: no hello in time')?.fields.code).toBe('HANDSHAKE_TIMEOUT')
  })

  it('reconnects after a peer restart and delivers what was queued meanwhile', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const a = await startNode(pa!, [pb!])
    let b = await startNode(pb!, [pa!])
    a.transport.send(msg(a, b, 1))
    await waitFor('first delivery', () => hasMarker(b, a, 1))

    await b.transport.close()
    await waitFor('a to report b unreachable', () => a.unreachable.includes(b.id))
    a.transport.send(msg(a, b, 2))
    a.transport.send(msg(a, b, 3))

    b = await startNode(pb!, [pa!])
    await waitFor('queued messages after the restart', () => hasMarker(b, a, 2) && hasMarker(b, a, 3))
    expect(b.messages.filter((m) => m.from === a.id).map((m) => m.commit)).toEqual([2, 3])
    b.transport.send(msg(b, a, 4))
    await waitFor('b→a from the restarted b', () => hasMarker(a, b, 4))
    const s = peerStats(a, b)
    expect(s.reconnects).toBeGreaterThanOrEqual(1)
    expect(s.disconnects).toBeGreaterThanOrEqual(1)
    expect(logged(a, (r) => r.msg === 'lost connection to peer' && r.fields.peer === b.id)).toBeDefined()
  })

  it('a peer that connects to us is dialled back at once, not after the rest of a long backoff', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    // a's backoff is long: without the redial, a would not reach the restarted b for ~20 s.
    const a = await startNode(pa!, [pb!], { backoff: { initialMs: 20_000, maxMs: 40_000 } })
    let b = await startNode(pb!, [pa!])
    a.transport.send(msg(a, b, 1))
    await waitFor('first delivery', () => hasMarker(b, a, 1))
    await b.transport.close()
    await waitFor('a waiting out its backoff', () => peerStats(a, b).state === 'backoff')
    a.transport.send(msg(a, b, 2))
    b = await startNode(pb!, [pa!])
    b.transport.send(msg(b, a, 3))
    await waitFor('b→a (b dials a)', () => hasMarker(a, b, 3))
    await waitFor('a→b on a redial triggered by b\'s hello', () => hasMarker(b, a, 2), { timeoutMs: 5_000 })
  })

  it('re-routes live when the routing file changes, and back when it goes away', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const dir = await tempDir()
    const routes = join(dir, 'routes.json')
    const a = await startNode(pa!, [pb!], { routingFile: routes })
    const b = await startNode(pb!, [pa!])
    a.transport.send(msg(a, b, 1))
    await waitFor('direct delivery', () => hasMarker(b, a, 1))
    expect(peerStats(a, b)).toMatchObject({ routed: false, target: `127.0.0.1:${member(pb!).raftPort}` })

    const proxy = await TestProxy.start({ host: '127.0.0.1', port: member(pb!).raftPort })
    await writeRoutes(routes, { [member(pb!).address]: proxy.address })
    await waitFor('a to dial the proxy', () => peerStats(a, b).target === proxy.address && proxy.connections > 0)
    // Prove the traffic now goes through the proxy: cut it and the message waits there.
    proxy.cut()
    a.transport.send(msg(a, b, 2))
    await waitFor('the proxy to hold the message', () => proxy.held > 0)
    expect(hasMarker(b, a, 2)).toBe(false)
    proxy.heal()
    await waitFor('delivery through the proxy', () => hasMarker(b, a, 2))

    await unlink(routes)
    await waitFor('a to dial b directly again', () => peerStats(a, b).routed === false)
    proxy.cut()
    a.transport.send(msg(a, b, 3))
    await waitFor('direct delivery with the proxy cut', () => hasMarker(b, a, 3))
  })

  it('streams a 20 MiB snapshot in chunks, intact, with heartbeats alongside, and reports success', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const a = await startNode(pa!, [pb!])
    const b = await startNode(pb!, [pa!])
    const data = new Uint8Array(randomBytes(20 * 1024 * 1024))
    const snap: Message = {
      ...emptyMessage('MsgSnap', a.id, b.id, 7),
      snapshot: { metadata: { index: 12_345, term: 6, confState: { voters: [a.id, b.id], learners: [] } }, data }
    }
    a.transport.send(snap)
    for (let i = 1; i <= 5; i++) a.transport.send(msg(a, b, i))
    const got = await waitFor('the snapshot at b', () => b.messages.find((m) => m.type === 'MsgSnap'), { timeoutMs: 30_000 })
    expect(got.snapshot!.metadata).toEqual({ index: 12_345, term: 6, confState: { voters: [a.id, b.id], learners: [] } })
    expect(got.snapshot!.data.length).toBe(data.length)
    expect(sha256(got.snapshot!.data)).toBe(sha256(data))
    expect(got.term).toBe(7)
    await waitFor('onSnapshotStatus(b, true)', () => a.snapshotStatus.some(([id, ok]) => id === b.id && ok))
    expect(a.snapshotStatus).toEqual([[b.id, true]])
    for (let i = 1; i <= 5; i++) expect(hasMarker(b, a, i)).toBe(true)
    // 1 meta + 20 data chunks of 1 MiB.
    expect(peerStats(a, b).snapshotChunksSent).toBe(21)
    expect(peerStats(b, a).received).toMatchObject({ snapshotChunksReceived: 21, snapshotsReceived: 1 })
  })

  it('reports a snapshot for an unreachable peer as failed', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const a = await startNode(pa!, [pb!]) // b never starts
    const b = member(pb!)
    a.transport.send({
      ...emptyMessage('MsgSnap', a.id, b.id, 2),
      snapshot: { metadata: { index: 10, term: 2, confState: { voters: [a.id, b.id], learners: [] } }, data: new Uint8Array(1000) }
    })
    await waitFor('onSnapshotStatus(b, false)', () => a.snapshotStatus.some(([id, ok]) => id === b.id && !ok))
    expect(a.unreachable).toContain(b.id)
  })

  it('bounds the queue of an unreachable peer: drops the oldest, counts them, delivers the newest', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const a = await startNode(pa!, [pb!], { maxQueuedMessages: 10 })
    const target = { ...member(pb!) } as unknown as TestNode
    await waitFor('a to find b unreachable', () => a.unreachable.includes(target.id))
    for (let i = 1; i <= 25; i++) a.transport.send(msg(a, target, i))
    const s = peerStats(a, target)
    expect(s.queued).toBe(10)
    expect(s.dropped['queue-full']).toBe(15)
    expect(a.transport.stats().dropped['queue-full']).toBe(15)
    expect(logged(a, (r) => r.msg.includes('queue is full'))).toBeDefined()

    const b = await startNode(pb!, [pa!])
    await waitFor('the 10 newest messages at b', () => b.messages.length === 10)
    expect(b.messages.map((m) => m.commit)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25])
    expect(peerStats(a, b).queued).toBe(0)
  })

  it('bounds memory for a connected peer that stops reading: drops the oldest as backpressure', async () => {
    const [pa, pb] = await allocateNodePorts(2)
    const dir = await tempDir()
    const routes = join(dir, 'routes.json')
    const proxy = await TestProxy.start({ host: '127.0.0.1', port: member(pb!).raftPort })
    await writeRoutes(routes, { [member(pb!).address]: proxy.address })
    const maxQueuedBytes = 2 * 1024 * 1024
    const a = await startNode(pa!, [pb!], { routingFile: routes, maxQueuedMessages: 50, maxQueuedBytes, socketBufferBytes: 64 * 1024 })
    const b = await startNode(pb!, [pa!])
    a.transport.send(msg(a, b, 1))
    await waitFor('a→b before the stall', () => hasMarker(b, a, 1))

    proxy.cut('stall')
    const entry = new Uint8Array(64 * 1024)
    let marker = 1
    // Keep sending until the kernel buffers, the socket bound and the queue are all full and
    // drops begin; between rounds the event loop runs so the socket can show it is stuck.
    await waitFor(
      'backpressure drops',
      async () => {
        for (let i = 0; i < 20; i++) {
          a.transport.send({ ...msg(a, b, ++marker, 'MsgApp'), entries: [{ index: marker, term: 1, type: 'normal', data: entry }] })
        }
        await new Promise((r) => setImmediate(r))
        return peerStats(a, b).dropped.backpressure > 0
      },
      { timeoutMs: 30_000, intervalMs: 1 }
    )
    const s = peerStats(a, b)
    expect(s.state).toBe('connected')
    expect(s.queued).toBeLessThanOrEqual(50)
    expect(s.queuedBytes).toBeLessThanOrEqual(maxQueuedBytes)
    expect(s.dropped['queue-full']).toBe(0)
    expect(logged(a, (r) => r.msg === 'peer is not draining; dropping oldest messages')).toBeDefined()

    proxy.heal()
    await waitFor('the newest message after the stall', () => hasMarker(b, a, marker), { timeoutMs: 30_000 })
  })

  it('follows peer set changes at runtime', async () => {
    const [pa, pb, pc] = await allocateNodePorts(3)
    const a = await startNode(pa!, [])
    const b = await startNode(pb!, [pa!])
    const c = await startNode(pc!, [pa!])
    a.transport.send(msg(a, b, 1))
    expect(a.transport.stats().dropped['unknown-peer']).toBe(1)

    a.transport.setPeers(new Map([[b.id, b.address], [c.id, c.address]]))
    a.transport.send(msg(a, b, 2))
    a.transport.send(msg(a, c, 3))
    await waitFor('a→b after adding b', () => hasMarker(b, a, 2))
    await waitFor('a→c after adding c', () => hasMarker(c, a, 3))

    a.transport.setPeers(new Map([[c.id, c.address]]))
    expect(a.transport.stats().peers.map((p) => p.id)).toEqual([c.id])
    a.transport.send(msg(a, b, 4))
    expect(a.transport.stats().dropped['unknown-peer']).toBe(2)
    expect(() => a.transport.setPeers(new Map([[b.id, 'not-an-address']]))).toThrow(/member address/)
    expect(a.transport.stats().peers.map((p) => p.id)).toEqual([c.id])
  })
})
