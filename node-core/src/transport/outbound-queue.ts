/**
 * The bounded per-peer queue of encoded frames waiting for the socket.
 *
 * Raft tolerates lost messages (it retries by design), but not a node that runs out of memory
 * because a peer stopped reading. So the queue is bounded in both messages and bytes, and when
 * full it drops the OLDEST frames: a newer heartbeat or append supersedes an older one, and
 * the newest state is what a peer that comes back needs first.
 */

export interface QueuedFrame {
  /** The whole encoded frame (header + payload). */
  bytes: Uint8Array
}

export interface QueueLimits {
  maxMessages: number
  maxBytes: number
}

export class OutboundQueue<T extends QueuedFrame = QueuedFrame> {
  private items: T[] = []
  private head = 0
  private bytesHeld = 0

  constructor(private readonly limits: QueueLimits) {}

  get length(): number {
    return this.items.length - this.head
  }

  get bytes(): number {
    return this.bytesHeld
  }

  /**
   * Append `item`; returns how many older items were dropped to make room. An item larger than
   * the byte bound on its own is still queued once the queue is otherwise empty, so one big
   * (but legal) frame is never impossible to send.
   */
  push(item: T): number {
    let dropped = 0
    while (
      this.length > 0 &&
      (this.length + 1 > this.limits.maxMessages || this.bytesHeld + item.bytes.length > this.limits.maxBytes)
    ) {
      this.shift()
      dropped++
    }
    this.items.push(item)
    this.bytesHeld += item.bytes.length
    return dropped
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head]!
    this.items[this.head] = undefined as unknown as T
    this.head++
    this.bytesHeld -= item.bytes.length
    // Compact now and then so shift() stays O(1) amortised without an ever-growing array.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  /** Remove everything; returns how many items were removed. */
  clear(): number {
    const n = this.length
    this.items = []
    this.head = 0
    this.bytesHeld = 0
    return n
  }
}
