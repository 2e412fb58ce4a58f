// WAL throughput and fsync latency of node-core's DiskStorage on this machine's disk:
//   - synced appends/s of one 64-byte entry per save, one writer at a time (every save pays an fsync)
//   - the same with 64 concurrent writers (group commit shares each fsync among the waiting saves)
//   - fsync (fdatasync) duration p50 / p99 over both runs
// `benchWal()` returns rows for bench/index.ts; `npx tsx bench/wal.ts` prints them on their own.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Entry } from '../node-core/src/raft/types'
import { DiskStorage } from '../node-core/src/storage'
import { quantile } from './stats'

export interface BenchRow {
  name: string
  value: number
  unit: string
}

export interface BenchWalOptions {
  /** How long each concurrency level runs. Default 3 s (BENCH_WAL_MS overrides). */
  durationMs?: number
  /** Where to create the temporary data directory (default: the OS temp dir). */
  parentDir?: string
}

const ENTRY_BYTES = 64

async function measure(
  storage: DiskStorage,
  concurrency: number,
  durationMs: number,
  nextIndex: () => number
): Promise<{ savesPerSec: number; saves: number; fsyncs: number }> {
  const data = new Uint8Array(ENTRY_BYTES).fill(0x61)
  const fsyncsBefore = storage.stats().fsyncs
  let saves = 0
  const started = performance.now()
  const deadline = started + durationMs
  const writer = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const entry: Entry = { index: nextIndex(), term: 1, type: 'normal', data }
      await storage.save({ entries: [entry] }, true)
      saves++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, writer))
  const elapsed = performance.now() - started
  return { savesPerSec: (saves / elapsed) * 1000, saves, fsyncs: storage.stats().fsyncs - fsyncsBefore }
}

export async function benchWal(options: BenchWalOptions = {}): Promise<BenchRow[]> {
  const durationMs = options.durationMs ?? Number(process.env.BENCH_WAL_MS ?? 3000)
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'quorum-bench-wal-'))
  const fsyncMs: number[] = []
  try {
    const storage = await DiskStorage.open(dir, { metrics: { onFsync: (ms) => fsyncMs.push(ms) } })
    try {
      let last = storage.lastIndex()
      const next = (): number => ++last
      fsyncMs.length = 0
      const solo = await measure(storage, 1, durationMs, next)
      const group = await measure(storage, 64, durationMs, next)
      const sorted = [...fsyncMs].sort((a, b) => a - b)
      const r1 = (x: number): number => Math.round(x * 10) / 10
      const r3 = (x: number): number => Math.round(x * 1000) / 1000
      return [
        { name: `WAL synced appends, ${ENTRY_BYTES} B entries, concurrency 1`, value: Math.round(solo.savesPerSec), unit: 'ops/s' },
        { name: `WAL synced appends, ${ENTRY_BYTES} B entries, concurrency 64 (group commit)`, value: Math.round(group.savesPerSec), unit: 'ops/s' },
        { name: 'WAL saves per fsync at concurrency 64', value: r1(group.saves / Math.max(1, group.fsyncs)), unit: 'saves' },
        { name: 'WAL fsync p50', value: r3(quantile(sorted, 0.5)), unit: 'ms' },
        { name: 'WAL fsync p99', value: r3(quantile(sorted, 0.99)), unit: 'ms' }
      ]
    } finally {
      await storage.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  benchWal().then(
    (rows) => {
      for (const r of rows) process.stdout.write(`${r.name}: ${r.value} ${r.unit}\n`)
    },
    (err: unknown) => {
      process.stderr.write(`bench wal failed: ${err instanceof Error ? err.stack : String(err)}\n`)
      process.exit(1)
    }
  )
}
