/**
 * PeerTransport: the Raft peer transport of a node-core process. See README.md in this folder
 * for the wire format and the decisions behind it.
 *
 * Shape of the traffic (ARCHITECTURE.md, "One-way messages"):
 *
 *     a ──(a's outbound link: a writes, b reads)──▶ b
 *     a ◀──(b's outbound link: b writes, a reads)── b
 *
 * Every node dials every peer and writes only on its own outbound connection; it never writes
 * a single byte on a connection it accepted. A response is just another message on the
 * responder's own link. So the lab's proxy for a→b controls exactly what a says to b, and
 * cutting a→b while b→a works is a real one-way partition.
 *
 * Failure policy: nothing a peer sends can throw out of this class. A malformed or
 * unauthenticated inbound connection is logged (with the remote address) and closed; the
 * listener keeps serving everybody else. Owner callbacks that fail are logged and swallowed.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { encodeFrame } from '../protocol/frame'
import { encodeMessage } from '../protocol/raft-codec'
import { LOCAL_MESSAGES, type Message, type NodeId } from '../raft/types'
import { DEFAULT_BACKOFF, checkBackoffPolicy, type BackoffPolicy } from './backoff'
import { REFUSAL_CODES, TransportError, describeError, type ProtocolViolation, type ProtocolViolationCode } from './errors'
import { DEFAULT_HELLO_WINDOW_MS, HelloVerifier, MAX_HELLO_ADDRESS_BYTES, deriveHelloKey } from './handshake'
import { noopLogger, safely, type DropReason, type TransportLogLevel, type TransportLogger, type TransportMetrics } from './hooks'
import { InboundSession, type InboundEvent } from './inbound-session'
import { PeerLink, emptyDropCounts, type LinkState, type PeerLinkConfig, type PeerLinkStats } from './peer-link'
import { EMPTY_ROUTES, resolveTarget, splitHostPort, type RoutingTable } from './routing-table'
import { RoutingWatcher } from './routing-watcher'
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_SNAPSHOT_BYTES, MAX_CHUNK_BODY } from './snapshot-chunks'

export interface PeerTransportOptions {
  /** This node's Raft id (nodeIdOf(selfAddress) in node-core). */
  selfId: NodeId
  /** This node's member address (`ip:port`, as in cluster.conf); sent in the hello for logs. */
  selfAddress: string
  /** Address to listen on for peers. Default 127.0.0.1 (loopback only). */
  listenHost?: string
  /** The Raft port (HTTP port − 1000, see raftPortFor). 0 picks a free port (tests). */
  listenPort: number
  /** The cluster secret every member shares. Must not be empty. */
  secret: string | Uint8Array
  /** Initial peers: id → member address. Same as calling setPeers before start. */
  peers?: ReadonlyMap<NodeId, string>
  /** The lab's routing file (member address → address to dial); followed while running. */
  routingFile?: string
  /** How often the routing file is stat()ed besides fs.watch. Default 1000 ms. */
  routingPollMs?: number
  logger?: TransportLogger
  metrics?: TransportMetrics
  /** A message from a peer (a snapshot arrives whole, reassembled). Runs on the I/O path. */
  onMessage(m: Message): void
  /** The link to `id` failed to connect or lost its connection (→ Raft reportUnreachable). */
  onUnreachable?(id: NodeId): void
  /** A snapshot for `id` was fully written (`ok`) or abandoned (→ Raft reportSnapshot). */
  onSnapshotStatus?(id: NodeId, ok: boolean): void

  // Tuning; the defaults suit a LAN or loopback cluster.
  /** Reconnect backoff. Default 50 ms doubling to 2 s, with jitter. */
  backoff?: Partial<BackoffPolicy>
  /** Give up a dial after this long. Default 3000 ms. */
  connectTimeoutMs?: number
  /** Close an inbound connection that has not sent a valid hello by then. Default 5000 ms. */
  handshakeTimeoutMs?: number
  /** Hello timestamps must be within ± this of our clock. Default 60 s. */
  helloWindowMs?: number
  /** Per-peer queue bound, in messages. Default 4096. */
  maxQueuedMessages?: number
  /** Per-peer queue bound, in bytes. Default 64 MiB. */
  maxQueuedBytes?: number
  /** Stop feeding a socket whose unsent buffer reaches this. Default 4 MiB. */
  socketBufferBytes?: number
  /** Snapshot data bytes per chunk frame. Default 1 MiB. */
  snapshotChunkBytes?: number
  /** Largest snapshot accepted from a peer. Default 1 GiB. */
  maxSnapshotBytes?: number
  /** Accepted connections held at once (peers and strangers). Default 256. */
  maxInboundConnections?: number
  /** How long close() lets each outbound socket flush. Default 1000 ms. */
  closeTimeoutMs?: number
  /** Wall clock (ms); injected for tests. */
  now?: () => number
  /** [0, 1) random source for backoff jitter; injected for tests. */
  random?: () => number
}

/** What arrived from one peer. */
export interface ReceiveStats {
  framesReceived: number
  bytesReceived: number
  messagesReceived: number
  snapshotsReceived: number
  snapshotChunksReceived: number
  /** Snapshot streams dropped because a chunk was missing (a lossy link). */
  snapshotsAborted: number
  /** Inbound connections from this peer open now. */
  inboundConnections: number
}

export interface PeerStats extends PeerLinkStats {
  received: ReceiveStats
}

export interface TransportStats {
  state: 'new' | 'running' | 'closed'
  listening: { host: string; port: number } | undefined
  /** Configured peers, by id. */
  peers: PeerStats[]
  /** Authenticated senders that are not configured peers (e.g. a member not yet in setPeers). */
  strangers: Array<{ id: NodeId } & ReceiveStats>
  inbound: {
    /** Inbound connections open now (authenticated or not). */
    active: number
    /** Hellos accepted. */
    accepted: number
    /** Connections refused or closed, by ProtocolViolationCode. */
    closed: Partial<Record<ProtocolViolationCode, number>>
  }
  /** Drops across all peers, plus those with no peer to count against. */
  dropped: Record<DropReason, number>
  routing: { file: string | undefined; routes: number; loads: number; errors: number }
}

interface InboundConn {
  socket: Socket
  session: InboundSession
  remote: string
  timer: NodeJS.Timeout | undefined
  snapshotStartedAt: number
  done: boolean
}

const emptyReceive = (): ReceiveStats => ({
  framesReceived: 0,
  bytesReceived: 0,
  messagesReceived: 0,
  snapshotsReceived: 0,
  snapshotChunksReceived: 0,
  snapshotsAborted: 0,
  inboundConnections: 0
})

/** The log line for each reason a connection is refused or closed. */
const CLOSE_MESSAGES: Record<ProtocolViolationCode, string> = {
  HANDSHAKE_TIMEOUT: 'refused peer: no hello in time',
  HELLO_MISSING: 'refused peer: frame before hello',
  HELLO_MALFORMED: 'refused peer: malformed hello',
  BAD_SECRET: 'refused peer: bad cluster secret',
  WRONG_TARGET: 'refused peer: hello addressed to another node',
  STALE_HELLO: 'refused peer: stale hello (clock skew or replay)',
  REPLAYED_HELLO: 'refused peer: replayed hello',
  FRAME_VERSION: 'closed peer connection: bad frame version',
  FRAME_TYPE: 'closed peer connection: unknown frame type',
  FRAME_TOO_LARGE: 'closed peer connection: oversized frame',
  FRAME_ID: 'closed peer connection: bad node id in frame header',
  UNEXPECTED_FRAME: 'closed peer connection: unexpected frame type',
  WRONG_SENDER: 'closed peer connection: wrong sender or receiver',
  CODEC: 'closed peer connection: undecodable raft message',
  LOCAL_MESSAGE: 'closed peer connection: local-only message type',
  SNAPSHOT_MALFORMED: 'closed peer connection: malformed snapshot stream',
  SNAPSHOT_TOO_LARGE: 'closed peer connection: snapshot too large',
  SUPERSEDED: 'closed peer connection: superseded by a newer one'
}

/** Repeated refusals (a peer with the wrong secret redials every 2 s) log at warn once per window. */
const REPEAT_WARN_MS = 30_000

function addDrops(into: Record<DropReason, number>, from: Record<DropReason, number>): void {
  for (const k of Object.keys(from) as DropReason[]) into[k] += from[k]
}

function positiveInt(name: string, v: number | undefined, dflt: number, min = 1): number {
  if (v === undefined) return dflt
  if (!Number.isSafeInteger(v) || v < min) throw new TransportError('INVALID_OPTIONS', `${name} must be an integer ≥ ${min}, got ${v}`)
  return v
}

export class PeerTransport {
  private state: 'new' | 'running' | 'closed' = 'new'
  private readonly opts: PeerTransportOptions
  private readonly selfId: NodeId
  private readonly listenHost: string
  private readonly log: TransportLogger
  private readonly metrics: TransportMetrics
  private readonly verifier: HelloVerifier
  private readonly linkConfig: PeerLinkConfig
  private readonly handshakeTimeoutMs: number
  private readonly maxSnapshotBytes: number
  private readonly maxInbound: number
  private readonly now: () => number
  private readonly links = new Map<NodeId, PeerLink>()
  private readonly received = new Map<NodeId, ReceiveStats>()
  private readonly inbound = new Set<InboundConn>()
  private readonly closedByCode: Partial<Record<ProtocolViolationCode, number>> = {}
  private readonly droppedAtSend = emptyDropCounts()
  /** Drops of links that were removed, so totals never go backwards. */
  private readonly droppedRemoved = emptyDropCounts()
  private readonly lastWarn = new Map<string, number>()
  private accepted = 0
  private routes: RoutingTable = EMPTY_ROUTES
  private watcher: RoutingWatcher | undefined
  private server: Server | undefined
  private listening: { host: string; port: number } | undefined

  constructor(opts: PeerTransportOptions) {
    const bad = (what: string): never => {
      throw new TransportError('INVALID_OPTIONS', what)
    }
    if (!Number.isSafeInteger(opts.selfId) || opts.selfId <= 0) bad(`selfId must be a positive integer below 2^53, got ${opts.selfId}`)
    if (typeof opts.selfAddress !== 'string' || opts.selfAddress === '' || Buffer.byteLength(opts.selfAddress) > MAX_HELLO_ADDRESS_BYTES) {
      bad(`selfAddress must be a member address (ip:port) of at most ${MAX_HELLO_ADDRESS_BYTES} bytes`)
    }
    if (!Number.isInteger(opts.listenPort) || opts.listenPort < 0 || opts.listenPort > 65_535) bad(`listenPort must be 0-65535, got ${opts.listenPort}`)
    if (opts.secret === undefined || opts.secret.length === 0) bad('secret must not be empty: peers prove membership with it')
    if (typeof opts.onMessage !== 'function') bad('onMessage must be a function')
    const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff }
    try {
      checkBackoffPolicy(backoff)
    } catch (err) {
      bad(describeError(err))
    }
    const chunkBytes = positiveInt('snapshotChunkBytes', opts.snapshotChunkBytes, DEFAULT_CHUNK_BYTES)
    if (chunkBytes > MAX_CHUNK_BODY) bad(`snapshotChunkBytes must be at most ${MAX_CHUNK_BODY}, got ${chunkBytes}`)

    this.opts = opts
    this.selfId = opts.selfId
    this.listenHost = opts.listenHost ?? '127.0.0.1'
    this.log = opts.logger ?? noopLogger
    this.metrics = opts.metrics ?? {}
    this.now = opts.now ?? Date.now
    this.handshakeTimeoutMs = positiveInt('handshakeTimeoutMs', opts.handshakeTimeoutMs, 5_000)
    this.maxSnapshotBytes = positiveInt('maxSnapshotBytes', opts.maxSnapshotBytes, DEFAULT_MAX_SNAPSHOT_BYTES)
    this.maxInbound = positiveInt('maxInboundConnections', opts.maxInboundConnections, 256)
    const key = deriveHelloKey(opts.secret)
    this.verifier = new HelloVerifier({
      key,
      selfId: opts.selfId,
      windowMs: positiveInt('helloWindowMs', opts.helloWindowMs, DEFAULT_HELLO_WINDOW_MS),
      now: this.now
    })
    const stableAfterMs = 1_000
    this.linkConfig = {
      selfId: opts.selfId,
      selfAddress: opts.selfAddress,
      helloKey: key,
      backoff,
      connectTimeoutMs: positiveInt('connectTimeoutMs', opts.connectTimeoutMs, 3_000),
      stableAfterMs,
      queue: {
        maxMessages: positiveInt('maxQueuedMessages', opts.maxQueuedMessages, 4_096),
        maxBytes: positiveInt('maxQueuedBytes', opts.maxQueuedBytes, 64 * 1024 * 1024)
      },
      // At least the socket's 16 KiB high-water mark, so a full buffer always ends in 'drain'.
      socketBufferBytes: positiveInt('socketBufferBytes', opts.socketBufferBytes, 4 * 1024 * 1024, 16 * 1024),
      chunkBytes,
      maxPendingSnapshots: 1,
      closeTimeoutMs: positiveInt('closeTimeoutMs', opts.closeTimeoutMs, 1_000),
      now: this.now,
      random: opts.random ?? Math.random
    }
    if (opts.peers) this.setPeers(opts.peers)
  }

  /**
   * Load the routing file (throws ROUTING_FILE when it exists and is invalid), listen on the
   * Raft port (throws LISTEN), then dial every peer.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new TransportError('STATE', `start() on a transport that is ${this.state}`)
    if (this.opts.routingFile !== undefined) {
      this.watcher = new RoutingWatcher({
        file: this.opts.routingFile,
        pollMs: positiveInt('routingPollMs', this.opts.routingPollMs, 1_000),
        log: (level, msg, fields) => this.emit(level, msg, fields),
        onChange: (routes) => this.applyRoutes(routes)
      })
      this.routes = await this.watcher.start()
      if (this.state !== 'new') throw new TransportError('STATE', 'close() was called while start() was loading the routing file')
      this.applyRoutes(this.routes)
    }
    const server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000 }, (s) => this.onConnection(s))
    server.maxConnections = this.maxInbound
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen({ host: this.listenHost, port: this.opts.listenPort, exclusive: true }, () => {
          server.off('error', reject)
          resolve()
        })
      })
    } catch (err) {
      this.watcher?.close()
      this.state = 'closed'
      throw new TransportError('LISTEN', `cannot listen for peers on ${this.listenHost}:${this.opts.listenPort}: ${describeError(err)}`, { cause: err })
    }
    server.on('error', (err) => this.emit('error', 'peer listener error', { error: describeError(err) }))
    server.on('drop', (d) => this.emit('warn', 'inbound peer connection dropped: too many connections', { remote: d ? `${d.remoteAddress}:${d.remotePort}` : undefined, max: this.maxInbound }))
    this.server = server
    const addr = server.address()
    this.listening = typeof addr === 'object' && addr ? { host: addr.address, port: addr.port } : undefined
    // A close() that raced with listen() wins.
    if (this.state !== 'new') {
      server.close()
      throw new TransportError('STATE', 'close() was called while start() was binding the listener')
    }
    this.state = 'running'
    this.emit('info', 'peer transport listening', { host: this.listening?.host, port: this.listening?.port, peers: this.links.size, routingFile: this.opts.routingFile })
    for (const link of this.links.values()) link.start()
  }

  /** The bound listen address, once started. */
  address(): { host: string; port: number } | undefined {
    return this.listening
  }

  /**
   * Send one message to `m.to` on this node's own link to it. Never throws and never blocks:
   * a message that cannot be sent is dropped and counted (Raft retries what matters).
   */
  send(m: Message): void {
    if (this.state !== 'running') {
      this.dropAtSend(m, 'not-running')
      return
    }
    if (m.to === this.selfId || m.from !== this.selfId || LOCAL_MESSAGES.has(m.type)) {
      this.warnOnce(`invalid:${m.type}`, 'refusing to send an invalid message', { type: m.type, from: m.from, to: m.to })
      this.dropAtSend(m, 'invalid')
      return
    }
    const link = this.links.get(m.to)
    if (!link) {
      this.warnOnce(`unknown:${m.to}`, 'message for an unknown peer dropped', { type: m.type, to: m.to })
      this.dropAtSend(m, 'unknown-peer')
      return
    }
    if (m.type === 'MsgSnap' && m.snapshot) {
      link.enqueueSnapshot(m)
      return
    }
    let frame: Uint8Array
    try {
      frame = encodeFrame('raft', this.selfId, m.to, encodeMessage(m))
    } catch (err) {
      this.emit('error', 'cannot encode message for peer', { type: m.type, to: m.to, entries: m.entries.length, error: describeError(err) })
      this.dropAtSend(m, 'invalid')
      return
    }
    link.enqueue(frame)
  }

  /** Send each message (the `messages` of a Raft Ready, after persisting). */
  sendAll(messages: readonly Message[]): void {
    for (const m of messages) this.send(m)
  }

  /**
   * Replace the peer set (membership change): id → member address (`ip:port`, the HTTP
   * address as in cluster.conf). This node's own id is ignored. New peers are dialed, removed
   * ones closed (their pending snapshots reported failed), changed addresses re-dialed.
   * Throws INVALID_PEER, changing nothing, when an id or address is unusable.
   */
  setPeers(peers: ReadonlyMap<NodeId, string>): void {
    if (this.state === 'closed') return
    const next = new Map<NodeId, string>()
    for (const [id, address] of peers) {
      if (!Number.isSafeInteger(id) || id <= 0) throw new TransportError('INVALID_PEER', `peer id must be a positive integer below 2^53, got ${id}`)
      const t = typeof address === 'string' ? splitHostPort(address) : 'not a string'
      if (typeof t === 'string') throw new TransportError('INVALID_PEER', `peer ${id}: member address ${t}`)
      resolveTarget(this.routes, address) // throws INVALID_PEER when there is no Raft port
      if (id !== this.selfId) next.set(id, address)
    }
    for (const [id, link] of this.links) {
      if (next.has(id)) continue
      this.links.delete(id)
      // close(true) reports pending snapshots and counts queued messages synchronously; the
      // promise only covers the socket flush. Keep the link's drops in the totals.
      void link.close(true)
      addDrops(this.droppedRemoved, link.stats().dropped)
      this.emit('info', 'peer removed', { peer: id, peerAddress: link.address })
    }
    for (const [id, address] of next) {
      const { target, routed } = resolveTarget(this.routes, address)
      const link = this.links.get(id)
      if (link) {
        if (link.address !== address) {
          this.emit('info', 'peer address changed', { peer: id, from: link.address, to: address })
          link.address = address
          link.setTarget(target, routed)
        }
        continue
      }
      const created = new PeerLink(id, address, target, routed, this.linkConfig, {
        log: (level, msg, fields) => this.emit(level, msg, fields),
        metrics: this.metrics,
        unreachable: (peer) => this.notify(() => this.opts.onUnreachable?.(peer)),
        snapshotStatus: (peer, ok) => this.notify(() => this.opts.onSnapshotStatus?.(peer, ok))
      })
      this.links.set(id, created)
      if (this.state === 'running') {
        this.emit('info', 'peer added', { peer: id, peerAddress: address })
        created.start()
      }
    }
  }

  stats(): TransportStats {
    const dropped = emptyDropCounts()
    const add = (d: Record<DropReason, number>): void => addDrops(dropped, d)
    add(this.droppedAtSend)
    add(this.droppedRemoved)
    const peers: PeerStats[] = []
    for (const link of [...this.links.values()].sort((a, b) => a.id - b.id)) {
      const s = link.stats()
      add(s.dropped)
      peers.push({ ...s, received: { ...(this.received.get(link.id) ?? emptyReceive()) } })
    }
    const strangers = [...this.received]
      .filter(([id]) => !this.links.has(id))
      .sort(([a], [b]) => a - b)
      .map(([id, r]) => ({ id, ...r }))
    return {
      state: this.state,
      listening: this.listening,
      peers,
      strangers,
      inbound: { active: this.inbound.size, accepted: this.accepted, closed: { ...this.closedByCode } },
      dropped,
      routing: {
        file: this.opts.routingFile,
        routes: this.routes.size,
        loads: this.watcher?.loads ?? 0,
        errors: this.watcher?.errors ?? 0
      }
    }
  }

  /** State of the outbound link to `id`, if it is a peer. */
  linkState(id: NodeId): LinkState | undefined {
    return this.links.get(id)?.state
  }

  /**
   * Stop listening, close every connection (outbound sockets get up to closeTimeoutMs to flush
   * what they already hold), stop following the routing file. No callback fires once close()
   * has been called. Idempotent.
   */
  async close(): Promise<void> {
    if (this.state === 'closed') return
    this.state = 'closed'
    this.watcher?.close()
    const server = this.server
    const serverClosed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve()
    for (const conn of this.inbound) this.dropInbound(conn)
    await Promise.all([...this.links.values()].map((l) => l.close(false)))
    await serverClosed
    this.emit('info', 'peer transport closed', {})
  }

  // ---- inbound -------------------------------------------------------------------------

  private onConnection(socket: Socket): void {
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`
    if (this.state !== 'running') {
      socket.destroy()
      return
    }
    const conn: InboundConn = {
      socket,
      session: new InboundSession({ selfId: this.selfId, verifier: this.verifier, maxSnapshotBytes: this.maxSnapshotBytes }),
      remote,
      timer: undefined,
      snapshotStartedAt: 0,
      done: false
    }
    this.inbound.add(conn)
    conn.timer = setTimeout(() => {
      if (conn.session.peer === undefined) {
        this.closeInbound(conn, { code: 'HANDSHAKE_TIMEOUT', detail: `no valid hello within ${this.handshakeTimeoutMs} ms` })
      }
    }, this.handshakeTimeoutMs)
    socket.on('data', (chunk: Buffer) => this.onInboundData(conn, chunk))
    socket.on('error', (err) => this.emit('debug', 'inbound peer connection error', { remote, peer: conn.session.peer, error: describeError(err) }))
    socket.on('close', () => {
      const peer = conn.session.peer
      this.dropInbound(conn)
      if (peer !== undefined && this.state === 'running') {
        this.emit('debug', 'inbound peer connection closed', { remote, peer })
      }
    })
  }

  private onInboundData(conn: InboundConn, chunk: Buffer): void {
    if (conn.done) return
    let events: InboundEvent[]
    try {
      events = conn.session.push(chunk)
    } catch (err) {
      // The session is written not to throw; if it ever does, that connection goes, not the node.
      this.emit('error', 'internal error handling inbound peer data', { remote: conn.remote, error: describeError(err) })
      this.dropInbound(conn)
      return
    }
    for (const ev of events) {
      if (conn.done) return
      this.onInboundEvent(conn, ev)
    }
  }

  private onInboundEvent(conn: InboundConn, ev: InboundEvent): void {
    const peer = conn.session.peer
    switch (ev.kind) {
      case 'hello': {
        if (conn.timer) clearTimeout(conn.timer)
        conn.timer = undefined
        this.accepted++
        // A newer connection from the same peer means the older one is abandoned (typically
        // half-open after a cut); close it so it cannot linger.
        for (const other of this.inbound) {
          if (other !== conn && other.session.peer === ev.hello.from) {
            this.closeInbound(other, { code: 'SUPERSEDED', detail: `peer reconnected from ${conn.remote}` })
          }
        }
        this.recv(ev.hello.from).inboundConnections++
        const known = this.links.get(ev.hello.from)
        known?.retryNow()
        this.emit(known ? 'info' : 'warn', known ? 'accepted peer' : 'accepted peer that is not in this node\'s peer set', {
          remote: conn.remote,
          peer: ev.hello.from,
          peerAddress: ev.hello.address
        })
        return
      }
      case 'frame': {
        if (peer === undefined) return
        const r = this.recv(peer)
        r.framesReceived++
        r.bytesReceived += ev.bytes
        if (ev.type === 'snapshotChunk') r.snapshotChunksReceived++
        safely(() => this.metrics.onFrameReceived?.(peer, ev.type, ev.bytes))
        return
      }
      case 'message': {
        if (peer === undefined) return
        this.recv(peer).messagesReceived++
        try {
          this.opts.onMessage(ev.message)
        } catch (err) {
          this.emit('error', 'onMessage threw; message dropped', { peer, type: ev.message.type, error: describeError(err) })
        }
        return
      }
      case 'snapshot':
        if (peer !== undefined) this.onSnapshotProgress(conn, peer, ev.result)
        return
      case 'duplicate-hello':
        this.emit('debug', 'duplicate hello ignored', { remote: conn.remote, peer })
        return
      case 'close':
        this.closeInbound(conn, ev.violation)
        return
    }
  }

  private onSnapshotProgress(conn: InboundConn, peer: NodeId, r: Extract<InboundEvent, { kind: 'snapshot' }>['result']): void {
    switch (r.kind) {
      case 'started':
        conn.snapshotStartedAt = this.now()
        if (r.superseded !== undefined) {
          this.recv(peer).snapshotsAborted++
          this.emit('warn', 'snapshot stream from peer superseded before it completed', { peer, stream: r.superseded })
        }
        this.emit('debug', 'receiving snapshot from peer', { peer, stream: r.streamId, bytes: r.total })
        return
      case 'complete': {
        const ms = conn.snapshotStartedAt > 0 ? this.now() - conn.snapshotStartedAt : 0
        conn.snapshotStartedAt = 0
        this.recv(peer).snapshotsReceived++
        this.emit('info', 'snapshot received from peer', { peer, stream: r.streamId, bytes: r.bytes, durationMs: ms })
        safely(() => this.metrics.onSnapshotReceived?.(peer, r.bytes, ms))
        return
      }
      case 'aborted':
        this.recv(peer).snapshotsAborted++
        this.emit('warn', 'snapshot stream from peer abandoned', { peer, stream: r.streamId, reason: r.reason })
        return
      case 'ignored':
        this.emit('debug', 'snapshot chunk ignored', { peer, stream: r.streamId, reason: r.reason })
        return
      case 'progress':
        return
    }
  }

  private closeInbound(conn: InboundConn, v: ProtocolViolation): void {
    if (conn.done) return
    const refusal = REFUSAL_CODES.has(v.code)
    const fields = {
      remote: conn.remote,
      code: v.code,
      detail: v.detail,
      peer: conn.session.peer,
      claimedFrom: conn.session.peer === undefined ? conn.session.claimedFrom : undefined
    }
    this.closedByCode[v.code] = (this.closedByCode[v.code] ?? 0) + 1
    safely(() => this.metrics.onInboundClosed?.(v.code))
    if (v.code === 'SUPERSEDED') {
      this.emit('info', CLOSE_MESSAGES[v.code], fields)
    } else {
      // A refused dialer retries every couple of seconds; warn once per window per source.
      const key = `${v.code}|${conn.session.peer ?? conn.session.claimedFrom ?? conn.socket.remoteAddress}`
      this.warnOnce(key, CLOSE_MESSAGES[v.code], fields, refusal ? REPEAT_WARN_MS : 0)
    }
    this.dropInbound(conn)
  }

  private dropInbound(conn: InboundConn): void {
    if (!this.inbound.delete(conn)) return
    conn.done = true
    if (conn.timer) clearTimeout(conn.timer)
    conn.timer = undefined
    const peer = conn.session.peer
    if (peer !== undefined) this.recv(peer).inboundConnections--
    conn.session.reset()
    conn.socket.destroy()
  }

  private recv(peer: NodeId): ReceiveStats {
    let r = this.received.get(peer)
    if (!r) {
      r = emptyReceive()
      this.received.set(peer, r)
    }
    return r
  }

  // ---- routing, callbacks, logging ----------------------------------------------------------

  private applyRoutes(routes: RoutingTable): void {
    this.routes = routes
    for (const link of this.links.values()) {
      try {
        const { target, routed } = resolveTarget(routes, link.address)
        link.setTarget(target, routed)
      } catch (err) {
        this.emit('error', 'cannot route peer', { peer: link.id, peerAddress: link.address, error: describeError(err) })
      }
    }
  }

  private dropAtSend(m: Message, reason: DropReason): void {
    const link = this.links.get(m.to)
    this.droppedAtSend[reason]++
    safely(() => this.metrics.onDrop?.(link ? m.to : undefined, reason, 1))
    if (m.type === 'MsgSnap' && m.snapshot) {
      this.notify(() => this.opts.onSnapshotStatus?.(m.to, false))
    }
  }

  /**
   * Owner callbacks other than onMessage run on a microtask: they may be triggered from inside
   * send() or setPeers(), and the Raft node must not be re-entered while it is handing us a
   * Ready. None fires after close().
   */
  private notify(fn: () => void): void {
    queueMicrotask(() => {
      if (this.state === 'closed') return
      try {
        fn()
      } catch (err) {
        this.emit('error', 'transport owner callback threw', { error: describeError(err) })
      }
    })
  }

  /** Warn at most once per `windowMs` for `key` (0: only ever once); the rest go to debug. */
  private warnOnce(key: string, msg: string, fields: Record<string, unknown>, windowMs = 0): void {
    const now = this.now()
    const last = this.lastWarn.get(key)
    const quiet = last !== undefined && (windowMs === 0 || now - last < windowMs)
    if (!quiet) {
      if (this.lastWarn.size > 1_000) this.lastWarn.clear()
      this.lastWarn.set(key, now)
    }
    this.emit(quiet ? 'debug' : 'warn', msg, fields)
  }

  private emit(level: TransportLogLevel, msg: string, fields: Record<string, unknown>): void {
    safely(() => this.log({ level, msg, fields }))
  }
}
