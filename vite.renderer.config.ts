import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type UserConfig } from 'vite'

const r = (p: string): string => resolve(import.meta.dirname, p)

/**
 * The renderer on its own. electron.vite.config.ts reuses it, and plain Vite uses it for
 * browser-only work (`vite -c vite.renderer.config.ts`), because `electron-vite dev
 * --rendererOnly` still launches Electron.
 */
export const rendererConfig: UserConfig = {
  root: r('renderer'),
  base: './',
  plugins: [vue()],
  build: {
    outDir: r('out/renderer'),
    emptyOutDir: true,
    minify: true,
    rolldownOptions: { input: { index: r('renderer/index.html') } }
  }
}

export default defineConfig(rendererConfig)
