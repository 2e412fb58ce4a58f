import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type ClusterInfo, type LogWindowRequest } from '../../../electron/lab/api'
import { useClusterStore } from '../stores/cluster'
import { useFeedStore } from '../stores/feed'
import { POLL_INTERVAL_MS, useReplicationStore } from '../stores/replication'
import { createFakeLab, runningCluster, stamp, type FakeLab } from '../testing/fake-lab'
import { mountWithApp } from '../testing/mount'
import { logWindow, nodeStatus, progress, raftEvent, raftIdOf, raftView } from '../testing/replication-fixtures'
import ReplicationView from './ReplicationView.vue'

const T0 = 1_700_000_000_000
let wrapper: VueWrapper | undefined
let lab: FakeLab

/** Node 1 leads (term 2) with 30 entries, 28 committed; node 3 lags at 20 and is probed. */
function answerLogs(): void {
  const [n1, n2, n3] = lab.cluster!.nodes as [ClusterInfo['nodes'][0], ClusterInfo['nodes'][0], ClusterInfo['nodes'][0]]
  vi.mocked(lab.api.cluster.status).mockResolvedValue(
    ok([
      raftView(1, nodeStatus(n1, { role: 'leader', term: 2, lastIndex: 30, commit: 28, progress: [progress(n1.address, { match: 30 }), progress(n2.address, { match: 30, next: 31, inflight: 1 }), progress(n3.address, { match: 20, next: 21, state: 'probe', recentActive: false })] })),
      raftView(2, nodeStatus(n2, { lastIndex: 30, commit: 28 })),
      raftView(3, nodeStatus(n3, { lastIndex: 20, commit: 20 }))
    ])
  )
  vi.mocked(lab.api.node.log).mockImplementation((req: LogWindowRequest) => {
    const termOf = (i: number) => (i <= 10 ? 1 : 2)
    if (req.nodeId === 3) return Promise.resolve(ok(logWindow({ first: 6, last: 20, commit: 20, applied: 19, termOf })))
    return Promise.resolve(ok(logWindow({ last: 30, commit: 28, applied: 27, termOf })))
  })
}

async function mountView(cluster: ClusterInfo | null, locale: 'en' | 'zh-CN' = 'en') {
  lab = createFakeLab(cluster)
  if (cluster) answerLogs()
  window.lab = lab.api
  wrapper = mountWithApp(ReplicationView, { locale }).wrapper
  await useClusterStore().init()
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useReplicationStore().$dispose()
  useClusterStore().$dispose()
  delete window.lab
  vi.useRealTimers()
})

describe('ReplicationView', () => {
  it('says what to do when there is no cluster, and reads nothing', async () => {
    const w = await mountView(null)
    expect(w.get('[data-testid="replication-notice-empty"]').text()).toContain('No cluster yet')
    expect(w.find('[data-testid="replication-strips"]').exists()).toBe(false)
    expect(w.get('[data-testid="replication-progress-none"]').text()).toContain('No leader')
    expect(lab.api.node.log).not.toHaveBeenCalled()
  })

  it('draws one strip per node with its commit, applied and last index, entries coloured by term', async () => {
    const w = await mountView(runningCluster(3))
    const s1 = w.get('[data-testid="replication-strip-1"]')
    expect(s1.attributes()).toMatchObject({ 'data-commit': '28', 'data-applied': '27', 'data-last': '30', 'data-role': 'leader', 'data-answering': 'true' })
    expect(w.get('[data-testid="replication-strip-3"]').attributes()).toMatchObject({ 'data-commit': '20', 'data-last': '20', 'data-first': '6' })

    const entries = s1.findAll('[data-testid="replication-entry"]')
    expect(entries).toHaveLength(30)
    const e29 = entries.find((e) => e.attributes('data-index') === '29')!
    expect(e29.attributes()).toMatchObject({ 'data-term': '2', 'data-committed': 'false' })
    expect(e29.classes()).toContain('cell--uncommitted')
    const e28 = entries.find((e) => e.attributes('data-index') === '28')!
    expect(e28.classes()).toContain('cell--committed')
    // Terms get different colours.
    const e1 = entries.find((e) => e.attributes('data-index') === '1')!
    expect(e1.attributes('style')).not.toBe(e28.attributes('style'))
    expect(e28.attributes('title')).toContain('config.publish public/DEFAULT_GROUP/app-28.yaml')

    // Node 3 compacted 1–5 into its snapshot and has not written 21–120 (the default window is 120).
    const s3 = w.get('[data-testid="replication-strip-3"]')
    expect(s3.findAll('[data-kind="snapshot"]')).toHaveLength(5)
    expect(s3.findAll('[data-kind="empty"]')).toHaveLength(100)
    expect(s3.find('[data-testid="replication-snapshot-prefix"]').exists()).toBe(true)

    expect(w.findAll('[data-testid="replication-legend-term"]').map((t) => t.attributes('data-term'))).toEqual(['1', '2'])
  })

  it('shows the leader’s view of each follower, in the table and as carets on the strips', async () => {
    const w = await mountView(runningCluster(3))
    expect(w.get('[data-testid="replication-progress-leader"]').attributes('data-leader')).toBe('1')
    const r2 = w.get('[data-testid="replication-progress-2"]')
    expect(r2.attributes()).toMatchObject({ 'data-state': 'replicate', 'data-match': '30', 'data-next': '31' })
    const r3 = w.get('[data-testid="replication-progress-3"]')
    expect(r3.attributes()).toMatchObject({ 'data-state': 'probe', 'data-match': '20' })
    expect(r3.text()).toContain('not heard recently')
    expect(w.find('[data-testid="replication-progress-1"]').exists()).toBe(false)
    expect(w.find('[data-testid="replication-progress-error"]').exists()).toBe(false)

    const s3 = w.get('[data-testid="replication-strip-3"]')
    expect(s3.get('[data-testid="replication-caret-match"]').attributes('title')).toBe('match 20')
    expect(s3.get('[data-testid="replication-caret-next"]').attributes('title')).toBe('next 21')
    expect(w.get('[data-testid="replication-strip-1"]').find('[data-testid="replication-caret-match"]').exists()).toBe(false)
  })

  it('shows an entry on every node on hover and moves along the log with the keyboard', async () => {
    const w = await mountView(runningCluster(3))
    const cell = w.get('[data-testid="replication-strip-2"] [data-index="15"]')
    await cell.trigger('mouseover')
    expect(w.get('[data-testid="replication-hover-card"]').text()).toContain('app-15.yaml')
    const detail = w.get('[data-testid="replication-entry-detail"]')
    expect(detail.attributes('data-index')).toBe('15')
    expect(w.get('[data-testid="replication-detail-1"]').text()).toContain('app-15.yaml')
    expect(w.get('[data-testid="replication-detail-3"]').text()).toContain('committed')

    const band = w.get('[data-testid="replication-band-1"]')
    await band.trigger('keydown', { key: 'ArrowRight' })
    expect(w.get('[data-testid="replication-entry-detail"]').attributes('data-index')).toBe('16')
    await band.trigger('keydown', { key: 'Home' })
    expect(w.get('[data-testid="replication-entry-detail"]').attributes('data-index')).toBe('1')
    expect(w.get('[data-testid="replication-detail-3"]').attributes('data-kind')).toBe('snapshot')
    expect(w.findAll('.cell--selected')).toHaveLength(3)
  })

  it('flags a follower entry whose term differs from the leader’s, on the strip and in the detail', async () => {
    const w = await mountView(runningCluster(3))
    vi.mocked(lab.api.node.log).mockImplementation((req: LogWindowRequest) =>
      Promise.resolve(ok(logWindow({ last: 30, commit: 28, termOf: (i) => (req.nodeId === 2 && i > 28 ? 1 : i <= 10 ? 1 : 2) })))
    )
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    const s2 = w.get('[data-testid="replication-strip-2"]')
    expect(s2.findAll('[data-conflict="true"]').map((c) => c.attributes('data-index'))).toEqual(['29', '30'])
    expect(w.get('[data-testid="replication-strip-1"]').findAll('[data-conflict="true"]')).toHaveLength(0)
    await s2.get('[data-index="30"]').trigger('mouseover')
    expect(w.get('[data-testid="replication-detail-differs"]').text()).toContain('disagree')
    expect(w.get('[data-testid="replication-hover-card"]').text()).toContain('Conflicts with the leader')
  })

  it('calls out snapshot installs and truncations with their time, and marks them on the strips', async () => {
    const w = await mountView(runningCluster(3))
    const [n1, n2, n3] = lab.cluster!.nodes as [ClusterInfo['nodes'][0], ClusterInfo['nodes'][0], ClusterInfo['nodes'][0]]
    lab.emit(
      stamp(raftEvent(n1, { type: 'snapshotSent', to: raftIdOf(n3), index: 5, term: 1 }), T0 + 1234),
      stamp(raftEvent(n2, { type: 'logTruncated', after: 24, dropped: 3 }), T0 + 2000)
    )
    await flushPromises()
    const items = w.get('[data-testid="replication-callouts"]').findAll('[data-testid="replication-callout"]')
    expect(items.map((i) => i.attributes('data-kind'))).toEqual(['logTruncated', 'snapshotSent'])
    expect(items[0]!.text()).toContain('Node 2 dropped 3 conflicting entries from index 25')
    expect(items[1]!.text()).toContain('Node 1 sent a snapshot up to index 5 (term 1) to node 3')
    expect(items[1]!.find('time').text()).toMatch(/\d\d:\d\d:\d\d\.\d{3}/)
    expect(w.get('[data-testid="replication-strip-3"] [data-testid="replication-strip-mark"]').attributes('data-kind')).toBe('snapshotSent')
    expect(w.get('[data-testid="replication-strip-2"] [data-testid="replication-strip-mark"]').attributes('data-kind')).toBe('logTruncated')
  })

  it('greys a node that stopped answering and says since when', async () => {
    const w = await mountView(runningCluster(3))
    const node3 = useClusterStore().cluster!.nodes[2]!
    lab.emit(stamp({ type: 'node.exited', nodeId: 3, pid: node3.pid!, code: null, signal: 'SIGKILL', expected: false }))
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    const s3 = w.get('[data-testid="replication-strip-3"]')
    expect(s3.classes()).toContain('strip--silent')
    expect(s3.attributes('data-answering')).toBe('false')
    // The last known log stays.
    expect(s3.attributes('data-last')).toBe('20')
    expect(s3.get('[data-testid="replication-strip-silent"]').text()).toMatch(/not answering since \d\d:\d\d:\d\d \(down\)/)
  })

  it('animates appends in flight and commit advances in the teaching profile', async () => {
    const w = await mountView(runningCluster(3, T0, 'run-1'))
    const [n1, n2] = lab.cluster!.nodes as [ClusterInfo['nodes'][0], ClusterInfo['nodes'][0]]
    await w.get<HTMLInputElement>('[data-testid="replication-animate"]').setValue(true)
    lab.emit(
      raftEvent(n1, { type: 'msgSent', to: raftIdOf(n2), msg: 'MsgApp', index: 28, entries: 2, term: 2, reject: false }),
      raftEvent(n2, { type: 'commitAdvanced', from: 26, to: 28, term: 2 })
    )
    await flushPromises()
    const flow = w.get('[data-testid="replication-flow"]')
    expect(flow.attributes('data-to')).toBe('2')
    expect(flow.text()).toContain('29–30')
    expect(w.get('[data-testid="replication-commit-flash"]').attributes('data-node')).toBe('2')
  })

  it('moves the window older and back to following', async () => {
    const w = await mountView(runningCluster(3))
    await w.get('[data-testid="replication-window-size"]').setValue('200')
    await flushPromises()
    expect(w.get('[data-testid="replication-window-range"]').attributes()).toMatchObject({ 'data-from': '1', 'data-to': '200' })
    await w.get('[data-testid="replication-window-size"]').setValue('60')
    expect(w.get('[data-testid="replication-window-older"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="replication-window-latest"]').attributes('disabled')).toBeDefined()
  })

  it('pages through a long log with Page Up / Page Down and comes back to following', async () => {
    const w = await mountView(runningCluster(3))
    vi.mocked(lab.api.node.log).mockImplementation((req: LogWindowRequest) => Promise.resolve(ok(logWindow({ last: 300, from: req.from }))))
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    const range = () => w.get('[data-testid="replication-window-range"]').attributes()
    expect(range()).toMatchObject({ 'data-from': '181', 'data-to': '300', 'data-following': 'true' })
    const band = w.get('[data-testid="replication-band-2"]')
    await band.trigger('keydown', { key: 'PageUp' })
    expect(range()).toMatchObject({ 'data-from': '121', 'data-to': '240', 'data-following': 'false' })
    await flushPromises()
    expect(vi.mocked(lab.api.node.log).mock.calls.at(-1)![0]).toMatchObject({ from: 121, to: 240 })
    await w.get('[data-testid="replication-window-older"]').trigger('click')
    expect(range()).toMatchObject({ 'data-from': '61', 'data-to': '180' })
    await band.trigger('keydown', { key: 'PageDown' })
    expect(range()).toMatchObject({ 'data-from': '121', 'data-to': '240' })
    await w.get('[data-testid="replication-window-latest"]').trigger('click')
    expect(range()).toMatchObject({ 'data-from': '181', 'data-to': '300', 'data-following': 'true' })
  })

  it('explains every concept with a pointer to the tutorial', async () => {
    const w = await mountView(runningCluster(3))
    for (const topic of ['index', 'term', 'commit', 'match-next', 'states', 'snapshot', 'compaction', 'truncation']) {
      expect(w.get(`[data-testid="replication-tip-${topic}"]`).text()).toMatch(/Tutorial §\d\.\d/)
    }
    expect(w.get('[data-testid="replication-tip-states"]').text()).toContain('Probe')
  })

  it('says when the status cannot be read, keeping the last answer', async () => {
    const w = await mountView(runningCluster(3))
    vi.mocked(lab.api.cluster.status).mockResolvedValue({ ok: false, error: { code: 'TIMEOUT', message: 'the lab did not answer' } })
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    expect(w.get('[data-testid="replication-progress-error"]').text()).toContain('the lab did not answer')
    expect(w.get('[data-testid="replication-progress-2"]').attributes('data-state')).toBe('replicate')
  })

  it('stops reading when it unmounts', async () => {
    await mountView(runningCluster(3))
    const calls = vi.mocked(lab.api.cluster.status).mock.calls.length
    wrapper!.unmount()
    wrapper = undefined
    await vi.advanceTimersByTimeAsync(3 * POLL_INTERVAL_MS)
    expect(vi.mocked(lab.api.cluster.status).mock.calls.length).toBe(calls)
  })

  it('says in replay that the logs need the live cluster, and stops reading', async () => {
    const w = await mountView(runningCluster(3))
    useFeedStore().beginReplay(T0)
    await flushPromises()
    expect(w.get('[data-testid="replication-notice-replay"]').text()).toContain('Replaying')
    expect(w.get('[data-testid="view-replication"]').attributes('data-polling')).toBe('false')
    const calls = vi.mocked(lab.api.node.log).mock.calls.length
    await vi.advanceTimersByTimeAsync(3 * POLL_INTERVAL_MS)
    expect(vi.mocked(lab.api.node.log).mock.calls.length).toBe(calls)
  })

  it('reads in Chinese', async () => {
    const w = await mountView(runningCluster(3), 'zh-CN')
    expect(w.text()).toContain('日志复制')
    expect(w.get('[data-testid="replication-progress-3"]').text()).toContain('探测')
    expect(w.get('[data-testid="replication-strip-1"]').text()).toContain('领导者')
  })
})
