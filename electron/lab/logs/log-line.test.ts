import { describe, expect, it } from 'vitest'
import { levelOf, matches, parseLogLine } from './log-line'

describe('parseLogLine', () => {
  it('splits a node-core JSON line into level, time, msg and the other fields', () => {
    const raw = '{"level":"warn","time":1700000000123,"node":"127.0.0.1:8848","peer":7,"msg":"cannot reach peer"}'
    expect(parseLogLine(raw, 2, 'cluster', 5)).toEqual({
      nodeId: 2,
      file: 'cluster',
      level: 'warn',
      time: 1700000000123,
      msg: 'cannot reach peer',
      fields: { node: '127.0.0.1:8848', peer: 7 },
      raw
    })
  })

  it("maps pino's numeric levels", () => {
    expect([10, 20, 30, 40, 50, 60, 35].map(levelOf)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'])
    expect(parseLogLine('{"level":50,"time":1,"msg":"boom"}', 1, 'main', 0).level).toBe('error')
  })

  it('keeps a non-JSON line as raw text with level unknown and the read time', () => {
    for (const raw of ['Error: boom', '    at foo (x.js:1:2)', '{"torn":', '[1,2]', '']) {
      const l = parseLogLine(raw, 1, 'main', 42)
      expect(l).toMatchObject({ level: 'unknown', time: 42, msg: raw, raw, fields: {} })
    }
  })

  it('falls back to the read time when time is missing or not a number', () => {
    expect(parseLogLine('{"msg":"x","time":"soon"}', 1, 'main', 9).time).toBe(9)
    expect(parseLogLine('{"level":"info"}', 1, 'main', 9).msg).toBe('')
  })
})

describe('matches', () => {
  const line = parseLogLine('{"level":"info","time":1,"msg":"Config Published: a"}', 3, 'config', 0)

  it('passes everything with an empty filter', () => {
    expect(matches(line, {})).toBe(true)
    expect(matches(line, { nodes: [], files: [], levels: [], text: '' })).toBe(true)
  })

  it('filters by node, file and level', () => {
    expect(matches(line, { nodes: [3] })).toBe(true)
    expect(matches(line, { nodes: [1, 2] })).toBe(false)
    expect(matches(line, { files: ['config'] })).toBe(true)
    expect(matches(line, { files: ['main', 'naming'] })).toBe(false)
    expect(matches(line, { levels: ['warn', 'error'] })).toBe(false)
  })

  it('matches text case-insensitively in msg and raw', () => {
    expect(matches(line, { text: 'config published' })).toBe(true)
    expect(matches(line, { text: '"LEVEL":"INFO"' })).toBe(true)
    expect(matches(line, { text: 'nope' })).toBe(false)
  })
})
