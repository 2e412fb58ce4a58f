// Fixture: ambient time, randomness, timers and I/O inside the pure Raft core.
import { readFileSync } from 'node:fs'

export function electionTimeout(): number {
  setTimeout(() => readFileSync('/dev/null'), 1)
  return Date.now() + Math.random() * 150
}
