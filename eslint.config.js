// @ts-check
import js from '@eslint/js'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Lint, including the dependency rules of ARCHITECTURE.md as errors. Each zone lists what its
 * files may NOT import; tests/unit/lint-rules.test.ts proves each rule fires.
 */

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline',
  'stream', 'timers', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib'
]

const noElectron = { name: 'electron', message: "Only electron/main and electron/preload may import 'electron' (ARCHITECTURE.md rule 4)." }
const noRenderer = { regex: '(^|/)renderer(/|$)', message: 'Nothing outside renderer/ may import the renderer (ARCHITECTURE.md rules 1, 3).' }

/** @type {(files: string[], rules: object) => import('eslint').Linter.Config} */
const zone = (files, restrict) => ({ files, rules: { 'no-restricted-imports': ['error', restrict] } })

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/unit/lint-fixtures/**', '.lab-data/**']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } }
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 'latest', sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off'
    }
  },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },

  // 1. node-core never imports electron, electron/** or renderer/**.
  zone(['node-core/**/*.ts'], {
    paths: [noElectron],
    patterns: [
      { regex: '(^|/)electron/', message: 'node-core must not import electron/** (ARCHITECTURE.md rule 1).' },
      noRenderer
    ]
  }),
  // 2. The Raft core and the state machines are pure: no I/O, no ambient time or randomness.
  {
    files: ['node-core/src/raft/**/*.ts', 'node-core/src/fsm/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...NODE_BUILTINS.map((name) => ({ name, message: 'raft/ and fsm/ are pure: no I/O (ARCHITECTURE.md rule 2).' }))],
        patterns: [
          { regex: '^node:', message: 'raft/ and fsm/ are pure: no node:* imports (ARCHITECTURE.md rule 2).' },
          { regex: '(^|/)electron/', message: 'node-core must not import electron/** (ARCHITECTURE.md rule 1).' },
          noRenderer
        ]
      }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Time moves only through tick() (ARCHITECTURE.md rule 2).' },
        { object: 'Math', property: 'random', message: 'Use the injected seeded generator (ARCHITECTURE.md rule 2).' },
        { object: 'performance', property: 'now', message: 'Time moves only through tick() (ARCHITECTURE.md rule 2).' }
      ],
      'no-restricted-globals': ['error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process', 'console', 'fetch'].map((name) => ({
          name, message: `raft/ and fsm/ must not use ${name}: output leaves only through Ready and trace events (ARCHITECTURE.md rule 2).`
        }))
      ],
      'no-restricted-syntax': ['error', { selector: 'NewExpression[callee.name="Date"]', message: 'Time moves only through tick() (ARCHITECTURE.md rule 2).' }]
    }
  },
  // 3. The lab engine is plain Node: no electron, no renderer, and of node-core only protocol/.
  zone(['electron/lab/**/*.ts'], {
    paths: [noElectron],
    patterns: [
      noRenderer,
      { regex: '(^|/)node-core/(?!src/protocol/)', message: 'electron/lab may import only node-core/src/protocol/ (ARCHITECTURE.md rule 3).' }
    ]
  }),
  // 4. electron/main: electron is allowed; node-core is reached only through processes.
  zone(['electron/main/**/*.ts', 'electron/preload/**/*.ts'], {
    patterns: [noRenderer, { regex: '(^|/)node-core(/|$)', message: 'The Electron shell reaches node-core only through the lab engine.' }]
  }),
  // 5. The renderer reaches the engine only through window.lab, via its lab client.
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...NODE_BUILTINS.map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Node modules.' }))],
        patterns: [
          { regex: '^node:', message: 'The renderer runs in a sandboxed page: no node:* modules.' },
          { regex: '(^|/)node-core(/|$)', message: 'The renderer must not import node-core (ARCHITECTURE.md rule 5).' },
          { regex: '(^|/)electron/(?!lab/api$)', message: 'The renderer may import only the LabApi contract (electron/lab/api) from electron/.' }
        ]
      }],
      'no-restricted-properties': ['error', { object: 'window', property: 'lab', message: 'Only renderer/src/api/lab-client.ts touches window.lab (ARCHITECTURE.md rule 5).' }]
    }
  },
  {
    files: ['renderer/src/api/lab-client.ts', 'renderer/**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' }
  }
)
