/**
 * The timeline chart's texts in the UI language: lane names, band labels and every tooltip.
 * Pure: the caller passes vue-i18n's `t` (and the clock format), so tests can check the texts
 * without mounting anything.
 */
import type { LinkFault, NodeId } from '../../../../electron/lab/api'
import type { TimelineLabels } from '../../charts/options/timeline'
import { formatClock } from '../../i18n/describe-event'
import {
  FLAG_PREVOTE,
  FLAG_REJECT,
  K_EXTRA,
  K_FLAGS,
  K_KIND,
  K_NODE,
  K_PEER,
  K_T,
  K_TERM,
  M_END,
  M_ENTRIES,
  M_FLAGS,
  M_FROM,
  M_INDEX,
  M_SEND,
  M_STATUS,
  M_TERM,
  M_TO,
  M_TYPE,
  MARK_KINDS,
  MESSAGE_TYPES,
  MSG_STATUS
} from '../../stores/timeline-model'

export type Translate = (key: string, named?: Record<string, unknown>) => string

const round = (n: number, digits = 1): string => String(Math.round(n * 10 ** digits) / 10 ** digits)

/** "412 ms", "3.8 s", "2.5 min". */
export function formatDuration(ms: number, t: Translate): string {
  if (ms < 1000) return t('timeline.duration.ms', { n: Math.round(ms) })
  if (ms < 60_000) return t('timeline.duration.s', { n: round(ms / 1000) })
  return t('timeline.duration.min', { n: round(ms / 60_000) })
}

const clock = (ms: number): string => formatClock(ms, true)

export function describeFault(f: LinkFault, t: Translate): string {
  const parts: string[] = []
  if (f.cut !== 'none') parts.push(t('timeline.tooltip.faultCut', { mode: f.cut }))
  if (f.delayMs > 0) parts.push(t('timeline.tooltip.faultDelay', { ms: f.delayMs }) + (f.jitterMs > 0 ? ` ${t('timeline.tooltip.faultJitter', { ms: f.jitterMs })}` : ''))
  if (f.dropPct > 0) parts.push(t('timeline.tooltip.faultDrop', { pct: f.dropPct }))
  if (f.dupPct > 0) parts.push(t('timeline.tooltip.faultDup', { pct: f.dupPct }))
  return parts.join(', ')
}

/** A short fault label for the band itself: "✕ → 3", "⏱ 200 ms → 3", "↯ 10% → 3". */
function shortFault(f: LinkFault, peer: NodeId): string {
  const what = f.cut !== 'none' ? '✕' : f.dropPct > 0 ? `↯ ${f.dropPct}%` : f.delayMs > 0 ? `⏱ ${f.delayMs} ms` : `⧉ ${f.dupPct}%`
  return peer === 0 ? what : `${what} → ${peer}`
}

export function makeTimelineLabels(t: Translate, now: () => number): TimelineLabels {
  const span = (from: number, to: number | null): string =>
    to === null
      ? t('timeline.tooltip.spanOpen', { from: clock(from), duration: formatDuration(now() - from, t) })
      : t('timeline.tooltip.span', { from: clock(from), to: clock(to), duration: formatDuration(to - from, t) })

  return {
    leaderRow: t('timeline.chart.leaderRow'),
    lane: (id) => t('timeline.chart.lane', { id }),
    term: (term) => t('timeline.chart.term', { term }),
    leadership: (id, term) => t('timeline.chart.leadership', { id, term }),
    gap: (ms) => t('timeline.duration.ms', { n: Math.round(ms) }),
    fault: (f) => (f.kind === 'client' ? shortFault(f.fault, 0) : shortFault(f.fault, f.peer)),
    stateName: (s) => t(`timeline.state.${s}`),
    empty: t('timeline.chart.empty'),
    tooltip: {
      band: (b) => {
        const state = t(`timeline.state.${b.state}`)
        const head = b.term > 0 ? t('timeline.tooltip.band', { id: b.node, state, term: b.term }) : t('timeline.tooltip.bandNoTerm', { id: b.node, state })
        return `${head}\n${span(b.start, b.end)}`
      },
      fault: (f) => {
        const what = describeFault(f.fault, t)
        const head = f.kind === 'client' ? t('timeline.tooltip.clientFault', { to: f.node, what }) : t('timeline.tooltip.fault', { from: f.node, to: f.peer, what })
        return `${head}\n${span(f.start, f.end)}`
      },
      leadership: (l) => `${t('timeline.tooltip.leadership', { id: l.node, term: l.term })}\n${span(l.start, l.end)}`,
      gap: (g) =>
        [
          t('timeline.tooltip.gap', { ms: Math.round(g.ms) }),
          t('timeline.tooltip.gapFrom', { id: g.oldLeader, term: g.oldTerm, cause: t(`timeline.gaps.cause.${g.cause}`), time: clock(g.from) }),
          t('timeline.tooltip.gapTo', { id: g.newLeader, term: g.newTerm, time: clock(g.to) })
        ].join('\n'),
      message: (m) => {
        const type = MESSAGE_TYPES[m[M_TYPE]!] ?? 'other'
        const name = type === 'other' ? t('timeline.tooltip.types.other') : type
        const lines = [
          t('timeline.tooltip.message', { type: name, from: m[M_FROM], to: m[M_TO] }),
          t(`timeline.tooltip.types.${type}`),
          t('timeline.tooltip.messageFields', { term: m[M_TERM], index: m[M_INDEX], entries: m[M_ENTRIES] }) +
            ((m[M_FLAGS]! & FLAG_REJECT) !== 0 ? ` · ${t('timeline.tooltip.rejected')}` : '')
        ]
        const status = m[M_STATUS]
        if (status === MSG_STATUS.orphan) lines.push(t('timeline.tooltip.orphan', { time: clock(m[M_END]!) }))
        else {
          lines.push(t('timeline.tooltip.sent', { time: clock(m[M_SEND]!) }))
          if (status === MSG_STATUS.delivered) lines.push(t('timeline.tooltip.received', { time: clock(m[M_END]!), ms: round(m[M_END]! - m[M_SEND]!) }))
          else if (status === MSG_STATUS.lost) lines.push(t('timeline.tooltip.lost'))
          else if (status === MSG_STATUS.unknown) lines.push(t('timeline.tooltip.unknown'))
          else lines.push(t('timeline.tooltip.pending'))
        }
        return lines.join('\n')
      },
      mark: (k, reason) => {
        const kind = MARK_KINDS[k[K_KIND]!]
        const pre = (k[K_FLAGS]! & FLAG_PREVOTE) !== 0
        const named = { id: k[K_NODE], peer: k[K_PEER], term: k[K_TERM], reason, votes: k[K_EXTRA], missing: k[K_EXTRA], count: k[K_EXTRA] }
        let key: string
        switch (kind) {
          case 'voteRequested':
            key = pre ? 'preVoteRequested' : 'voteRequested'
            break
          case 'voteGranted':
            key = pre ? 'preVoteGranted' : 'voteGranted'
            break
          case 'voteRejected':
            key = pre ? 'preVoteRejected' : 'voteRejected'
            break
          case 'electionWon':
            key = pre ? 'preVoteWon' : 'electionWon'
            break
          case undefined:
            return ''
          default:
            key = kind
        }
        return `${t(`timeline.tooltip.${key}`, named)}\n${t('timeline.tooltip.at', { time: clock(k[K_T]!) })}`
      }
    }
  }
}
