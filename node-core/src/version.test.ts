import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, it, expect } from 'vitest'
import { NODE_CORE_VERSION } from './version'

describe('NODE_CORE_VERSION', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
    expect(NODE_CORE_VERSION).toBe(pkg.version)
  })
})
