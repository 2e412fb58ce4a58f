import { describe, expect, it } from 'vitest'
import { parseOptions, UsageError } from './args'

const spec = {
  size: { kind: 'int' as const, min: 1, max: 9 },
  'data-dir': { kind: 'string' as const },
  json: { kind: 'flag' as const }
}

describe('parseOptions', () => {
  it('reads --name value, --name=value and flags', () => {
    expect(parseOptions(['--size', '5', '--data-dir=/tmp/x', '--json', 'extra'], spec)).toEqual({
      options: { size: 5, 'data-dir': '/tmp/x', json: true },
      positionals: ['extra']
    })
  })

  it('names the option in every error', () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /unknown option --bogus/],
      [['--size'], /--size needs a value/],
      [['--size', '10'], /--size must be a whole number from 1 to 9, got "10"/],
      [['--size=3x'], /--size must be a whole number/],
      [['--json=yes'], /--json takes no value/]
    ]
    for (const [argv, msg] of cases) {
      expect(() => parseOptions(argv, spec)).toThrow(UsageError)
      expect(() => parseOptions(argv, spec)).toThrow(msg)
    }
  })
})
