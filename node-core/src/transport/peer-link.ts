/**
 * The outbound half of one peer link: this node's OWN connection to one peer, the only socket
 * it ever writes Raft traffic to for that peer. (Inbound connections are read-only; see
 * peer-transport.ts.) A link:
 *
 * - dials its target (the peer's Raft port, or the lab's proxy for this link), sends a hello,
 *   then writes frames; reconnects with exponential backoff and jitter when the dial fails or
 *   the connection drops;
 * - holds messages in a bounded queue while disconnected or while the socket is not draining,
 *   and only moves them into the socket while the socket's own buffer is below a bound, so a
 *   stalled peer (or a black-holed proxy) costs bounded memory and the oldest messages are
 *   dropped, counted, first;
 * - streams snapshots as chunks, lazily, giving queued Raft messages priority over chunks so
 *   heartbeats and votes keep flowing during a large transfer; reports each snapshot's outcome
 *   once: sent (the last chunk reached the kernel) or failed (connection lost, dial failed,
 *   superseded, peer removed).
 *
 * "Sent" cannot mean "received": links are one-way, so no acknowledgement ever comes back on
 * this socket. That is enough for Raft: after a successful report the leader probes the
 * follower, and the follower's reply (on ITS own link) tells whether the snapshot landed.
 */
import { connect, type Socket } from 'node:net'
import { encodeFrame, type FrameType } from '../protocol/frame'
import type { Message, NodeId } from '../raft/types'
import { backoffDelay, type BackoffPolicy } from './backoff'
import { describeError } from './errors'
import { encodeHello } from './handshake'
import { safely, type DropReason, type TransportLogLevel, type TransportMetrics } from './hooks'
import { OutboundQueue, type QueueLimits } from './outbound-queue'
import { formatTarget, sameTarget, type DialTarget } from './routing-table'
import { chunkFrameCount, encodeSnapshotChunks } from './snapshot-chunks'

export type LinkState = 'idle' | 'connecting' | 'connected' | 'backoff' | 'closed'

export interface PeerLinkConfig {
  selfId: NodeId
  selfAddress: string
  helloKey: Uint8Array
  backoff: BackoffPolicy
  connectTimeoutMs: number
  /** A connection that lived this long resets the backoff; a shorter one does not. */
  stableAfterMs: number
  queue: QueueLimits
  socketBufferBytes: number
  chunkBytes: number
  /** Snapshots waiting behind the one in flight; a newer one supersedes the oldest. */
  maxPendingSnapshots: number
  closeTimeoutMs: number
  /** Wall clock in ms (hello timestamps, durations). */
  now: () => number
  random: () => number
}

export interface PeerLinkHooks {
  log(level: TransportLogLevel, msg: string, fields: Record<string, unknown>): void
  metrics: TransportMetrics
  /** The dial failed or the connection was lost. */
  unreachable(peer: NodeId): void
  snapshotStatus(peer: NodeId, ok: boolean): void
}

/** Counters of one outbound link. */
export interface PeerLinkStats {
  id: NodeId
  /** The member address (cluster.conf). */
  address: string
  /** Where it is dialed: `host:port`. */
  target: string
  /** True when the target comes from the routing file. */
  routed: boolean
  state: LinkState
  /** Successful connections; the first one is not a reconnect. */
  connects: number
  reconnects: number
  dialFailures: number
  /** Established connections that were lost. */
  disconnects: number
  framesSent: number
  bytesSent: number
  queued: number
  queuedBytes: number
  dropped: Record<DropReason, number>
  snapshotsSent: number
  snapshotsFailed: number
  snapshotChunksSent: number
}

interface SnapshotJob {
  message: Message
  bytes: number
  /** The dial in progress when it was queued: only a LATER dial's failure fails it. */
  queuedDuringDial: number
  chunks: Generator<Uint8Array, void, void> | undefined
  framesLeft: number
  startedAt: number
  settled: boolean
}

interface QueuedRaftFrame {
  bytes: Uint8Array
}

export const emptyDropCounts = (): Record<DropReason, number> => ({
  'queue-full': 0,
  backpressure: 0,
  'unknown-peer': 0,
  'not-running': 0,
  invalid: 0,
  superseded: 0,
  disconnected: 0
})

export class PeerLink {
  state: LinkState = 'idle'
  private socket: Socket | undefined
  private readonly queue: OutboundQueue<QueuedRaftFrame>
  private snapshots: SnapshotJob[] = []
  /** Snapshots whose last chunk is written but not yet flushed. */
  private readonly finishing = new Set<SnapshotJob>()
  private timer: NodeJS.Timeout | undefined
  private attempt = 0
  /** Number of dials started; identifies the current connection attempt. */
  private dialSeq = 0
  /** Consecutive connections that the peer closed soon after the hello. */
  private shortLived = 0
  /** Failures since the last stable connection; > 0 quiets repeated log lines. */
  private streak = 0
  private lastWasShortLived = false
  private connectedAt = 0
  private nextStreamId = 1
  private dropWarned = false
  private pumpScheduled = false
  private readonly counters = {
    connects: 0,
    dialFailures: 0,
    disconnects: 0,
    framesSent: 0,
    bytesSent: 0,
    snapshotsSent: 0,
    snapshotsFailed: 0,
    snapshotChunksSent: 0
  }
  private readonly dropped = emptyDropCounts()

  constructor(
    readonly id: NodeId,
    public address: string,
    private target: DialTarget,
    private routed: boolean,
    private readonly cfg: PeerLinkConfig,
    private readonly hooks: PeerLinkHooks
  ) {
    this.queue = new OutboundQueue<QueuedRaftFrame>(cfg.queue)
  }

  /** Begin dialing (the transport is running). */
  start(): void {
    if (this.state !== 'idle') return
    this.dial()
  }

  /** Queue an encoded raft frame. */
  enqueue(frame: Uint8Array): void {
    if (this.state === 'closed') {
      this.drop('not-running', 1)
      return
    }
    const dropped = this.queue.push({ bytes: frame })
    if (dropped > 0) {
      const reason: DropReason = this.state === 'connected' ? 'backpressure' : 'queue-full'
      this.drop(reason, dropped)
      // One warning per episode; the counters carry the rest.
      if (!this.dropWarned) {
        this.dropWarned = true
        this.log('warn', reason === 'backpressure' ? 'peer is not draining; dropping oldest messages' : 'peer unreachable and its queue is full; dropping oldest messages', {
          queued: this.queue.length,
          queuedBytes: this.queue.bytes
        })
      }
    }
    this.schedulePump()
  }

  /** Queue a MsgSnap to stream as chunks. */
  enqueueSnapshot(m: Message): void {
    if (this.state === 'closed') {
      this.drop('not-running', 1)
      this.hooks.snapshotStatus(this.id, false)
      return
    }
    const pending = this.snapshots.filter((j) => !j.chunks)
    if (pending.length >= this.cfg.maxPendingSnapshots && pending.length > 0) {
      const old = pending[0]!
      this.snapshots.splice(this.snapshots.indexOf(old), 1)
      this.settle(old, false, 'superseded')
    }
    this.snapshots.push({
      message: m,
      bytes: m.snapshot?.data.length ?? 0,
      queuedDuringDial: this.dialSeq,
      chunks: undefined,
      framesLeft: 0,
      startedAt: 0,
      settled: false
    })
    this.schedulePump()
  }

  /**
   * The peer just connected to us, so it is up again: if this link is waiting out a backoff,
   * dial now instead (a restarted node would otherwise wait up to backoff.maxMs for the
   * leader's next attempt before it hears a heartbeat or gets its log).
   */
  retryNow(): void {
    if (this.state !== 'backoff') return
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.attempt = 0
    this.dial()
  }

  /** Dial somewhere else from now on (routing change); reconnects at once when it differs. */
  setTarget(target: DialTarget, routed: boolean): void {
    const changed = !sameTarget(target, this.target)
    this.target = target
    this.routed = routed
    if (!changed || this.state === 'closed') return
    this.log('info', routed ? 'peer link re-routed' : 'peer link now dials the peer directly', { target: formatTarget(target) })
    if (this.state === 'idle') return
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const old = this.socket
    this.socket = undefined
    if (old) {
      old.destroy()
      // Streams cut off midway are lost; queued snapshots go out on the new connection.
      this.failSnapshots('disconnected', 0)
    }
    this.attempt = 0
    this.dial()
  }

  /**
   * Stop for good: the peer was removed (`notify`: report pending snapshots as failed and
   * count queued messages as dropped) or the transport is closing (no callbacks). Flushes what
   * the socket already holds for up to closeTimeoutMs.
   */
  close(notify: boolean): Promise<void> {
    if (this.state === 'closed') return Promise.resolve()
    if (notify) {
      this.failSnapshots('disconnected')
      const n = this.queue.clear()
      if (n > 0) this.drop('disconnected', n)
    } else {
      for (const j of [...this.snapshots, ...this.finishing]) j.settled = true
      this.snapshots = []
      this.finishing.clear()
      this.queue.clear()
    }
    this.state = 'closed'
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const s = this.socket
    this.socket = undefined
    if (!s || s.destroyed) return Promise.resolve()
    return new Promise((resolve) => {
      const t = setTimeout(() => s.destroy(), this.cfg.closeTimeoutMs)
      s.once('close', () => {
        clearTimeout(t)
        resolve()
      })
      if (s.connecting) s.destroy()
      else s.end()
    })
  }

  stats(): PeerLinkStats {
    const c = this.counters
    return {
      id: this.id,
      address: this.address,
      target: formatTarget(this.target),
      routed: this.routed,
      state: this.state,
      connects: c.connects,
      reconnects: Math.max(0, c.connects - 1),
      dialFailures: c.dialFailures,
      disconnects: c.disconnects,
      framesSent: c.framesSent,
      bytesSent: c.bytesSent,
      queued: this.queue.length,
      queuedBytes: this.queue.bytes,
      dropped: { ...this.dropped },
      snapshotsSent: c.snapshotsSent,
      snapshotsFailed: c.snapshotsFailed,
      snapshotChunksSent: c.snapshotChunksSent
    }
  }

  private log(level: TransportLogLevel, msg: string, fields: Record<string, unknown>): void {
    this.hooks.log(level, msg, { peer: this.id, peerAddress: this.address, ...fields })
  }

  private drop(reason: DropReason, count: number): void {
    this.dropped[reason] += count
    safely(() => this.hooks.metrics.onDrop?.(this.id, reason, count))
  }

  private dial(): void {
    if (this.state === 'closed') return
    this.timer = undefined
    this.state = 'connecting'
    this.dialSeq++
    const target = this.target
    const socket = connect({ host: target.host, port: target.port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000 })
    this.socket = socket
    let lastError: Error | undefined
    let warnedData = false
    socket.setTimeout(this.cfg.connectTimeoutMs, () => {
      if (this.socket === socket && this.state === 'connecting') {
        socket.destroy(new Error(`connect timed out after ${this.cfg.connectTimeoutMs} ms`))
      }
    })
    socket.once('connect', () => {
      socket.setTimeout(0)
      this.onConnected(socket)
    })
    // Nothing should ever arrive here (the listener never writes on an inbound connection);
    // read and discard so a misbehaving peer cannot fill our receive buffer.
    socket.on('data', (chunk: Buffer) => {
      if (warnedData) return
      warnedData = true
      this.log('warn', 'peer wrote on this node\'s outbound connection; ignored (links are one-way)', { bytes: chunk.length })
    })
    socket.on('drain', () => {
      if (this.socket === socket) this.pump()
    })
    socket.on('error', (err) => {
      lastError = err
    })
    socket.on('close', () => this.onClosed(socket, lastError))
  }

  private onConnected(socket: Socket): void {
    if (this.socket !== socket || this.state === 'closed') return
    this.state = 'connected'
    this.connectedAt = this.cfg.now()
    this.counters.connects++
    const reconnect = this.counters.connects > 1
    let hello: Uint8Array
    try {
      const payload = encodeHello({ key: this.cfg.helloKey, from: this.cfg.selfId, to: this.id, address: this.cfg.selfAddress, nowMs: this.cfg.now() })
      hello = encodeFrame('hello', this.cfg.selfId, this.id, payload)
    } catch (err) {
      // Only an impossible self address gets here; the transport validates it at construction.
      this.log('error', 'cannot build the hello frame', { error: describeError(err) })
      socket.destroy()
      return
    }
    this.write(socket, hello, 'hello')
    const fields = { target: formatTarget(this.target), routed: this.routed, failuresBefore: this.streak }
    this.log(this.lastWasShortLived ? 'debug' : 'info', reconnect ? 'reconnected to peer' : 'connected to peer', fields)
    safely(() => this.hooks.metrics.onConnect?.(this.id, reconnect))
    this.pump()
  }

  private onClosed(socket: Socket, err: Error | undefined): void {
    if (this.socket !== socket) return // replaced by a re-route, or the link is closed
    this.socket = undefined
    if (this.state === 'closed') return
    // Snapshots in flight are lost; queued ones fail only if this attempt was made after
    // they were queued (a dial already failing when a snapshot arrives does not count).
    this.failSnapshots('disconnected', this.dialSeq)
    const target = formatTarget(this.target)
    const error = err ? describeError(err) : undefined
    if (this.state === 'connected') {
      this.counters.disconnects++
      const lived = this.cfg.now() - this.connectedAt
      this.lastWasShortLived = lived < this.cfg.stableAfterMs
      if (!this.lastWasShortLived) {
        this.attempt = 0
        this.streak = 0
        this.shortLived = 0
      }
      this.streak++
      this.shortLived = this.lastWasShortLived && !err ? this.shortLived + 1 : 0
      if (this.shortLived === 3) {
        // The listener closes a connection it refuses and, one-way, cannot say why; a peer
        // that keeps hanging up right after the hello is the sign.
        this.log('warn', 'peer keeps closing this node\'s connection right after the hello: it is probably refusing it (check the cluster secret and the routing file)', {
          target,
          livedMs: lived
        })
      } else {
        this.log(this.streak > 1 ? 'debug' : 'warn', 'lost connection to peer', { target, livedMs: lived, error })
      }
    } else {
      this.counters.dialFailures++
      this.streak++
      this.log(this.streak > 1 ? 'debug' : 'warn', 'cannot reach peer', { target, error, attempt: this.attempt })
    }
    safely(() => this.hooks.metrics.onDisconnect?.(this.id))
    this.hooks.unreachable(this.id)
    const delay = backoffDelay(this.attempt, this.cfg.backoff, this.cfg.random)
    this.attempt++
    this.state = 'backoff'
    this.timer = setTimeout(() => this.dial(), delay)
  }

  /**
   * Pump once at the end of the current synchronous run, so the messages of one Raft Ready
   * (sent one by one) leave in one corked write instead of one syscall each.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    queueMicrotask(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  /** Move queued frames, then snapshot chunks, into the socket while it has room. */
  private pump(): void {
    const s = this.socket
    if (!s || this.state !== 'connected') return
    s.cork()
    try {
      while (s.writableLength < this.cfg.socketBufferBytes) {
        const q = this.queue.shift()
        if (q) {
          this.write(s, q.bytes, 'raft')
          continue
        }
        this.dropWarned = false
        if (!this.writeNextChunk(s)) return
      }
      // Stopped on a full socket buffer: 'drain' calls pump() again. (Our bound is at least
      // the socket's high-water mark, so write() has returned false and 'drain' will come.)
    } finally {
      s.uncork()
    }
  }

  private write(s: Socket, bytes: Uint8Array, type: FrameType, cb?: (err?: Error | null) => void): void {
    s.write(bytes, cb)
    this.counters.framesSent++
    this.counters.bytesSent += bytes.length
    safely(() => this.hooks.metrics.onFrameSent?.(this.id, type, bytes.length))
  }

  /** Write the next snapshot chunk, if any; false when there is none. */
  private writeNextChunk(s: Socket): boolean {
    while (this.snapshots.length > 0) {
      const job = this.snapshots[0]!
      let payload: Uint8Array
      try {
        if (!job.chunks) {
          job.chunks = encodeSnapshotChunks(job.message, this.nextStreamId++, this.cfg.chunkBytes)
          job.framesLeft = chunkFrameCount(job.bytes, this.cfg.chunkBytes)
          job.startedAt = this.cfg.now()
        }
        const next = job.chunks.next()
        if (next.done) throw new Error('snapshot stream ended early')
        payload = next.value
      } catch (err) {
        this.snapshots.shift()
        this.log('error', 'cannot encode snapshot for peer', { error: describeError(err) })
        this.settle(job, false, 'invalid')
        continue
      }
      job.framesLeft--
      const frame = encodeFrame('snapshotChunk', this.cfg.selfId, this.id, payload)
      this.counters.snapshotChunksSent++
      if (job.framesLeft > 0) {
        this.write(s, frame, 'snapshotChunk')
        return true
      }
      this.snapshots.shift()
      this.finishing.add(job)
      this.write(s, frame, 'snapshotChunk', (err) => this.settle(job, !err, 'disconnected'))
      return true
    }
    return false
  }

  /**
   * Fail the snapshots in flight, and the queued ones that were queued before dial number
   * `dial` began (all of them for Infinity, none for 0).
   */
  private failSnapshots(reason: DropReason, dial = Infinity): void {
    const failed = [...this.finishing, ...this.snapshots.filter((j) => j.chunks !== undefined || j.queuedDuringDial < dial)]
    this.finishing.clear()
    this.snapshots = this.snapshots.filter((j) => !failed.includes(j))
    for (const j of failed) this.settle(j, false, reason)
  }

  private settle(job: SnapshotJob, ok: boolean, reason: DropReason): void {
    if (job.settled) return
    job.settled = true
    this.finishing.delete(job)
    const ms = job.chunks ? this.cfg.now() - job.startedAt : 0
    const m = job.message
    const fields = { bytes: job.bytes, index: m.snapshot?.metadata.index, term: m.snapshot?.metadata.term, durationMs: ms }
    if (ok) {
      this.counters.snapshotsSent++
      this.log('info', 'snapshot sent to peer', fields)
    } else {
      this.counters.snapshotsFailed++
      this.drop(reason, 1)
      this.log('warn', 'snapshot not sent to peer', { ...fields, reason })
    }
    safely(() => this.hooks.metrics.onSnapshotSent?.(this.id, ok, job.bytes, ms))
    this.hooks.snapshotStatus(this.id, ok)
  }
}
