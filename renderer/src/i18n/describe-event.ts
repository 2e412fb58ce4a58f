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
      return t('events.text.faultCrash', { id: event.nodeId })
    case 'node.output':
      return t('events.text.nodeOutput', { id: event.nodeId, stream: event.stream, text: event.text.trimEnd() })
    case 'events.dropped':
      return t('events.text.eventsDropped', { count: event.count })
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Local wall-clock time, `HH:MM:SS` or `HH:MM:SS.mmm`; the same in every language. */
export function formatClock(ms: number, withMillis = false): string {
  const d = new Date(ms)
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return withMillis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base
}
