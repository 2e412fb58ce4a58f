/** English messages of the replication view (owned by that view; zh-CN/replication.ts mirrors the keys). */
const replication = {
  title: 'Replication',
  subtitle: 'Every node’s Raft log, one cell per index, lined up so that a column is the same index on every node.',
  empty: 'No cluster yet. Start one on the cluster map, then write something (a config publish) to watch it replicate.',
  stopped: 'The cluster is not running: the strips show the logs as last read.',
  replay: 'Replaying a recorded run: the logs themselves need the live cluster, so the strips stay empty; the callouts and flows below come from the recording.',
  window: {
    label: 'Entries shown',
    option: 'Last {n}',
    older: 'Older',
    olderHelp: 'Show older entries',
    newer: 'Newer',
    newerHelp: 'Show newer entries',
    latest: 'Follow latest',
    latestHelp: 'Go back to the newest entries and follow them as they arrive',
    range: 'Indexes {from}–{to}',
    following: 'following',
    pinned: 'pinned'
  },
  animate: {
    label: 'Animate appends',
    help: 'Draw each append (MsgApp) as a pulse from the leader to the follower and flash each commit advance. On by default in the teaching profile, where messages are slow enough to follow.'
  },
  legend: {
    title: 'Legend',
    committed: 'committed',
    uncommitted: 'not committed yet',
    snapshot: 'in snapshot',
    empty: 'not written',
    conflict: 'conflicts with the leader',
    commit: 'commit index',
    applied: 'applied index',
    match: 'match',
    next: 'next',
    terms: 'Terms',
    term: 'term {term}'
  },
  strip: {
    label: 'Raft log of node {id}',
    node: 'Node {id}',
    leader: 'leader',
    follower: 'follower',
    candidate: 'candidate',
    precandidate: 'pre-candidate',
    unknownRole: 'no answer',
    commit: 'commit',
    applied: 'applied',
    last: 'last',
    first: 'first',
    none: '—',
    inSnapshot: 'in snapshot ≤ {index}',
    notAnswering: 'not answering since {time}',
    notAnsweringReason: 'not answering since {time} ({reason})',
    neverRead: 'not read yet',
    keyboard: 'Arrow keys move along the log; Home and End jump to the ends of the window; Page Up and Page Down show older or newer entries.',
    caretMatch: 'match {index}',
    caretNext: 'next {index}',
    markSnapshot: 'snapshot installed up to {index}',
    markTruncated: 'conflicting entries dropped from {index}',
    commitFlash: 'commit {from} → {to}'
  },
  runState: {
    stopped: 'stopped',
    starting: 'starting',
    up: 'up',
    paused: 'paused',
    stopping: 'stopping',
    down: 'down'
  },
  cell: {
    conflict: 'Conflicts with the leader’s entry at this index: it will be dropped and replaced.',
    entry: 'Index {index} · term {term} · {bytes} bytes',
    committed: 'committed',
    uncommitted: 'not committed',
    applied: 'applied',
    snapshot: 'Index {index}: compacted into the snapshot',
    empty: 'Index {index}: not written on this node',
    unknown: 'Index {index}: not read yet'
  },
  detail: {
    title: 'Entry {index}',
    hint: 'Hover an entry, or focus a strip and use the arrow keys, to see what it holds on every node.',
    node: 'Node',
    term: 'Term',
    state: 'State',
    bytes: 'Bytes',
    text: 'What it does',
    kind: {
      entry: 'in log',
      snapshot: 'in snapshot',
      empty: 'missing',
      unknown: 'not read'
    },
    confChange: 'membership change',
    differs: 'Nodes disagree on this index: the one not matching the leader’s term will be overwritten.'
  },
  progress: {
    error: 'Could not read the nodes’ status ({error}); showing the last answer.',
    title: 'The leader’s view of each follower',
    leader: 'Leader: node {id}, term {term}, last index {last}, commit {commit}',
    noLeader: 'No leader right now: nobody is replicating.',
    node: 'Follower',
    state: 'State',
    match: 'Match',
    next: 'Next',
    lag: 'Behind',
    inflight: 'In flight',
    flags: 'Flags',
    paused: 'paused',
    active: 'active',
    inactive: 'not heard recently',
    learner: 'learner',
    states: {
      probe: 'probe',
      replicate: 'replicate',
      snapshot: 'snapshot'
    },
    unknownNode: 'removed member'
  },
  callouts: {
    title: 'Snapshot installs and conflict truncations',
    empty: 'None yet. A follower that falls far behind gets a snapshot; a follower with entries from an old leader drops them.',
    dropped: '{n} older callout dropped (the list keeps the last {max}) | {n} older callouts dropped (the list keeps the last {max})',
    snapshotSent: 'Node {id} sent a snapshot up to index {index} (term {term}) to node {peer}',
    snapshotRestored: 'Node {id} installed a snapshot up to index {index} (term {term})',
    logTruncated: 'Node {id} dropped {dropped} conflicting entries from index {index} on, to match the leader'
  },
  flow: {
    append: 'entries {label} → node {to}',
    snapshot: 'snapshot {label} → node {to}'
  },
  tips: {
    index: 'About the log index',
    indexText:
      'Every write becomes one entry appended to the leader’s log at the next index (1, 2, 3…). Followers copy the same entries at the same indexes; a column here is one index on every node.',
    term: 'About terms',
    termText:
      'The term is the election period an entry was written in: each new leader starts a new term. Colours follow terms, so the entries of each leader stand out. Two entries with the same index and term are identical on every node.',
    commit: 'About commit and applied indexes',
    commitText:
      'An entry is committed once a majority of the nodes store it: it can never be lost. Each node then applies committed entries, in order, to its copy of the data; the applied index trails the commit index briefly. Uncommitted entries are drawn hatched.',
    matchNext: 'About match and next',
    matchNextText:
      'The leader tracks each follower: match is the highest index it knows the follower stores, next is the index it will send next. A follower that falls behind has a low match; the leader walks next back until the logs agree, then sends what is missing.',
    states: 'About probe, replicate and snapshot',
    statesText:
      'Probe: the leader does not know where the follower’s log ends and sends one append at a time until it finds out. Replicate: the logs agree and the leader streams entries without waiting. Snapshot: the entries the follower needs were compacted away, so the leader sends its snapshot instead.',
    snapshot: 'About snapshot installs',
    snapshotText:
      'When a follower was away so long that the leader already compacted the entries it lacks, the leader sends a snapshot of the whole state; the follower replaces its data and log prefix with it and then catches up with the entries after it (a full sync).',
    compaction: 'About log compaction',
    compactionText:
      'Logs cannot grow for ever: a node saves a snapshot of its state at some index and drops the entries up to it. Those indexes are shown as “in snapshot”; their effect lives on in the data, not as entries.',
    truncation: 'About conflict truncation',
    truncationText:
      'A follower may hold entries a former leader wrote but never committed. When the new leader’s entries disagree (same index, other term), the follower drops its conflicting entries and takes the leader’s: the leader’s log is the authority.'
  }
}

export type ReplicationMessages = typeof replication

export default replication
