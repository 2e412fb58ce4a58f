import type { Index, Message, NodeId } from './types'

interface ReadIndexStatus {
  req: Message
  index: Index
  acks: Set<NodeId>
}

/**
 * Pending ReadIndex requests on the leader (Raft thesis §6.4, etcd-io/raft readOnly): each
 * remembers the commit index when it arrived and completes once a quorum has answered a
 * heartbeat that carried its context, proving we were still leader at that moment.
 */
export class ReadOnly {
  private readonly pending = new Map<string, ReadIndexStatus>()
  private queue: string[] = []

  addRequest(index: Index, m: Message): void {
    if (this.pending.has(m.context)) return
    this.pending.set(m.context, { req: m, index, acks: new Set() })
    this.queue.push(m.context)
  }

  /** Record an ack for `ctx`; returns the acks so far, or undefined for an unknown context. */
  recvAck(id: NodeId, ctx: string): ReadonlySet<NodeId> | undefined {
    const rs = this.pending.get(ctx)
    if (!rs) return undefined
    rs.acks.add(id)
    return rs.acks
  }

  /** Complete every request queued up to and including `ctx` (later heartbeats confirm earlier reads). */
  advance(ctx: string): { req: Message; index: Index }[] {
    const i = this.queue.indexOf(ctx)
    if (i === -1) return []
    const done = this.queue.slice(0, i + 1)
    this.queue = this.queue.slice(i + 1)
    return done.map((c) => {
      const rs = this.pending.get(c)!
      this.pending.delete(c)
      return { req: rs.req, index: rs.index }
    })
  }

  lastPendingRequestCtx(): string {
    return this.queue[this.queue.length - 1] ?? ''
  }

  size(): number {
    return this.queue.length
  }
}
