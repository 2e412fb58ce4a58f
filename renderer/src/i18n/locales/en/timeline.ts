/** English messages of the election timeline view (owned by that view; zh-CN/timeline.ts mirrors the keys). */
const timeline = {
  title: 'Election timeline',
  subtitle: 'Each node’s role over time, the votes and the messages between nodes',
  leader: {
    label: 'Leader',
    node: 'node',
    term: 'term {term}',
    none: 'No leader',
    noneFor: 'No leader for {duration}',
    noneYet: 'No leader yet'
  },
  controls: {
    label: 'Timeline controls',
    follow: 'Follow live',
    followHelp: 'Keep the newest events in view (F). Scrolling back stops following.',
    zoomIn: 'Zoom in (+)',
    zoomOut: 'Zoom out (−)',
    panBack: 'Back in time (←)',
    panForward: 'Forward in time (→)',
    reset: 'Reset zoom (0)',
    resetText: 'Reset',
    span: 'Time span',
    spanOption: 'last {duration}',
    messages: 'Messages',
    family: {
      vote: 'Votes',
      append: 'Appends',
      heartbeat: 'Heartbeats',
      other: 'Other'
    },
    keys: 'Keys on the chart: + and − zoom, ← and → pan, F follows, 0 resets.'
  },
  notice: {
    sampled: 'Sampled: {kept} of {total} message events shown',
    sampledHelp: 'At full speed the lab sends the page at most 150 message events per node per second; the rest are counted, not drawn. Use the teaching profile to see every message.',
    thinned: 'Drawing {drawn} of {visible} messages at this zoom (votes always shown); zoom in to see every one.',
    retention: 'Keeps the last {minutes} min and at most {messages} messages.',
    dropped: 'Older events were let go (before {time}).',
    replay: 'Replay'
  },
  chart: {
    label: 'Election timeline chart: one lane per node, time from left to right',
    leaderRow: 'Leader',
    lane: 'Node {id}',
    term: 'T{term}',
    leadership: 'node {id} · T{term}',
    empty: 'Start a cluster to watch elections happen.'
  },
  state: {
    unknown: 'unknown',
    follower: 'follower',
    precandidate: 'pre-candidate',
    candidate: 'candidate',
    leader: 'leader',
    down: 'down',
    paused: 'paused'
  },
  legend: {
    title: 'Legend',
    roles: 'Roles',
    marks: 'Marks',
    arrows: 'Messages',
    voteRequested: 'vote requested',
    preVote: 'pre-vote (hollow, dashed)',
    voteGranted: 'vote granted',
    voteRejected: 'vote rejected',
    electionWon: 'election won',
    fault: 'fault (shaded)',
    traceGap: 'trace gap',
    lost: 'lost on the way',
    unknownFate: 'fate unknown (faded)',
    gap: 'time without a leader'
  },
  gaps: {
    title: 'Leader changes',
    empty: 'No leader change yet. Crash or isolate the leader to measure one.',
    item: '{ms} ms without a leader',
    detail: 'node {old} (term {oldTerm}) {cause} → node {new} elected for term {newTerm}',
    at: 'at {time}',
    show: 'Show on the timeline',
    cause: {
      crash: 'crashed',
      stopped: 'was stopped',
      paused: 'froze',
      stepDown: 'stepped down',
      lostContact: 'was cut off'
    },
    average: 'Average {ms} ms over {n} change | Average {ms} ms over {n} changes'
  },
  help: {
    termLabel: 'About terms',
    term: 'A term is Raft’s logical clock: every election starts a new, higher term, and each term has at most one leader. A node that sees a higher term steps down and follows it. Terms are written on the bands.',
    voteLabel: 'About votes',
    vote: 'A candidate asks every node for its vote. Each node votes at most once per term, only for a candidate whose log is at least as up to date as its own. A majority of votes makes a leader.',
    preVoteLabel: 'About PreVote',
    preVote: 'With PreVote a node first asks whether it could win, without raising its term. A node cut off from the others cannot win, so it does not inflate its term and disturb the leader when it comes back.',
    timeoutLabel: 'About the election timeout',
    timeout: 'A follower that hears no heartbeat for its election timeout (randomised, 150–300 ms in the seed profile, ten times slower in the teaching profile) becomes a candidate. The randomness makes split votes rare.',
    leaderlessLabel: 'About time without a leader',
    leaderless: 'Measured from the moment the old leader was lost (its crash, its step-down, or the last message anyone received from it) to the moment the next leader won its election. Writes cannot commit in between.',
    messagesLabel: 'About the message arrows',
    messages: 'Each arrow is one Raft message, from the sender’s lane at the time it was sent to the receiver’s lane at the time it arrived (a Lamport diagram). A cross means it never arrived (cut link or dead node).'
  },
  tooltip: {
    band: 'Node {id}: {state}, term {term}',
    bandNoTerm: 'Node {id}: {state}',
    span: '{from} – {to} ({duration})',
    spanOpen: 'since {from} ({duration})',
    fault: 'Link {from} → {to}: {what}',
    clientFault: 'Clients → node {to}: {what}',
    faultCut: 'cut ({mode})',
    faultDelay: 'delay {ms} ms',
    faultJitter: '± {ms} ms',
    faultDrop: 'drops {pct}%',
    faultDup: 'duplicates {pct}%',
    leadership: 'Node {id} led term {term}',
    gap: 'No leader for {ms} ms',
    gapFrom: 'Node {id} (term {term}) {cause} at {time}',
    gapTo: 'Node {id} won term {term} at {time}',
    message: '{type}: node {from} → node {to}',
    messageFields: 'term {term} · index {index} · {entries} entries',
    rejected: 'rejected',
    sent: 'sent {time}',
    received: 'received {time} ({ms} ms later)',
    lost: 'never received: the link was cut or the receiver was down',
    unknown: 'no receive seen: sampled out or not traced',
    pending: 'in flight',
    orphan: 'received {time}; its send was sampled out',
    voteRequested: 'Node {id} asks node {peer} for its vote in term {term}',
    preVoteRequested: 'Node {id} asks node {peer} whether it could win term {term} (pre-vote)',
    voteGranted: 'Node {id} grants its vote to node {peer} for term {term}',
    preVoteGranted: 'Node {id} would vote for node {peer} in term {term} (pre-vote)',
    voteRejected: 'Node {id} refuses node {peer} for term {term}: {reason}',
    preVoteRejected: 'Node {id} refuses the pre-vote of node {peer} for term {term}: {reason}',
    electionWon: 'Node {id} wins the election for term {term} with {votes} votes',
    preVoteWon: 'Node {id} wins the pre-vote: it now starts a real election for term {term}',
    checkQuorumFailed: 'Node {id} cannot reach a majority: it steps down (CheckQuorum)',
    transferStarted: 'Node {id} hands leadership to node {peer}',
    traceGap: '{missing} trace events of node {id} were lost here (shown, never hidden)',
    traceReset: 'Node {id} restarted: its trace starts again',
    faultCrash: 'kill -9 node {id}',
    faultStop: 'Node {id} stopped',
    faultPause: 'Node {id} frozen (SIGSTOP)',
    eventsDropped: 'The page fell behind: {count} events were dropped here',
    at: 'at {time}',
    types: {
      MsgVote: 'asks for a vote',
      MsgVoteResp: 'answers a vote request',
      MsgPreVote: 'asks whether it could win (pre-vote, no term change)',
      MsgPreVoteResp: 'answers a pre-vote',
      MsgApp: 'appends log entries (or probes where the logs match)',
      MsgAppResp: 'acknowledges (or rejects) an append',
      MsgHeartbeat: 'the leader’s heartbeat: I am alive, here is the commit index',
      MsgHeartbeatResp: 'answers a heartbeat',
      MsgSnap: 'sends a snapshot to a follower too far behind',
      MsgProp: 'forwards a client write to the leader',
      MsgTransferLeader: 'asks to transfer leadership',
      MsgTimeoutNow: 'tells the transferee to start an election now',
      MsgReadIndex: 'asks the leader for a linearizable read index',
      MsgReadIndexResp: 'answers a read index request',
      other: 'another Raft message'
    }
  },
  duration: {
    ms: '{n} ms',
    s: '{n} s',
    min: '{n} min'
  }
}

export type TimelineMessages = typeof timeline

export default timeline
