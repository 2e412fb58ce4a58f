import type { LabError, LabErrorCode } from './api'

/** A lab engine failure with a stable code; hosts turn it into a `Result` error. */
export class LabServiceError extends Error {
  constructor(
    readonly code: LabErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'LabServiceError'
  }
}

export function toLabError(err: unknown): LabError {
  if (err instanceof LabServiceError) return { code: err.code, message: err.message }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}
