import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LabEvent } from '../../../electron/lab/api'
import { makeCluster } from '../testing/fake-lab'
import { describeEvent, describeExit, formatClock, type Translate } from './describe-event'
import {
  createAppI18n,
  detectLocale,
  initialLocale,
  LOCALE_STORAGE_KEY,
  matchLocale,
  messages,
  setLocale,
  SUPPORTED_LOCALES
} from './index'

/** Every leaf key path of a message tree, e.g. "node.state.up". */
function keyPaths(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keyPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`]
  )
}

function leaf(tree: object, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], tree)
}

describe('detectLocale', () => {
  it('uses a saved choice first', () => {
    expect(detectLocale('en', ['zh-CN'])).toBe('en')
    expect(detectLocale('zh-CN', ['en-US'])).toBe('zh-CN')
  })

  it('ignores a saved value it does not support', () => {
    expect(detectLocale('fr', ['zh-TW'])).toBe('zh-CN')
  })

  it('maps any Chinese to zh-CN and any English to en, in preference order', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'zh-Hant', 'ZH-hk', 'zh_CN']) {
      expect(detectLocale(null, [tag])).toBe('zh-CN')
    }
    expect(detectLocale(null, ['de-DE', 'zh-CN', 'en'])).toBe('zh-CN')
    expect(detectLocale(null, ['de-DE', 'en-GB', 'zh-CN'])).toBe('en')
  })

  it('falls back to English', () => {
    expect(detectLocale(null, [])).toBe('en')
    expect(detectLocale(undefined, ['ja-JP', 'fr'])).toBe('en')
    expect(matchLocale('zhx')).toBeNull()
  })
})

describe('initialLocale and setLocale', () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => vi.restoreAllMocks())

  it('reads the browser languages when nothing was saved', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['zh-TW', 'en-US'])
    expect(initialLocale()).toBe('zh-CN')
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['fr-FR'])
    expect(initialLocale()).toBe('en')
  })

  it('prefers the saved choice and remembers a switch, updating <html lang>', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['zh-CN'])
    localStorage.setItem(LOCALE_STORAGE_KEY, 'en')
    expect(initialLocale()).toBe('en')

    const i18n = createAppI18n('en')
    expect(document.documentElement.lang).toBe('en')
    setLocale(i18n, 'zh-CN')
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')
    expect(initialLocale()).toBe('zh-CN')
  })
})

describe('messages', () => {
  const enKeys = keyPaths(messages.en).sort()

  it('has the same keys in every locale', () => {
    for (const locale of SUPPORTED_LOCALES) {
      expect(keyPaths(messages[locale]).sort(), locale).toEqual(enKeys)
    }
    expect(enKeys.length).toBeGreaterThan(50)
  })

  it('has a non-empty translation for every key, and Chinese really is Chinese', () => {
    const zhCount = enKeys.filter((k) => /[\u4e00-\u9fff]/.test(String(leaf(messages['zh-CN'], k)))).length
    for (const locale of SUPPORTED_LOCALES) {
      for (const key of enKeys) expect(String(leaf(messages[locale], key)).trim(), `${locale}:${key}`).not.toBe('')
    }
    // Brand names, PIDs and formats may stay Latin; the rest must be translated.
    expect(zhCount / enKeys.length).toBeGreaterThan(0.8)
  })

  it('compiles every message in every locale (no stray {, }, @ or |)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const i18n = createAppI18n('en')
    const named = { id: 1, n: 2, up: 1, size: 3, majority: 2, state: 's', runId: 'r', version: '1', time: 't', code: 0, signal: 'S', pid: 7, ms: 5, exit: 'e', stream: 'stdout', text: 'x', count: 4 }
    for (const locale of SUPPORTED_LOCALES) {
      i18n.global.locale.value = locale
      for (const key of enKeys) {
        const out = i18n.global.t(key, named)
        expect(out, `${locale}:${key}`).not.toBe(key)
        expect(out, `${locale}:${key}`).not.toMatch(/[{}]/)
      }
    }
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
  })
})

describe('describeEvent', () => {
  const i18n = createAppI18n('en')
  const t: Translate = (key, named) => i18n.global.t(key, named)
  const ev = (body: object): LabEvent => ({ seq: 1, ts: 0, ...body }) as LabEvent

  afterEach(() => {
    i18n.global.locale.value = 'en'
  })

  it('describes every event type in English', () => {
    expect(describeEvent(ev({ type: 'cluster.created', cluster: makeCluster(3, { runId: 'r7' }) }), t)).toBe(
      'Cluster created with 3 nodes (run r7)'
    )
    expect(describeEvent(ev({ type: 'cluster.state', state: 'running' }), t)).toBe('Cluster is running')
    expect(describeEvent(ev({ type: 'node.spawned', nodeId: 2, pid: 77 }), t)).toBe('Node 2 process spawned (pid 77)')
    expect(describeEvent(ev({ type: 'node.ready', nodeId: 2, pid: 77, readyMs: 412.6 }), t)).toBe('Node 2 is up after 413 ms (pid 77)')
    expect(
      describeEvent(ev({ type: 'node.exited', nodeId: 2, pid: 77, code: null, signal: 'SIGKILL', expected: false }), t)
    ).toBe('Node 2 crashed (signal SIGKILL)')
    expect(describeEvent(ev({ type: 'node.exited', nodeId: 2, pid: 77, code: 0, signal: null, expected: true }), t)).toBe(
      'Node 2 stopped (exit code 0)'
    )
    expect(describeEvent(ev({ type: 'fault.injected', kind: 'crash', nodeId: 3 }), t)).toBe('Fault injected: kill -9 node 3')
    expect(describeEvent(ev({ type: 'node.output', nodeId: 1, stream: 'stderr', text: 'boom\n' }), t)).toBe('Node 1 stderr: boom')
    expect(describeEvent(ev({ type: 'events.dropped', count: 9 }), t)).toContain('9 events were dropped')
  })

  it('describes events in Chinese', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(
      describeEvent(ev({ type: 'node.exited', nodeId: 2, pid: 77, code: null, signal: 'SIGKILL', expected: false }), t)
    ).toBe('节点 2 崩溃（信号 SIGKILL）')
    expect(describeEvent(ev({ type: 'cluster.state', state: 'running' }), t)).toBe('集群运行中')
  })

  it('reads the Raft events people follow as sentences, in both languages', () => {
    const raft = (event: object): LabEvent => ev({ type: 'raft', nodeId: 2, nodeSeq: 1, nodeTs: 0, event: { node: 99, ...event } })
    expect(describeEvent(raft({ type: 'roleChanged', from: 'candidate', to: 'leader', term: 4, lead: 99 }), t)).toBe('Node 2 became leader at term 4')
    expect(describeEvent(raft({ type: 'termChanged', from: 3, to: 4 }), t)).toBe('Node 2: term 3 → 4')
    expect(describeEvent(raft({ type: 'electionWon', term: 4, preVote: false, votes: [1, 2] }), t)).toBe('Node 2 won the election for term 4 (2 votes)')
    expect(describeEvent(raft({ type: 'msgSent', to: 1, msg: 'MsgApp' }), t)).toBe('Node 2: msgSent')
    i18n.global.locale.value = 'zh-CN'
    expect(describeEvent(raft({ type: 'roleChanged', from: 'follower', to: 'precandidate', term: 7, lead: 0 }), t)).toBe('节点 2 在任期 7 成为预候选者')
  })

  it('prefers the signal when describing an exit', () => {
    expect(describeExit({ code: 137, signal: 'SIGKILL' }, t)).toBe('signal SIGKILL')
    expect(describeExit({ code: 3, signal: null }, t)).toBe('exit code 3')
  })

  it('formats clock times with zero padding', () => {
    const ms = new Date(2024, 0, 2, 3, 4, 5, 6).getTime()
    expect(formatClock(ms)).toBe('03:04:05')
    expect(formatClock(ms, true)).toBe('03:04:05.006')
  })
})
