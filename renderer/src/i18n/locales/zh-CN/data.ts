import type { DataMessages } from '../en/data'

const data: DataMessages = {
  title: '数据',
  subtitle: '每个节点各自看到的服务、实例与配置',
  staleHelpLabel: '为什么节点会返回过期数据？',
  staleHelp:
    '写请求交给领导者，只有多数派都写入后才算提交。读请求由你访问的那个节点用本地副本直接回答（读写分离：读请求可以发给任意跟随者），速度快，但只是最终一致。一个与领导者断开的跟随者会继续用断开时的副本回答，客户端读到的就是旧数据，直到网络恢复、它追上日志为止。带 consistency=linearizable 的读请求走 ReadIndex：节点先向多数派确认领导者的提交索引，等自己应用到该位置后再回答，因此不会读到过期数据；被隔离的节点则会让这种读请求失败。',
  filter: '按命名空间、分组、dataId、服务或地址筛选',
  filterLabel: '筛选行',
  divergentOnly: '只看不一致',
  counts: {
    configs: '{n} 个配置',
    instances: '{n} 个实例',
    divergent: '{n} 处不一致'
  },
  column: {
    appliedTitle: '应用索引',
    key: '键',
    node: '节点 {id}',
    applied: '应用索引 {n}',
    behind: '（落后 {n}）',
    notAnswering: '无响应',
    lastCopy: '最后副本 {time}',
    never: '尚未响应',
    divergentRows: '{n} 行不一致'
  },
  appliedHelpLabel: '关于应用索引',
  appliedHelp:
    '应用索引是该节点已应用到本地副本的最后一条 Raft 日志。每次写入是一条日志；应用索引落后于其他节点的节点，看到的是更旧的状态。',
  section: {
    configs: '配置（{n}）',
    instances: '实例（{n}）'
  },
  key: {
    config: '命名空间 / 分组 / dataId',
    instance: '命名空间 / 服务 / 集群 / 地址'
  },
  cell: {
    missing: '缺失',
    healthy: '健康',
    unhealthy: '不健康',
    md5: 'md5 {md5}',
    divergent: '与多数派不同',
    bytes: '{n} 字节'
  },
  divergenceHelpLabel: '关于不一致',
  divergenceHelp:
    '当某个节点的副本与多数节点不同时，该单元格会被标出：这里缺少这一行，或者健康标志、md5 不同。票数相同时，以最新的副本（应用索引最高）为准。',
  empty: {
    noCluster: '启动集群后，可以看到每个节点存储的数据。',
    noData: '还没有配置或实例。发布一个配置，或启动负载。',
    noMatch: '没有符合筛选条件的行。',
    section: '无。'
  },
  replay: '节点数据是实时从各节点读取的，不随运行记录保存。',
  truncated: '本节只显示前 {n} 行；请缩小筛选范围查看其余行。'
}

export default data
