/**
 * A recorded run for replay tests: a 3-node cluster starts, node 1 leads, node 2 crashes 5 s
 * in, metrics every second; and a fake `recording.list` / `recording.load` that pages through
 * it. Test-only.
 */
import { vi } from 'vitest'
import { ok, type LabEvent, type LabEventBody, type RecordingInfo, type RecordingPage, type RecordingProblem } from '../../../electron/lab/api'
import { makeCluster, type FakeLab } from './fake-lab'

export const REC_START = 1_800_000_000_000
export const REC_RUN_ID = '20270115-080000-ab12'
/** Node 2 dies this long after the start. */
export const CRASH_AFTER_MS = 5_000
export const REC_DURATION_MS = 12_000

const sample = (at: number, up: number): LabEventBody => ({
  type: 'metrics.sample',
  sample: { at, intervalMs: 1000, nodes: [], cluster: { size: 3, nodesUp: up, quorum: 2, leader: 1, qps: 0, p99Ms: null, errorRate: 0, leaderChanges: 0 } }
})

/** The run's events in time order, stamped as `recording.load` stamps them (seq = position). */
export function recordedEvents(): LabEvent[] {
  const t = REC_START
  const bodies: Array<[number, LabEventBody]> = [
    [t, { type: 'cluster.created', cluster: makeCluster(3, { runId: REC_RUN_ID }) }],
    [t + 10, { type: 'cluster.state', state: 'starting' }],
    ...[1, 2, 3].map((id): [number, LabEventBody] => [t + 20 + id, { type: 'node.spawned', nodeId: id, pid: 700 + id }]),
    ...[1, 2, 3].map((id): [number, LabEventBody] => [t + 400 + id, { type: 'node.ready', nodeId: id, pid: 700 + id, readyMs: 380 }]),
    [t + 500, { type: 'cluster.state', state: 'running' }],
    [t + 700, { type: 'raft', nodeId: 1, nodeSeq: 1, nodeTs: t + 700, event: { type: 'roleChanged', node: 11, from: 'candidate', to: 'leader', term: 2, lead: 11 } }],
    [t + CRASH_AFTER_MS - 1, { type: 'fault.injected', kind: 'crash', nodeId: 2 }],
    [t + CRASH_AFTER_MS, { type: 'node.exited', nodeId: 2, pid: 702, code: null, signal: 'SIGKILL', expected: false }],
    [t + REC_DURATION_MS, { type: 'cluster.state', state: 'stopped' }]
  ]
  for (let s = 1; s * 1000 < REC_DURATION_MS; s++) bodies.push([t + s * 1000 + 5, sample(t + s * 1000 + 5, s * 1000 + 5 > CRASH_AFTER_MS ? 2 : 3)])
  bodies.sort((a, b) => a[0] - b[0])
  return bodies.map(([ts, body], i) => ({ ...body, seq: i + 1, ts }) as LabEvent)
}

export function recordingInfo(overrides: Partial<RecordingInfo> = {}): RecordingInfo {
  return {
    runId: REC_RUN_ID,
    startedAt: REC_START,
    endedAt: REC_START + REC_DURATION_MS,
    durationMs: REC_DURATION_MS,
    events: recordedEvents().length,
    dropped: 0,
    sizeBytes: 48_213,
    drill: null,
    clusterSize: 3,
    current: false,
    ...overrides
  }
}

/**
 * Answer `recording.list` with `runs` and `recording.load` by paging through `events`,
 * `pageSize` at a time (ignoring the asked limit, so small pages test paging).
 */
export function installRecording(
  lab: FakeLab,
  { events = recordedEvents(), pageSize = 4, runs = [recordingInfo()], problems = [] }: { events?: LabEvent[]; pageSize?: number; runs?: RecordingInfo[]; problems?: RecordingProblem[] } = {}
): void {
  lab.api.recording.list = vi.fn(() => Promise.resolve(ok(runs)))
  lab.api.recording.load = vi.fn(({ runId, fromSeq = 1 }: { runId: string; fromSeq?: number }) => {
    const start = fromSeq - 1
    const page: RecordingPage = {
      runId,
      startedAt: REC_START,
      endedAt: events.at(-1)?.ts ?? REC_START,
      total: events.length,
      fromSeq,
      // Like the engine, every answer is freshly parsed: nothing shared with earlier answers.
      events: structuredClone(events.slice(start, start + pageSize)),
      nextSeq: start + pageSize < events.length ? start + pageSize + 1 : null,
      problems
    }
    return Promise.resolve(ok(page))
  })
}
