/** The concepts the map explains, and the seed tutorial section that teaches each. */
export type Concept =
  | 'term'
  | 'quorum'
  | 'commit'
  | 'learner'
  | 'preVote'
  | 'checkQuorum'
  | 'heartbeat'
  | 'roles'
  | 'links'
  | 'profile'
  | 'workload'
  | 'gauge'

/** Sections of nacos-cluster-ha.md (§3.2 terms and roles, §3.3 split brain, §4 replication...). */
export const CONCEPT_SECTIONS: Record<Concept, string> = {
  term: '3.2',
  roles: '3.2',
  quorum: '3.3',
  gauge: '3.3',
  // Pre-vote and check-quorum are the Raft answers to §3.3's split-brain measures
  // (过半原则, 分区检测).
  preVote: '3.3',
  checkQuorum: '3.3',
  commit: '4.3',
  heartbeat: '5.1',
  profile: '5.1',
  links: '5.1',
  learner: '7.3',
  workload: '4.2'
}
