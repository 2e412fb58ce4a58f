/** English messages of the drills view (owned by that view; zh-CN/drills.ts mirrors the keys). */
const drills = {
  title: 'Drills',
  intro:
    'Rehearse the emergency plans of the tutorial (§8.4) on a real cluster: each drill starts its own cluster with a workload, injects a fault, measures how long recovery took and checks that no acknowledged write was lost.',
  introHelpLabel: 'About drills',
  introHelp:
    'A drill is a script: wait for a leader, start the workload, crash or cut something, wait for recovery, then judge. Failover should take about 500 ms with the seed timing and a returning node should catch up in under 10 s (Tutorial §5.2, §8.4).',
  groups: {
    plans: 'Emergency plans',
    partitions: 'Network partitions',
    process: 'Process faults',
    operations: 'Planned operations',
    consistency: 'Consistency',
    other: 'Other drills'
  },
  groupHelp: {
    plans: 'The tutorial’s emergency plans (§8.4 预案1–3): what an on-call team rehearses before the real outage.',
    partitions: 'The network splits, drops or delays messages. Only the side with a majority may elect a leader and commit, so there is never a split brain (Tutorial §1.2, §3.3).',
    process: 'A single process crashes, freezes or loses its disk. The others keep a majority and the node catches up when it returns (Tutorial §5.1, §5.3).',
    operations: 'Work done on purpose: rolling restarts, scaling, handing leadership over before maintenance (Tutorial §7.3).',
    consistency: 'What a reader sees during a partition: reading any node can return stale data; linearizable reads cannot (Tutorial §4.1).',
    other: 'Drills that belong to none of the groups above.'
  },
  groupHelpLabel: 'About {group}',
  nodes: '{n} node | {n} nodes',
  seedRef: 'Tutorial {section}',
  plan: 'Plan {n}',
  notApplicable: 'Not applicable',
  run: 'Run',
  runTitle: 'Run “{title}” on a fresh cluster',
  runningNow: 'Running…',
  nodesLabel: 'Nodes for {title}',
  nodesDefault: 'as scripted ({n})',
  nodesOption: '{n} nodes',
  list: {
    loading: 'Loading the drills…',
    empty: 'No built-in drills were found (resources/drills).',
    retry: 'Try again'
  },
  confirm: {
    title: 'Run “{title}”?',
    body: 'The drill starts a fresh {n}-node cluster with its own workload, runs its steps and writes a report. It takes from a few seconds to about a minute.',
    replaces: 'Your current cluster ({runId}) is running: it will be stopped first. Its data stays on disk.',
    noCluster: 'No cluster is running, so nothing of yours is stopped.',
    run: 'Run drill',
    stopAndRun: 'Stop my cluster and run',
    cancel: 'Cancel'
  },
  progress: {
    title: 'Progress',
    helpLabel: 'About the progress',
    help: 'One line per step as the lab runs it, with the time since the drill began. The run ends with the durability and linearizability checks and the verdict.',
    stoppingCluster: 'Stopping your cluster…',
    waiting: 'Starting the drill…',
    running: 'Running',
    observed: 'A drill started elsewhere (the CLI or another window) is running: its progress shows here.',
    done: 'Finished',
    failed: 'Could not run',
    step: 'step {index}/{total}',
    dropped: '{n} earlier lines were dropped: the list keeps the last {max}.',
    empty: 'No drill has run in this session yet. Pick one above.'
  },
  verdict: {
    label: 'Verdict',
    pass: 'Pass',
    fail: 'Fail',
    notApplicable: 'Not applicable'
  },
  checks: {
    title: 'Checks',
    helpLabel: 'About the checks',
    help: 'Each measurement against the expectation written in the drill script. Defaults come from the tutorial: failover about 500 ms, rejoin under 10 s, and zero lost acknowledged writes.',
    name: 'Check',
    expected: 'Expected',
    actual: 'Measured',
    result: 'Result',
    ok: 'pass',
    bad: 'fail',
    names: {
      failover: 'Failover (time to a new leader)',
      leaderless: 'Time without a leader',
      unavailable: 'Writes unavailable (client view)',
      rejoin: 'Rejoin (returning node catches up)',
      lostWrites: 'Lost acknowledged writes',
      consistency: 'Consistency (linearizability checker)',
      steps: 'Every step ran'
    },
    none: 'This drill measures nothing: it does not apply here.'
  },
  result: {
    reportDir: 'Report folder',
    openReport: 'Open report',
    failedTitle: 'The drill could not run'
  },
  report: {
    title: 'Report',
    loading: 'Loading the report…',
    close: 'Close report',
    frameTitle: 'Drill report: {name}',
    saveHtml: 'Save HTML',
    saveMarkdown: 'Save Markdown',
    exportPdf: 'Export PDF',
    exportingPdf: 'Exporting…',
    pdfSaved: 'PDF written: {path}',
    pdfUnsupported: 'PDF export needs the desktop app (it prints the report). In the browser, save the HTML and print it from there.',
    exportHelpLabel: 'About exporting',
    exportHelp: 'The HTML file is self-contained: charts are inline SVG and nothing is fetched when it opens, so it can be attached to an incident review. The Markdown is a short summary; report.json in the folder holds all the data.'
  },
  past: {
    title: 'Past reports',
    helpLabel: 'About past reports',
    help: 'Every drill run from the app writes its report into the lab’s data folder (reports/). Open any of them again here.',
    refresh: 'Refresh',
    empty: 'No reports yet: run a drill.',
    open: 'Open',
    opened: 'Open now',
    duration: '{s} s',
    pdf: 'PDF'
  },
  dismiss: 'Dismiss'
}

export type DrillsMessages = typeof drills

export default drills
