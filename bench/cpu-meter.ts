// CPU per operation over a measured window, from /proc (Linux): each node process, the bench
// process itself (the HTTP client), and the whole machine, so a throughput figure shows where
// the 2 cores went and whether the run was CPU-bound. Elsewhere it measures nothing.
import { readFileSync } from 'node:fs'

export interface CpuPerOp {
  /** µs of CPU (user + system) per operation, per node process. */
  nodes: number[]
  /** µs per operation in this process (the client). */
  client: number
  /** µs per operation the whole machine was busy (all CPUs). */
  machine: number
  /** Share of the machine's CPU time left idle in the window, %. */
  idlePct: number
}

interface Sample {
  nodes: number[]
  client: number
  busy: number
  idle: number
}

const ticksPerSec = 100 // USER_HZ on Linux

function procTimes(pid: number): number {
  // Fields after the command name "(...)": state is field 3, utime 14 and stime 15 (1-based).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(f[11]) + Number(f[12])) / ticksPerSec) * 1e6
}

function machineTimes(): { busy: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const us = (t: number): number => (t / ticksPerSec) * 1e6
  return { busy: us(user! + nice! + system! + irq! + softirq! + steal!), idle: us(idle! + iowait!) }
}

function sample(pids: readonly number[]): Sample | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const c = process.cpuUsage()
    const m = machineTimes()
    return { nodes: pids.map(procTimes), client: c.user + c.system, busy: m.busy, idle: m.idle }
  } catch {
    return undefined
  }
}

/** Start measuring now; `stop(ops)` gives the CPU per operation since (undefined off Linux). */
export function startCpuMeter(pids: readonly number[]): { stop(ops: number): CpuPerOp | undefined } {
  const a = sample(pids)
  return {
    stop(ops: number): CpuPerOp | undefined {
      const b = sample(pids)
      if (!a || !b || ops <= 0) return undefined
      const per = (x: number): number => Math.round(x / ops)
      const busy = b.busy - a.busy
      const idle = b.idle - a.idle
      return {
        nodes: b.nodes.map((t, i) => per(t - a.nodes[i]!)),
        client: per(b.client - a.client),
        machine: per(busy),
        idlePct: busy + idle > 0 ? Math.round((idle / (busy + idle)) * 1000) / 10 : 0
      }
    }
  }
}

export const describeCpu = (c: CpuPerOp | undefined): string =>
  c ? `CPU µs/op: nodes ${c.nodes.join(' / ')}, client ${c.client}, machine ${c.machine} (idle ${c.idlePct} %)` : 'CPU per op not measured here'
