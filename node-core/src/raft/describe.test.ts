import { describe, expect, it } from 'vitest'
import {
  describeEntries,
  describeEntry,
  describeHardState,
  describeMessage,
  describeReady,
  describeSnapshot,
  describeSoftState,
  describeTrace
} from './describe'
import { RawNode } from './raw-node'
import { MemoryStorage } from './storage'
import type { TraceEvent } from './trace'
import { emptyMessage, encodeConfChange, type Entry, type Message, type Snapshot } from './types'

const enc = new TextEncoder()
const normal = (term: number, index: number, text: string): Entry => ({ term, index, type: 'normal', data: enc.encode(text) })
const snapshot: Snapshot = { metadata: { index: 10, term: 3, confState: { voters: [1, 2, 3], learners: [4] } }, data: new Uint8Array([1]) }
const msg = (m: Partial<Message> & Pick<Message, 'type' | 'from' | 'to' | 'term'>): Message => ({
  ...emptyMessage(m.type, m.from, m.to, m.term),
  ...m
})

describe('describeEntry', () => {
  it.each([
    { e: normal(1, 5, 'hello'), want: '1/5 EntryNormal "hello"' },
    { e: normal(2, 3, ''), want: '2/3 EntryNormal ""' }, // the leader's no-op
    { e: normal(1, 6, 'say "hi"'), want: '1/6 EntryNormal "say \\"hi\\""' },
    { e: normal(1, 7, 'a b~'), want: '1/7 EntryNormal "a b~"' },
    // not printable ASCII: shown as a byte count
    { e: normal(1, 8, 'line\n'), want: '1/8 EntryNormal <5 bytes>' },
    { e: normal(1, 9, 'é'), want: '1/9 EntryNormal <2 bytes>' },
    { e: { term: 4, index: 2, type: 'normal' as const, data: new Uint8Array([0, 255, 7]) }, want: '4/2 EntryNormal <3 bytes>' },
    { e: { term: 1, index: 1, type: 'confChange' as const, data: encodeConfChange({ type: 'addVoter', nodeId: 2 }) }, want: '1/1 EntryConfChange addVoter 2' },
    { e: { term: 3, index: 9, type: 'confChange' as const, data: encodeConfChange({ type: 'removeNode', nodeId: 5 }) }, want: '3/9 EntryConfChange removeNode 5' },
    { e: { term: 3, index: 9, type: 'confChange' as const, data: encodeConfChange({ type: 'addLearner', nodeId: 4 }) }, want: '3/9 EntryConfChange addLearner 4' }
  ])('$want', ({ e, want }) => {
    expect(describeEntry(e)).toBe(want)
  })

  it('a malformed conf change entry is a broken invariant, not a silent line', () => {
    expect(() => describeEntry({ term: 1, index: 1, type: 'confChange', data: enc.encode('{"type":"x","nodeId":1}') })).toThrow(/malformed conf change/)
  })

  it('describeEntries joins with newlines', () => {
    expect(describeEntries([normal(1, 1, 'a'), normal(1, 2, 'b')])).toBe('1/1 EntryNormal "a"\n1/2 EntryNormal "b"')
    expect(describeEntries([])).toBe('')
  })
})

describe('describeSnapshot / hard state / soft state', () => {
  it('formats like etcd', () => {
    expect(describeSnapshot(snapshot)).toBe('Index:10 Term:3 ConfState:Voters:[1 2 3] Learners:[4]')
    expect(describeSnapshot({ ...snapshot, metadata: { ...snapshot.metadata, confState: { voters: [1], learners: [] } } })).toBe(
      'Index:10 Term:3 ConfState:Voters:[1] Learners:[]'
    )
    expect(describeHardState({ term: 5, vote: 2, commit: 11 })).toBe('Term:5 Vote:2 Commit:11')
    expect(describeSoftState({ lead: 3, role: 'leader' })).toBe('Lead:3 State:leader')
  })
})

describe('describeMessage', () => {
  it.each([
    { m: msg({ type: 'MsgApp', from: 1, to: 2, term: 1, logTerm: 1, index: 10, commit: 10 }), want: '1->2 MsgApp Term:1 Log:1/10 Commit:10' },
    { m: msg({ type: 'MsgHeartbeat', from: 1, to: 3, term: 2 }), want: '1->3 MsgHeartbeat Term:2 Log:0/0' },
    {
      m: msg({ type: 'MsgApp', from: 1, to: 2, term: 2, logTerm: 1, index: 3, commit: 3, entries: [normal(2, 4, ''), normal(2, 5, 'x')] }),
      want: '1->2 MsgApp Term:2 Log:1/3 Commit:3 Entries:[2/4 EntryNormal "", 2/5 EntryNormal "x"]'
    },
    {
      m: msg({ type: 'MsgAppResp', from: 2, to: 1, term: 2, logTerm: 1, index: 5, reject: true, rejectHint: 3 }),
      want: '2->1 MsgAppResp Term:2 Log:1/5 Rejected (Hint: 3)'
    },
    { m: msg({ type: 'MsgPreVote', from: 1, to: 2, term: 3, logTerm: 2, index: 7 }), want: '1->2 MsgPreVote Term:3 Log:2/7' },
    { m: msg({ type: 'MsgVote', from: 1, to: 2, term: 3, logTerm: 2, index: 7, context: 'transfer' }), want: '1->2 MsgVote Term:3 Log:2/7 Context:transfer' },
    { m: msg({ type: 'MsgHeartbeat', from: 1, to: 2, term: 4, commit: 9, context: 'read-1' }), want: '1->2 MsgHeartbeat Term:4 Log:0/0 Commit:9 Context:read-1' },
    {
      m: msg({ type: 'MsgSnap', from: 1, to: 4, term: 3, snapshot }),
      want: '1->4 MsgSnap Term:3 Log:0/0 Snapshot: Index:10 Term:3 ConfState:Voters:[1 2 3] Learners:[4]'
    },
    { m: msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 3, reject: true }), want: '2->1 MsgVoteResp Term:3 Log:0/0 Rejected (Hint: 0)' }
  ])('$want', ({ m, want }) => {
    expect(describeMessage(m)).toBe(want)
  })
})

describe('describeReady', () => {
  it('lists every non-empty section in a fixed order', () => {
    expect(
      describeReady({
        softState: { lead: 1, role: 'leader' },
        hardState: { term: 2, vote: 1, commit: 4 },
        readStates: [{ index: 4, requestCtx: 'r1' }],
        entries: [normal(2, 5, 'a')],
        snapshot,
        committedEntries: [normal(2, 4, '')],
        messages: [msg({ type: 'MsgApp', from: 1, to: 2, term: 2, logTerm: 2, index: 4, commit: 4, entries: [normal(2, 5, 'a')] })],
        mustSync: true
      })
    ).toBe(
      [
        'Lead:1 State:leader',
        'HardState Term:2 Vote:1 Commit:4',
        'ReadState Index:4 Ctx:r1',
        'Entries:',
        '2/5 EntryNormal "a"',
        'Snapshot Index:10 Term:3 ConfState:Voters:[1 2 3] Learners:[4]',
        'CommittedEntries:',
        '2/4 EntryNormal ""',
        'Messages:',
        '1->2 MsgApp Term:2 Log:2/4 Commit:4 Entries:[2/5 EntryNormal "a"]'
      ].join('\n')
    )
  })

  it('an empty Ready describes as the empty string', () => {
    expect(describeReady({ readStates: [], entries: [], committedEntries: [], messages: [], mustSync: false })).toBe('')
  })

  it('describes real Readies of a bootstrapping node exactly', () => {
    const trace: TraceEvent[] = []
    const storage = new MemoryStorage()
    const n = new RawNode({ id: 1, storage, trace: (e) => trace.push(e) })
    n.bootstrap([1, 2, 3])
    const rd = n.ready()
    expect(describeReady(rd)).toBe(
      [
        'HardState Term:1 Vote:0 Commit:3',
        'Entries:',
        '1/1 EntryConfChange addVoter 1',
        '1/2 EntryConfChange addVoter 2',
        '1/3 EntryConfChange addVoter 3',
        'CommittedEntries:',
        '1/1 EntryConfChange addVoter 1',
        '1/2 EntryConfChange addVoter 2',
        '1/3 EntryConfChange addVoter 3'
      ].join('\n')
    )
    storage.append(rd.entries)
    storage.setHardState(rd.hardState!)
    n.advance()
    trace.length = 0
    n.campaign()
    expect(describeReady(n.ready())).toBe(['Lead:0 State:precandidate', 'Messages:', '1->2 MsgPreVote Term:2 Log:1/3', '1->3 MsgPreVote Term:2 Log:1/3'].join('\n'))
    expect(trace.map(describeTrace)).toEqual([
      '1 became precandidate at term 1',
      '1 [logterm: 1, index: 3] sent MsgPreVote request to 2 at term 2',
      '1->2 MsgPreVote Term:2 Index:3',
      '1 [logterm: 1, index: 3] sent MsgPreVote request to 3 at term 2',
      '1->3 MsgPreVote Term:2 Index:3'
    ])
  })
})

describe('describeTrace', () => {
  const cases: [TraceEvent, string][] = [
    [{ type: 'roleChanged', node: 1, from: 'candidate', to: 'leader', term: 2, lead: 1 }, '1 became leader at term 2'],
    [{ type: 'termChanged', node: 2, from: 1, to: 2 }, '2 term 1 -> 2'],
    [
      { type: 'voteRequested', node: 1, to: 3, term: 2, preVote: false, lastIndex: 5, lastTerm: 1 },
      '1 [logterm: 1, index: 5] sent MsgVote request to 3 at term 2'
    ],
    [{ type: 'voteGranted', node: 2, candidate: 1, term: 2, preVote: true }, '2 cast MsgPreVote for 1 at term 2'],
    [{ type: 'voteGranted', node: 2, candidate: 1, term: 2, preVote: false }, '2 cast MsgVote for 1 at term 2'],
    [
      { type: 'voteRejected', node: 3, candidate: 1, term: 2, preVote: false, reason: 'already voted for 2' },
      '3 rejected MsgVote from 1 at term 2: already voted for 2'
    ],
    [{ type: 'electionWon', node: 1, term: 2, preVote: true, votes: [1, 2] }, '1 won the pre-election for term 2 with votes from [1 2]'],
    [{ type: 'electionWon', node: 1, term: 2, preVote: false, votes: [1, 3] }, '1 won the election for term 2 with votes from [1 3]'],
    [{ type: 'msgSent', node: 1, to: 2, msg: 'MsgApp', term: 2, index: 4, entries: 3, reject: false }, '1->2 MsgApp Term:2 Index:4 Entries:3'],
    [{ type: 'msgSent', node: 2, to: 1, msg: 'MsgAppResp', term: 2, index: 4, entries: 0, reject: true }, '2->1 MsgAppResp Term:2 Index:4 Rejected'],
    [{ type: 'msgReceived', node: 2, from: 1, msg: 'MsgHeartbeat', term: 2, index: 0, entries: 0, reject: false }, '2<-1 MsgHeartbeat Term:2 Index:0'],
    [{ type: 'commitAdvanced', node: 1, from: 3, to: 5, term: 2 }, '1 commit 3 -> 5 at term 2'],
    [{ type: 'logTruncated', node: 2, after: 7, dropped: 2 }, '2 truncated its log after index 7'],
    [{ type: 'snapshotSent', node: 1, to: 4, index: 10, term: 3 }, '1 sent snapshot [index: 10, term: 3] to 4'],
    [{ type: 'snapshotRestored', node: 4, index: 10, term: 3 }, '4 restored snapshot [index: 10, term: 3]'],
    [{ type: 'progressChanged', node: 1, peer: 2, state: 'replicate', match: 4, next: 5 }, '1 progress of 2: replicate match=4 next=5'],
    [
      { type: 'confChanged', node: 1, change: { type: 'addLearner', nodeId: 4 }, config: { voters: [1, 2, 3], learners: [4] }, index: 9 },
      '1 applied addLearner 4 at index 9: voters=[1 2 3] learners=[4]'
    ],
    [{ type: 'transferStarted', node: 1, to: 2, term: 3 }, '1 [term 3] starts to transfer leadership to 2'],
    [{ type: 'transferAborted', node: 1, to: 2, term: 3, reason: 'timed out' }, '1 [term 3] abort leadership transfer to 2: timed out'],
    [{ type: 'checkQuorumFailed', node: 1, term: 3, active: [1] }, '1 stepped down to follower since quorum is not active (active: [1])'],
    [{ type: 'readIndexReady', node: 2, index: 8, ctx: 'q7' }, '2 read index 8 ready for q7']
  ]
  it.each(cases)('%j', (e, want) => {
    expect(describeTrace(e)).toBe(want)
  })

  it('covers every trace event type', () => {
    const all = new Set(cases.map(([e]) => e.type))
    expect(all.size).toBe(18)
  })
})
