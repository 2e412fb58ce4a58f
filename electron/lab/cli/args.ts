/**
 * Minimal, strict argv parsing for the CLI: `--name value`, `--name=value` and boolean
 * `--flag`. Pure, so every error message is unit-tested. Unknown options are errors, not
 * silently ignored.
 */

export class UsageError extends Error {
  readonly code = 'USAGE'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface OptionSpec {
  /** 'string' takes a value, 'int' a whole number in [min, max], 'flag' none. */
  kind: 'string' | 'int' | 'flag'
  min?: number
  max?: number
}

export type ParsedOptions = Record<string, string | number | boolean>

export function parseOptions(argv: string[], spec: Record<string, OptionSpec>): { options: ParsedOptions; positionals: string[] } {
  const options: ParsedOptions = {}
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    const s = spec[name]
    if (!s) throw new UsageError(`unknown option --${name}`)
    if (s.kind === 'flag') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`)
      options[name] = true
      continue
    }
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else value = argv[++i]
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`)
    if (s.kind === 'int') {
      const n = Number(value)
      const min = s.min ?? Number.MIN_SAFE_INTEGER
      const max = s.max ?? Number.MAX_SAFE_INTEGER
      if (!/^-?\d+$/.test(value) || n < min || n > max) {
        throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`)
      }
      options[name] = n
    } else {
      options[name] = value
    }
  }
  return { options, positionals }
}
