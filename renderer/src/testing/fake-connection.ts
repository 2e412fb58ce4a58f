/** A web-mode connection whose state a test sets by hand. Test-only. */
import type { ConnectionState, LabConnection } from '../api/lab-client'

export function fakeConnection(initial: ConnectionState, hasToken = true) {
  const listeners = new Set<(s: ConnectionState) => void>()
  const conn = {
    mode: 'web' as const,
    hasToken,
    state: initial,
    onStateChange(l: (s: ConnectionState) => void) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    set(s: ConnectionState) {
      conn.state = s
      for (const l of listeners) l(s)
    }
  }
  return conn satisfies LabConnection
}
