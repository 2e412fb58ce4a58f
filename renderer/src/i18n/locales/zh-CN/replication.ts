import type { ReplicationMessages } from '../en/replication'

const replication: ReplicationMessages = {
  title: '日志复制',
  subtitle: '每个节点的 Raft 日志，每个索引一格，上下对齐：同一列就是各节点上的同一个索引。',
  empty: '还没有集群。先在集群地图上启动一个，再写入点数据（比如发布一个配置），就能看到它被复制。',
  stopped: '集群没有在运行：日志条显示的是最后一次读到的内容。',
  replay: '正在回放录制的运行：日志本身要从运行中的集群读取，所以日志条是空的；下面的提示和流动动画来自录制。',
  window: {
    label: '显示条目数',
    option: '最近 {n} 条',
    older: '更早',
    olderHelp: '查看更早的条目',
    newer: '更新',
    newerHelp: '查看更新的条目',
    latest: '跟随最新',
    latestHelp: '回到最新的条目，并随新条目到来自动跟随',
    range: '索引 {from}–{to}',
    following: '跟随中',
    pinned: '已固定'
  },
  animate: {
    label: '动画显示追加',
    help: '把每次日志追加（MsgApp）画成从领导者流向跟随者的脉冲，并在提交索引前进时闪烁。教学档位下默认开启，那时消息慢到肉眼能跟上。'
  },
  legend: {
    title: '图例',
    committed: '已提交',
    uncommitted: '尚未提交',
    snapshot: '已进入快照',
    empty: '尚未写入',
    conflict: '与领导者冲突',
    commit: '提交索引',
    applied: '应用索引',
    match: 'match',
    next: 'next',
    terms: '任期',
    term: '任期 {term}'
  },
  strip: {
    label: '节点 {id} 的 Raft 日志',
    node: '节点 {id}',
    leader: '领导者',
    follower: '跟随者',
    candidate: '候选者',
    precandidate: '预候选者',
    unknownRole: '无应答',
    commit: '提交',
    applied: '应用',
    last: '最新',
    first: '首个',
    none: '—',
    inSnapshot: '已进入快照 ≤ {index}',
    notAnswering: '自 {time} 起无应答',
    notAnsweringReason: '自 {time} 起无应答（{reason}）',
    neverRead: '尚未读取',
    keyboard: '方向键沿日志移动；Home 和 End 跳到窗口两端；Page Up 和 Page Down 查看更早或更新的条目。',
    caretMatch: 'match {index}',
    caretNext: 'next {index}',
    markSnapshot: '已安装快照，覆盖到索引 {index}',
    markTruncated: '从索引 {index} 起删除了冲突条目',
    commitFlash: '提交 {from} → {to}'
  },
  runState: {
    stopped: '已停止',
    starting: '启动中',
    up: '运行中',
    paused: '已暂停',
    stopping: '停止中',
    down: '已宕机'
  },
  cell: {
    conflict: '与领导者在该索引上的条目冲突：它会被删除并替换。',
    entry: '索引 {index} · 任期 {term} · {bytes} 字节',
    committed: '已提交',
    uncommitted: '未提交',
    applied: '已应用',
    snapshot: '索引 {index}：已压缩进快照',
    empty: '索引 {index}：本节点尚未写入',
    unknown: '索引 {index}：尚未读取'
  },
  detail: {
    title: '条目 {index}',
    hint: '把鼠标移到条目上，或聚焦某条日志后用方向键，即可查看该索引在每个节点上的内容。',
    node: '节点',
    term: '任期',
    state: '状态',
    bytes: '字节',
    text: '内容',
    kind: {
      entry: '在日志中',
      snapshot: '在快照中',
      empty: '缺失',
      unknown: '未读取'
    },
    confChange: '成员变更',
    differs: '各节点在这个索引上不一致：任期与领导者不同的那条会被覆盖。'
  },
  progress: {
    error: '无法读取各节点状态（{error}），显示的是上一次的结果。',
    title: '领导者眼中的各个跟随者',
    leader: '领导者：节点 {id}，任期 {term}，最新索引 {last}，提交索引 {commit}',
    noLeader: '当前没有领导者：没有节点在复制日志。',
    node: '跟随者',
    state: '状态',
    match: 'Match',
    next: 'Next',
    lag: '落后',
    inflight: '在途',
    flags: '标记',
    paused: '已暂停',
    active: '活跃',
    inactive: '近期无响应',
    learner: '学习者',
    states: {
      probe: '探测（probe）',
      replicate: '复制（replicate）',
      snapshot: '快照（snapshot）'
    },
    unknownNode: '已移除的成员'
  },
  callouts: {
    title: '快照安装与冲突截断',
    empty: '暂无。落后太多的跟随者会收到快照；持有旧领导者条目的跟随者会把它们删掉。',
    dropped: '已丢弃 {n} 条较早的提示（列表只保留最近 {max} 条）',
    snapshotSent: '节点 {id} 向节点 {peer} 发送了快照，覆盖到索引 {index}（任期 {term}）',
    snapshotRestored: '节点 {id} 安装了快照，覆盖到索引 {index}（任期 {term}）',
    logTruncated: '节点 {id} 从索引 {index} 起删除了 {dropped} 条冲突条目，以与领导者保持一致'
  },
  flow: {
    append: '条目 {label} → 节点 {to}',
    snapshot: '快照 {label} → 节点 {to}'
  },
  tips: {
    index: '关于日志索引',
    indexText: '每次写入都会在领导者日志的下一个索引（1、2、3……）处追加一条记录。跟随者在相同索引上复制相同的条目；这里的一列就是所有节点上的同一个索引。',
    term: '关于任期',
    termText: '任期是写入该条目时所处的选举周期：每个新领导者都会开启一个新任期。颜色按任期区分，每任领导者写的条目一目了然。索引和任期都相同的两条日志，在所有节点上内容完全一样。',
    commit: '关于提交索引与应用索引',
    commitText: '一条日志被多数派（法定人数）节点保存后即为已提交，再也不会丢失。随后各节点按顺序把已提交的条目应用到自己的数据副本上；应用索引会短暂落后于提交索引。未提交的条目以斜线填充显示。',
    matchNext: '关于 match 与 next',
    matchNextText: '领导者为每个跟随者记录进度：match 是确认该跟随者已保存的最高索引，next 是下一次要发送的索引。落后的跟随者 match 较低；领导者会把 next 逐步回退，直到双方日志一致，再补发缺失的条目。',
    states: '关于探测、复制和快照状态',
    statesText: '探测（probe）：领导者还不知道跟随者日志的末尾在哪里，每次只发一条追加，直到确认为止。复制（replicate）：双方日志一致，领导者不等应答就连续发送条目。快照（snapshot）：跟随者需要的条目已被压缩掉，领导者改为发送快照。',
    snapshot: '关于快照安装',
    snapshotText: '跟随者离线太久，领导者已经压缩掉它缺少的条目时，领导者会发送整个状态的快照；跟随者用快照替换自己的数据和日志前缀，再追上快照之后的条目（即全量同步）。',
    compaction: '关于日志压缩',
    compactionText: '日志不能无限增长：节点会在某个索引处保存状态快照，并删除到该索引为止的条目。这些索引显示为“已进入快照”；它们的效果保存在数据中，而不再以条目形式存在。',
    truncation: '关于冲突截断',
    truncationText: '跟随者可能持有前任领导者写入却从未提交的条目。当新领导者的条目与之冲突（同一索引、不同任期）时，跟随者会删除冲突的条目，改用领导者的：领导者的日志是权威。'
  }
}

export default replication
