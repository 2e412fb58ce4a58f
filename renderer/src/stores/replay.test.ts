import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LabEvent, RecordingLoadRequest, RecordingPage, Result } from '../../../electron/lab/api'
import { createFakeLab, failed, runningCluster, type FakeLab } from '../testing/fake-lab'
import { CRASH_AFTER_MS, installRecording, recordedEvents, recordingInfo, REC_DURATION_MS, REC_RUN_ID, REC_START } from '../testing/replay-fixtures'
import { useClusterStore } from './cluster'
import { useFeedStore } from './feed'
import { useReplayStore } from './replay'

let lab: FakeLab
/** What the feed handed its subscribers, batch by batch, and how often it reset them. */
let batches: LabEvent[][]
let resets: number

/** Wait for pending promise chains (page loads) to settle. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 100; i++) await Promise.resolve()
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_900_000_000_000 })
  setActivePinia(createPinia())
  lab = createFakeLab(runningCluster(3))
  window.lab = lab.api
  installRecording(lab)
  batches = []
  resets = 0
  const feed = useFeedStore()
  feed.init()
  feed.subscribe({ onEvents: (b) => void batches.push([...b]), onReset: () => void resets++ })
})

afterEach(() => {
  useReplayStore().$dispose()
  useClusterStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

const pushedSeqs = (): number[] => batches.flat().map((e) => e.seq)

describe('listing recorded runs', () => {
  it('opens the dialog with the runs the lab lists', async () => {
    const replay = useReplayStore()
    replay.openDialog()
    await settle()
    expect(replay.dialogOpen).toBe(true)
    expect(replay.runs).toEqual([recordingInfo()])
  })

  it('keeps the error of a failed list for the dialog to show', async () => {
    lab.api.recording.list = vi.fn(() => Promise.resolve(failed('INTERNAL', 'disk gone')))
    const replay = useReplayStore()
    await replay.refreshList()
    expect(replay.lastError).toEqual({ code: 'INTERNAL', message: 'disk gone' })
    expect(replay.runs).toEqual([])
  })
})

describe('playing a run', () => {
  it('opens at the start: the feed is in replay, live events are ignored, only the first instant is pushed', async () => {
    const replay = useReplayStore()
    const feed = useFeedStore()
    expect(await replay.open(REC_RUN_ID)).toBe(true)
    expect(feed.mode).toBe('replay')
    expect(feed.now()).toBe(REC_START)
    expect(resets).toBe(1)
    expect(replay.run).toMatchObject({ runId: REC_RUN_ID, startedAt: REC_START, endedAt: REC_START + REC_DURATION_MS })
    expect(batches.flat().map((e) => e.type)).toEqual(['cluster.created'])
    lab.emit({ type: 'cluster.state', state: 'stopping' })
    expect(batches.flat().some((e) => e.type === 'cluster.state' && e.state === 'stopping')).toBe(false)
    expect(lab.api.recording.load).toHaveBeenCalledWith({ runId: REC_RUN_ID, fromSeq: 1, limit: 2000 })
  })

  it('advances by elapsed time × speed, pushing exactly the events whose time has come, and loads pages ahead', async () => {
    const replay = useReplayStore()
    const feed = useFeedStore()
    await replay.open(REC_RUN_ID)
    await settle()
    await replay.play()
    replay.advance(300)
    expect(feed.now()).toBe(REC_START + 300)
    expect(batches.flat().every((e) => e.ts <= REC_START + 300)).toBe(true)
    expect(batches.flat().filter((e) => e.type === 'node.spawned')).toHaveLength(3)
    expect(batches.flat().some((e) => e.type === 'node.ready')).toBe(false)
    replay.setSpeed(10)
    replay.advance(100)
    await settle()
    expect(feed.now()).toBe(REC_START + 1300)
    // Pages of 4 events: several were loaded ahead of the clock.
    expect(vi.mocked(lab.api.recording.load).mock.calls.length).toBeGreaterThan(2)
    expect(pushedSeqs()).toEqual(recordedEvents().filter((e) => e.ts <= REC_START + 1300).map((e) => e.seq))
  })

  it('plays to the end in order without losing or repeating an event, then stops', async () => {
    const replay = useReplayStore()
    await replay.open(REC_RUN_ID)
    replay.setSpeed(60)
    await replay.play()
    for (let i = 0; i < 40 && replay.playing; i++) {
      vi.advanceTimersByTime(50)
      await settle()
    }
    expect(replay.playing).toBe(false)
    expect(replay.atEnd).toBe(true)
    expect(pushedSeqs()).toEqual(recordedEvents().map((e) => e.seq))
    expect(replay.pushed).toBe(recordedEvents().length)
  })

  it('waits for a page rather than skip events when loading falls behind', async () => {
    // The first page comes, the next ones hang: the clock may go no further than the last loaded event.
    const first = lab.api.recording.load
    let calls = 0
    lab.api.recording.load = vi.fn((req: RecordingLoadRequest) => (calls++ === 0 ? first(req) : new Promise<Result<RecordingPage>>(() => undefined)))
    const replay = useReplayStore()
    const feed = useFeedStore()
    await replay.open(REC_RUN_ID)
    await replay.play()
    replay.setSpeed(60)
    replay.advance(1000)
    const loaded = recordedEvents()[3]!.ts
    expect(feed.now()).toBe(loaded)
    expect(replay.buffering).toBe(true)
  })
})

describe('seeking', () => {
  it('forward: pushes everything up to the target in one go', async () => {
    const replay = useReplayStore()
    const feed = useFeedStore()
    await replay.open(REC_RUN_ID)
    await replay.seek(REC_START + CRASH_AFTER_MS + 100)
    expect(feed.now()).toBe(REC_START + CRASH_AFTER_MS + 100)
    expect(pushedSeqs()).toEqual(recordedEvents().filter((e) => e.ts <= REC_START + CRASH_AFTER_MS + 100).map((e) => e.seq))
  })

  it('back: rewinds the feed and replays from the start, so the map shows node 2 up again', async () => {
    const cluster = useClusterStore()
    await cluster.init()
    const replay = useReplayStore()
    await replay.open(REC_RUN_ID)
    await replay.seek(REC_START + CRASH_AFTER_MS + 500)
    expect(cluster.cluster?.nodes.map((n) => n.state)).toEqual(['up', 'down', 'up'])
    const resetsBefore = resets
    batches = []
    await replay.seek(REC_START + 1000)
    expect(resets).toBe(resetsBefore + 1)
    // One batch: the stores rebuild the story up to the target at once.
    expect(batches).toHaveLength(1)
    expect(pushedSeqs()).toEqual(recordedEvents().filter((e) => e.ts <= REC_START + 1000).map((e) => e.seq))
    expect(cluster.cluster?.nodes.map((n) => n.state)).toEqual(['up', 'up', 'up'])
    // ← / → move 5 s; a seek never leaves the run.
    await replay.stepForward()
    expect(replay.at).toBe(REC_START + 6000)
    expect(cluster.cluster?.nodes.map((n) => n.state)).toEqual(['up', 'down', 'up'])
    await replay.stepBack()
    await replay.stepBack()
    await replay.stepBack()
    expect(replay.at).toBe(REC_START)
    await replay.seek(REC_START + 10 * REC_DURATION_MS)
    expect(replay.at).toBe(REC_START + REC_DURATION_MS)
  })

  it('at the end, play starts again from the beginning', async () => {
    const replay = useReplayStore()
    await replay.open(REC_RUN_ID)
    await replay.seek(REC_START + REC_DURATION_MS)
    expect(replay.atEnd).toBe(true)
    await replay.play()
    expect(replay.at).toBe(REC_START)
    expect(replay.playing).toBe(true)
  })
})

describe('leaving and failing', () => {
  it('Back to live: the feed is live again and the cluster store reloads the lab', async () => {
    const cluster = useClusterStore()
    await cluster.init()
    const replay = useReplayStore()
    await replay.open(REC_RUN_ID)
    await replay.play()
    const gets = vi.mocked(lab.api.cluster.get).mock.calls.length
    replay.close()
    await settle()
    expect(useFeedStore().mode).toBe('live')
    expect(replay.run).toBeNull()
    expect(replay.playing).toBe(false)
    expect(vi.mocked(lab.api.cluster.get).mock.calls.length).toBe(gets + 1)
    expect(cluster.cluster?.runId).toBe('run-1')
    // Live events flow again.
    lab.emit({ type: 'cluster.state', state: 'stopping' })
    expect(batches.at(-1)?.[0]).toMatchObject({ type: 'cluster.state', state: 'stopping' })
  })

  it('stays live and keeps the error when the run cannot be loaded', async () => {
    lab.api.recording.load = vi.fn(() => Promise.resolve(failed('INVALID_ARGUMENT', 'recording.load: "runId": no recording')))
    const replay = useReplayStore()
    expect(await replay.open('nope')).toBe(false)
    expect(useFeedStore().mode).toBe('live')
    expect(replay.lastError?.message).toMatch(/runId/)
  })
})
