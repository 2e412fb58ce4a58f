import type { LogsMessages } from '../en/logs'

const logs: LogsMessages = {
  title: '日志',
  subtitle: '实时跟踪每个节点的四个日志文件',
  filesHelpLabel: '关于四个日志文件',
  filesHelp:
    '每个节点和 Nacos 一样写四个文件：nacos.log（启动、关闭、异常）、naming-server.log（服务注册、心跳）、config-server.log（配置读写与推送）、nacos-cluster.log（集群成员、选举、数据同步）。每行是一个 JSON 对象：级别、时间、消息和字段。',
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
    unknown: '原始'
  },
  filter: {
    label: '筛选日志行',
    text: '搜索消息…',
    textLabel: '搜索文本（不区分大小写）',
    node: '节点',
    allNodes: '全部节点',
    nodeN: '节点 {id}',
    file: '文件',
    allFiles: '全部文件',
    level: '级别',
    allLevels: '全部级别',
    minLevel: '{level} 及以上',
    levelHelpLabel: '关于日志级别',
    levelHelp:
      '显示所选级别及更严重的级别。不是 JSON 的行（崩溃堆栈、写了一半的行）从 warn 起始终显示：它们往往是进程出故障前最后打印的内容。',
    clear: '清除筛选'
  },
  pause: '暂停',
  resume: '继续',
  pauseHelp: '暂停会冻结列表，方便阅读；新日志仍在接收，继续后一并显示。',
  newLines: '+{n} 条新日志',
  count: '{shown} / {kept} 行',
  countTitle: '筛选后显示的行数 / 本窗口保留的行数',
  dropped: '已丢弃 {n} 行较早的日志：本视图只保留最新的 {cap} 行。',
  earlier: '开始跟踪之前已写入 {n} 行较早的日志，它们仍保存在磁盘上的日志文件中。',
  missed: '有 {n} 行日志产生得太快，来不及读取，已跳过。',
  jumpLatest: '跳到最新',
  listLabel: '日志行',
  columns: {
    time: '时间',
    node: '节点',
    file: '文件',
    level: '级别',
    message: '消息'
  },
  empty: {
    waiting: '等待日志。启动集群后，各节点写入的日志会实时出现在这里。',
    noMatch: '没有符合筛选条件的日志行。'
  },
  replay: '日志文件不随运行记录保存：这里只跟踪正在运行的实验室。',
  error: '读取日志失败：{message}',
  detail: {
    title: '日志行详情',
    node: '节点 {id}',
    raw: '原始行',
    fields: '字段',
    noFields: '除级别、时间和消息外没有其他字段。',
    copy: '复制该行',
    copyRow: '复制这一行',
    copied: '已复制',
    copyFailed: '复制失败',
    close: '关闭详情'
  }
}

export default logs
