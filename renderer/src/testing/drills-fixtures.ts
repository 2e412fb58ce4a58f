/**
 * Drills and settings test data and fake answers for the methods the shared fake lab does not
 * know (drill.*, report.*, lab.openDataDir). Test-only: imported by *.test.ts files.
 */
import { vi } from 'vitest'
import { ok, type DrillInfo, type DrillRunResult, type LabHost, type ReportFiles, type ReportSummary } from '../../../electron/lab/api'
import type { FakeLab } from './fake-lab'

export const DATA_ROOT = '/tmp/lab'

export const DRILLS: DrillInfo[] = [
  { name: 'rolling-restart', title: { 'zh-CN': '滚动重启', en: 'Rolling restart' }, description: { 'zh-CN': '逐个重启节点。', en: 'Restart the nodes one at a time.' }, seed: '§7.3, §8.4', nodes: 3 },
  { name: 'external-database', title: { 'zh-CN': '预案3：数据库故障（不适用）', en: 'Plan 3: database failure (not applicable)' }, description: { 'zh-CN': '没有外部数据库。', en: 'There is no external database.' }, seed: '§8.4 预案3, §2.4', notApplicable: { 'zh-CN': '嵌入式存储：每个节点的数据目录就是数据库。', en: 'Embedded storage: each node’s data directory is the database.' }, nodes: 3 },
  { name: 'leader-crash', title: { 'zh-CN': '预案1：Leader 节点宕机', en: 'Plan 1: the leader crashes' }, description: { 'zh-CN': '杀掉 Leader。', en: 'Kill the leader.' }, seed: '§8.4 预案1, §5.2', nodes: 3 },
  { name: 'split-brain-3-2', title: { 'zh-CN': '3+2 分区：防止脑裂', en: '3 + 2 split: no split brain' }, description: { 'zh-CN': '五个节点分成 3 和 2。', en: 'Five nodes split into 3 and 2.' }, seed: '§1.2, §3.2', nodes: 5 },
  { name: 'leadership-transfer', title: { 'zh-CN': '计划内的领导权转移', en: 'Planned leadership transfer' }, description: { 'zh-CN': '维护前转移领导权。', en: 'Hand leadership over before maintenance.' }, seed: '§5.2, §8.4', nodes: 3 },
  { name: 'whole-cluster-restart', title: { 'zh-CN': '预案2：整个集群宕机', en: 'Plan 2: the whole cluster goes down' }, description: { 'zh-CN': '所有节点宕机。', en: 'Every node dies.' }, seed: '§8.4 预案2', nodes: 3 }
]

export const REPORT_DIR = `${DATA_ROOT}/reports/leadership-transfer-20261202-224815-e4c6`

export const RUN_RESULT: DrillRunResult = {
  name: 'leadership-transfer',
  verdict: 'pass',
  checks: [
    { name: 'steps', expected: 'every step completes', actual: 'all completed', pass: true },
    { name: 'leaderless', expected: '≤ 1000 ms', actual: '138 ms', pass: true },
    { name: 'lostWrites', expected: '0', actual: '0', pass: true }
  ],
  reportDir: REPORT_DIR
}

export const REPORTS: ReportSummary[] = [
  { dir: REPORT_DIR, name: 'leadership-transfer', title: DRILLS[4]!.title, verdict: 'pass', startedAt: 1_700_000_100_000, endedAt: 1_700_000_106_000, hasPdf: false },
  { dir: `${DATA_ROOT}/reports/split-brain-3-2-20261201-101010-aaaa`, name: 'split-brain-3-2', title: DRILLS[3]!.title, verdict: 'fail', startedAt: 1_700_000_000_000, endedAt: 1_700_000_030_000, hasPdf: true }
]

export const REPORT_FILES: ReportFiles = {
  dir: REPORT_DIR,
  html: '<!doctype html><html><body><div class="verdict pass">PASS</div></body></html>',
  markdown: '# Planned leadership transfer\n\n**PASS**\n',
  json: '{"verdict":"pass"}'
}

/** The progress lines the runner prints for leadership-transfer, in order. */
export const PROGRESS = [
  'creating a 3-node cluster (seed, PreVote on, CheckQuorum on)',
  'step 1/3: wait until leader (≤ 30000 ms)',
  'step 2/3: transfer the follower',
  'step 3/3: workload stop',
  'checking durability: reading every key from every node',
  'checking consistency (linearizability of the config history)',
  'verdict: PASS'
]

/** A promise with its resolve exposed, to hold a call open while a test looks at the page. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => {}
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/** Answer drill.list, report.list, report.get (and the host of lab.info) like a real lab. */
export function installDrillFakes(fake: FakeLab, host: LabHost = 'web'): void {
  vi.mocked(fake.api.lab.info).mockResolvedValue(
    ok({ version: '0.1.0', host, platform: 'linux', nodeVersion: 'v20.20.2', dataRoot: DATA_ROOT, clusterDefaults: { size: 5, profile: 'teaching', preVote: false, checkQuorum: true } })
  )
  vi.mocked(fake.api.drill.list).mockResolvedValue(ok(DRILLS))
  vi.mocked(fake.api.drill.run).mockResolvedValue(ok(RUN_RESULT))
  vi.mocked(fake.api.report.list).mockResolvedValue(ok(REPORTS))
  vi.mocked(fake.api.report.get).mockResolvedValue(ok(REPORT_FILES))
}
