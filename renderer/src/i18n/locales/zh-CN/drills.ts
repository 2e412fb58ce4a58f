import type { DrillsMessages } from '../en/drills'

const drills: DrillsMessages = {
  title: '故障演练',
  intro:
    '在真实集群上演练教程中的故障应急预案（§8.4）：每个演练都会启动自己的集群并施加业务负载，注入故障，测量恢复用了多久，并检查已确认的写入一条都没有丢。',
  introHelpLabel: '关于故障演练',
  introHelp:
    '演练就是一段脚本：等待选出 Leader，启动负载，让某个节点宕机或切断网络，等待恢复，然后给出结论。按教程的默认时序，故障转移应在 500 毫秒左右完成，返回的节点应在 10 秒内追上进度（教程 §5.2、§8.4）。',
  groups: {
    plans: '故障应急预案',
    partitions: '网络分区',
    process: '进程故障',
    operations: '计划内运维',
    consistency: '一致性',
    other: '其他演练'
  },
  groupHelp: {
    plans: '教程中的故障应急预案（§8.4 预案1–3）：值班团队在真正出事之前要演练的内容。',
    partitions: '网络被切断、丢包或延迟。只有拥有多数派的一侧才能选出 Leader 并提交日志，因此永远不会出现脑裂（教程 §1.2、§3.3）。',
    process: '单个进程宕机、卡住或丢失磁盘数据。其余节点仍占多数，该节点回来后会追上进度（教程 §5.1、§5.3）。',
    operations: '有计划的操作：滚动重启、扩缩容、维护前主动转移领导权（教程 §7.3）。',
    consistency: '分区期间读到的是什么：读任意节点可能读到过期数据，线性一致读则不会（教程 §4.1）。',
    other: '不属于以上分组的演练。'
  },
  groupHelpLabel: '关于「{group}」',
  nodes: '{n} 个节点 | {n} 个节点',
  seedRef: '教程 {section}',
  plan: '预案{n}',
  notApplicable: '不适用',
  run: '运行',
  runTitle: '在全新的集群上运行「{title}」',
  runningNow: '运行中…',
  nodesLabel: '「{title}」的节点数',
  nodesDefault: '按脚本（{n}）',
  nodesOption: '{n} 个节点',
  list: {
    loading: '正在加载演练列表…',
    empty: '没有找到内置演练（resources/drills）。',
    retry: '重试'
  },
  confirm: {
    title: '运行「{title}」？',
    body: '演练会启动一个全新的 {n} 节点集群并施加自己的负载，依次执行各个步骤并生成报告，耗时从几秒到一分钟左右。',
    replaces: '当前集群（{runId}）正在运行，会先被停止。它的数据仍保留在磁盘上。',
    noCluster: '当前没有运行中的集群，不会停止你的任何东西。',
    run: '运行演练',
    stopAndRun: '停止当前集群并运行',
    cancel: '取消'
  },
  progress: {
    title: '进度',
    helpLabel: '关于进度',
    help: '实验室每执行一步就输出一行，并标出距演练开始的时间。演练最后进行持久性检查和线性一致性检查，并给出结论。',
    stoppingCluster: '正在停止你的集群…',
    waiting: '正在启动演练…',
    running: '运行中',
    observed: '有一个在别处（命令行或另一个窗口）启动的演练正在运行，它的进度显示在这里。',
    done: '已完成',
    failed: '无法运行',
    step: '第 {index}/{total} 步',
    dropped: '已丢弃较早的 {n} 行：列表只保留最近 {max} 行。',
    empty: '本次会话还没有运行过演练。请在上方选择一个。'
  },
  verdict: {
    label: '结论',
    pass: '通过',
    fail: '未通过',
    notApplicable: '不适用'
  },
  checks: {
    title: '检查项',
    helpLabel: '关于检查项',
    help: '每项测量值与演练脚本中写明的预期对照。默认预期来自教程：故障转移约 500 毫秒，重新加入不超过 10 秒，已确认的写入丢失为 0。',
    name: '检查项',
    expected: '预期',
    actual: '实测',
    result: '结果',
    ok: '通过',
    bad: '未通过',
    names: {
      failover: '故障转移（选出新 Leader 的时间）',
      leaderless: '无 Leader 的时间',
      unavailable: '写入不可用时间（客户端视角）',
      rejoin: '重新加入（返回节点追上进度）',
      lostWrites: '丢失的已确认写入',
      consistency: '一致性（线性一致性检查器）',
      steps: '所有步骤均已执行'
    },
    none: '这个演练不做任何测量：它在这里不适用。'
  },
  result: {
    reportDir: '报告目录',
    openReport: '打开报告',
    failedTitle: '演练无法运行'
  },
  report: {
    title: '报告',
    loading: '正在加载报告…',
    close: '关闭报告',
    frameTitle: '演练报告：{name}',
    saveHtml: '保存 HTML',
    saveMarkdown: '保存 Markdown',
    exportPdf: '导出 PDF',
    exportingPdf: '正在导出…',
    pdfSaved: 'PDF 已写入：{path}',
    pdfUnsupported: '导出 PDF 需要桌面应用（由它打印报告）。在浏览器中请保存 HTML，再用浏览器打印。',
    exportHelpLabel: '关于导出',
    exportHelp: 'HTML 文件是自包含的：图表是内嵌的 SVG，打开时不会联网加载任何内容，可以直接附在故障复盘里。Markdown 是简短摘要；目录中的 report.json 包含全部数据。'
  },
  past: {
    title: '历史报告',
    helpLabel: '关于历史报告',
    help: '在应用中运行的每个演练都会把报告写入实验室数据目录（reports/）。可以在这里重新打开任意一份。',
    refresh: '刷新',
    empty: '还没有报告：先运行一个演练。',
    open: '打开',
    opened: '已打开',
    duration: '{s} 秒',
    pdf: 'PDF'
  },
  dismiss: '关闭'
}

export default drills
