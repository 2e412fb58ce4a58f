/** English messages of the cluster map view (owned by that view; zh-CN/map.ts mirrors the keys). */
const map = {
  title: 'Cluster map',
  ringLabel: 'Nodes around a ring, with the links between them in each direction',
  leader: 'Leader',
  leaderNone: 'none',
  electing: 'No leader: electing…',
  termOf: 'term {term}',
  explain: 'Concepts',
  highestTerm: 'Highest term',
  emptyRing: 'Start a cluster to see its nodes and links here.',
  role: {
    leader: 'leader',
    follower: 'follower',
    candidate: 'candidate',
    precandidate: 'pre-candidate',
    learner: 'learner',
    down: 'down',
    paused: 'paused',
    starting: 'starting',
    unknown: 'no answer'
  },
  facts: {
    term: 'Term',
    commit: 'Commit',
    applied: 'Applied',
    lastIndex: 'Last index',
    heartbeat: 'Heartbeat',
    cpu: 'CPU',
    memory: 'RSS',
    pid: 'PID',
    port: 'HTTP {port}'
  },
  heartbeat: {
    none: '—',
    sends: 'sends',
    ago: '{s} s ago',
    agoMs: '{ms} ms ago'
  },
  runStateHelp: 'The process as the lab sees it (its Raft role is in the badge above)',
  pendingRestart: 'Runs the old settings until it restarts',
  isolated: 'cut off',
  seedSection: 'Tutorial §{section}',
  tips: {
    term: 'A term is a numbered era of leadership. Each election starts a new term; a node that sees a higher term steps down to follower. Terms only go up, so an old leader cannot come back and overrule a newer one.',
    quorum: 'A quorum is a majority of the voting nodes, ⌊N/2⌋+1. A leader needs a quorum of votes to be elected and a quorum of copies to commit an entry. Without one, nothing new can commit.',
    commit: 'Commit index: the last log entry a majority has stored, so it can never be lost. Applied index: the last entry this node has executed on its own data. Applied trails commit briefly; a large gap means the node is behind.',
    learner: 'A learner receives the log like a follower but does not vote and does not count towards the quorum. A new node joins as a learner, catches up, then is promoted to voter, so adding it never weakens the majority.',
    preVote: 'PreVote: before starting an election, a node first asks whether the others would vote for it, without raising its term. A node cut off from the rest then cannot inflate its term and, once healed, does not force a needless election.',
    checkQuorum: 'CheckQuorum: a leader that has not heard from a majority within an election timeout steps down. An isolated leader stops accepting writes instead of believing it still leads.',
    heartbeat: 'Followers reset their election timer on every heartbeat or append from the leader. When no heartbeat arrives within the election timeout (150–300 ms with the seed timing), a follower starts an election.',
    roles: 'Leader: takes every write and replicates it. Follower: copies the leader\'s log and forwards writes to it. Candidate: asks for votes to become leader. Pre-candidate: asks first whether it could win (PreVote).',
    links: 'Each pair of nodes has two links, one per direction. Click one to cut it (a black hole holds the bytes, a reset refuses the connection), delay it or lose a share of its messages. A cut in one direction only is a one-way partition.',
    profile: 'Seed timing is the tutorial\'s: heartbeat 100 ms, election timeout 150–300 ms. Teaching is ten times slower, so every vote and append can be followed on the timeline.',
    workload: 'A steady stream of config reads and writes and service registrations. Writes go to any node (a follower forwards them) or straight to the leader; reads come from any node\'s local copy, from the leader, or through ReadIndex (linearizable).',
    gauge: 'Nodes up against the majority needed. Red when the cluster cannot commit: fewer than a majority up, or no leader.'
  },
  actions: {
    open: 'Actions',
    openLabel: 'Actions for node {id}',
    title: 'Node {id}',
    crash: 'Crash (kill -9)',
    stop: 'Stop',
    pause: 'Pause (freeze)',
    resume: 'Resume',
    restart: 'Restart',
    wipe: 'Wipe data and restart',
    transfer: 'Transfer leadership here',
    remove: 'Remove from cluster',
    help: {
      crash: 'SIGKILL: the process dies at once, with no chance to flush or say goodbye.',
      stop: 'SIGTERM: a clean shutdown.',
      pause: 'SIGSTOP: the process keeps its sockets but runs no code, like a long GC pause.',
      resume: 'SIGCONT: the frozen process runs again and finds the cluster moved on.',
      restart: 'Start the process again with its data intact; it catches up from the leader.',
      wipe: 'Delete its data directory, as if the disk were lost, and start it again: everything comes back from the leader, by log or snapshot.',
      transfer: 'Ask the leader to hand leadership to this node (it must be an up-to-date voter).',
      remove: 'Scale in: the leader removes this member from the configuration, then the process stops.'
    }
  },
  why: {
    notRunning: 'The node is not running.',
    alreadyStopped: 'The node is already stopped.',
    notUp: 'The node is not up.',
    notPaused: 'The node is not paused.',
    paused: 'The node is already paused.',
    pauseUnsupported: 'The lab cannot pause processes on this system (no SIGSTOP).',
    clusterNotLive: 'Start the cluster first.',
    busy: 'Another action on this node is in progress.',
    alreadyLeader: 'This node already leads.',
    learner: 'A learner cannot lead: it does not vote.',
    noLeader: 'There is no leader to hand over from.',
    lastNode: 'The last node cannot be removed; stop the cluster instead.',
    disconnected: 'Not connected to the lab.',
    replay: 'A recorded run is replaying: go back to live to act.'
  },
  link: {
    label: 'Link {from} → {to}: {state}',
    state: {
      ok: 'ok',
      cut: 'cut',
      delayed: 'delayed',
      lossy: 'lossy',
      degraded: 'delayed and lossy'
    },
    pair: {
      ok: 'ok',
      cut: 'cut both ways',
      oneWay: 'one-way',
      degraded: 'degraded'
    },
    legend: 'Links',
    editor: {
      title: 'Link {from} → {to}',
      now: 'Now: {state}',
      cutHeading: 'Cut',
      blackhole: 'Black hole',
      blackholeHelp: 'Holds the bytes with the connection open: a dead network path.',
      reset: 'Reset',
      resetHelp: 'Closes connections and refuses new ones: a host that answers with RST.',
      heal: 'Heal',
      shapeHeading: 'Latency and loss',
      delay: 'Delay (ms)',
      jitter: 'Jitter (ms)',
      loss: 'Loss (%)',
      apply: 'Apply',
      close: 'Close',
      reverse: 'Other direction ({to} → {from})'
    }
  },
  presets: {
    title: 'Faults',
    killLeader: 'Kill leader',
    killLeaderHelp: 'kill -9 the current leader: watch the others elect a new one.',
    isolateLeader: 'Isolate leader',
    isolateLeaderHelp: 'Cut every link to and from the leader: the majority elects a new leader; the old one is left alone.',
    split: 'Split {a} + {b}',
    splitHelp: 'Partition nodes {a} from {b}: only the majority side can elect a leader and commit.',
    splitNeeds: 'A split needs at least 3 nodes.',
    isolate: 'Isolate',
    isolateNode: 'Node to isolate',
    isolateHelp: 'Cut every link to and from the chosen node.',
    healAll: 'Heal all links',
    healAllHelp: 'Every link back to healthy.',
    needLeader: 'There is no leader right now.',
    needCluster: 'Start the cluster first.',
    faulty: 'No link faults | 1 link faulty | {n} links faulty'
  },
  controls: {
    profile: 'Timing',
    profiles: {
      seed: 'Seed (100 ms heartbeat)',
      teaching: 'Teaching (×10 slower)'
    },
    preVote: 'PreVote',
    checkQuorum: 'CheckQuorum',
    settingsNote: 'Settings apply at each node\'s next start: restart nodes (or reset) to use them.',
    settingsNoteNew: 'Used when the cluster starts.',
    reset: 'Reset',
    resetting: 'Resetting…',
    resetHelp: 'Stop the cluster and start a fresh one (new run, empty data) with the size and settings above.',
    addNode: 'Add node',
    addingNode: 'Adding…',
    addNodeHelp: 'Scale out by one: the new node joins as a learner, catches up, then is promoted to voter.',
    maxNodes: 'The lab runs at most {n} nodes.'
  },
  workload: {
    title: 'Workload',
    start: 'Start workload',
    stop: 'Stop workload',
    apply: 'Apply',
    rate: 'Rate (ops/s)',
    writes: 'Writes to',
    reads: 'Reads from',
    routing: {
      any: 'any node',
      leader: 'the leader',
      linearizable: 'ReadIndex (linearizable)'
    },
    state: {
      idle: 'idle',
      running: 'running',
      stopping: 'stopping'
    },
    stats: {
      rate: 'ops/s',
      ok: 'ok',
      fail: 'failed',
      unknown: 'unknown',
      p99: 'p99',
      inFlight: 'in flight'
    },
    none: 'No stats yet.',
    needCluster: 'Start the cluster to run a workload.',
    window: 'Last {n} s shown'
  }
}

export type MapMessages = typeof map

export default map
