/** 回放的中文文案：录制列表对话框与回放控制条（键与 en/replay.ts 一致）。 */
import type { ReplayMessages } from '../en/replay'

const replay: ReplayMessages = {
  open: '录制',
  openHelp: '打开一次录制的运行（演练或自由操作）并回放',
  dialog: {
    title: '录制的运行',
    intro: '每次运行都会被录制：实验室事件、Raft 事件与监控指标。打开一次运行，即可在集群拓扑、时间线、日志复制与指标视图中像实时一样来回拖动查看。',
    refresh: '刷新',
    close: '关闭',
    loading: '正在读取录制…',
    empty: '还没有录制。启动一个集群或运行一次演练，从第一个事件起就会被录制。',
    started: '开始时间',
    duration: '时长',
    kind: '运行',
    nodes: '节点数',
    events: '事件数',
    size: '大小',
    freePlay: '自由操作',
    drill: '演练：{name}',
    current: '当前运行',
    dropped: '丢弃 {n} 条',
    droppedHelp: '磁盘写入跟不上时录制器丢弃的行：回放中缺少这些内容。',
    opening: '正在打开…',
    openRun: '打开',
    openRunLabel: '回放运行 {runId}'
  },
  bar: {
    label: '回放控制',
    banner: '正在回放运行 {runId}，实时事件已暂停',
    backToLive: '回到实时',
    play: '播放',
    pause: '暂停',
    speed: '速度',
    speedOption: '{x}×',
    slider: '回放位置',
    time: '{at} / {total}',
    wallClock: '录制时刻 {time}',
    loading: '加载中…',
    buffering: '正在等待录制数据…',
    events: '已回放 {pushed} / {total} 个事件',
    problems: '录制中有 {n} 处缺失或损坏（已跳过） | 录制中有 {n} 处缺失或损坏（已跳过）',
    keys: '空格：播放 / 暂停 · ← / →：前后 5 秒'
  }
}

export default replay
