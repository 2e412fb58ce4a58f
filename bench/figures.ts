/** One measured figure with the machine's 1-minute load when it was taken, and its target if the issue names one. */
export interface FigureRow {
  name: string
  value: number
  unit: string
  target?: string
  pass?: boolean
  load: number
  note?: string
}

export function figuresMarkdown(title: string, rows: readonly FigureRow[]): string {
  return [
    `## ${title}`,
    '',
    '| figure | value | unit | target | load |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.value} | ${r.unit} | ${r.target ? `${r.target} ${r.pass ? '✅' : '❌'}` : ''} | ${r.load} |`),
    ''
  ].join('\n')
}
