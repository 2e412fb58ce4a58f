/**
 * Drill reports on disk, for the app: list the folders under `<dataRoot>/reports/`, read one
 * back, and decide whether a folder a caller names may be read at all.
 *
 * A page (or anything that reaches the web bridge with its token) names folders by path, so
 * every path is resolved through symlinks and must land inside the data root's `reports/`
 * folder; anything else is refused with INVALID_ARGUMENT naming the field.
 */
import { existsSync, realpathSync } from 'node:fs'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { DrillRunResult, ReportFiles, ReportSummary } from '../api'
import type { DrillResult } from '../drills/drill-runner'
import { LabServiceError } from '../errors'
import { reportHtml, reportJson, reportMarkdown } from './report'
import type { ReportLang } from './report-text'

export const REPORTS_FOLDER = 'reports'
export const REPORT_FILES = { html: 'report.html', markdown: 'report.md', json: 'report.json', pdf: 'report.pdf' } as const
/** report.list answers at most this many (newest first); older folders stay on disk. */
export const MAX_LISTED_REPORTS = 200
/** A report larger than this is not sent over IPC or the socket (the bridge frames are bounded too). */
export const MAX_REPORT_BYTES = 8 * 1024 * 1024

/** Write a drill's report in its three forms (HTML, JSON, Markdown) into `dir`, creating it. */
export async function writeReports(dir: string, result: DrillResult, lang: ReportLang): Promise<void> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, REPORT_FILES.json), `${JSON.stringify(reportJson(result), null, 2)}\n`)
  await writeFile(join(dir, REPORT_FILES.html), reportHtml(result, lang))
  await writeFile(join(dir, REPORT_FILES.markdown), reportMarkdown(result, lang))
}

export function reportsRoot(dataRoot: string): string {
  return join(dataRoot, REPORTS_FOLDER)
}

function real(path: string): string | null {
  try {
    return realpathSync(path)
  } catch {
    return null
  }
}

/** True when `child` is `parent` itself or below it (both already resolved). */
function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..')
}

/**
 * The real path of a report folder named by a caller, or a LabServiceError: it must be
 * absolute, exist, be a folder directly under `<dataRoot>/reports/` (after resolving
 * symlinks) and hold a report.html.
 */
export function resolveReportDir(dataRoot: string, dir: string, field = 'dir'): string {
  const refuse = (why: string): never => {
    throw new LabServiceError('INVALID_ARGUMENT', `"${field}" ${why}`)
  }
  if (!isAbsolute(dir)) refuse('must be an absolute path')
  const root = real(reportsRoot(dataRoot))
  if (!root) refuse(`must be a report folder inside the lab's data root (${reportsRoot(dataRoot)}), and no report was written yet`)
  const target = real(resolve(dir))
  if (!target || !isInside(root!, target) || target === root) refuse(`must be a report folder inside the lab's data root (${reportsRoot(dataRoot)})`)
  // One level only: report folders are `reports/<name>-<runId>`.
  if (relative(root!, target!).split(sep).length !== 1) refuse(`must be a report folder directly inside ${reportsRoot(dataRoot)}`)
  if (!existsSync(join(target!, REPORT_FILES.html))) refuse('names a folder without a report.html')
  return target!
}

async function readBounded(file: string): Promise<string> {
  const st = await stat(file).catch(() => null)
  if (!st || !st.isFile()) return ''
  if (st.size > MAX_REPORT_BYTES) throw new LabServiceError('INVALID_ARGUMENT', `${file} is larger than ${MAX_REPORT_BYTES} bytes; open it from the folder`)
  return readFile(file, 'utf8')
}

/** The three forms of the report in `dir` (validated first); a missing form reads as ''. */
export async function readReport(dataRoot: string, dir: string): Promise<ReportFiles> {
  const real = resolveReportDir(dataRoot, dir)
  const [html, markdown, json] = await Promise.all([
    readBounded(join(real, REPORT_FILES.html)),
    readBounded(join(real, REPORT_FILES.markdown)),
    readBounded(join(real, REPORT_FILES.json))
  ])
  return { dir: real, html, markdown, json }
}

const VERDICTS: readonly DrillRunResult['verdict'][] = ['pass', 'fail', 'not-applicable']

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The list entry of one report.json, or null when it is not one of ours. Pure. */
export function summarizeReport(dir: string, json: unknown, hasPdf: boolean): ReportSummary | null {
  if (!isRecord(json) || !isRecord(json.drill)) return null
  const { drill, verdict, startedAt, endedAt } = json
  if (typeof drill.name !== 'string' || !VERDICTS.includes(verdict as DrillRunResult['verdict'])) return null
  if (typeof startedAt !== 'number' || typeof endedAt !== 'number') return null
  const title = isRecord(drill.title) ? drill.title : {}
  const text = (v: unknown): string => (typeof v === 'string' ? v : drill.name as string)
  return {
    dir,
    name: drill.name,
    title: { 'zh-CN': text(title['zh-CN']), en: text(title.en) },
    verdict: verdict as DrillRunResult['verdict'],
    startedAt,
    endedAt,
    hasPdf
  }
}

/**
 * Summaries already read, by report.json path, with the size and mtime they were read at:
 * report.json carries the run's events and can be megabytes, and the list is asked for on
 * every visit of the view. Bounded: cleared when it outgrows twice the listed maximum.
 */
const summaryCache = new Map<string, { size: number; mtimeMs: number; summary: ReportSummary | null }>()

async function summaryOf(dir: string): Promise<ReportSummary | null> {
  const file = join(dir, REPORT_FILES.json)
  const st = await stat(file).catch(() => null)
  if (!st || !st.isFile() || !existsSync(join(dir, REPORT_FILES.html))) return null
  const hasPdf = existsSync(join(dir, REPORT_FILES.pdf))
  const hit = summaryCache.get(file)
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.summary && { ...hit.summary, hasPdf }
  let summary: ReportSummary | null
  try {
    summary = st.size > MAX_REPORT_BYTES * 4 ? null : summarizeReport(dir, JSON.parse(await readFile(file, 'utf8')) as unknown, hasPdf)
  } catch {
    summary = null
  }
  if (summaryCache.size >= MAX_LISTED_REPORTS * 2) summaryCache.clear()
  summaryCache.set(file, { size: st.size, mtimeMs: st.mtimeMs, summary })
  return summary
}

/** Reports under `<dataRoot>/reports/`, newest first; unreadable folders are skipped. */
export async function listReports(dataRoot: string): Promise<ReportSummary[]> {
  const root = real(reportsRoot(dataRoot))
  if (!root) return []
  const entries = await readdir(root, { withFileTypes: true })
  const found = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map((e) => summaryOf(join(root, e.name)))
  )
  return found
    .filter((r): r is ReportSummary => r !== null)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, MAX_LISTED_REPORTS)
}
