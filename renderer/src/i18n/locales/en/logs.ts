/** English messages of the logs view (owned by that view; zh-CN/logs.ts mirrors the keys). */
const logs = {
  title: 'Logs',
  subtitle: 'Live tail of the four log files of every node',
  filesHelpLabel: 'About the four log files',
  filesHelp:
    'Every node writes four files, as Nacos does: nacos.log (start-up, shutdown, errors), naming-server.log (registrations, heartbeats), config-server.log (config reads, writes and pushes) and nacos-cluster.log (membership, elections, replication). Each line is one JSON object: level, time, message and fields.',
  files: {
    main: 'nacos.log',
    naming: 'naming-server.log',
    config: 'config-server.log',
    cluster: 'nacos-cluster.log'
  },
  levels: {
    trace: 'trace',
    debug: 'debug',
    info: 'info',
    warn: 'warn',
    error: 'error',
    fatal: 'fatal',
    unknown: 'raw'
  },
  filter: {
    label: 'Filter the lines',
    text: 'Search messages…',
    textLabel: 'Search text (case-insensitive)',
    node: 'Node',
    allNodes: 'All nodes',
    nodeN: 'Node {id}',
    file: 'File',
    allFiles: 'All files',
    level: 'Level',
    allLevels: 'All levels',
    minLevel: '{level} and above',
    levelHelpLabel: 'About log levels',
    levelHelp:
      'Shows the chosen level and the more severe ones. Lines that are not JSON (a crash trace, a torn write) stay visible from "warn" up: they are most often what a failing process printed last.',
    clear: 'Clear filters'
  },
  pause: 'Pause',
  resume: 'Resume',
  pauseHelp: 'Pause freezes the list so you can read; new lines keep arriving and join when you resume.',
  newLines: '+{n} new',
  count: '{shown} of {kept} lines',
  countTitle: 'Lines shown by the filter, of the lines kept in this window',
  dropped: '{n} older line dropped: the view keeps the newest {cap}. | {n} older lines dropped: the view keeps the newest {cap}.',
  earlier: '{n} earlier line was written before the tail started; it stays in the file on disk. | {n} earlier lines were written before the tail started; they stay in the files on disk.',
  missed: '{n} line arrived faster than the view could read it and was skipped. | {n} lines arrived faster than the view could read them and were skipped.',
  jumpLatest: 'Jump to latest',
  listLabel: 'Log lines',
  columns: {
    time: 'Time',
    node: 'Node',
    file: 'File',
    level: 'Level',
    message: 'Message'
  },
  empty: {
    waiting: 'Waiting for log lines. Start a cluster and each node’s lines appear here as they are written.',
    noMatch: 'No line matches the filter.'
  },
  replay: 'Log files are not part of a recorded run: the tail shows the live lab only.',
  error: 'Could not read the logs: {message}',
  detail: {
    title: 'Line details',
    node: 'Node {id}',
    raw: 'Raw line',
    fields: 'Fields',
    noFields: 'No fields besides level, time and message.',
    copy: 'Copy line',
    copyRow: 'Copy this line',
    copied: 'Copied',
    copyFailed: 'Could not copy',
    close: 'Close details'
  }
}

export type LogsMessages = typeof logs

export default logs
