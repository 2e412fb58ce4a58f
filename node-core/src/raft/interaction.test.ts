import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runDataDriven } from './testing/datadriven'
import { InteractionEnv } from './testing/interaction-env'

/**
 * The data-driven interaction tests (etcd-io/raft's interaction_test.go): every file in
 * testdata/ is a script of commands and their exact expected output, run against a fresh
 * InteractionEnv. Set UPDATE_GOLDEN=1 to rewrite the files with the actual output, then read
 * the diff: the golden files are the specification of what the core does.
 */

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata')
const update = process.env['UPDATE_GOLDEN'] === '1'
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort()

describe('raft interaction', () => {
  it('has golden files', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  for (const file of files) {
    it(file, () => {
      const path = join(dir, file)
      const text = readFileSync(path, 'utf8')
      const env = new InteractionEnv()
      const rewritten = runDataDriven(text, file, (tc) => env.handle(tc), {
        onResult: update
          ? undefined
          : (tc, actual) => {
              expect(actual, `${file}:${tc.line}: ${tc.headerLines.join(' ')}`).toBe(tc.expected)
            }
      })
      if (update && rewritten !== text) writeFileSync(path, rewritten)
    })
  }
})
