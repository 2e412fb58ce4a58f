/** Fixtures for the logs and data views' tests: log lines and node data copies. Test-only. */
import type { ConfigView, DataView, InstanceView, LogChannel, LogLevel, LogLine } from '../../../electron/lab/api'

export function logLine(i: number, over: Partial<LogLine> = {}): LogLine {
  const nodeId = over.nodeId ?? (i % 3) + 1
  const file: LogChannel = over.file ?? (['main', 'naming', 'config', 'cluster'] as const)[i % 4]!
  const level: LogLevel = over.level ?? (i % 10 === 0 ? 'warn' : 'info')
  const time = over.time ?? 1_700_000_000_000 + i
  const msg = over.msg ?? `line ${i}`
  const raw = over.raw ?? JSON.stringify({ level, time, node: `127.0.0.1:${18848 + (nodeId - 1) * 10}`, msg, seqNo: i })
  return { nodeId, file, level, time, msg, fields: {}, raw, ...over }
}

export function logLines(from: number, count: number, over: Partial<LogLine> = {}): LogLine[] {
  return Array.from({ length: count }, (_, k) => logLine(from + k, over))
}

/**
 * A stand-in for the engine's `logs.query`: a list of every line read so far; answers the
 * newest `limit` lines (oldest first) and the unfiltered total, as LogTails does.
 */
export function logSource(capacity = 100_000) {
  const all: LogLine[] = []
  return {
    all,
    add(lines: LogLine[]) {
      all.push(...lines)
    },
    answer(limit = 1000) {
      const kept = all.slice(Math.max(0, all.length - capacity))
      return { lines: kept.slice(Math.max(0, kept.length - limit)), total: all.length, evicted: all.length - kept.length }
    }
  }
}

export function config(dataId: string, md5 = `md5-${dataId}`, over: Partial<ConfigView> = {}): ConfigView {
  return { namespace: 'public', group: 'DEFAULT_GROUP', dataId, md5, bytes: 12, lastModified: 1_700_000_000_000, ...over }
}

export function instance(service: string, port: number, over: Partial<InstanceView> = {}): InstanceView {
  return { namespace: 'public', service, cluster: 'DEFAULT', ip: '10.0.0.1', port, healthy: true, enabled: true, ephemeral: true, weight: 1, ...over }
}

export function dataView(applied: number, configs: ConfigView[] = [], instances: InstanceView[] = []): DataView {
  return { applied, configs, instances }
}
