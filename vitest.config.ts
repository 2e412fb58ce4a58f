import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['node-core/src/**/*.test.ts', 'electron/**/*.test.ts', 'tests/unit/**/*.test.ts', 'bench/**/*.test.ts']
        }
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/src/**/*.test.ts']
        }
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.integration.test.ts'],
          // Real processes: build the standalone bundles once, and give each test room.
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: run files one at a time so process timings stay sane.
          fileParallelism: false
        }
      }
    ]
  }
})
