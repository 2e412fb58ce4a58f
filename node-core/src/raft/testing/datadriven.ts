/**
 * A small reader and runner for data-driven test files in the format of cockroachdb/datadriven,
 * which etcd-io/raft's interaction tests use. A file is a sequence of test cases:
 *
 *   # comments and blank lines between cases are kept as they are
 *   command arg key=value key=(1,2,3)
 *   optional input lines (anything up to the separator)
 *   ----
 *   expected output, up to the first blank line
 *
 * A command line ending in `\` continues on the next line. When the output itself contains
 * blank lines, it is framed by a doubled separator:
 *
 *   command
 *   ----
 *   ----
 *   output with
 *
 *   a blank line
 *   ----
 *   ----
 *
 * Pure: no I/O. The caller reads the file, runs it and, in rewrite mode, writes back the text
 * this module returns.
 */

/** One argument of a command line: `key`, `key=value` or `key=(v1,v2,...)`. */
export interface CmdArg {
  key: string
  /** Empty for a bare `key` (and for `key=()`); one value for `key=v`; the list for `key=(a,b)`. */
  vals: string[]
  /** True for a bare `key` without `=`. */
  bare: boolean
}

export interface TestCase {
  /** 1-based line of the command, for error messages. */
  line: number
  cmd: string
  args: CmdArg[]
  /** The lines between the command and `----`, joined with newlines ('' if none). */
  input: string
  /** The expected output, without a trailing newline. */
  expected: string
  /** The raw source lines of the command and its input (kept verbatim on rewrite). */
  headerLines: string[]
  /** 0-based line range [start, end) of the whole case in the source, output included. */
  start: number
  end: number
}

const SEPARATOR = '----'

/** A malformed file or command line. */
export class DataDrivenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DataDrivenError'
  }
}

/**
 * Split a command line into the command and its arguments. Whitespace separates arguments,
 * except inside parentheses, so `voters=(1, 2, 3)` is one argument. A bare `(1,2)` is kept as
 * a key for the command to interpret (e.g. a partition group).
 */
export function parseLine(line: string): { cmd: string; args: CmdArg[] } {
  const tokens: string[] = []
  let cur = ''
  let depth = 0
  for (const ch of line.trim()) {
    if (ch === '(') depth++
    if (ch === ')') {
      depth--
      if (depth < 0) throw new DataDrivenError(`unbalanced ')' in ${JSON.stringify(line)}`)
    }
    if (/\s/.test(ch) && depth === 0) {
      if (cur !== '') tokens.push(cur)
      cur = ''
    } else {
      cur += ch
    }
  }
  if (depth !== 0) throw new DataDrivenError(`unbalanced '(' in ${JSON.stringify(line)}`)
  if (cur !== '') tokens.push(cur)
  const [cmd, ...rest] = tokens
  if (cmd === undefined) throw new DataDrivenError('empty command line')
  return { cmd, args: rest.map(parseArg) }
}

function parseArg(token: string): CmdArg {
  const eq = token.indexOf('=')
  if (eq <= 0) return { key: token, vals: [], bare: true }
  const key = token.slice(0, eq)
  const value = token.slice(eq + 1)
  if (value.startsWith('(') && value.endsWith(')')) return { key, vals: splitList(value.slice(1, -1)), bare: false }
  return { key, vals: [value], bare: false }
}

/** `1, 2 3` → ['1', '2', '3']: commas and/or spaces separate list items. */
export function splitList(s: string): string[] {
  return s.split(/[\s,]+/).filter((v) => v !== '')
}

/** Parse a whole file into its test cases. `name` is used in error messages only. */
export function parseFile(text: string, name = '<input>'): TestCase[] {
  const lines = text.split('\n')
  const cases: TestCase[] = []
  let i = 0
  const fail = (at: number, msg: string): never => {
    throw new DataDrivenError(`${name}:${at + 1}: ${msg}`)
  }
  while (i < lines.length) {
    const raw = lines[i]!
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++
      continue
    }
    const start = i
    // The command line, with `\` continuations.
    let cmdLine = ''
    for (;;) {
      const l = lines[i]
      if (l === undefined) fail(start, 'command line continues past the end of the file')
      i++
      if (l!.endsWith('\\')) {
        cmdLine += l!.slice(0, -1) + ' '
        continue
      }
      cmdLine += l!
      break
    }
    const { cmd, args } = parseLine(cmdLine)
    // Input lines up to the separator.
    const input: string[] = []
    while (i < lines.length && lines[i] !== SEPARATOR) {
      input.push(lines[i]!)
      i++
    }
    if (i >= lines.length) fail(start, `missing '${SEPARATOR}' after command ${JSON.stringify(cmd)}`)
    const headerLines = lines.slice(start, i)
    i++ // the separator
    const out: string[] = []
    if (lines[i] === SEPARATOR) {
      // Doubled separator: the output may contain blank lines and ends at `----\n----`.
      i++
      for (;;) {
        if (i >= lines.length) fail(start, 'unterminated output block (expected ----/----)')
        if (lines[i] === SEPARATOR && lines[i + 1] === SEPARATOR) {
          i += 2
          break
        }
        out.push(lines[i]!)
        i++
      }
    } else {
      while (i < lines.length && lines[i] !== '') {
        out.push(lines[i]!)
        i++
      }
    }
    cases.push({ line: start + 1, cmd, args, input: input.join('\n'), expected: out.join('\n'), headerLines, start, end: i })
  }
  return cases
}

/** The text of one output block, framed by the doubled separator when it has blank lines. */
export function formatOutput(output: string): string[] {
  const body = output.replace(/\n+$/, '')
  if (body === '') return [SEPARATOR]
  const lines = body.split('\n')
  if (lines.some((l) => l.trim() === '')) return [SEPARATOR, SEPARATOR, ...lines, SEPARATOR, SEPARATOR]
  return [SEPARATOR, ...lines]
}

/** Normalize an actual output for comparison with `TestCase.expected`. */
export const normalizeOutput = (output: string): string => output.replace(/\n+$/, '')

export interface RunOptions {
  /** Called with every case and its actual output (e.g. to assert they match). */
  onResult?: (tc: TestCase, actual: string) => void
}

/**
 * Run every case of `text` through `handle`, in order, and return the file's text with each
 * expected output replaced by the actual one (the rewrite mode's new file). Everything outside
 * the output blocks (comments, commands, input, spacing) is kept verbatim.
 */
export function runDataDriven(text: string, name: string, handle: (tc: TestCase) => string, opts: RunOptions = {}): string {
  const cases = parseFile(text, name)
  const lines = text.split('\n')
  const out: string[] = []
  let pos = 0
  for (const tc of cases) {
    const actual = normalizeOutput(handle(tc))
    opts.onResult?.(tc, actual)
    out.push(...lines.slice(pos, tc.start), ...tc.headerLines, ...formatOutput(actual))
    pos = tc.end
  }
  out.push(...lines.slice(pos))
  return out.join('\n')
}

// ---- argument helpers for handlers ------------------------------------------------------

/** Find the argument `key=...`; undefined when absent. */
export function findArg(args: CmdArg[], key: string): CmdArg | undefined {
  return args.find((a) => a.key === key && !a.bare)
}

/** The bare arguments (no `=`), in order: typically node ids. */
export const bareArgs = (args: CmdArg[]): string[] => args.filter((a) => a.bare).map((a) => a.key)

export function parseIntStrict(s: string, what: string): number {
  if (!/^-?\d+$/.test(s)) throw new DataDrivenError(`${what}: expected an integer, got ${JSON.stringify(s)}`)
  return Number(s)
}

export function parseBool(s: string, what: string): boolean {
  if (s === 'true') return true
  if (s === 'false') return false
  throw new DataDrivenError(`${what}: expected true or false, got ${JSON.stringify(s)}`)
}

/** The integer value of `key=n`, or `dflt` when absent. */
export function intArg(args: CmdArg[], key: string, dflt: number): number
export function intArg(args: CmdArg[], key: string): number | undefined
export function intArg(args: CmdArg[], key: string, dflt?: number): number | undefined {
  const a = findArg(args, key)
  if (!a) return dflt
  if (a.vals.length !== 1) throw new DataDrivenError(`${key}: expected one value`)
  return parseIntStrict(a.vals[0]!, key)
}

/** The integer list of `key=(1,2,3)` (or `key=1`), or undefined when absent. */
export function intListArg(args: CmdArg[], key: string): number[] | undefined {
  const a = findArg(args, key)
  if (!a) return undefined
  return a.vals.map((v) => parseIntStrict(v, key))
}

export function boolArg(args: CmdArg[], key: string, dflt: boolean): boolean {
  const a = findArg(args, key)
  if (!a) return dflt
  if (a.vals.length !== 1) throw new DataDrivenError(`${key}: expected one value`)
  return parseBool(a.vals[0]!, key)
}

export function stringArg(args: CmdArg[], key: string): string | undefined {
  return findArg(args, key)?.vals[0]
}

/** Reject arguments a command does not know (typos must fail the test, not be ignored). */
export function checkArgs(cmd: string, args: CmdArg[], allowedKeys: string[], maxBare: number): void {
  let bare = 0
  for (const a of args) {
    if (a.bare) {
      bare++
      continue
    }
    if (!allowedKeys.includes(a.key)) throw new DataDrivenError(`${cmd}: unknown argument ${JSON.stringify(a.key)}`)
  }
  if (bare > maxBare) throw new DataDrivenError(`${cmd}: too many arguments`)
}
