/**
 * A drill's report in three forms: one self-contained HTML file (inline CSS and SVG charts,
 * nothing fetched when opened), the same data as JSON (schema in resources/schemas), and a
 * Markdown summary. Pure apart from the SVG rendering.
 */
import type { DrillResult } from '../drills/drill-runner'
import { latencyOption, renderSvg, throughputOption, timelineOption } from './charts'
import { REPORT_TEXT, type ReportLang } from './report-text'

export const REPORT_SCHEMA_VERSION = 1

/** The JSON report: the drill result without the raw history (kept in the recording), plus a format version. */
export function reportJson(r: DrillResult): Record<string, unknown> {
  const { history, events, ...rest } = r
  return { schemaVersion: REPORT_SCHEMA_VERSION, ...rest, historyOps: history.length, events: events.filter((e) => e.type !== 'workload.stats') }
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const secs = (r: DrillResult, t: number): string => `${((t - r.startedAt) / 1000).toFixed(1)} s`

export function reportHtml(r: DrillResult, lang: ReportLang): string {
  const t = REPORT_TEXT[lang]
  const name = r.drill.title[lang]
  const verdictClass = r.verdict === 'pass' ? 'pass' : r.verdict === 'fail' ? 'fail' : 'na'
  const rows = r.checks
    .map((c) => `<tr class="${c.pass ? 'ok' : 'bad'}"><td>${esc(t.checks[c.name])}</td><td>${esc(c.expected)}</td><td>${esc(c.actual)}</td><td>${c.pass ? '✔ ' + t.ok : '✘ ' + t.bad}</td></tr>`)
    .join('')
  const steps = r.steps
    .map((s) => `<tr class="${s.ok ? '' : 'bad'}"><td>${s.index + 1}</td><td>${secs(r, s.startedAt)}</td><td>${esc(s.text)}</td><td>${s.ok ? '✔' : `✘ ${esc(s.error ?? '')}`}</td></tr>`)
    .join('')
  const phases = r.measurements.phases.map((p) => `<tr><td>${esc(p.phase)}</td><td>${p.ok}</td><td>${p.fail}</td><td>${p.unknown}</td></tr>`).join('')
  const changes = r.measurements.leaderChanges.map((c) => `<li>${secs(r, c.at)}: n${c.from ?? '—'} → n${c.to} (term ${c.term}), ${c.gapMs} ms ${t.gap}</li>`).join('') || `<li>${t.none}</li>`
  const a = r.consistency.anomaly
  const anomaly = a
    ? `<div class="anomaly"><b>${t.anomaly}: ${esc(a.summary)} (key ${esc(a.key)})</b><ol>${a.explanation.map((l) => `<li><code>${esc(l)}</code></li>`).join('')}</ol>${anomalySvg(a.ops.map((o) => ({ from: o.invokeAt, to: o.completeAt ?? o.invokeAt, label: o.kind === 'write' ? `w ${o.value}` : `r ${o.result ?? '∅'}`, client: o.client })))}</div>`
    : ''
  const charts = r.verdict === 'not-applicable' ? '' : [renderSvg(timelineOption(r, t.timeline)), renderSvg(throughputOption(r, t.throughput)), renderSvg(latencyOption(r, t.latency))].map((svg) => `<figure>${svg}</figure>`).join('')
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(t.title)}: ${esc(name)}</title>
<style>
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:920px;color:#1d2430;padding:0 1rem}
h1{font-size:1.5rem;margin:0}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #dde3ea;padding-bottom:.3rem}
.verdict{display:inline-block;padding:.2rem .8rem;border-radius:4px;font-weight:700;color:#fff;margin:.5rem 0}
.verdict.pass{background:#2a9d55}.verdict.fail{background:#d64545}.verdict.na{background:#8a94a3}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eef1f4;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.bad td{color:#b32020}tr.ok td:last-child{color:#2a7d45}figure{margin:1rem 0}code{font-size:12px}
.anomaly{background:#fff4f2;border:1px solid #f1c4bc;padding:.6rem 1rem;border-radius:4px}.muted{color:#66707c}
</style>
</head>
<body>
<h1>${esc(t.title)}: ${esc(name)}</h1>
<div class="verdict ${verdictClass}">${t.verdict[r.verdict]}</div>
<p>${esc(r.drill.seed ? `${r.drill.seed} · ` : '')}${new Date(r.startedAt).toISOString()} · ${Math.round((r.endedAt - r.startedAt) / 1000)} s</p>
<h2>${t.measurements}</h2>
<table><tr><th>${t.check}</th><th>${t.expected}</th><th>${t.actual}</th><th>${t.result}</th></tr>${rows}</table>
${charts}
<h2>${t.leaderChanges}</h2><ul>${changes}</ul>
<h2>${t.steps}</h2><table>${steps}</table>
<h2>${t.phases}</h2><table><tr><th>${t.phase}</th><th>ok</th><th>fail</th><th>unknown</th></tr>${phases}</table>
<h2>${t.checker}</h2>
<p>${esc(r.consistency.verdict)} · ${r.consistency.opsChecked} ${t.opsChecked} · ${r.consistency.keys.length} ${t.keys} · ${Math.round(r.consistency.elapsedMs)} ms</p>
${anomaly}
<h2>${t.durability}</h2>
<p>${r.durability.ok ? '✔' : '✘'} ${r.durability.keysChecked} ${t.keys}; lost ${r.durability.lost.length}, divergent ${r.durability.divergent.length}</p>
<h2>${t.settings}</h2>
<p class="muted">${r.cluster.nodes} nodes · profile ${esc(r.cluster.profile)} · PreVote ${r.cluster.preVote ? 'on' : 'off'} · CheckQuorum ${r.cluster.checkQuorum ? 'on' : 'off'} · run ${esc(r.cluster.runId)}<br>Quorum Lab ${esc(r.versions.lab)} · Node ${esc(r.versions.node)} · ${esc(r.versions.platform)}</p>
<h2>${t.reproduce}</h2><pre><code>${esc(r.command)}</code></pre>
</body>
</html>
`
}

/** A tiny timeline of the ops behind an anomaly: one row per client, a bar per op. */
function anomalySvg(ops: { from: number; to: number; label: string; client: number }[]): string {
  if (ops.length === 0) return ''
  const t0 = Math.min(...ops.map((o) => o.from))
  const t1 = Math.max(...ops.map((o) => o.to), t0 + 1)
  const clients = [...new Set(ops.map((o) => o.client))]
  const w = 820
  const x = (t: number): number => 10 + ((t - t0) / (t1 - t0)) * (w - 20)
  const bars = ops
    .map((o) => {
      const y = 10 + clients.indexOf(o.client) * 34
      const x0 = x(o.from)
      const width = Math.max(3, x(o.to) - x0)
      return `<rect x="${x0.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="16" rx="3" fill="${o.label.startsWith('w') ? '#2f6fdf' : '#d64545'}" opacity="0.8"/><text x="${x0.toFixed(1)}" y="${y + 28}" font-size="11" fill="#1d2430">${esc(o.label)}</text>`
    })
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${clients.length * 34 + 16}">${bars}</svg>`
}

export function reportMarkdown(r: DrillResult, lang: ReportLang): string {
  const t = REPORT_TEXT[lang]
  return [
    `# ${t.title}: ${r.drill.title[lang]}`,
    '',
    `**${t.verdict[r.verdict]}** · ${r.drill.seed ?? ''} · ${new Date(r.startedAt).toISOString()}`,
    '',
    `| ${t.check} | ${t.expected} | ${t.actual} | ${t.result} |`,
    '|---|---|---|---|',
    ...r.checks.map((c) => `| ${t.checks[c.name]} | ${c.expected} | ${c.actual} | ${c.pass ? t.ok : t.bad} |`),
    '',
    `${t.checker}: ${r.consistency.verdict}${r.consistency.anomaly ? ` (${r.consistency.anomaly.summary}, key ${r.consistency.anomaly.key})` : ''}`,
    '',
    `${t.reproduce}: \`${r.command}\``,
    ''
  ].join('\n')
}
