import { describe, expect, it } from 'vitest'
import type { LabEvent } from '../../../../electron/lab/api'
import { created, election, lab, msgReceived, msgSent, spawnedAll, voteRequested } from '../../testing/timeline-fixtures'
import {
  createTimelineModel,
  M_FROM,
  M_SEND,
  M_STATUS,
  M_TO,
  messageCode,
  MSG_STATUS,
  type MessageTuple,
  type TimelineModel
} from '../../stores/timeline-model'
import {
  arrowBudget,
  buildTimelineOption,
  keptAtStride,
  makeRenderers,
  routineOpacity,
  selectMessages,
  SERIES_IDS,
  strideFor,
  type RenderApi,
  type Shape,
  type TimelineInput,
  type TimelineLabels
} from './timeline'
import { TIMELINE_PALETTES } from './timeline-palette'

const T0 = 1_700_000_000_000
// The option is a union of many shapes; tests read it as plain data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

const labels: TimelineLabels = {
  leaderRow: 'Leader',
  lane: (n) => `Node ${n}`,
  term: (t) => `T${t}`,
  leadership: (n, t) => `node ${n} · T${t}`,
  gap: (ms) => `${ms} ms`,
  fault: (f) => `cut → ${f.peer}`,
  stateName: (s) => s,
  empty: 'Start a cluster',
  tooltip: {
    band: (b) => `band ${b.node} ${b.state}`,
    fault: (f) => `fault ${f.node}→${f.peer}`,
    leadership: (l) => `leader ${l.node}`,
    gap: (g) => `no leader for ${g.ms} ms <b>`,
    message: (m) => `message ${m[2]}→${m[3]}`,
    mark: (k, reason) => `mark ${k[2]} ${reason}`
  }
}

const families = { vote: true, append: true, heartbeat: true, other: true }

function inputOf(m: TimelineModel, window = { start: T0, end: T0 + 10_000 }, now = T0 + 10_000): TimelineInput {
  return {
    lanes: m.lanes(),
    bands: m.bands(),
    faults: m.faults(),
    marks: m.marks(),
    messages: m.messages(),
    leaderships: m.leaderships(),
    gaps: m.gaps(),
    reasons: m.reasons(),
    now,
    window,
    first: m.firstTime(),
    families,
    palette: TIMELINE_PALETTES.light,
    labels
  }
}

function scenario(): TimelineModel {
  const m = createTimelineModel()
  const events: LabEvent[] = [created(3, T0), ...spawnedAll(3, T0 + 10)]
  events.push(...election(3, 1, 1, T0 + 300))
  events.push(lab({ type: 'link.fault', kind: 'peer', from: 1, to: 3, fault: { cut: 'blackhole', delayMs: 0, jitterMs: 0, dropPct: 0, dupPct: 0 } }, T0 + 1000))
  events.push(msgSent(1, T0 + 1100, 3, 'MsgHeartbeat', 1))
  events.push(lab({ type: 'fault.injected', kind: 'crash', nodeId: 1 }, T0 + 3999))
  events.push(lab({ type: 'node.exited', nodeId: 1, pid: 4000, code: null, signal: 'SIGKILL', expected: false }, T0 + 4000))
  events.push(voteRequested(2, T0 + 4200, 3, 2, true))
  events.push(...election(3, 2, 2, T0 + 4300, { absent: [1] }))
  m.apply(events)
  return m
}

/** A linear fake of ECharts' coordinate API: 1 px per ms from the window start, 40 px lanes. */
function fakeApi(value: readonly number[], window = { start: T0, end: T0 + 10_000 }): RenderApi {
  return {
    value: (d) => value[d],
    coord: ([x, y]) => [((x! - window.start) / (window.end - window.start)) * 10_000, y! * 40 + 20],
    size: () => [0, 40]
  }
}
const params = { coordSys: { x: 0, y: 0, width: 10_000, height: 160 }, dataIndex: 0 }

describe('buildTimelineOption', () => {
  it('has a leader row and one lane per node, and every custom series', () => {
    const { option } = buildTimelineOption(inputOf(scenario())) as { option: Loose }
    expect(option.yAxis.data).toEqual(['Leader', 'Node 1', 'Node 2', 'Node 3'])
    expect(option.yAxis.inverse).toBe(true)
    expect(option.series.map((s: Loose) => s.id)).toEqual([...SERIES_IDS])
    expect(option.series.every((s: Loose) => s.type === 'custom' && typeof s.renderItem === 'function')).toBe(true)
    expect(option.title.show).toBe(false)
  })

  it('puts the window on both zooms (inside and slider) and the kept history on the axis', () => {
    const m = scenario()
    const { option } = buildTimelineOption(inputOf(m, { start: T0 + 2000, end: T0 + 6000 }, T0 + 9000)) as { option: Loose }
    expect(option.dataZoom.map((z: Loose) => [z.type, z.startValue, z.endValue])).toEqual([
      ['inside', T0 + 2000, T0 + 6000],
      ['slider', T0 + 2000, T0 + 6000]
    ])
    expect(option.xAxis.min).toBe(T0)
    expect(option.xAxis.max).toBe(T0 + 9000)
  })

  it('gives bands, leaderships and gaps as small tuples, open ones ending now', () => {
    const { option } = buildTimelineOption(inputOf(scenario())) as { option: Loose }
    const byId = (id: string): Loose => option.series.find((s: Loose) => s.id === id)
    const leaders = byId('leaders').data
    expect(leaders.map((d: number[]) => d.slice(0, 5))).toEqual([
      [T0 + 302, T0 + 3999, 0, 1, 1],
      [T0 + 4302, T0 + 10_000, 0, 2, 2]
    ])
    expect(byId('gaps').data).toEqual([[T0 + 3999, T0 + 4302, 0, 303, 0]])
    const node1 = byId('bands').data.filter((d: number[]) => d[2] === 1)
    // lane 1 ends down (state code 5) until now
    expect(node1.at(-1).slice(0, 4)).toEqual([T0 + 4000, T0 + 10_000, 1, 5])
    expect(byId('faults').data).toEqual([[T0 + 1000, T0 + 10_000, 1, 0]])
  })

  it('hands the model its own message tuples, not copies', () => {
    const m = scenario()
    const { option } = buildTimelineOption(inputOf(m)) as { option: Loose }
    const data = option.series.find((s: Loose) => s.id === 'messages').data as MessageTuple[]
    expect(data.length).toBeGreaterThan(0)
    for (const d of data) expect(m.messages()).toContain(d)
    expect(option.series.find((s: Loose) => s.id === 'messages').encode.x).toEqual([0, 1])
  })

  it('writes tooltips from the labels, escaped', () => {
    const { option } = buildTimelineOption(inputOf(scenario())) as { option: Loose }
    expect(option.tooltip.formatter({ seriesId: 'gaps', value: [T0 + 3999, T0 + 4302, 0, 303, 0] })).toBe('no leader for 303 ms &#60;b&#62;')
    expect(option.tooltip.formatter({ seriesId: 'messages', value: [T0, T0, 1, 2, 0, 1, 0, 0, 0, 1] })).toBe('message 1→2')
  })

  it('shows a title instead of axes when there are no lanes', () => {
    const { option } = buildTimelineOption(inputOf(createTimelineModel())) as { option: Loose }
    expect(option.title.show).toBe(true)
    expect(option.title.text).toBe('Start a cluster')
    expect(option.xAxis.show).toBe(false)
  })
})

describe('renderItem shapes', () => {
  const m = scenario()
  const input = inputOf(m)
  const laneOf = (n: number): number | undefined => (n >= 1 && n <= 3 ? n : undefined)
  const r = makeRenderers(input, laneOf, false)

  it('draws a delivered message as a line from sender lane at send time to receiver lane at receive time, with a head', () => {
    const msg = m.messages().find((x) => x[M_STATUS] === MSG_STATUS.delivered && x[4] === messageCode('MsgVote'))!
    const shape = r.messages(params, fakeApi(msg)) as Shape
    expect(shape.type).toBe('group')
    const [line, head] = shape.children
    expect(line.type).toBe('line')
    expect(line.shape).toEqual({ x1: msg[0] - T0, y1: msg[2] * 40 + 20, x2: msg[1] - T0, y2: msg[3] * 40 + 20 })
    expect(head.type).toBe('polygon')
    expect(head.shape.points[0]).toEqual([msg[1] - T0, msg[3] * 40 + 20])
  })

  it('ends a message lost in a cut link in a cross by the receiver lane', () => {
    const lost = m.messages().find((x) => x[M_STATUS] === MSG_STATUS.lost)!
    expect(lost).toBeDefined()
    const shape = r.messages(params, fakeApi(lost)) as Shape
    expect(shape.type).toBe('group')
    expect(shape.children).toHaveLength(3)
    expect(shape.children[1].style.stroke).toBe(TIMELINE_PALETTES.light.lost)
    // from lane 1 (y 60) down to just above lane 3's band (y 140, lanes 40 px high)
    expect(shape.children[0].shape.y1).toBe(60)
    expect(shape.children[0].shape.y2).toBeCloseTo(140 - 40 * 0.32)
  })

  it('fades a message whose fate is unknown, and draws nothing for an unknown lane', () => {
    const unknown: number[] = [T0 + 10, T0 + 10, 1, 2, messageCode('MsgHeartbeat'), 1, 0, 0, 0, MSG_STATUS.unknown]
    const shape = r.messages(params, fakeApi(unknown)) as Shape
    expect(shape.type).toBe('line')
    expect(shape.style.opacity).toBeLessThan(0.5)
    expect(r.messages(params, fakeApi([T0, T0, 1, 9, 0, 1, 0, 0, 0, 1]))).toBeNull()
  })

  it('draws role bands with the term on them and down bands dashed', () => {
    const bands = buildTimelineOption(input).option.series as Loose[]
    const data = bands.find((s) => s.id === 'bands')!.data as number[][]
    const leaderBand = data.find((d) => d[2] === 1 && d[3] === 4)!
    const shape = r.bands(params, fakeApi(leaderBand)) as Shape
    expect(shape.type).toBe('group')
    expect(shape.children[0].style.fill).toBe(TIMELINE_PALETTES.light.state.leader)
    expect(shape.children[1].style.text).toBe('T1')
    const down = data.find((d) => d[3] === 5)!
    const downShape = r.bands(params, fakeApi(down)) as Shape
    expect(downShape.children[0].style.lineDash).toEqual([4, 3])
    expect(downShape.children[1].style.text).toBe('down')
  })

  it('labels a leaderless gap with its milliseconds and draws guides across every lane', () => {
    const shape = r.gaps(params, fakeApi([T0 + 4000, T0 + 4302, 0, 302, 0])) as Shape
    const text = shape.children.find((c: Shape) => c.type === 'text')
    expect(text.style.text).toBe('302 ms')
    // 302 px wide: the label fits inside, centred
    expect([text.style.x, text.style.align]).toEqual([4151, 'center'])
    const narrow = r.gaps(params, fakeApi([T0 + 4000, T0 + 4010, 0, 10, 0])) as Shape
    const label = narrow.children.find((c: Shape) => c.type === 'text')
    // 10 px wide: the label goes above the gap
    expect(label.style.verticalAlign).toBe('bottom')
    expect(label.style.y).toBeLessThan(20 - 40 * 0.34 / 2)
    const guides = shape.children.filter((c: Shape) => c.type === 'line')
    expect(guides.map((g: Shape) => [g.shape.y1, g.shape.y2])).toEqual([
      [0, 160],
      [0, 160]
    ])
  })

  it('marks vote requests as triangles, pre-votes hollow', () => {
    const marks = m.marks()
    const pre = marks.find((k) => k[2] === 0 && (k[5] & 2) !== 0)!
    const real = marks.find((k) => k[2] === 0 && (k[5] & 2) === 0)!
    const preShape = r.marks(params, fakeApi(pre)) as Shape
    const realShape = r.marks(params, fakeApi(real)) as Shape
    expect(preShape.type).toBe('polygon')
    expect(preShape.style.fill).toBe(TIMELINE_PALETTES.light.tooltipBg)
    expect(realShape.style.fill).toBe(TIMELINE_PALETTES.light.requested)
  })
})

describe('routineOpacity', () => {
  it('fades routine arrows as they crowd the plot', () => {
    expect(routineOpacity(10, 800)).toBe(0.85)
    expect(routineOpacity(600, 800)).toBeLessThan(0.2)
    expect(routineOpacity(600, 800)).toBeLessThan(routineOpacity(100, 800))
  })

  it('keeps votes bold whatever the crowd', () => {
    const r = makeRenderers(inputOf(scenario()), (n) => n, false, 0.12)
    const vote = [T0, T0 + 1, 1, 2, messageCode('MsgVote'), 1, 0, 0, 0, MSG_STATUS.delivered]
    const hb = [T0, T0 + 1, 1, 2, messageCode('MsgHeartbeat'), 1, 0, 0, 0, MSG_STATUS.delivered]
    expect((r.messages(params, fakeApi(vote)) as Shape).children[0].style.opacity).toBe(0.9)
    expect((r.messages(params, fakeApi(hb)) as Shape).children[0].style.opacity).toBe(0.12)
  })
})

describe('selectMessages at scale', () => {
  /** 50,000 message events: 25,000 heartbeats sent and received, plus a few votes. */
  function big(): TimelineModel {
    const m = createTimelineModel({ maxMessages: 60_000 })
    const events: LabEvent[] = [created(3, T0), ...spawnedAll(3, T0)]
    for (let i = 0; i < 25_000; i++) {
      const t = T0 + i * 2
      events.push(msgSent(1, t, 2 + (i % 2), 'MsgHeartbeat', 1, i), msgReceived(2 + (i % 2), t + 1, 1, 'MsgHeartbeat', 1, i))
    }
    events.push(msgSent(2, T0 + 30_000, 3, 'MsgVote', 2), msgReceived(3, T0 + 30_001, 2, 'MsgVote', 2))
    m.apply(events)
    return m
  }

  it('thins routine messages to the cap, keeps every vote, and builds no tuple of its own', () => {
    const m = big()
    expect(m.messages()).toHaveLength(25_001)
    const window = { start: T0, end: T0 + 50_000 }
    const sel = selectMessages(m.messages(), window, families, 2_000)
    expect(sel.visible).toBe(25_001)
    expect(sel.drawn).toBeLessThanOrEqual(2_001)
    expect(sel.drawn).toBeGreaterThan(1_000)
    expect(sel.data.some((x) => x[4] === messageCode('MsgVote'))).toBe(true)
    const own = new Set(m.messages())
    expect(sel.data.every((x) => own.has(x))).toBe(true)

    const { option, messages } = buildTimelineOption({ ...inputOf(m, window, T0 + 50_000), maxArrows: 2_000 })
    expect(messages).toEqual({ visible: 25_001, drawn: sel.drawn })
    const series = (option.series as Loose[]).find((s) => s.id === 'messages')!
    expect(series.data.length).toBe(sel.data.length)
  })

  it('takes only what is near the window', () => {
    const m = big()
    const sel = selectMessages(m.messages(), { start: T0 + 10_000, end: T0 + 11_000 }, families)
    expect(sel.visible).toBe(501)
    expect(sel.data.every((x) => x[M_SEND] >= T0 + 4_000 && x[M_SEND] <= T0 + 12_000)).toBe(true)
  })

  it('keeps the same arrows as the window slides (no shimmer while following)', () => {
    const m = big()
    const a = selectMessages(m.messages(), { start: T0, end: T0 + 40_000 }, families, 1_000, 0)
    const b = selectMessages(m.messages(), { start: T0 + 1_000, end: T0 + 41_000 }, families, 1_000, 0)
    const inBoth = (x: MessageTuple): boolean => x[M_SEND] >= T0 + 1_000 && x[M_SEND] <= T0 + 40_000
    expect(a.data.filter(inBoth)).toEqual(b.data.filter(inBoth))
  })

  it('following live (no margin) hands over only what is in view', () => {
    const m = big()
    const window = { start: T0 + 10_000, end: T0 + 11_000 }
    const sel = selectMessages(m.messages(), window, families, 10_000, 0)
    expect(sel.data).toHaveLength(sel.visible)
    expect(sel.data.every((x) => x[M_SEND] <= window.end && x[1] >= window.start)).toBe(true)
  })

  it('leaves out hidden families', () => {
    const m = big()
    const sel = selectMessages(m.messages(), { start: T0, end: T0 + 50_000 }, { ...families, heartbeat: false })
    expect(sel.visible).toBe(1)
    expect(sel.data).toHaveLength(1)
  })
})

describe('thinning', () => {
  it('strides by powers of two, just enough to fit the budget', () => {
    expect(strideFor(500, 1_000)).toBe(1)
    expect(strideFor(1_000, 1_000)).toBe(1)
    expect(strideFor(1_001, 1_000)).toBe(2)
    expect(strideFor(25_000, 2_000)).toBe(16)
  })

  it('keeps about one in `stride` of a leader heartbeating four followers every 100 ms, and half of them at twice the stride', () => {
    const tuples: MessageTuple[] = []
    for (let i = 0; i < 4_000; i++) {
      for (let to = 2; to <= 5; to++) {
        const t = T0 + i * 100 + (to - 2)
        tuples.push([t, t + 1, 1, to, messageCode('MsgHeartbeat'), 1, 0, 0, 0, MSG_STATUS.delivered] as unknown as MessageTuple)
      }
    }
    for (const stride of [2, 8, 32]) {
      const kept = tuples.filter((x) => keptAtStride(x, stride))
      expect(kept.length / tuples.length).toBeGreaterThan(0.7 / stride)
      expect(kept.length / tuples.length).toBeLessThan(1.3 / stride)
      // Every follower keeps its share: the sample is not one lane's.
      for (let to = 2; to <= 5; to++) expect(kept.filter((x) => x[M_TO] === to).length).toBeGreaterThan((0.5 * tuples.length) / 4 / stride)
      expect(kept.every((x) => x[M_FROM] === 1 && keptAtStride(x, stride / 2))).toBe(true)
    }
  })

  it('gives a plot about one arrow per two pixels, within bounds', () => {
    expect(arrowBudget(1_200)).toBe(600)
    expect(arrowBudget(100)).toBe(200)
    expect(arrowBudget(100_000)).toBe(4_000)
  })
})
