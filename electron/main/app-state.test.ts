import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_APP_STATE, loadAppState, parseAppState, saveAppState } from './app-state'

describe('app state', () => {
  it('round-trips through its file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'app-state-')), 'sub', 'state.json')
    const state = { window: { x: 10, y: 20, width: 1400, height: 900, maximized: true }, cluster: { size: 5, profile: 'teaching' as const, preVote: false, checkQuorum: true }, locale: 'zh-CN' as const }
    saveAppState(file, state)
    expect(loadAppState(file)).toEqual(state)
  })

  it('falls back field by field on bad values, and wholly on a broken file', () => {
    expect(parseAppState({ window: { width: 50, height: 'x', x: 3 }, cluster: { size: 12, profile: 'fast', preVote: 'yes' }, locale: 'fr' })).toEqual(DEFAULT_APP_STATE)
    expect(parseAppState({ cluster: { size: 7 } }).cluster.size).toBe(7)
    const dir = mkdtempSync(join(tmpdir(), 'app-state-'))
    writeFileSync(join(dir, 'state.json'), '{ not json')
    expect(loadAppState(join(dir, 'state.json'))).toEqual(DEFAULT_APP_STATE)
    expect(loadAppState(join(dir, 'missing.json'))).toEqual(DEFAULT_APP_STATE)
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{ not json')
  })
})
