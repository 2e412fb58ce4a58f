import type { MetricsMessages } from '../en/metrics'

const metrics: MetricsMessages = {
  title: '监控指标',
  intro: '实验室每秒从每个节点抓取一次指标（/nacos/actuator/prometheus），并用教程里的告警规则来判断。',
  introHelpLabel: '关于这些指标',
  introHelp:
    '实验室每秒抓取一次各节点的 Prometheus 接口，像 Prometheus 和 Grafana 那样从计数器算出速率和分位数。没有应答的节点在曲线上留下缺口，而不是画成 0。',
  window: '时间窗口',
  windowOption: '最近 {n} 分钟',
  summary: {
    leader: '领导者',
    noLeader: '无',
    nodesUp: '在线节点',
    nodesUpValue: '{up} / {size}',
    qps: 'QPS',
    p99: 'p99',
    samples: '样本',
    samplesValue: '已保留 {n} 个',
    ringFull: '只保留最近 {min} 分钟（{max} 个样本），更早的样本会被丢弃（已丢弃 {dropped} 个）。',
    replay: '回放中：时间窗口跟随回放时钟。'
  },
  loading: '正在加载最近一小时的指标…',
  node: '节点 {id}',
  cluster: '集群',
  p50: 'p50',
  p99: 'p99',
  empty: '这个时间窗口里还没有样本。启动集群后即可看到指标。',
  restarted: '节点 {id} 已重启（计数器从零开始）',
  fsync: 'fsync p99 · 节点 {id}',
  rtt: '到 {peer} 的往返时延',
  units: { qps: '次/秒', entries: '条', changes: '次' },
  api: {
    register: '注册实例',
    deregister: '注销实例',
    beat: '心跳',
    list: '查询实例',
    configGet: '读取配置',
    configPublish: '发布配置',
    configDelete: '删除配置',
    listener: '配置监听',
    other: '其他'
  },
  chart: {
    qps: '各接口每秒请求数',
    latency: '响应时间 p50 / p99',
    errors: '错误率',
    commit: '各节点提交索引',
    lag: '复制延迟',
    'leader-changes': '领导者切换',
    cpu: '各节点 CPU',
    memory: '各节点内存（RSS）',
    wal: 'WAL fsync p99 与领导者往返时延'
  },
  help: {
    qps: 'QPS：上一秒每个接口收到的请求数，按所有应答的节点求和。写请求（注册、发布配置）要经过 Raft 领导者；读请求由节点本地处理。客户端还在发请求而 QPS 掉到 0，说明节点不再应答。',
    latency:
      'p99：99% 的请求都比这个时间快，反映的是最慢的那 1% 客户端的感受，而平均值会把它掩盖掉。集群曲线取最慢节点的 p99，也就是响应时间告警盯着的数字。配置监听的长轮询会被故意挂起约 30 秒，所以不计入。',
    errors: '错误率：服务端错误（5xx）占全部请求的比例。写请求凑不齐多数派就会失败，所以失去法定人数时错误率会上升。4xx（比如配置不存在）是正常应答，不计入。',
    commit: '提交索引：已被多数派保存、永远不会丢失的最大日志条目编号。日志复制跟得上时，各条曲线一起上升；某个节点的曲线停住或中断，说明它被隔离或已宕机。',
    lag: '复制延迟：节点的应用索引落后领导者提交索引多少条。跟随者读的是本地副本，所以落后的跟随者在追上之前会返回旧数据。',
    'leader-changes': '每秒观察到的领导者切换次数。每一次都是一场选举：选出新领导者之前写入会暂停。切换频繁通常意味着网络抖动或节点过载。',
    cpu: '每个节点进程占用的 CPU，按单核的百分比计。被暂停（SIGSTOP）的进程为 0，已退出的进程没有数据。',
    memory: '每个节点进程的常驻内存（RSS），单位 MB。没有负载却持续上涨说明有泄漏；重启后会回落。',
    wal: '每个节点最慢的 1% WAL fsync 花了多久（领导者必须先把日志落盘，才算进多数派），以及领导者到每个跟随者心跳的 p99 往返时延。磁盘或网络变慢，会先在这里显现，然后才变成选举。'
  },
  alerts: {
    title: '告警',
    helpLabel: '关于告警规则',
    help: '教程里的 Prometheus 告警规则，由实验室对每个样本进行判断。条件成立但还没持续满 for 时长时为“待定”，满了就“触发”；条件消失后告警“恢复”。',
    firing: '{n} 条触发中',
    allOk: '一切正常',
    noRules: '集群创建后才会显示规则。',
    replayRules: '规则设置属于实验室：回放只显示录制到的告警。',
    state: { ok: '正常', pending: '待定', firing: '触发', disabled: '已关闭' },
    rule: {
      'quorum-lost': '失去法定人数',
      'latency-high': '响应时间过高',
      'error-rate-high': '错误率过高',
      'elections-frequent': '选举过于频繁'
    },
    ruleHelp: {
      'quorum-lost':
        '在线节点数低于阈值时触发（0 表示集群的多数派 ⌊N/2⌋+1）。没有多数派就选不出领导者，任何写入都无法提交：集群最多只能读。请立即检查宕机的节点。',
      'latency-high': '最慢节点的 p99 响应时间持续高于阈值达到 for 时长时触发（教程：> 100ms 持续 5 分钟）。请检查网络和负载。',
      'error-rate-high': '服务端错误占请求的比例超过阈值时触发（教程：> 1%）。常见原因是失去法定人数、领导者被分区或过载。',
      'elections-frequent': '最近一小时内领导者切换次数超过阈值时触发（教程：> 5 次/小时）。选举频繁说明集群不稳定，通常是网络抖动。'
    },
    value: {
      'quorum-lost': '在线 {value} 个 · 低于 {threshold} 告警',
      'latency-high': '{value} · 高于 {threshold} 告警',
      'error-rate-high': '{value} · 高于 {threshold} 告警',
      'elections-frequent': '最近一小时 {value} 次 · 超过 {threshold} 告警'
    },
    noValue: '暂无数据',
    quorumAuto: '多数派',
    since: '自 {time} 起（{ago}）',
    ago: '{s} 秒',
    agoMin: '{m} 分 {s} 秒',
    enabled: '启用',
    enabledLabel: '启用规则“{rule}”',
    threshold: '阈值',
    thresholdUnit: {
      'quorum-lost': '个节点（0 = 多数派）',
      'latency-high': '毫秒',
      'error-rate-high': '%',
      'elections-frequent': '次/小时'
    },
    for: '持续',
    forUnit: '秒',
    save: '保存',
    saving: '保存中…',
    saved: '已保存',
    invalid: {
      required: '{field}：请输入 {min} 到 {max} 之间的值。',
      notNumber: '{field}：“{input}”不是数字。请输入 {min} 到 {max} 之间的值。',
      notInteger: '{field}：请输入 {min} 到 {max} 之间的整数。',
      range: '{field}：{input} 超出范围。请输入 {min} 到 {max} 之间的值。'
    },
    refused: '实验室拒绝了这次修改（{code}）：{message}',
    history: '历史',
    historyHelpLabel: '关于告警历史',
    historyHelp: '自打开窗口以来，每条规则每次开始触发或恢复的记录，最新的在最前面。',
    historyEmpty: '还没有告警触发过。',
    historyFull: '只保留最近 {max} 条记录。',
    transition: { firing: '触发', resolved: '恢复' },
    transitionValue: '值 {value}，阈值 {threshold}'
  },
  errors: {
    load: '无法加载指标：{message}',
    dismiss: '关闭'
  }
}

export default metrics
