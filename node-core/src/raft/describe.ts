import type { TraceEvent } from './trace'
import { decodeConfChange, type Entry, type HardState, type Message, type NodeId, type Ready, type Snapshot, type SoftState } from './types'

/**
 * Stable one-line descriptions in etcd-io/raft's format (util.go), for golden files, logs and
 * the lab's message list. Changing the output changes golden files: do it on purpose.
 */

const decoder = new TextDecoder()

export function describeEntry(e: Entry): string {
  if (e.type === 'confChange') {
    const cc = decodeConfChange(e.data)
    return `${e.term}/${e.index} EntryConfChange ${cc.type} ${cc.nodeId}`
  }
  const text = decoder.decode(e.data)
  const shown = /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `<${e.data.length} bytes>`
  return `${e.term}/${e.index} EntryNormal ${shown}`
}

export function describeEntries(ents: Entry[]): string {
  return ents.map(describeEntry).join('\n')
}

export function describeSnapshot(s: Snapshot): string {
  const m = s.metadata
  return `Index:${m.index} Term:${m.term} ConfState:Voters:[${m.confState.voters.join(' ')}] Learners:[${m.confState.learners.join(' ')}]`
}

export function describeMessage(m: Message): string {
  let out = `${m.from}->${m.to} ${m.type} Term:${m.term} Log:${m.logTerm}/${m.index}`
  if (m.reject) out += ` Rejected (Hint: ${m.rejectHint})`
  if (m.commit !== 0) out += ` Commit:${m.commit}`
  if (m.context !== '') out += ` Context:${m.context}`
  if (m.entries.length > 0) out += ` Entries:[${m.entries.map(describeEntry).join(', ')}]`
  if (m.snapshot) out += ` Snapshot: ${describeSnapshot(m.snapshot)}`
  return out
}

export const describeHardState = (h: HardState): string => `Term:${h.term} Vote:${h.vote} Commit:${h.commit}`
export const describeSoftState = (s: SoftState): string => `Lead:${s.lead} State:${s.role}`

/** A multi-line dump of a Ready, empty sections omitted, as etcd's DescribeReady. */
export function describeReady(rd: Ready): string {
  const lines: string[] = []
  if (rd.softState) lines.push(describeSoftState(rd.softState))
  if (rd.hardState) lines.push(`HardState ${describeHardState(rd.hardState)}`)
  for (const rs of rd.readStates) lines.push(`ReadState Index:${rs.index} Ctx:${rs.requestCtx}`)
  if (rd.entries.length > 0) lines.push('Entries:', ...rd.entries.map(describeEntry))
  if (rd.snapshot) lines.push(`Snapshot ${describeSnapshot(rd.snapshot)}`)
  if (rd.committedEntries.length > 0) lines.push('CommittedEntries:', ...rd.committedEntries.map(describeEntry))
  if (rd.messages.length > 0) lines.push('Messages:', ...rd.messages.map(describeMessage))
  return lines.join('\n')
}

/** One line per trace event, for logs and the timeline's tooltips. */
export function describeTrace(e: TraceEvent): string {
  const n: NodeId = e.node
  switch (e.type) {
    case 'roleChanged':
      return `${n} became ${e.to} at term ${e.term}`
    case 'termChanged':
      return `${n} term ${e.from} -> ${e.to}`
    case 'voteRequested':
      return `${n} [logterm: ${e.lastTerm}, index: ${e.lastIndex}] sent ${e.preVote ? 'MsgPreVote' : 'MsgVote'} request to ${e.to} at term ${e.term}`
    case 'voteGranted':
      return `${n} cast ${e.preVote ? 'MsgPreVote' : 'MsgVote'} for ${e.candidate} at term ${e.term}`
    case 'voteRejected':
      return `${n} rejected ${e.preVote ? 'MsgPreVote' : 'MsgVote'} from ${e.candidate} at term ${e.term}: ${e.reason}`
    case 'electionWon':
      return `${n} won the ${e.preVote ? 'pre-election' : 'election'} for term ${e.term} with votes from [${e.votes.join(' ')}]`
    case 'msgSent':
      return `${n}->${e.to} ${e.msg} Term:${e.term} Index:${e.index}${e.entries ? ` Entries:${e.entries}` : ''}${e.reject ? ' Rejected' : ''}`
    case 'msgReceived':
      return `${n}<-${e.from} ${e.msg} Term:${e.term} Index:${e.index}${e.entries ? ` Entries:${e.entries}` : ''}${e.reject ? ' Rejected' : ''}`
    case 'commitAdvanced':
      return `${n} commit ${e.from} -> ${e.to} at term ${e.term}`
    case 'logTruncated':
      return `${n} truncated its log after index ${e.after}`
    case 'snapshotSent':
      return `${n} sent snapshot [index: ${e.index}, term: ${e.term}] to ${e.to}`
    case 'snapshotRestored':
      return `${n} restored snapshot [index: ${e.index}, term: ${e.term}]`
    case 'progressChanged':
      return `${n} progress of ${e.peer}: ${e.state} match=${e.match} next=${e.next}`
    case 'confChanged':
      return `${n} applied ${e.change.type} ${e.change.nodeId} at index ${e.index}: voters=[${e.config.voters.join(' ')}] learners=[${e.config.learners.join(' ')}]`
    case 'transferStarted':
      return `${n} [term ${e.term}] starts to transfer leadership to ${e.to}`
    case 'transferAborted':
      return `${n} [term ${e.term}] abort leadership transfer to ${e.to}: ${e.reason}`
    case 'checkQuorumFailed':
      return `${n} stepped down to follower since quorum is not active (active: [${e.active.join(' ')}])`
    case 'readIndexReady':
      return `${n} read index ${e.index} ready for ${e.ctx}`
  }
}
