/**
 * Raft timing profiles and cluster settings. Pure: no I/O; conf-files.ts renders these into
 * each node's application.properties.
 */
import type { ClusterSettings, TimingProfile } from '../api'
import { LabServiceError } from '../errors'

/** node-core's timing keys (node-core/src/conf/raft-settings.ts), in ticks of `tickMs`. */
export interface RaftTiming {
  tickMs: number
  /** The leader sends a heartbeat every `heartbeatTicks` ticks. */
  heartbeatTicks: number
  /** A follower campaigns after a timeout drawn uniformly from [electionTicks, 2 × electionTicks) ticks. */
  electionTicks: number
}

/**
 * 'seed': heartbeat 100 ms and election timeout 150–300 ms, the tutorial's numbers (and
 * node-core's defaults). 'teaching': the same tick counts at a ten times longer tick, so
 * every vote and append can be followed by eye.
 */
export const TIMINGS: Readonly<Record<TimingProfile, Readonly<RaftTiming>>> = {
  seed: { tickMs: 10, heartbeatTicks: 10, electionTicks: 15 },
  teaching: { tickMs: 100, heartbeatTicks: 10, electionTicks: 15 }
}

/** node-core's own defaults: both safety features on. */
export const DEFAULT_SETTINGS: Readonly<ClusterSettings> = { profile: 'seed', preVote: true, checkQuorum: true }

export const timingOf = (profile: TimingProfile): RaftTiming => {
  const t = TIMINGS[profile]
  if (!t) throw new LabServiceError('INVALID_ARGUMENT', `"profile" must be one of ${Object.keys(TIMINGS).join(', ')}, got "${String(profile)}"`)
  return { ...t }
}

export const heartbeatMs = (t: RaftTiming): number => t.tickMs * t.heartbeatTicks

/** The election timeout range in ms: [min, max) as node-core randomizes it. */
export const electionRangeMs = (t: RaftTiming): { min: number; max: number } => ({
  min: t.tickMs * t.electionTicks,
  max: t.tickMs * t.electionTicks * 2
})

/** Merge a partial change into settings, refusing fields of the wrong type by name. */
export function mergeSettings(base: ClusterSettings, patch: Partial<ClusterSettings> = {}): ClusterSettings {
  const next = { ...base }
  if (patch.profile !== undefined) {
    timingOf(patch.profile)
    next.profile = patch.profile
  }
  for (const key of ['preVote', 'checkQuorum'] as const) {
    const v = patch[key]
    if (v === undefined) continue
    if (typeof v !== 'boolean') throw new LabServiceError('INVALID_ARGUMENT', `"${key}" must be true or false`)
    next[key] = v
  }
  return next
}

/**
 * How long the lab waits for Raft to do something that takes a few election rounds (a
 * leadership transfer, a new election): generous, and scaled with the profile.
 */
export const raftWaitMs = (settings: ClusterSettings, floorMs = 5_000): number =>
  Math.max(floorMs, 10 * electionRangeMs(timingOf(settings.profile)).max)
