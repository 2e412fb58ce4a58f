/**
 * English messages. This file is the schema: zh-CN must have exactly the same keys
 * (checked by the type of zh-CN.ts and by i18n.test.ts).
 *
 * vue-i18n syntax: `{name}` interpolates, `|` separates plural forms, and `@`, `{`, `}`, `|`
 * must never appear as plain text.
 */
import map from './en/map'
import timeline from './en/timeline'
import replication from './en/replication'
import metrics from './en/metrics'
import logs from './en/logs'
import data from './en/data'
import drills from './en/drills'
import settings from './en/settings'
import replay from './en/replay'

const en = {
  app: {
    name: 'Quorum Lab',
    tagline: 'Nacos-style cluster high availability, on real processes',
    version: 'v{version}'
  },
  lang: {
    label: 'Language'
  },
  nav: {
    label: 'Views',
    shortcut: 'Shortcut: {key}',
    replay: 'Replay',
    live: 'Live'
  },
  shell: {
    theme: 'Theme',
    themeToggle: 'Switch light / dark theme (T)',
    themeChoice: { system: 'Follow the system', light: 'Light', dark: 'Dark' },
    shortcuts: {
      title: 'Keyboard shortcuts',
      open: 'Keyboard shortcuts (?)',
      close: 'Close',
      view: 'Open a view',
      theme: 'Switch theme',
      help: 'Show this help',
      escape: 'Close menus and dialogs'
    },
    seedRef: 'Tutorial §{section}'
  },
  map,
  timeline,
  replication,
  metrics,
  logs,
  data,
  drills,
  settings,
  replay,
  connection: {
    label: 'Connection to the lab',
    state: {
      connecting: 'Connecting',
      open: 'Connected',
      closed: 'Disconnected'
    },
    banner: {
      connecting: 'Connecting to the lab…',
      closed: 'Lost the connection to the lab. Reconnecting…'
    }
  },
  controls: {
    title: 'Cluster',
    size: 'Cluster size',
    sizeOption: '{n} node | {n} nodes',
    sizeRecommended: 'Common sizes',
    sizeOther: 'Other sizes',
    sizeHelpLabel: 'About cluster size',
    sizeHelp:
      'Raft needs a majority of the nodes, ⌊N/2⌋+1, to elect a leader and accept writes. 3 nodes tolerate 1 failure, 5 tolerate 2, 7 tolerate 3. 2 nodes cannot survive any failure: the majority of 2 is 2.',
    start: 'Start cluster',
    starting: 'Starting…',
    stop: 'Stop cluster',
    stopping: 'Stopping…',
    runState: {
      created: 'created',
      starting: 'starting',
      running: 'running',
      stopping: 'stopping',
      stopped: 'stopped'
    },
    clusterState: 'Cluster {state}',
    runId: 'Run {runId}'
  },
  quorum: {
    summary: '{up} of {size} up, majority = {majority}',
    noLeader: 'No leader: nothing can commit until one is elected.',
    upLabel: 'up',
    held: 'Quorum held: the cluster can elect a leader and accept writes.',
    lost: 'Quorum lost: no leader can be elected and writes fail until a majority is back.',
    tolerates: 'Tolerates {n} failed node | Tolerates {n} failed nodes',
    noCluster: 'No cluster yet. Pick a size and start one.'
  },
  node: {
    title: 'Node {id}',
    address: 'Address',
    httpPort: 'HTTP port',
    raftPort: 'Raft port',
    pid: 'PID',
    none: '—',
    state: {
      starting: 'starting',
      up: 'up',
      down: 'down',
      stopped: 'stopped',
      stopping: 'stopping',
      paused: 'paused'
    },
    exit: {
      crashed: 'Crashed',
      stopped: 'Stopped',
      code: 'exit code {code}',
      signal: 'signal {signal}',
      at: 'at {time}'
    },
    crash: 'Crash',
    crashHelp: 'Sends SIGKILL to the node process: a real kill -9, with no chance to flush or say goodbye.',
    restart: 'Restart',
    restartHelp: 'Starts the node process again with its data directory intact.'
  },
  chart: {
    title: 'Nodes up over time',
    yAxis: 'nodes up',
    majority: 'majority {n}',
    empty: 'Start a cluster to watch how many nodes are up.',
    tooltip: '{n} up'
  },
  events: {
    title: 'Event log',
    empty: 'No events yet.',
    showOutput: 'Show node output',
    showRaft: 'Raft events',
    limit: 'Keeps the last {kept} events and shows the latest {shown}; older ones are dropped.',
    time: 'Time',
    type: 'Type',
    details: 'Details',
    text: {
      clusterCreated: 'Cluster created with {size} nodes (run {runId})',
      clusterState: 'Cluster is {state}',
      nodeSpawned: 'Node {id} process spawned (pid {pid})',
      nodeReady: 'Node {id} is up after {ms} ms (pid {pid})',
      nodeStopped: 'Node {id} stopped ({exit})',
      nodeCrashed: 'Node {id} crashed ({exit})',
      faultCrash: 'Fault injected: kill -9 node {id}',
      faultStop: 'Node {id} stopped (SIGTERM)',
      faultPause: 'Fault injected: node {id} frozen (SIGSTOP)',
      clientLink: 'clients → node {to}',
      clusterSettings: 'Settings: profile {profile}, PreVote {preVote}, CheckQuorum {checkQuorum} (applies at each node\'s next start)',
      nodePaused: 'Node {id} paused (SIGSTOP): like a long GC pause',
      nodeResumed: 'Node {id} resumed after {ms} ms',
      nodeWiped: 'Node {id}: data directory wiped; it catches up from the leader',
      memberAdded: 'Node {id} ({address}) joined as {as}',
      memberRemoved: 'Node {id} ({address}) removed from the cluster',
      leaderTransferred: 'Leadership transferred to node {to} in {ms} ms',
      linkFault: 'Link {link}: fault applied',
      linkHealed: 'Link {link}: healed',
      raft: 'Node {id}: {type}',
      raftRole: 'Node {id} became {role} at term {term}',
      raftTerm: 'Node {id}: term {from} → {to}',
      raftWon: 'Node {id} won the election for term {term} ({votes} votes)',
      raftCommit: 'Node {id}: commit index {from} → {to}',
      raftSnapshot: 'Node {id} installed a snapshot up to index {index}',
      traceGap: 'Node {id}: {missing} trace events lost (shown, never hidden)',
      traceReset: 'Node {id} restarted: its trace starts again',
      traceSampled: 'Node {id}: {skipped} message events sampled out this second',
      metricsSample: '{up} of {size} nodes answer metrics',
      alertFiring: 'Alert firing: {rule}',
      alertResolved: 'Alert resolved: {rule}',
      drillProgress: 'Drill {name}: {line}',
      workloadState: 'Workload {state}',
      workloadStats: 'Workload: {rate} ops/s, {ok} ok, {fail} failed',
      nodeOutput: 'Node {id} {stream}: {text}',
      eventsDropped: '{count} events were dropped because the page fell behind; state re-synced'
    }
  },
  errors: {
    title: 'Something went wrong',
    dismiss: 'Dismiss',
    code: {
      INVALID_ARGUMENT: 'The lab rejected the request as invalid.',
      UNKNOWN_METHOD: 'The lab does not know this operation (are the app and the lab the same version?).',
      NO_CLUSTER: 'There is no cluster yet.',
      CLUSTER_BUSY: 'The cluster is busy with another operation. Try again in a moment.',
      NODE_NOT_FOUND: 'There is no such node.',
      NODE_NOT_RUNNING: 'That node is not running.',
      NO_LEADER: 'The cluster has no leader right now: a majority of nodes must be up and able to reach each other.',
      UNSUPPORTED: 'This is not possible here.',
      NODE_REFUSED: 'The node refused the request.',
      SPAWN_FAILED: 'A node process failed to start.',
      TIMEOUT: 'The lab did not answer in time.',
      UNAUTHORIZED: 'Not authorised. Open the link printed by quorum-lab serve: it carries the access token.',
      DISCONNECTED: 'Not connected to the lab.',
      INTERNAL: 'The lab hit an internal error.'
    }
  }
}

export type MessageSchema = typeof en

export default en
