import { describe, expect, it } from 'vitest'
import {
  DataDrivenError,
  bareArgs,
  boolArg,
  checkArgs,
  formatOutput,
  intArg,
  intListArg,
  parseFile,
  parseLine,
  runDataDriven
} from './datadriven'

describe('parseLine', () => {
  it('splits a command into bare keys, key=value and key=(list)', () => {
    const { cmd, args } = parseLine('add-nodes 3 voters=(1,2,3) learners=() prevote=false')
    expect(cmd).toBe('add-nodes')
    expect(args).toEqual([
      { key: '3', vals: [], bare: true },
      { key: 'voters', vals: ['1', '2', '3'], bare: false },
      { key: 'learners', vals: [], bare: false },
      { key: 'prevote', vals: ['false'], bare: false }
    ])
  })

  it('keeps spaces inside parentheses in one argument', () => {
    const { args } = parseLine('partition (1, 2, 3) (4 5)')
    expect(bareArgs(args)).toEqual(['(1, 2, 3)', '(4 5)'])
    expect(intListArg(parseLine('x voters=(1, 2 3)').args, 'voters')).toEqual([1, 2, 3])
  })

  it('rejects unbalanced parentheses and empty lines', () => {
    expect(() => parseLine('x voters=(1,2')).toThrow(DataDrivenError)
    expect(() => parseLine('x voters=1,2)')).toThrow(DataDrivenError)
    expect(() => parseLine('   ')).toThrow(DataDrivenError)
  })
})

describe('argument helpers', () => {
  const { args } = parseLine('cmd 1 2 n=7 flag=true list=(4,5)')

  it('read typed values with defaults', () => {
    expect(bareArgs(args)).toEqual(['1', '2'])
    expect(intArg(args, 'n', 0)).toBe(7)
    expect(intArg(args, 'missing', 3)).toBe(3)
    expect(intArg(args, 'missing')).toBeUndefined()
    expect(boolArg(args, 'flag', false)).toBe(true)
    expect(intListArg(args, 'list')).toEqual([4, 5])
  })

  it('fail on malformed values and unknown keys', () => {
    expect(() => intArg(parseLine('c n=x').args, 'n')).toThrow(/expected an integer/)
    expect(() => boolArg(parseLine('c b=yes').args, 'b', false)).toThrow(/true or false/)
    expect(() => checkArgs('cmd', args, ['n', 'flag'], 2)).toThrow(/unknown argument "list"/)
    expect(() => checkArgs('cmd', args, ['n', 'flag', 'list'], 1)).toThrow(/too many arguments/)
    expect(() => checkArgs('cmd', args, ['n', 'flag', 'list'], 2)).not.toThrow()
  })
})

describe('parseFile', () => {
  it('reads cases with comments, input lines, continuations and outputs', () => {
    const text = [
      '# a comment',
      '',
      'first a=1 \\',
      '  b=2',
      'input line',
      '----',
      'out 1',
      'out 2',
      '',
      '# between',
      'second',
      '----',
      '',
      'third',
      '----',
      'last line, no trailing newline'
    ].join('\n')
    const cases = parseFile(text)
    expect(cases.map((c) => c.cmd)).toEqual(['first', 'second', 'third'])
    expect(cases[0]!.args).toEqual([
      { key: 'a', vals: ['1'], bare: false },
      { key: 'b', vals: ['2'], bare: false }
    ])
    expect(cases[0]!.input).toBe('input line')
    expect(cases[0]!.expected).toBe('out 1\nout 2')
    expect(cases[0]!.line).toBe(3)
    expect(cases[1]!.expected).toBe('')
    expect(cases[2]!.expected).toBe('last line, no trailing newline')
  })

  it('reads a doubled-separator block with blank lines in it', () => {
    const cases = parseFile(['cmd', '----', '----', 'a', '', 'b', '----', '----', '', 'next', '----', 'ok'].join('\n'))
    expect(cases[0]!.expected).toBe('a\n\nb')
    expect(cases[1]!.expected).toBe('ok')
  })

  it('reports malformed files with the line', () => {
    expect(() => parseFile('cmd\nno separator', 'f.txt')).toThrow(/f\.txt:1: missing '----'/)
    expect(() => parseFile('cmd\n----\n----\nnever closed', 'f.txt')).toThrow(/unterminated/)
  })
})

describe('formatOutput', () => {
  it('uses the doubled separator only when the output has blank lines', () => {
    expect(formatOutput('a\nb\n')).toEqual(['----', 'a', 'b'])
    expect(formatOutput('')).toEqual(['----'])
    expect(formatOutput('a\n\nb')).toEqual(['----', '----', 'a', '', 'b', '----', '----'])
  })
})

describe('runDataDriven', () => {
  const text = ['# keep me', 'echo hello', '----', 'stale output', '', '# and me', 'echo two lines', '----', 'x', ''].join('\n')
  const echo = (tc: { args: { key: string }[] }): string => tc.args.map((a) => a.key).join('\n')

  it('rewrites only the outputs, keeping comments and layout', () => {
    const out = runDataDriven(text, 't', echo)
    expect(out).toBe(['# keep me', 'echo hello', '----', 'hello', '', '# and me', 'echo two lines', '----', 'two', 'lines', ''].join('\n'))
    // Running the rewritten file again is a fixed point.
    expect(runDataDriven(out, 't', echo)).toBe(out)
  })

  it('hands every case and its actual output to onResult, so a mismatch can fail the test', () => {
    const seen: [string, string, string][] = []
    runDataDriven(text, 't', echo, { onResult: (tc, actual) => seen.push([tc.cmd, tc.expected, actual]) })
    expect(seen).toEqual([
      ['echo', 'stale output', 'hello'],
      ['echo', 'x', 'two\nlines']
    ])
    expect(() =>
      runDataDriven(text, 't', echo, {
        onResult: (tc, actual) => {
          if (actual !== tc.expected) throw new Error(`mismatch at line ${tc.line}`)
        }
      })
    ).toThrow('mismatch at line 2')
  })

  it('frames an output with blank lines so that it parses back the same', () => {
    const out = runDataDriven('cmd\n----\n', 't', () => 'a\n\nb')
    expect(parseFile(out)[0]!.expected).toBe('a\n\nb')
  })
})
