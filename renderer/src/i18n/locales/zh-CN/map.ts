import type { MapMessages } from '../en/map'

const map: MapMessages = {
  title: '集群拓扑',
  ringLabel: '节点围成一圈，节点之间按方向画出链路',
  leader: '领导者',
  leaderNone: '无',
  electing: '没有领导者：正在选举…',
  termOf: '任期 {term}',
  explain: '概念',
  highestTerm: '最高任期',
  emptyRing: '启动集群后，这里会显示节点和它们之间的链路。',
  role: {
    leader: '领导者',
    follower: '跟随者',
    candidate: '候选者',
    precandidate: '预候选者',
    learner: '学习者',
    down: '宕机',
    paused: '已暂停',
    starting: '启动中',
    unknown: '无响应'
  },
  facts: {
    term: '任期',
    commit: '提交索引',
    applied: '应用索引',
    lastIndex: '最新索引',
    heartbeat: '心跳',
    cpu: 'CPU',
    memory: '内存',
    pid: 'PID',
    port: 'HTTP {port}'
  },
  heartbeat: {
    none: '—',
    sends: '发送方',
    ago: '{s} 秒前',
    agoMs: '{ms} 毫秒前'
  },
  runStateHelp: '实验室看到的进程状态（上方徽标是它的 Raft 角色）',
  pendingRestart: '重启前仍按旧设置运行',
  isolated: '已隔离',
  seedSection: '教程 §{section}',
  tips: {
    term: '任期是一段编号的领导时期。每次选举开启一个新任期；节点一旦看到更高的任期，就退回跟随者。任期只增不减，旧领导者“复活”后也无法推翻新领导者。',
    quorum: '法定人数（多数派）是投票节点的过半数：⌊N/2⌋+1。领导者要获得多数派的投票才能当选，一条日志要被多数派保存才能提交。凑不齐多数派，就无法提交任何新数据。',
    commit: '提交索引：已被多数派保存的最后一条日志，永远不会丢失。应用索引：本节点已在自己的数据上执行到的最后一条日志。应用索引会短暂落后于提交索引；差距很大说明该节点跟不上。',
    learner: '学习者像跟随者一样接收日志，但不参与投票，也不计入多数派。新节点先以学习者身份加入，追上日志后再升级为投票成员，所以扩容过程不会削弱多数派。',
    preVote: 'PreVote（预投票）：节点在发起选举前，先问其他节点是否愿意投票给它，而不提升自己的任期。这样，被隔离的节点不会把任期越抬越高，网络恢复后也不会引发不必要的选举。',
    checkQuorum: 'CheckQuorum（法定人数检查）：领导者若在一个选举超时内没有收到多数派的回应，就主动退位。被隔离的领导者因此停止接受写入，而不是误以为自己仍在领导。',
    heartbeat: '跟随者每收到领导者的一次心跳或日志复制，就重置选举计时器。若在选举超时内（教程参数为 150–300 毫秒）没有收到心跳，跟随者就发起选举。',
    roles: '领导者：接收所有写请求并复制给其他节点。跟随者：复制领导者的日志，并把写请求转发给领导者。候选者：请求投票以成为领导者。预候选者：先探询自己能否胜选（PreVote）。',
    links: '每对节点之间有两条链路，每个方向一条。点击链路可以切断它（黑洞会扣住数据，重置会拒绝连接）、增加延迟或按比例丢弃消息。只切断一个方向，就是单向分区。',
    profile: '教程参数即教程中的取值：心跳 100 毫秒，选举超时 150–300 毫秒。教学模式慢十倍，便于在时间线上看清每一次投票和日志复制。',
    workload: '持续的配置读写和服务注册请求。写请求可以发往任意节点（跟随者会转发给领导者），也可以直接发给领导者；读请求可以读任意节点的本地数据、读领导者，或通过 ReadIndex 做线性一致读。',
    gauge: '在线节点数与所需的多数派对比。当集群无法提交时显示红色：在线节点不足多数派，或者没有领导者。'
  },
  actions: {
    open: '操作',
    openLabel: '节点 {id} 的操作',
    title: '节点 {id}',
    crash: '崩溃（kill -9）',
    stop: '停止',
    pause: '暂停（冻结）',
    resume: '恢复',
    restart: '重启',
    wipe: '清空数据并重启',
    transfer: '将领导权转移到这里',
    remove: '从集群中移除',
    help: {
      crash: 'SIGKILL：进程立即终止，来不及落盘，也来不及告别。',
      stop: 'SIGTERM：正常关闭。',
      pause: 'SIGSTOP：进程保留连接但不执行任何代码，就像一次漫长的 GC 停顿。',
      resume: 'SIGCONT：被冻结的进程继续运行，却发现集群早已向前推进。',
      restart: '保留数据重新启动进程；它会从领导者那里追上日志。',
      wipe: '删除数据目录（如同磁盘损坏）后重新启动：所有数据都从领导者恢复，通过日志复制或快照。',
      transfer: '请领导者把领导权交给这个节点（它必须是日志最新的投票成员）。',
      remove: '缩容：领导者把该成员移出集群配置，随后停止其进程。'
    }
  },
  why: {
    notRunning: '该节点没有在运行。',
    alreadyStopped: '该节点已经停止。',
    notUp: '该节点不在线。',
    notPaused: '该节点没有被暂停。',
    paused: '该节点已经暂停。',
    pauseUnsupported: '本系统上实验室无法暂停进程（没有 SIGSTOP）。',
    clusterNotLive: '请先启动集群。',
    busy: '该节点上的另一项操作正在进行。',
    alreadyLeader: '该节点已经是领导者。',
    learner: '学习者不能成为领导者：它没有投票权。',
    noLeader: '当前没有领导者可以移交领导权。',
    lastNode: '不能移除最后一个节点；请直接停止集群。',
    disconnected: '未连接到实验室。',
    replay: '正在回放录制的运行：回到实时模式后才能操作。'
  },
  link: {
    label: '链路 {from} → {to}：{state}',
    state: {
      ok: '正常',
      cut: '已切断',
      delayed: '有延迟',
      lossy: '丢包',
      degraded: '延迟且丢包'
    },
    pair: {
      ok: '正常',
      cut: '双向切断',
      oneWay: '单向切断',
      degraded: '质量下降'
    },
    legend: '链路',
    editor: {
      title: '链路 {from} → {to}',
      now: '当前：{state}',
      cutHeading: '切断',
      blackhole: '黑洞',
      blackholeHelp: '连接保持打开，但数据被扣住：网络路径失效。',
      reset: '重置',
      resetHelp: '关闭连接并拒绝新连接：对端直接回 RST。',
      heal: '恢复',
      shapeHeading: '延迟与丢包',
      delay: '延迟（毫秒）',
      jitter: '抖动（毫秒）',
      loss: '丢包率（%）',
      apply: '应用',
      close: '关闭',
      reverse: '反方向（{to} → {from}）'
    }
  },
  presets: {
    title: '故障注入',
    killLeader: '杀死领导者',
    killLeaderHelp: '对当前领导者执行 kill -9：观察其余节点选出新领导者。',
    isolateLeader: '隔离领导者',
    isolateLeaderHelp: '切断领导者的所有进出链路：多数派选出新领导者，旧领导者被孤立。',
    split: '分区 {a} + {b}',
    splitHelp: '把节点 {a} 与 {b} 分隔开：只有多数派一侧能选出领导者并提交数据。',
    splitNeeds: '分区至少需要 3 个节点。',
    isolate: '隔离',
    isolateNode: '要隔离的节点',
    isolateHelp: '切断所选节点的所有进出链路。',
    healAll: '恢复所有链路',
    healAllHelp: '把所有链路恢复正常。',
    needLeader: '当前没有领导者。',
    needCluster: '请先启动集群。',
    faulty: '没有链路故障 | 1 条链路故障 | {n} 条链路故障'
  },
  controls: {
    profile: '时序参数',
    profiles: {
      seed: '教程参数（心跳 100 毫秒）',
      teaching: '教学模式（慢 10 倍）'
    },
    preVote: '预投票 PreVote',
    checkQuorum: '法定人数检查 CheckQuorum',
    settingsNote: '设置在每个节点下次启动时生效：重启节点（或重置集群）后才会使用新设置。',
    settingsNoteNew: '集群启动时使用。',
    reset: '重置',
    resetting: '正在重置…',
    resetHelp: '停止当前集群，并按上面的规模和设置启动一个全新的集群（新的运行、空数据）。',
    addNode: '添加节点',
    addingNode: '正在添加…',
    addNodeHelp: '扩容一个节点：新节点先以学习者身份加入，追上日志后再升级为投票成员。',
    maxNodes: '实验室最多运行 {n} 个节点。'
  },
  workload: {
    title: '负载',
    start: '启动负载',
    stop: '停止负载',
    apply: '应用',
    rate: '速率（次/秒）',
    writes: '写请求发往',
    reads: '读请求来自',
    routing: {
      any: '任意节点',
      leader: '领导者',
      linearizable: 'ReadIndex（线性一致读）'
    },
    state: {
      idle: '空闲',
      running: '运行中',
      stopping: '正在停止'
    },
    stats: {
      rate: '次/秒',
      ok: '成功',
      fail: '失败',
      unknown: '结果未知',
      p99: 'p99',
      inFlight: '进行中'
    },
    none: '还没有统计数据。',
    needCluster: '启动集群后才能运行负载。',
    window: '显示最近 {n} 秒'
  }
}

export default map
