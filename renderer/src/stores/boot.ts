/**
 * Start every store that must see the feed from the first event (the timeline and the
 * replication view draw history, not just the present), once, when the app mounts.
 */
import { useClusterStore } from './cluster'
import { useDataStore } from './data'
import { useDrillsStore } from './drills'
import { useFeedStore } from './feed'
import { useLinksStore } from './links'
import { useLogsStore } from './logs'
import { useMetricsStore } from './metrics'
import { useRaftStore } from './raft'
import { useReplicationStore } from './replication'
import { useSettingsStore } from './settings'
import { useTimelineStore } from './timeline'
import { useWorkloadStore } from './workload'

export function bootStores(): void {
  useFeedStore().init()
  useTimelineStore().init()
  useReplicationStore().init()
  useMetricsStore().init()
  useLogsStore().init()
  useDataStore().init()
  useDrillsStore().init()
  useSettingsStore().init()
  useRaftStore().init()
  useLinksStore().init()
  useWorkloadStore().init()
  void useClusterStore().init()
}
