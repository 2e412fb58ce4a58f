import { describe, expect, it } from 'vitest'
import { labNodeOfRaftId } from '../../../electron/lab/api'
import { makeNode, stamp } from '../testing/fake-lab'
import { logWindow, nodeStatus, progress, raftEvent, raftIdOf, raftView } from '../testing/replication-fixtures'
import {
  alive,
  buildStrips,
  calloutOf,
  commitPulseOf,
  flowGeometry,
  flowOf,
  leaderView,
  moveAnchor,
  newestIndex,
  newestPerPair,
  positionOf,
  pushRing,
  snapshotCells,
  stripCells,
  termColor,
  termsIn,
  visibleRange,
  type Callout
} from './replication-model'

const nodes = [makeNode(1), makeNode(2), makeNode(3)]
const [n1, n2, n3] = nodes as [ReturnType<typeof makeNode>, ReturnType<typeof makeNode>, ReturnType<typeof makeNode>]

describe('the fixtures', () => {
  it('name nodes by the Raft ids the LabApi maps back', () => {
    for (const n of nodes) expect(labNodeOfRaftId(nodes, raftIdOf(n))).toBe(n.id)
  })
})

describe('visibleRange / moveAnchor', () => {
  it('follows the newest index with a full window, never below index 1', () => {
    expect(visibleRange(500, 120, null)).toEqual({ from: 381, to: 500 })
    expect(visibleRange(7, 60, null)).toEqual({ from: 1, to: 60 })
    expect(visibleRange(0, 60, null)).toEqual({ from: 1, to: 60 })
  })

  it('keeps a pinned window where the user put it, clamped to the log', () => {
    expect(visibleRange(500, 120, 300)).toEqual({ from: 181, to: 300 })
    expect(visibleRange(500, 120, 30)).toEqual({ from: 1, to: 120 })
    expect(visibleRange(500, 120, 900)).toEqual({ from: 381, to: 500 })
  })

  it('moves by half windows and returns to following at the newest end', () => {
    expect(moveAnchor(null, -60, 500, 120)).toBe(440)
    expect(moveAnchor(440, -60, 500, 120)).toBe(380)
    expect(moveAnchor(380, 60, 500, 120)).toBe(440)
    expect(moveAnchor(440, 60, 500, 120)).toBeNull()
    // Not below the first full window.
    expect(moveAnchor(130, -60, 500, 120)).toBe(120)
  })

  it('takes the newest index from windows and status answers', () => {
    expect(newestIndex([logWindow({ last: 40 }), null], [raftView(2, nodeStatus(n2, { lastIndex: 55 }))])).toBe(55)
    expect(newestIndex([], [])).toBe(0)
  })

  it('places an index at the centre of its cell, null outside', () => {
    expect(positionOf(1, { from: 1, to: 4 })).toBeCloseTo(0.125)
    expect(positionOf(4, { from: 1, to: 4 })).toBeCloseTo(0.875)
    expect(positionOf(5, { from: 1, to: 4 })).toBeNull()
  })
})

describe('stripCells', () => {
  it('marks entries committed up to commit and applied up to applied; nothing past the last index', () => {
    const cells = stripCells(logWindow({ last: 5, commit: 4, applied: 3, termOf: (i) => (i < 4 ? 1 : 2) }), { from: 1, to: 7 })
    expect(cells.map((c) => c.kind)).toEqual(['entry', 'entry', 'entry', 'entry', 'entry', 'empty', 'empty'])
    expect(cells.map((c) => c.term)).toEqual([1, 1, 1, 2, 2, null, null])
    expect(cells.map((c) => c.committed)).toEqual([true, true, true, true, false, false, false])
    expect(cells.map((c) => c.applied)).toEqual([true, true, true, false, false, false, false])
    expect(cells[0]!.entry!.text).toContain('config.publish')
  })

  it('shows the compacted prefix as "in snapshot", and indexes the read did not cover as unknown', () => {
    const w = logWindow({ first: 11, last: 30, from: 20 })
    const cells = stripCells(w, { from: 5, to: 24 })
    expect(cells.filter((c) => c.kind === 'snapshot').map((c) => c.index)).toEqual([5, 6, 7, 8, 9, 10])
    expect(cells.filter((c) => c.kind === 'unknown').map((c) => c.index)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect(cells.find((c) => c.index === 20)!.kind).toBe('entry')
    expect(snapshotCells(w, { from: 5, to: 24 })).toBe(6)
    expect(snapshotCells(w, { from: 12, to: 24 })).toBe(0)
    expect(snapshotCells(null, { from: 1, to: 24 })).toBe(0)
  })

  it('draws a node never read as unknown cells', () => {
    expect(stripCells(null, { from: 1, to: 3 }).every((c) => c.kind === 'unknown' && !c.committed)).toBe(true)
  })
})

describe('leaderView', () => {
  const leaderStatus = nodeStatus(n1, {
    role: 'leader',
    term: 3,
    lastIndex: 50,
    commit: 48,
    progress: [
      progress(n1.address, { match: 50, next: 51 }),
      progress(n3.address, { match: 20, next: 21, state: 'probe', recentActive: false }),
      progress(n2.address, { match: 50, next: 51, inflight: 2 })
    ]
  })

  it('lists every follower (not the leader itself) by lab node, with how far behind it is', () => {
    const v = leaderView([raftView(1, leaderStatus), raftView(2, nodeStatus(n2)), raftView(3, null)], nodes)!
    expect(v.leaderId).toBe(1)
    expect(v.term).toBe(3)
    expect(v.rows.map((r) => r.nodeId)).toEqual([2, 3])
    expect(v.rows[0]).toMatchObject({ match: 50, next: 51, state: 'replicate', inflight: 2, lag: 0 })
    expect(v.rows[1]).toMatchObject({ match: 20, state: 'probe', recentActive: false, lag: 30 })
  })

  it('believes the leader of the highest term when a cut-off old leader still claims to lead', () => {
    const stale = nodeStatus(n3, { role: 'leader', term: 2, progress: [progress(n1.address)] })
    expect(leaderView([raftView(3, stale), raftView(1, leaderStatus)], nodes)!.leaderId).toBe(1)
  })

  it('is null without a leader', () => {
    expect(leaderView([raftView(1, nodeStatus(n1)), raftView(2, null)], nodes)).toBeNull()
  })

  it('keeps a member the lab no longer knows, by address', () => {
    const s = nodeStatus(n1, { role: 'leader', progress: [progress('127.0.0.1:9999', { match: 3 })] })
    expect(leaderView([raftView(1, s)], nodes)!.rows[0]).toMatchObject({ nodeId: null, address: '127.0.0.1:9999' })
  })
})

describe('trace events', () => {
  it('calls out snapshot installs and conflict truncations, mapping Raft ids to lab nodes', () => {
    const sent = calloutOf(stamp(raftEvent(n1, { type: 'snapshotSent', to: raftIdOf(n3), index: 900, term: 4 }), 1000), nodes)
    expect(sent).toMatchObject({ kind: 'snapshotSent', nodeId: 1, peerId: 3, index: 900, term: 4, at: 1000 })
    const restored = calloutOf(stamp(raftEvent(n3, { type: 'snapshotRestored', index: 900, term: 4 })), nodes)
    expect(restored).toMatchObject({ kind: 'snapshotRestored', nodeId: 3, peerId: null, index: 900 })
    const cut = calloutOf(stamp(raftEvent(n2, { type: 'logTruncated', after: 41, dropped: 3 })), nodes)
    expect(cut).toMatchObject({ kind: 'logTruncated', nodeId: 2, index: 42, dropped: 3 })
    expect(calloutOf(stamp(raftEvent(n1, { type: 'roleChanged', from: 'candidate', to: 'leader' })), nodes)).toBeNull()
    expect(calloutOf(stamp({ type: 'node.wiped', nodeId: 1 }), nodes)).toBeNull()
  })

  it('turns MsgApp with entries and MsgSnap into flows; heartbeats and empty probes are not flows', () => {
    const app = flowOf(stamp(raftEvent(n1, { type: 'msgSent', to: raftIdOf(n2), msg: 'MsgApp', index: 10, entries: 3, term: 2, reject: false })), nodes)
    expect(app).toMatchObject({ kind: 'append', from: 1, to: 2, first: 11, last: 13 })
    const snap = flowOf(stamp(raftEvent(n1, { type: 'msgSent', to: raftIdOf(n3), msg: 'MsgSnap', index: 900, entries: 0 })), nodes)
    expect(snap).toMatchObject({ kind: 'snapshot', to: 3, first: 900, last: 900 })
    expect(flowOf(stamp(raftEvent(n1, { type: 'msgSent', to: raftIdOf(n2), msg: 'MsgApp', index: 10, entries: 0 })), nodes)).toBeNull()
    expect(flowOf(stamp(raftEvent(n1, { type: 'msgSent', to: raftIdOf(n2), msg: 'MsgHeartbeat', index: 0, entries: 0 })), nodes)).toBeNull()
    expect(flowOf(stamp(raftEvent(n1, { type: 'msgSent', to: 12345, msg: 'MsgApp', index: 1, entries: 1 })), nodes)).toBeNull()
  })

  it('reads commit advances', () => {
    expect(commitPulseOf(stamp(raftEvent(n2, { type: 'commitAdvanced', from: 4, to: 9, term: 2 })))).toMatchObject({ nodeId: 2, from: 4, to: 9 })
    expect(commitPulseOf(stamp(raftEvent(n2, { type: 'commitAdvanced', from: 9, to: 9, term: 2 })))).toBeNull()
  })

  it('keeps rings bounded and says how many fell out', () => {
    expect(pushRing([1, 2, 3], [4, 5], 4)).toEqual({ ring: [2, 3, 4, 5], dropped: 1 })
    expect(pushRing([1], [2], 4)).toEqual({ ring: [1, 2], dropped: 0 })
    const items = [{ at: 0 }, { at: 500 }, { at: 900 }, { at: 1000 }]
    expect(alive(items, 1000, 600, 10)).toEqual([{ at: 500 }, { at: 900 }, { at: 1000 }])
    expect(alive(items, 1000, 600, 2)).toEqual([{ at: 900 }, { at: 1000 }])
  })

  it('keeps one pulse per leader→follower pair, the newest', () => {
    const f = (id: number, to: number) => ({ id, at: id, kind: 'append' as const, from: 1, to, first: id, last: id })
    expect(newestPerPair([f(1, 2), f(2, 3), f(3, 2), f(4, 2)]).map((x) => [x.id, x.to])).toEqual([
      [2, 3],
      [4, 2]
    ])
  })

  it('places a flow between the sender and receiver rows, clamped to the window', () => {
    const flow = { id: 1, at: 0, kind: 'append' as const, from: 1, to: 3, first: 11, last: 13 }
    const g = flowGeometry(flow, { from: 1, to: 20 }, [1, 2, 3])!
    expect(g).toMatchObject({ fromRow: 0, toRow: 2, label: '11–13' })
    // The centre of index 12, the middle of 11–13.
    expect(g.x).toBeCloseTo(11.5 / 20)
    expect(flowGeometry({ ...flow, first: 40, last: 45 }, { from: 1, to: 20 }, [1, 2, 3])!.x).toBe(1)
    expect(flowGeometry({ ...flow, to: 7 }, { from: 1, to: 20 }, [1, 2, 3])).toBeNull()
  })
})

describe('termColor', () => {
  it('gives consecutive terms different colours, stable per term, in both schemes', () => {
    for (const scheme of ['light', 'dark'] as const) {
      for (let term = 1; term < 12; term++) {
        expect(termColor(term, scheme).fill).not.toBe(termColor(term + 1, scheme).fill)
        expect(termColor(term, scheme)).toEqual(termColor(term, scheme))
      }
      expect(termColor(null, scheme).fill).toBe(termColor(0, scheme).fill)
    }
    expect(termColor(1, 'light').fill).not.toBe(termColor(1, 'dark').fill)
  })

  it('lists the terms on screen, oldest first', () => {
    const w = logWindow({ last: 6, termOf: (i) => (i < 3 ? 2 : 5) })
    expect(termsIn([stripCells(w, { from: 1, to: 6 }), stripCells(null, { from: 1, to: 6 })])).toEqual([2, 5])
  })
})

describe('buildStrips', () => {
  it('gives each member a strip with its marks, the leader flag and the leader’s carets', () => {
    const range = { from: 1, to: 60 }
    const logs = {
      1: { nodeId: 1, window: logWindow({ last: 50, commit: 48 }), at: 5, silentSince: null, reason: null, state: null },
      3: { nodeId: 3, window: logWindow({ last: 20 }), at: 1, silentSince: 3, reason: null, state: 'down' as const }
    }
    const views = [
      raftView(
        1,
        nodeStatus(n1, { role: 'leader', lastIndex: 50, progress: [progress(n2.address, { match: 50, next: 51 }), progress(n3.address, { match: 20, next: 21, state: 'probe' })] })
      ),
      raftView(2, nodeStatus(n2)),
      raftView(3, null)
    ]
    const callouts: Callout[] = [
      { id: 1, at: 1, kind: 'snapshotSent', nodeId: 1, peerId: 3, index: 15, term: 2, dropped: null },
      { id: 2, at: 2, kind: 'logTruncated', nodeId: 2, peerId: null, index: 42, term: null, dropped: 2 },
      { id: 3, at: 3, kind: 'snapshotRestored', nodeId: 3, peerId: null, index: 90, term: 2, dropped: null }
    ]
    const [s1, s2, s3] = buildStrips(nodes, logs, views, callouts, range)
    expect(s1).toMatchObject({ nodeId: 1, isLeader: true, role: 'leader', commit: 48, lastIndex: 50, answering: true, match: null, marks: [] })
    expect(s2).toMatchObject({ nodeId: 2, isLeader: false, unknown: true, answering: false, match: 50, next: 51 })
    expect(s2!.marks.map((m) => m.kind)).toEqual(['logTruncated'])
    // The snapshot sent lands on node 3's strip; the restore at 90 is outside the window.
    expect(s3).toMatchObject({ nodeId: 3, answering: false, silentSince: 3, reason: null, runState: 'down', match: 20, progressState: 'probe', role: null })
    expect(s3!.marks.map((m) => [m.kind, m.index])).toEqual([['snapshotSent', 15]])
    expect(s1!.cells).toHaveLength(60)
  })

  it('flags a follower’s entries whose term differs from the leader’s at the same index', () => {
    const range = { from: 1, to: 8 }
    const logs = {
      1: { nodeId: 1, window: logWindow({ last: 6, commit: 4, termOf: (i) => (i <= 4 ? 1 : 3) }), at: 1, silentSince: null, reason: null, state: null },
      2: { nodeId: 2, window: logWindow({ last: 7, commit: 4, termOf: (i) => (i <= 4 ? 1 : 2) }), at: 1, silentSince: null, reason: null, state: null }
    }
    const views = [raftView(1, nodeStatus(n1, { role: 'leader', term: 3, lastIndex: 6 })), raftView(2, nodeStatus(n2, { term: 3 }))]
    const [s1, s2] = buildStrips(nodes, logs, views, [], range)
    expect(s1!.cells.some((c) => c.conflict)).toBe(false)
    // 5 and 6 differ in term; 7 is beyond the leader's log (no verdict yet).
    expect(s2!.cells.filter((c) => c.conflict).map((c) => c.index)).toEqual([5, 6])
  })
})
