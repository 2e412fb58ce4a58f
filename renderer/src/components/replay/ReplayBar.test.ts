import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useFeedStore } from '../../stores/feed'
import { useReplayStore } from '../../stores/replay'
import { createFakeLab, runningCluster, type FakeLab } from '../../testing/fake-lab'
import { mountWithApp } from '../../testing/mount'
import { CRASH_AFTER_MS, installRecording, recordingInfo, REC_RUN_ID, REC_START } from '../../testing/replay-fixtures'
import AppNav from '../AppNav.vue'
import RecordingsButton from './RecordingsButton.vue'
import ReplayBar from './ReplayBar.vue'

let lab: FakeLab

beforeEach(() => {
  vi.useFakeTimers({ now: 1_900_000_000_000 })
  lab = createFakeLab(runningCluster(3))
  window.lab = lab.api
  installRecording(lab)
})

afterEach(() => {
  delete window.lab
  vi.useRealTimers()
  document.body.innerHTML = ''
})

async function openBar() {
  const mounted = mountWithApp(ReplayBar)
  useFeedStore().init()
  const replay = useReplayStore()
  await replay.open(REC_RUN_ID)
  await flushPromises()
  return { ...mounted, replay }
}

describe('ReplayBar', () => {
  it('is absent while live', () => {
    const { wrapper } = mountWithApp(ReplayBar)
    expect(wrapper.find('[data-testid="replay-bar"]').exists()).toBe(false)
  })

  it('says which run is replayed and that live events are paused', async () => {
    const { wrapper } = await openBar()
    expect(wrapper.get('[data-testid="replay-banner"]').text()).toBe(`Replaying run ${REC_RUN_ID} — live events paused`)
    expect(wrapper.get('[data-testid="replay-time"]').text()).toBe('0:00.0 / 0:12.0')
    expect(wrapper.get('[data-testid="replay-count"]').text()).toMatch(/^1 of \d+ events$/)
  })

  it('plays and pauses from the button and from Space; the clock moves at the chosen speed', async () => {
    const { wrapper, replay } = await openBar()
    await wrapper.get('[data-testid="replay-speed"]').setValue('10')
    expect(replay.speed).toBe(10)
    await wrapper.get('[data-testid="replay-play"]').trigger('click')
    expect(replay.playing).toBe(true)
    expect(wrapper.get('[data-testid="replay-play"]').attributes('data-state')).toBe('playing')
    replay.advance(200)
    await flushPromises()
    expect(wrapper.get('[data-testid="replay-time"]').text()).toBe('0:02.0 / 0:12.0')
    await wrapper.get('[data-testid="replay-bar"]').trigger('keydown', { key: ' ' })
    expect(replay.playing).toBe(false)
    await wrapper.get('[data-testid="replay-bar"]').trigger('keydown', { key: ' ' })
    expect(replay.playing).toBe(true)
  })

  it('seeks 5 s with the arrow keys and to any point with the slider', async () => {
    const { wrapper, replay } = await openBar()
    const bar = wrapper.get('[data-testid="replay-bar"]')
    await bar.trigger('keydown', { key: 'ArrowRight' })
    await flushPromises()
    expect(replay.at).toBe(REC_START + 5000)
    await bar.trigger('keydown', { key: 'ArrowLeft' })
    await flushPromises()
    expect(replay.at).toBe(REC_START)
    const slider = wrapper.get('[data-testid="replay-slider"]')
    expect(slider.attributes('max')).toBe('12000')
    await slider.setValue(String(CRASH_AFTER_MS + 1000))
    await flushPromises()
    expect(replay.at).toBe(REC_START + CRASH_AFTER_MS + 1000)
    expect(wrapper.get('[data-testid="replay-time"]').text()).toBe('0:06.0 / 0:12.0')
  })

  it('says when the recording has gaps or damaged lines, and which', async () => {
    installRecording(lab, { problems: [{ file: 'events.ndjson', line: 812, reason: 'torn last line (the lab stopped mid-write): skipped' }] })
    const { wrapper } = await openBar()
    const note = wrapper.get('[data-testid="replay-problems"]')
    expect(note.text()).toBe('1 gap or damaged line in the recording (skipped)')
    expect(note.attributes('title')).toBe('events.ndjson:812 torn last line (the lab stopped mid-write): skipped')
  })

  it('Back to live leaves the replay and hides the bar', async () => {
    const { wrapper } = await openBar()
    await wrapper.get('[data-testid="replay-back-to-live"]').trigger('click')
    expect(useFeedStore().live).toBe(true)
    expect(wrapper.find('[data-testid="replay-bar"]').exists()).toBe(false)
  })

  it('shows the replay badge in the side bar while replaying', async () => {
    const { wrapper } = mountWithApp(AppNav)
    useFeedStore().init()
    expect(wrapper.find('[data-testid="replay-badge"]').exists()).toBe(false)
    await useReplayStore().open(REC_RUN_ID)
    await flushPromises()
    expect(wrapper.find('[data-testid="replay-badge"]').exists()).toBe(true)
  })
})

describe('RecordingsDialog', () => {
  it('lists the runs with what they were, and opening one starts its replay', async () => {
    installRecording(lab, { runs: [recordingInfo({ runId: '20270115-090000-cd34', drill: 'leader-crash', current: true, dropped: 3 }), recordingInfo()] })
    const { wrapper } = mountWithApp(RecordingsButton)
    useFeedStore().init()
    await wrapper.get('[data-testid="recordings-open"]').trigger('click')
    await flushPromises()
    const dialog = wrapper.get('[data-testid="recordings-dialog"]')
    const drillRow = dialog.get('[data-testid="recordings-row-20270115-090000-cd34"]').text()
    expect(drillRow).toContain('Drill: leader-crash')
    expect(drillRow).toContain('current run')
    expect(drillRow).toContain('3 dropped')
    const freeRow = dialog.get(`[data-testid="recordings-row-${REC_RUN_ID}"]`).text()
    expect(freeRow).toContain('Free play')
    expect(freeRow).toContain('0:12.0')
    expect(freeRow).toContain('47.1 KB')
    await dialog.get(`[data-testid="recordings-open-${REC_RUN_ID}"]`).trigger('click')
    await flushPromises()
    expect(lab.api.recording.load).toHaveBeenCalledWith({ runId: REC_RUN_ID, fromSeq: 1, limit: 2000 })
    expect(useFeedStore().mode).toBe('replay')
    expect(wrapper.find('[data-testid="recordings-dialog"]').exists()).toBe(false)
  })

  it('says so when nothing was recorded, shows errors, and closes with Escape', async () => {
    installRecording(lab, { runs: [] })
    const { wrapper } = mountWithApp(RecordingsButton)
    await wrapper.get('[data-testid="recordings-open"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="recordings-empty"]').text()).toMatch(/No recorded runs yet/)
    await wrapper.get('[data-testid="recordings-close"]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[data-testid="recordings-dialog"]').exists()).toBe(false)
    lab.api.recording.list = vi.fn(() => Promise.resolve({ ok: false as const, error: { code: 'INTERNAL' as const, message: 'cannot read runs' } }))
    await wrapper.get('[data-testid="recordings-open"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="recordings-error"]').text()).toBe('cannot read runs')
  })

  it('shows that a run is being opened (a long run is indexed first) and takes no second click meanwhile', async () => {
    const { wrapper } = mountWithApp(RecordingsButton)
    useFeedStore().init()
    await wrapper.get('[data-testid="recordings-open"]').trigger('click')
    await flushPromises()
    let answer: (v: Awaited<ReturnType<typeof lab.api.recording.load>>) => void = () => undefined
    const first = lab.api.recording.load
    lab.api.recording.load = vi.fn((req) => new Promise((r) => (answer = (v) => r(v))).then(() => first(req)))
    const open = wrapper.get(`[data-testid="recordings-open-${REC_RUN_ID}"]`)
    await open.trigger('click')
    expect(open.text()).toBe('Opening…')
    expect(open.attributes('disabled')).toBeDefined()
    answer({ ok: true, value: undefined as never })
    await flushPromises()
    expect(useFeedStore().mode).toBe('replay')
    expect(wrapper.find('[data-testid="recordings-dialog"]').exists()).toBe(false)
  })

  it('the side bar entry opens the same dialog (hosted once, by the header)', async () => {
    const { wrapper } = mountWithApp(RecordingsButton, { props: { place: 'nav' } })
    expect(wrapper.find('[data-testid="recordings-dialog"]').exists()).toBe(false)
    await wrapper.get('[data-testid="nav-recordings"]').trigger('click')
    expect(useReplayStore().dialogOpen).toBe(true)
    // The nav entry hosts no dialog of its own.
    expect(wrapper.find('[data-testid="recordings-dialog"]').exists()).toBe(false)
  })
})
