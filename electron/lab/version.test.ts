import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'
import { LAB_VERSION } from './version'

it('LAB_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
  expect(LAB_VERSION).toBe(pkg.version)
})
