/** English messages of the settings view (owned by that view; zh-CN/settings.ts mirrors the keys). */
const settings = {
  title: 'Settings',
  intro: 'How the lab looks, where it keeps its data, and what a new cluster starts with.',
  appearance: 'Appearance',
  language: {
    label: 'Language',
    helpLabel: 'About the language',
    help: 'The language of the whole app, the desktop menu and new drill reports. Until you pick one, the lab follows your system’s language (Chinese for any zh locale, otherwise English).',
    system: 'Follow the system ({name})'
  },
  theme: {
    label: 'Theme',
    helpLabel: 'About the theme',
    help: 'Light or dark colours for the app and its charts. “Follow the system” switches with your OS setting. Shortcut: T.'
  },
  storage: 'Data',
  dataDir: {
    label: 'Data folder',
    helpLabel: 'About the data folder',
    help: 'Where the lab keeps each cluster run (runs/: every node’s conf, data and logs) and every drill report (reports/). Deleting it removes past runs and reports.',
    open: 'Open folder',
    unsupported: 'Opening a folder needs the desktop app; copy the path to open it yourself.',
    unknown: 'Not known yet: waiting for the lab.',
    host: 'Lab host',
    hosts: { electron: 'Desktop app', web: 'Web mode (quorum-lab serve)', cli: 'Command line' },
    version: 'Version {version}'
  },
  defaults: {
    title: 'New clusters',
    helpLabel: 'About cluster defaults',
    help: 'What the cluster controls start with when they create a cluster. A cluster that exists keeps its own settings; change those on the cluster map.',
    size: 'Cluster size',
    sizeHelpLabel: 'About the default size',
    sizeHelp: 'Raft needs a majority, ⌊N/2⌋+1, to elect a leader and commit. 3 nodes survive 1 failure, 5 survive 2. Even sizes add no tolerance: 4 nodes still survive only 1 (Tutorial §1.3).',
    sizeOption: '{n} node | {n} nodes',
    profile: 'Timing profile',
    profileHelpLabel: 'About timing profiles',
    profileHelp: 'Seed: the tutorial’s timing, heartbeat 100 ms and election timeout 150–300 ms (§5.1). Teaching: ten times slower, so every vote and append can be followed on the timeline.',
    profiles: { seed: 'Seed (heartbeat 100 ms)', teaching: 'Teaching (×10 slower)' },
    preVote: 'PreVote',
    preVoteHelpLabel: 'About PreVote',
    preVoteHelp: 'Before a real election a node asks whether it could win. A node cut off from the others then cannot push its term up and, when it returns, does not depose a healthy leader (Raft thesis §9.6; Tutorial §3.3).',
    checkQuorum: 'CheckQuorum',
    checkQuorumHelpLabel: 'About CheckQuorum',
    checkQuorumHelp: 'A leader that has not heard from a majority within an election timeout steps down. An isolated leader then stops accepting writes it could never commit (Tutorial §3.3, §5.2).',
    on: 'On',
    off: 'Off',
    source: {
      saved: 'Your choice, saved in this browser.',
      lab: 'Offered by the lab (the last cluster you used).',
      builtin: 'The tutorial’s cluster: 3 nodes, seed timing, PreVote and CheckQuorum on.'
    },
    reset: 'Use the lab’s defaults'
  },
  monitoring: {
    title: 'Metrics and alerts',
    helpLabel: 'About metrics and alerts',
    help: 'The lab scrapes every node’s Prometheus endpoint, as the tutorial’s monitoring does (§8.3), and evaluates its alert rules on each sample. Read-only here: the metrics view shows the figures.',
    scrape: 'Scrape interval',
    scrapeValue: 'about every {s} s (measured between the last two samples)',
    noSample: 'No sample yet: start a cluster.',
    endpoint: 'Endpoint per node',
    lastSample: 'Last sample {time}',
    alerts: 'Alert rules',
    alertsHelpLabel: 'About alert rules',
    alertsHelp: 'The rules of Tutorial §8.3: a rule fires once its condition has held for its “for” time, and resolves when the condition clears.',
    noCluster: 'Alert rules belong to a cluster: start one to see them.',
    refresh: 'Refresh',
    enabled: 'on',
    disabled: 'off',
    rule: 'Rule',
    threshold: 'Threshold',
    for: 'For',
    state: 'State',
    states: { ok: 'ok', pending: 'pending', firing: 'firing' },
    rules: {
      quorumLost: 'Quorum lost',
      latencyHigh: 'Latency high',
      errorRateHigh: 'Error rate high',
      electionsFrequent: 'Frequent elections'
    },
    thresholds: {
      quorumLost: 'nodes up below {n}',
      quorumLostAuto: 'nodes up below the quorum',
      latencyHigh: 'p99 above {n} ms',
      errorRateHigh: 'errors above {n} %',
      electionsFrequent: 'more than {n} per hour'
    },
    immediately: 'at once',
    forMs: '{s} s'
  },
  dismiss: 'Dismiss'
}

export type SettingsMessages = typeof settings

export default settings
