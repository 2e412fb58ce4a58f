import type { SettingsMessages } from '../en/settings'

const settings: SettingsMessages = {
  title: '设置',
  intro: '实验室的外观、数据存放位置，以及新建集群时的默认设置。',
  appearance: '外观',
  language: {
    label: '语言',
    helpLabel: '关于语言',
    help: '整个应用、桌面菜单以及新生成的演练报告所用的语言。在你选择之前，实验室跟随系统语言（任何 zh 区域都用中文，否则用英文）。',
    system: '跟随系统（{name}）'
  },
  theme: {
    label: '主题',
    helpLabel: '关于主题',
    help: '应用和图表使用浅色或深色。「跟随系统」会随操作系统的设置切换。快捷键：T。'
  },
  storage: '数据',
  dataDir: {
    label: '数据目录',
    helpLabel: '关于数据目录',
    help: '实验室在这里保存每次集群运行（runs/：每个节点的 conf、data 和 logs）以及每份演练报告（reports/）。删除它会清除以往的运行和报告。',
    open: '打开目录',
    unsupported: '打开目录需要桌面应用；请复制路径自行打开。',
    unknown: '暂时未知：正在等待实验室响应。',
    host: '实验室宿主',
    hosts: { electron: '桌面应用', web: 'Web 模式（quorum-lab serve）', cli: '命令行' },
    version: '版本 {version}'
  },
  defaults: {
    title: '新建集群',
    helpLabel: '关于集群默认设置',
    help: '集群控制区新建集群时使用的初始设置。已存在的集群保留自己的设置，请在集群拓扑页修改。',
    size: '集群规模',
    sizeHelpLabel: '关于默认规模',
    sizeHelp: 'Raft 需要多数派（⌊N/2⌋+1）才能选出 Leader 并提交日志。3 个节点可容忍 1 个故障，5 个节点可容忍 2 个。偶数节点不会增加容错：4 个节点仍然只能容忍 1 个（教程 §1.3）。',
    sizeOption: '{n} 个节点 | {n} 个节点',
    profile: '时序配置',
    profileHelpLabel: '关于时序配置',
    profileHelp: '教程：教程中的时序，心跳 100 毫秒，选举超时 150–300 毫秒（§5.1）。教学：慢十倍，便于在时间线上看清每一次投票和日志追加。',
    profiles: { seed: '教程（心跳 100 毫秒）', teaching: '教学（慢 10 倍）' },
    preVote: 'PreVote（预投票）',
    preVoteHelpLabel: '关于 PreVote',
    preVoteHelp: '在真正发起选举之前，节点先询问自己能否赢得选举。这样被隔离的节点就无法不断抬高任期，回来时也不会把健康的 Leader 拉下台（Raft 论文 §9.6；教程 §3.3）。',
    checkQuorum: 'CheckQuorum（法定人数检查）',
    checkQuorumHelpLabel: '关于 CheckQuorum',
    checkQuorumHelp: '如果 Leader 在一个选举超时内没有收到多数派的回应，就主动退位。这样被隔离的 Leader 不会再接受那些永远无法提交的写入（教程 §3.3、§5.2）。',
    on: '开',
    off: '关',
    source: {
      saved: '你的选择，保存在此浏览器中。',
      lab: '由实验室提供（你上次使用的集群）。',
      builtin: '教程中的集群：3 个节点，教程时序，开启 PreVote 和 CheckQuorum。'
    },
    reset: '使用实验室的默认值'
  },
  monitoring: {
    title: '指标与告警',
    helpLabel: '关于指标与告警',
    help: '实验室像教程中的监控方案一样（§8.3）抓取每个节点的 Prometheus 端点，并在每次采样时评估告警规则。这里只读，具体数值请看指标页。',
    scrape: '抓取间隔',
    scrapeValue: '约每 {s} 秒一次（按最近两次采样的间隔测得）',
    noSample: '还没有采样：请先启动集群。',
    endpoint: '每个节点的端点',
    lastSample: '最近一次采样 {time}',
    alerts: '告警规则',
    alertsHelpLabel: '关于告警规则',
    alertsHelp: '教程 §8.3 中的规则：条件持续满足「持续时间」后触发告警，条件消失后告警恢复。',
    noCluster: '告警规则属于某个集群：启动一个集群即可看到。',
    refresh: '刷新',
    enabled: '开',
    disabled: '关',
    rule: '规则',
    threshold: '阈值',
    for: '持续时间',
    state: '状态',
    states: { ok: '正常', pending: '待触发', firing: '告警中' },
    rules: {
      quorumLost: '失去法定人数',
      latencyHigh: '延迟过高',
      errorRateHigh: '错误率过高',
      electionsFrequent: '选举过于频繁'
    },
    thresholds: {
      quorumLost: '在线节点少于 {n} 个',
      quorumLostAuto: '在线节点少于法定人数',
      latencyHigh: 'p99 超过 {n} 毫秒',
      errorRateHigh: '错误率超过 {n}%',
      electionsFrequent: '每小时超过 {n} 次'
    },
    immediately: '立即',
    forMs: '{s} 秒'
  },
  dismiss: '关闭'
}

export default settings
