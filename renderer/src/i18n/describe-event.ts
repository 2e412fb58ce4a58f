/**
 * Human text for LabEvents and node exits, in the current UI language. Pure: the caller
 * passes vue-i18n's `t`, so the same text serves the log panel, node cards and tests.
 */
import type { LabEvent, NodeExit } from '../../../electron/lab/api'

/** The subset of vue-i18n's `t` these helpers use. */
export type Translate = (key: string, named: Record<string, unknown>) => string

/** "signal SIGKILL" or "exit code 1" (a signal wins: that is what killed it). */
export function describeExit(exit: Pick<NodeExit, 'code' | 'signal'>, t: Translate): string {
  if (exit.signal) return t('node.exit.signal', { signal: exit.signal })
  return t('node.exit.code', { code: exit.code ?? '?' })
}

export function describeEvent(event: LabEvent, t: Translate): string {
  const link = (e: { kind: string; from: number; to: number }): string => (e.kind === 'client' ? t('events.text.clientLink', { to: e.to }) : `${e.from} → ${e.to}`)
  switch (event.type) {
    case 'cluster.created':
      return t('events.text.clusterCreated', { size: event.cluster.size, runId: event.cluster.runId })
    case 'cluster.state':
      return t('events.text.clusterState', { state: t(`controls.runState.${event.state}`, {}) })
    case 'node.spawned':
      return t('events.text.nodeSpawned', { id: event.nodeId, pid: event.pid })
    case 'node.ready':
      return t('events.text.nodeReady', { id: event.nodeId, pid: event.pid, ms: Math.round(event.readyMs) })
    case 'node.exited':
      return t(event.expected ? 'events.text.nodeStopped' : 'events.text.nodeCrashed', {
        id: event.nodeId,
        exit: describeExit(event, t)
      })
    case 'fault.injected':
      return t(event.kind === 'crash' ? 'events.text.faultCrash' : event.kind === 'stop' ? 'events.text.faultStop' : 'events.text.faultPause', { id: event.nodeId })
    case 'node.output':
      return t('events.text.nodeOutput', { id: event.nodeId, stream: event.stream, text: event.text.trimEnd() })
    case 'events.dropped':
      return t('events.text.eventsDropped', { count: event.count })
    case 'cluster.settings':
      return t('events.text.clusterSettings', { profile: event.settings.profile, preVote: event.settings.preVote ? 'on' : 'off', checkQuorum: event.settings.checkQuorum ? 'on' : 'off' })
    case 'node.paused':
      return t('events.text.nodePaused', { id: event.nodeId })
    case 'node.resumed':
      return t('events.text.nodeResumed', { id: event.nodeId, ms: Math.round(event.pausedMs) })
    case 'node.wiped':
      return t('events.text.nodeWiped', { id: event.nodeId })
    case 'member.added':
      return t('events.text.memberAdded', { id: event.nodeId, address: event.address, as: event.as })
    case 'member.removed':
      return t('events.text.memberRemoved', { id: event.nodeId, address: event.address })
    case 'leader.transferred':
      return t('events.text.leaderTransferred', { to: event.to, ms: Math.round(event.ms) })
    case 'link.fault':
      return t('events.text.linkFault', { link: link(event) })
    case 'link.healed':
      return t('events.text.linkHealed', { link: link(event) })
    case 'raft':
      return describeRaft(event, t)
    case 'trace.gap':
      return t('events.text.traceGap', { id: event.nodeId, missing: event.missing })
    case 'trace.reset':
      return t('events.text.traceReset', { id: event.nodeId })
    case 'trace.sampled':
      return t('events.text.traceSampled', { id: event.nodeId, skipped: event.skipped })
    case 'metrics.sample':
      return t('events.text.metricsSample', { up: event.sample.cluster.nodesUp, size: event.sample.cluster.size })
    case 'alert':
      return t(event.state === 'firing' ? 'events.text.alertFiring' : 'events.text.alertResolved', { rule: event.rule })
    case 'workload.state':
      return t('events.text.workloadState', { state: event.state })
    case 'workload.stats':
      return t('events.text.workloadStats', { rate: Math.round(event.stats.rate), ok: event.stats.ok, fail: event.stats.fail })
    case 'ui.command':
      return event.command
    case 'drill.progress':
      return t('events.text.drillProgress', { name: event.name, line: event.line })
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Local wall-clock time, `HH:MM:SS` or `HH:MM:SS.mmm`; the same in every language. */
export function formatClock(ms: number, withMillis = false): string {
  const d = new Date(ms)
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return withMillis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base
}

/** The Raft events a person follows in the log read as sentences; the rest show their type. */
function describeRaft(event: Extract<LabEvent, { type: 'raft' }>, t: Translate): string {
  const e = event.event
  const id = event.nodeId
  switch (e.type) {
    case 'roleChanged':
      return t('events.text.raftRole', { id, role: t(`map.role.${String(e.to)}`, {}), term: e.term as number })
    case 'termChanged':
      return t('events.text.raftTerm', { id, from: e.from as number, to: e.to as number })
    case 'electionWon':
      return t('events.text.raftWon', { id, term: e.term as number, votes: Array.isArray(e.votes) ? e.votes.length : 0 })
    case 'commitAdvanced':
      return t('events.text.raftCommit', { id, from: e.from as number, to: e.to as number })
    case 'snapshotRestored':
      return t('events.text.raftSnapshot', { id, index: e.index as number })
    default:
      return t('events.text.raft', { id, type: e.type })
  }
}
