/** English messages of the data view (owned by that view; zh-CN/data.ts mirrors the keys). */
const data = {
  title: 'Data',
  subtitle: 'Services, instances and configs as each node sees them',
  staleHelpLabel: 'Why can a node serve stale data?',
  staleHelp:
    'Writes go to the leader and count only once a majority has them. Reads are answered from the local copy of whichever node you ask (the read/write split: reads may go to any follower), which is fast but eventually consistent. A follower cut off from the leader keeps answering from the copy it had when the link broke, so its clients read old data until the link heals and it catches up. A read with consistency=linearizable goes through ReadIndex: the node first confirms the leader’s commit index with a majority and waits until it has applied it, so it never returns stale data; a cut-off node fails such a read instead.',
  filter: 'Filter by namespace, group, dataId, service or address',
  filterLabel: 'Filter rows',
  divergentOnly: 'Divergent only',
  counts: {
    configs: '{n} config | {n} configs',
    instances: '{n} instance | {n} instances',
    divergent: '{n} divergent'
  },
  column: {
    appliedTitle: 'Applied index',
    key: 'Key',
    node: 'Node {id}',
    applied: 'applied {n}',
    behind: '({n} behind) | ({n} behind)',
    notAnswering: 'not answering',
    lastCopy: 'last copy {time}',
    never: 'no answer yet',
    divergentRows: '{n} divergent row | {n} divergent rows'
  },
  appliedHelpLabel: 'About the applied index',
  appliedHelp:
    'The applied index is the last Raft log entry this node has applied to its own copy. Every write is one entry; a node whose index lags the others shows an older state.',
  section: {
    configs: 'Configs ({n})',
    instances: 'Instances ({n})'
  },
  key: {
    config: 'namespace / group / dataId',
    instance: 'namespace / service / cluster / address'
  },
  cell: {
    missing: 'missing',
    healthy: 'healthy',
    unhealthy: 'unhealthy',
    md5: 'md5 {md5}',
    divergent: 'differs from the majority',
    bytes: '{n} bytes'
  },
  divergenceHelpLabel: 'About divergence',
  divergenceHelp:
    'A cell is marked when this node’s copy differs from what most nodes hold: the row is missing here, or its healthy flag or md5 is different. On a tie the freshest copy (highest applied index) counts as the reference.',
  empty: {
    noCluster: 'Start a cluster to see what each node stores.',
    noData: 'No configs or instances yet. Publish a config or start the workload.',
    noMatch: 'No row matches the filter.',
    section: 'None.'
  },
  replay: 'Node data is read live from each node: it is not part of a recorded run.',
  truncated: 'Showing the first {n} rows of this section; narrow the filter to see the rest.'
}

export type DataMessages = typeof data

export default data
