/**
 * 简体中文。键必须与 en.ts 完全一致（由类型与 i18n.test.ts 检查）。
 * 术语与教程一致：集群、节点、多数派（法定人数）、领导者、崩溃。
 */
import type { MessageSchema } from './en'

import map from './zh-CN/map'
import timeline from './zh-CN/timeline'
import replication from './zh-CN/replication'
import metrics from './zh-CN/metrics'
import logs from './zh-CN/logs'
import data from './zh-CN/data'
import drills from './zh-CN/drills'
import settings from './zh-CN/settings'
import replay from './zh-CN/replay'

const zhCN: MessageSchema = {
  app: {
    name: 'Quorum Lab',
    tagline: '在真实进程上体验 Nacos 式集群高可用',
    version: 'v{version}'
  },
  lang: {
    label: '语言'
  },
  nav: {
    label: '视图',
    shortcut: '快捷键：{key}',
    replay: '回放',
    live: '实时'
  },
  shell: {
    theme: '主题',
    themeToggle: '切换浅色 / 深色主题（T）',
    themeChoice: { system: '跟随系统', light: '浅色', dark: '深色' },
    shortcuts: {
      title: '键盘快捷键',
      open: '键盘快捷键（?）',
      close: '关闭',
      view: '打开视图',
      theme: '切换主题',
      help: '显示本帮助',
      escape: '关闭菜单和对话框'
    },
    seedRef: '教程 §{section}'
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
    label: '与实验室的连接',
    state: {
      connecting: '连接中',
      open: '已连接',
      closed: '已断开'
    },
    banner: {
      connecting: '正在连接实验室…',
      closed: '与实验室的连接已断开，正在重连…'
    }
  },
  controls: {
    title: '集群',
    size: '集群规模',
    sizeOption: '{n} 个节点',
    sizeRecommended: '常用规模',
    sizeOther: '其他规模',
    sizeHelpLabel: '关于集群规模',
    sizeHelp:
      'Raft 需要多数派（法定人数）⌊N/2⌋+1 个节点在线，才能选出领导者并接受写入。3 个节点可容忍 1 个故障，5 个可容忍 2 个，7 个可容忍 3 个。2 个节点连 1 个故障都扛不住：2 的多数派就是 2。',
    start: '启动集群',
    starting: '正在启动…',
    stop: '停止集群',
    stopping: '正在停止…',
    runState: {
      created: '已创建',
      starting: '启动中',
      running: '运行中',
      stopping: '停止中',
      stopped: '已停止'
    },
    clusterState: '集群{state}',
    runId: '运行 {runId}'
  },
  quorum: {
    summary: '{size} 个节点中 {up} 个在线，多数派 = {majority}',
    noLeader: '没有领导者：选出领导者之前，任何写入都无法提交。',
    upLabel: '在线',
    held: '多数派在线：集群可以选出领导者并接受写入。',
    lost: '失去多数派：无法选出领导者，写入会失败，直到多数节点恢复。',
    tolerates: '可容忍 {n} 个节点故障',
    noCluster: '还没有集群。选好规模后启动一个吧。'
  },
  node: {
    title: '节点 {id}',
    address: '地址',
    httpPort: 'HTTP 端口',
    raftPort: 'Raft 端口',
    pid: 'PID',
    none: '—',
    state: {
      starting: '启动中',
      up: '在线',
      down: '宕机',
      stopped: '已停止',
      stopping: '停止中',
      paused: '已暂停'
    },
    exit: {
      crashed: '崩溃',
      stopped: '正常停止',
      code: '退出码 {code}',
      signal: '信号 {signal}',
      at: '于 {time}'
    },
    crash: '崩溃',
    crashHelp: '向节点进程发送 SIGKILL：真正的 kill -9，进程来不及刷盘，也来不及告别。',
    restart: '重启',
    restartHelp: '重新启动节点进程，数据目录保持不变。'
  },
  chart: {
    title: '在线节点数随时间变化',
    yAxis: '在线节点',
    majority: '多数派 {n}',
    empty: '启动集群后，这里会显示在线节点数的变化。',
    tooltip: '{n} 个在线'
  },
  events: {
    title: '事件日志',
    empty: '暂无事件。',
    showOutput: '显示节点输出',
    showRaft: 'Raft 事件',
    limit: '只保留最近 {kept} 条事件，显示最新的 {shown} 条；更早的已丢弃。',
    time: '时间',
    type: '类型',
    details: '详情',
    text: {
      clusterCreated: '已创建 {size} 个节点的集群（运行 {runId}）',
      clusterState: '集群{state}',
      nodeSpawned: '节点 {id} 进程已启动（pid {pid}）',
      nodeReady: '节点 {id} 已在线，用时 {ms} 毫秒（pid {pid}）',
      nodeStopped: '节点 {id} 已停止（{exit}）',
      nodeCrashed: '节点 {id} 崩溃（{exit}）',
      faultCrash: '注入故障：kill -9 节点 {id}',
      faultStop: '节点 {id} 已停止（SIGTERM）',
      faultPause: '注入故障：节点 {id} 被冻结（SIGSTOP）',
      clientLink: '客户端 → 节点 {to}',
      clusterSettings: '设置：时序 {profile}，PreVote {preVote}，CheckQuorum {checkQuorum}（各节点下次启动时生效）',
      nodePaused: '节点 {id} 已暂停（SIGSTOP）：就像一次很长的 GC 停顿',
      nodeResumed: '节点 {id} 在 {ms} 毫秒后恢复运行',
      nodeWiped: '节点 {id}：数据目录已清空，将从 Leader 追赶数据',
      memberAdded: '节点 {id}（{address}）以 {as} 身份加入',
      memberRemoved: '节点 {id}（{address}）已移出集群',
      leaderTransferred: '领导权在 {ms} 毫秒内转移到节点 {to}',
      linkFault: '链路 {link}：已注入故障',
      linkHealed: '链路 {link}：已恢复',
      raft: '节点 {id}：{type}',
      raftRole: '节点 {id} 在任期 {term} 成为{role}',
      raftTerm: '节点 {id}：任期 {from} → {to}',
      raftWon: '节点 {id} 赢得任期 {term} 的选举（{votes} 票）',
      raftCommit: '节点 {id}：提交索引 {from} → {to}',
      raftSnapshot: '节点 {id} 安装了截至索引 {index} 的快照',
      traceGap: '节点 {id}：丢失了 {missing} 个跟踪事件（如实显示，绝不隐藏）',
      traceReset: '节点 {id} 已重启：跟踪序号重新开始',
      traceSampled: '节点 {id}：本秒有 {skipped} 个消息事件被采样略过',
      metricsSample: '{size} 个节点中 {up} 个返回了监控指标',
      alertFiring: '告警触发：{rule}',
      alertResolved: '告警恢复：{rule}',
      drillProgress: '演练 {name}：{line}',
      workloadState: '压测负载 {state}',
      workloadStats: '压测负载：{rate} 次/秒，成功 {ok}，失败 {fail}',
      nodeOutput: '节点 {id} {stream}：{text}',
      eventsDropped: '页面处理不过来，丢失了 {count} 个事件；已重新同步状态'
    }
  },
  errors: {
    title: '出错了',
    dismiss: '关闭',
    code: {
      INVALID_ARGUMENT: '实验室认为请求无效，已拒绝。',
      UNKNOWN_METHOD: '实验室不认识这个操作（应用与实验室的版本是否一致？）。',
      NO_CLUSTER: '还没有集群。',
      CLUSTER_BUSY: '集群正在执行另一个操作，请稍后再试。',
      NODE_NOT_FOUND: '没有这个节点。',
      NODE_NOT_RUNNING: '该节点没有在运行。',
      NO_LEADER: '集群当前没有领导者：需要多数派节点在线且彼此连通。',
      UNSUPPORTED: '此处不支持该操作。',
      NODE_REFUSED: '节点拒绝了该请求。',
      SPAWN_FAILED: '节点进程启动失败。',
      TIMEOUT: '实验室没有及时响应。',
      UNAUTHORIZED: '未授权。请打开 quorum-lab serve 打印的链接：链接中带有访问令牌。',
      DISCONNECTED: '未连接到实验室。',
      INTERNAL: '实验室内部出错。'
    }
  }
}

export default zhCN
