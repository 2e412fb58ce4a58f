/**
 * Replay of a recorded run (issue 7): a real 3-node cluster loses its leader, elects another
 * and stops; the recording, loaded back page by page through the LabApi, tells the same Raft
 * role story as the events the lab published live.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { dispatchLab, type LabEvent, type NodeRaftView, type RecordingInfo, type RecordingPage, type Result } from '../../electron/lab/api'
import type { Lab } from '../../electron/lab/lab'
import { makeLab } from '../support/lab-fixture'
import { value } from '../support/node-http'
import { waitFor } from '../support/wait'

let dispose: (() => Promise<void>) | undefined
afterEach(async () => {
  await dispose?.()
  dispose = undefined
})

/** Per node, in order: every role it took and the term it took it in. */
type RoleTimeline = Record<number, Array<[role: string, term: number]>>

function roleTimeline(events: readonly LabEvent[]): RoleTimeline {
  const out: RoleTimeline = {}
  for (const e of events) {
    if (e.type !== 'raft' || e.event.type !== 'roleChanged') continue
    ;(out[e.nodeId] ??= []).push([String(e.event.to), Number(e.event.term)])
  }
  return out
}

async function call<T>(lab: Lab, method: string, payload?: unknown): Promise<T> {
  return value((await dispatchLab(lab.handle, method, payload)) as Result<T>)
}

const status = (lab: Lab): Promise<NodeRaftView[]> => call<NodeRaftView[]>(lab, 'cluster.status')

async function leaderAmong(lab: Lab, ids: number[]): Promise<NodeRaftView> {
  return waitFor(`a leader among nodes ${ids.join(',')}`, async () => {
    const vs = (await status(lab)).filter((v) => ids.includes(v.nodeId) && v.status)
    const leader = vs.find((v) => v.status!.role === 'leader')
    if (!leader) return undefined
    const agree = vs.filter((v) => v.status!.leader === leader.status!.address && v.status!.term === leader.status!.term).length
    return agree * 2 > ids.length ? leader : undefined
  })
}

/** Every page of a run, as the replay controller loads them. */
async function loadRecording(lab: Lab, runId: string): Promise<{ events: LabEvent[]; pages: RecordingPage[] }> {
  const events: LabEvent[] = []
  const pages: RecordingPage[] = []
  let fromSeq: number | null = 1
  while (fromSeq !== null) {
    const page: RecordingPage = await call<RecordingPage>(lab, 'recording.load', { runId, fromSeq, limit: 100 })
    pages.push(page)
    events.push(...page.events)
    fromSeq = page.nextSeq
  }
  return { events, pages }
}

describe('replay of a recorded run', () => {
  it('reproduces the same role timeline as the live run: leader crash, new leader, stop', async () => {
    const l = await makeLab()
    dispose = l.dispose
    const { lab, events: live } = l
    const created = await call<{ runId: string }>(lab, 'cluster.create', { size: 3 })
    await call(lab, 'cluster.start')
    const first = await leaderAmong(lab, [1, 2, 3])
    await call(lab, 'node.crash', { nodeId: first.nodeId })
    const others = [1, 2, 3].filter((id) => id !== first.nodeId)
    const second = await leaderAmong(lab, others)
    expect(second.status!.term).toBeGreaterThan(first.status!.term)
    // The live stream must have seen the new leader before we stop.
    await waitFor('the new leader in the live stream', () => roleTimeline(live)[second.nodeId]?.some(([role, term]) => role === 'leader' && term === second.status!.term))
    await waitFor('a metrics sample in the live stream', () => live.some((e) => e.type === 'metrics.sample'))
    await call(lab, 'cluster.stop')
    lab.bus.flushAll()

    const list = await call<RecordingInfo[]>(lab, 'recording.list')
    expect(list[0]).toMatchObject({ runId: created.runId, current: true, clusterSize: 3, drill: null })
    expect(list[0]!.events).toBeGreaterThan(0)

    const liveTimeline = roleTimeline(live)
    // The recorder's streams flush on their own time: wait until the file holds the whole story.
    const replay = await waitFor('the recording to hold every role change', async () => {
      const r = await loadRecording(lab, created.runId)
      const count = (t: RoleTimeline): number => Object.values(t).reduce((a, b) => a + b.length, 0)
      return count(roleTimeline(r.events)) >= count(liveTimeline) && r.events.some((e) => e.type === 'metrics.sample') ? r : undefined
    })

    expect(roleTimeline(replay.events)).toEqual(liveTimeline)
    // The story is a real one: the first leader led, then another one in a later term.
    expect(liveTimeline[first.nodeId]).toContainEqual(['leader', first.status!.term])
    expect(liveTimeline[second.nodeId]).toContainEqual(['leader', second.status!.term])

    // Pages follow on, in time order, with metrics samples and the crash among the events.
    expect(replay.pages.length).toBeGreaterThan(1)
    expect(replay.events.map((e) => e.seq)).toEqual(replay.events.map((_, i) => i + 1))
    for (let i = 1; i < replay.events.length; i++) expect(replay.events[i]!.ts).toBeGreaterThanOrEqual(replay.events[i - 1]!.ts)
    expect(replay.events.some((e) => e.type === 'metrics.sample')).toBe(true)
    expect(replay.events.find((e) => e.type === 'node.exited' && e.nodeId === first.nodeId)).toMatchObject({ expected: false })
    const page = replay.pages[0]!
    expect(page.startedAt).toBeLessThanOrEqual(replay.events[0]!.ts)
    expect(page.endedAt).toBe(replay.events.at(-1)!.ts)
    expect(page.problems).toEqual([])
  })
})
