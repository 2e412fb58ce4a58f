/** English messages of the metrics view (owned by that view; zh-CN/metrics.ts mirrors the keys). */
const metrics = {
  title: 'Metrics',
  intro: 'What the lab scrapes from every node once a second (/nacos/actuator/prometheus), and the tutorial’s alert rules judging it.',
  introHelpLabel: 'About these metrics',
  introHelp:
    'The lab scrapes each node’s Prometheus endpoint every second and derives rates and quantiles from the counters, as Prometheus and Grafana would. A node that does not answer leaves a gap in its lines, never a zero.',
  window: 'Window',
  windowOption: 'Last {n} min',
  summary: {
    leader: 'Leader',
    noLeader: 'none',
    nodesUp: 'Nodes up',
    nodesUpValue: '{up} of {size}',
    qps: 'QPS',
    p99: 'p99',
    samples: 'Samples',
    samplesValue: '{n} kept',
    ringFull: 'Only the last {min} min ({max} samples) are kept: older samples are dropped ({dropped} so far).',
    replay: 'Replay: the window follows the replay clock.'
  },
  loading: 'Loading the last hour of metrics…',
  node: 'Node {id}',
  cluster: 'Cluster',
  p50: 'p50',
  p99: 'p99',
  empty: 'No samples in this window yet. Start a cluster to see its metrics.',
  restarted: 'Node {id} restarted (its counters start again)',
  fsync: 'fsync p99 · node {id}',
  rtt: 'RTT to {peer}',
  units: { qps: 'req/s', entries: 'entries', changes: 'changes' },
  api: {
    register: 'register',
    deregister: 'deregister',
    beat: 'beat',
    list: 'list instances',
    configGet: 'get config',
    configPublish: 'publish config',
    configDelete: 'delete config',
    listener: 'config listener',
    other: 'other'
  },
  chart: {
    qps: 'Requests per second by API',
    latency: 'Latency p50 / p99',
    errors: 'Error rate',
    commit: 'Commit index per node',
    lag: 'Replication lag',
    'leader-changes': 'Leader changes',
    cpu: 'CPU per node',
    memory: 'Memory (RSS) per node',
    wal: 'WAL fsync p99 and leader round trips'
  },
  help: {
    qps: 'QPS: requests per second each API received over the last second, summed over the nodes that answered. Writes (register, publish) go through the Raft leader; reads are served locally. A drop to zero while clients keep sending means nodes stopped answering.',
    latency:
      'p99: 99 % of requests finished faster than this. It shows what the slowest one in a hundred clients feels, which an average hides. The cluster line is the slowest node’s p99, the figure the latency alert watches. Config listener long-polls are left out: they are held ~30 s on purpose.',
    errors: 'Error rate: server errors (5xx) divided by all requests. A write that cannot reach a majority fails, so this rises when quorum is lost. 4xx answers (a missing config) are ordinary and not counted.',
    commit: 'Commit index: the highest log entry a majority has stored, so it can never be lost. The lines climb together while replication keeps up; a node whose line stops or breaks is cut off or down.',
    lag: 'Replication lag: how many entries a node’s applied index trails the leader’s commit index. Followers read their local copy, so a lagging follower serves stale data until it catches up.',
    'leader-changes': 'Leader changes seen per second. Each is an election: writes pause until a new leader is chosen. Frequent changes point to network jitter or overloaded nodes.',
    cpu: 'CPU time of each node process, in % of one core. A paused (SIGSTOP) process reads 0; a dead one has none.',
    memory: 'Resident memory (RSS) of each node process, in MB. A steady climb without load is a leak; a restart resets it.',
    wal: 'How long the slowest 1 % of WAL fsyncs took on each node (the leader must persist an entry before it counts toward the majority), and the leader’s p99 heartbeat round trip to each follower. Slow disks or links show up here before they become elections.'
  },
  alerts: {
    title: 'Alerts',
    helpLabel: 'About the alert rules',
    help: 'The tutorial’s Prometheus rules, judged by the lab on every sample. A rule is pending while its condition holds but its for-duration has not passed, then firing; it resolves when the condition clears.',
    firing: '{n} firing',
    allOk: 'All clear',
    noRules: 'The rules appear once a cluster exists.',
    replayRules: 'Rule settings are the lab’s: a replay shows only the alerts it recorded.',
    state: { ok: 'OK', pending: 'Pending', firing: 'Firing', disabled: 'Off' },
    rule: {
      'quorum-lost': 'Quorum lost',
      'latency-high': 'Latency high',
      'error-rate-high': 'Error rate high',
      'elections-frequent': 'Elections frequent'
    },
    ruleHelp: {
      'quorum-lost':
        'Fires when fewer nodes are up than the threshold (0 = the cluster’s majority, ⌊N/2⌋+1). Without a majority no leader can be elected and no write can commit: the cluster is read-only at best. Check the down nodes at once.',
      'latency-high': 'Fires when the slowest node’s p99 latency stays above the threshold for the for-duration (tutorial: > 100 ms for 5 min). Check the network and the load.',
      'error-rate-high': 'Fires when more than this share of requests fail with a server error (tutorial: > 1 %). Lost quorum, a partitioned leader or overload are the usual causes.',
      'elections-frequent': 'Fires when more leader changes than this happened in the last hour (tutorial: > 5 an hour). Frequent elections mean an unstable cluster, usually network jitter.'
    },
    value: {
      'quorum-lost': '{value} up · alert below {threshold}',
      'latency-high': '{value} · alert above {threshold}',
      'error-rate-high': '{value} · alert above {threshold}',
      'elections-frequent': '{value} in the last hour · alert above {threshold}'
    },
    noValue: 'no data',
    quorumAuto: 'majority',
    since: 'since {time} ({ago})',
    ago: '{s} s',
    agoMin: '{m} min {s} s',
    enabled: 'On',
    enabledLabel: 'Rule {rule} enabled',
    threshold: 'Threshold',
    thresholdUnit: {
      'quorum-lost': 'nodes (0 = majority)',
      'latency-high': 'ms',
      'error-rate-high': '%',
      'elections-frequent': 'per hour'
    },
    for: 'For',
    forUnit: 's',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved',
    invalid: {
      required: '{field}: enter a value from {min} to {max}.',
      notNumber: '{field}: “{input}” is not a number. Enter a value from {min} to {max}.',
      notInteger: '{field}: enter a whole number from {min} to {max}.',
      range: '{field}: {input} is out of range. Enter a value from {min} to {max}.'
    },
    refused: 'The lab refused the change ({code}): {message}',
    history: 'History',
    historyHelpLabel: 'About the alert history',
    historyHelp: 'Every time a rule started firing or resolved since this window opened, newest first.',
    historyEmpty: 'No alert has fired yet.',
    historyFull: 'Only the last {max} transitions are kept.',
    transition: { firing: 'firing', resolved: 'resolved' },
    transitionValue: 'value {value}, threshold {threshold}'
  },
  errors: {
    load: 'Could not load metrics: {message}',
    dismiss: 'Dismiss'
  }
}

export type MetricsMessages = typeof metrics

export default metrics
