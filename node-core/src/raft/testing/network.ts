import type { Message, NodeId } from '../types'

/**
 * The in-memory network of the interaction tests: sent messages wait in a queue per
 * destination, in send order, until a command delivers or drops them. No sockets, no time.
 *
 * Links can be cut, one way (`cut 1->2`) or both ways (`partition`). A cut link loses every
 * message that would cross it while it is cut, including those already queued when the cut
 * happened: the check is made at delivery.
 */
export class Network {
  private readonly queues = new Map<NodeId, Message[]>()
  /** Cut links as "from->to". */
  private readonly cuts = new Set<string>()

  send(m: Message): void {
    let q = this.queues.get(m.to)
    if (!q) this.queues.set(m.to, (q = []))
    q.push(m)
  }

  /** Remove and return the messages queued for `to` that `match` selects, keeping the others in order. */
  take(to: NodeId, match: (m: Message) => boolean = () => true): Message[] {
    const q = this.queues.get(to) ?? []
    const taken = q.filter(match)
    this.queues.set(
      to,
      q.filter((m) => !match(m))
    )
    return taken
  }

  pending(to: NodeId): number {
    return this.queues.get(to)?.length ?? 0
  }

  cut(from: NodeId, to: NodeId): void {
    this.cuts.add(`${from}->${to}`)
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cuts.has(`${from}->${to}`)
  }

  heal(): void {
    this.cuts.clear()
  }

  /** The cut links, sorted, for printing. */
  describeCuts(): string[] {
    return [...this.cuts].sort((a, b) => {
      const [af, at] = a.split('->').map(Number) as [number, number]
      const [bf, bt] = b.split('->').map(Number) as [number, number]
      return af - bf || at - bt
    })
  }
}
