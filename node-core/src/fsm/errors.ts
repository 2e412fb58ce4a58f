/**
 * Errors of the state machines, in two kinds:
 *
 * - {@link FieldError}: a request parameter is wrong. Returned (never thrown) by the validators
 *   in `validate.ts`, so the HTTP layer can answer 400 naming the field. Expected input, not a bug.
 * - {@link FsmError}: something the state machine refuses outright — a log entry that does not
 *   decode, an index out of order, a snapshot of the wrong version. Thrown, because continuing
 *   would let replicas diverge; the server logs it and stops applying.
 */

/**
 * Why a parameter was refused. Stable: callers may branch on it, people read `message`.
 *
 * - `REQUIRED`: absent (an empty string counts as absent, as the SDK sends unset values as `x=`).
 * - `INVALID`: present but malformed (bad characters, not a number, not JSON, ...).
 * - `TOO_LONG`: longer than the limit for that field (characters).
 * - `TOO_LARGE`: bigger than the limit in bytes (config content) or entries (listener keys).
 * - `OUT_OF_RANGE`: a number outside its allowed range (port, weight, page size).
 */
export type FieldErrorCode = 'REQUIRED' | 'INVALID' | 'TOO_LONG' | 'TOO_LARGE' | 'OUT_OF_RANGE'

/** One refused parameter: `field` is the wire name (`serviceName`, `beat.port`, `Listening-Configs`). */
export interface FieldError {
  readonly field: string
  readonly code: FieldErrorCode
  /** A sentence for people that names the field, e.g. `port must be an integer from 0 to 65535, got "x"`. */
  readonly message: string
}

/** The outcome of validating one request: its typed value, or the first problem found. */
export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError }

export const valid = <T>(value: T): Validated<T> => ({ ok: true, value })

export const invalid = (field: string, code: FieldErrorCode, message: string): { ok: false; error: FieldError } => ({
  ok: false,
  error: { field, code, message }
})

/**
 * Why the state machine refused to go on. Stable codes for the server to branch on.
 *
 * - `INVALID_COMMAND`: an entry (or a command about to be encoded) is malformed: wrong shape,
 *   wrong type, a key that breaks the naming rules. Never applied, not even in part.
 * - `UNSUPPORTED_COMMAND_VERSION`: an entry written by a newer (or unknown) encoder. Refused
 *   rather than skipped: skipping on some nodes and applying on others would split the replicas.
 * - `ALREADY_APPLIED`: `apply` got an index at or below the applied index (a replay).
 * - `INDEX_GAP`: `apply` got an index beyond applied + 1 (an entry was lost on the way).
 * - `INVALID_INDEX`: not a positive safe integer.
 * - `INVALID_SNAPSHOT`: snapshot bytes that do not decode to a valid state.
 * - `UNSUPPORTED_SNAPSHOT_VERSION`: a snapshot format this code does not know.
 */
export type FsmErrorCode =
  | 'INVALID_COMMAND'
  | 'UNSUPPORTED_COMMAND_VERSION'
  | 'ALREADY_APPLIED'
  | 'INDEX_GAP'
  | 'INVALID_INDEX'
  | 'INVALID_SNAPSHOT'
  | 'UNSUPPORTED_SNAPSHOT_VERSION'

/** A refusal of the state machine; `message` is for people, `code` for code. */
export class FsmError extends Error {
  override readonly name = 'FsmError'
  readonly code: FsmErrorCode

  constructor(code: FsmErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
