import { describe, expect, it } from 'vitest'
import { createAppI18n } from '../../i18n'
import {
  FLAG_PREVOTE,
  FLAG_REJECT,
  markKindCode,
  messageCode,
  MSG_STATUS,
  type FaultBand
} from '../../stores/timeline-model'
import { formatDuration, makeTimelineLabels, type Translate } from './timeline-labels'

const T0 = 1_700_000_000_000

function labelsIn(locale: 'en' | 'zh-CN') {
  const t = createAppI18n(locale).global.t as unknown as Translate
  return { t, labels: makeTimelineLabels(t, () => T0 + 10_000) }
}

describe('timeline labels', () => {
  it('formats durations in the UI language', () => {
    const { t } = labelsIn('en')
    expect([formatDuration(412.4, t), formatDuration(3_840, t), formatDuration(150_000, t)]).toEqual(['412 ms', '3.8 s', '2.5 min'])
    expect(formatDuration(412, labelsIn('zh-CN').t)).toBe('412 毫秒')
  })

  it('describes a delivered message: what it is for, its fields, when it left and arrived', () => {
    const { labels } = labelsIn('en')
    const text = labels.tooltip.message([T0, T0 + 2, 1, 3, messageCode('MsgVote'), 4, 17, 0, 0, MSG_STATUS.delivered])
    expect(text.split('\n')).toEqual([
      'MsgVote: node 1 → node 3',
      'asks for a vote',
      'term 4 · index 17 · 0 entries',
      expect.stringMatching(/^sent \d\d:\d\d:\d\d\.\d{3}$/),
      expect.stringMatching(/^received \d\d:\d\d:\d\d\.\d{3} \(2 ms later\)$/)
    ])
  })

  it('says what became of a message that never arrived', () => {
    const { labels } = labelsIn('en')
    const lost = labels.tooltip.message([T0, T0, 1, 3, messageCode('MsgHeartbeat'), 4, 0, 0, 0, MSG_STATUS.lost])
    expect(lost).toContain('never received: the link was cut or the receiver was down')
    const rejected = labels.tooltip.message([T0, T0 + 1, 3, 1, messageCode('MsgPreVoteResp'), 4, 0, 0, FLAG_REJECT | FLAG_PREVOTE, MSG_STATUS.delivered])
    expect(rejected).toContain('answers a pre-vote')
    expect(rejected).toContain('rejected')
    const orphan = labels.tooltip.message([T0, T0, 3, 1, messageCode('MsgApp'), 4, 9, 2, 0, MSG_STATUS.orphan])
    expect(orphan).toContain('its send was sampled out')
  })

  it('tells votes from pre-votes, with the reason of a refusal', () => {
    const { labels } = labelsIn('en')
    const k = (kind: Parameters<typeof markKindCode>[0], flags = 0) => [T0, 2, markKindCode(kind), 5, 1, flags, 2, 0]
    expect(labels.tooltip.mark(k('voteRequested'), '')).toMatch(/^Node 2 asks node 1 for its vote in term 5\nat /)
    expect(labels.tooltip.mark(k('voteRequested', FLAG_PREVOTE), '')).toContain('whether it could win term 5 (pre-vote)')
    expect(labels.tooltip.mark(k('voteRejected'), 'already voted for 3')).toContain('Node 2 refuses node 1 for term 5: already voted for 3')
    expect(labels.tooltip.mark(k('electionWon'), '')).toContain('wins the election for term 5 with 2 votes')
    expect(labels.tooltip.mark(k('traceGap'), '')).toContain('2 trace events of node 2 were lost here')
  })

  it('describes a link fault and a leaderless gap', () => {
    const { labels } = labelsIn('en')
    const f: FaultBand = { node: 1, peer: 3, kind: 'peer', fault: { cut: 'none', delayMs: 200, jitterMs: 50, dropPct: 10, dupPct: 0 }, start: T0, end: null }
    expect(labels.fault(f)).toBe('↯ 10% → 3')
    expect(labels.tooltip.fault(f)).toMatch(/^Link 1 → 3: delay 200 ms ± 50 ms, drops 10%\nsince .* \(10 s\)$/)
    const gap = labels.tooltip.gap({ from: T0, to: T0 + 250, ms: 250, oldLeader: 1, oldTerm: 2, newLeader: 3, newTerm: 3, cause: 'crash' })
    expect(gap.split('\n')[0]).toBe('No leader for 250 ms')
    expect(gap).toContain('Node 1 (term 2) crashed at')
    expect(gap).toContain('Node 3 won term 3 at')
  })

  it('speaks Chinese', () => {
    const { labels } = labelsIn('zh-CN')
    expect(labels.lane(2)).toBe('节点 2')
    expect(labels.stateName('candidate')).toBe('候选者')
    expect(labels.tooltip.mark([T0, 2, markKindCode('voteGranted'), 5, 1, 0, 0, 0], '')).toContain('节点 2 在任期 5 把票投给节点 1')
  })
})
