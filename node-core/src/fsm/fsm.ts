/**
 * The façade the server holds: both state machines, the applied index, apply / snapshot /
 * restore. Apply entries in log order, every one of them (conf changes too, through
 * {@link StateMachine.applyEntry}), and the state is the same on every node.
 *
 * No options on purpose: anything that changed how an entry applies (a size limit, a default)
 * would make nodes with different settings diverge. Policy lives in `validate.ts`, before
 * proposing.
 */
import type { Entry } from '../raft/types'
import { applyCommand, type ApplyResult } from './apply'
import { decodeCommand } from './commands'
import { ConfigState, type ConfigView } from './config'
import { FsmError } from './errors'
import { NamingState, type NamingView } from './naming'
import { captureSnapshot, decodeSnapshot, encodeSnapshot, type SnapshotView } from './snapshot'

export class StateMachine {
  private namingState = new NamingState()
  private configState = new ConfigState()
  private appliedIndex = 0

  /** The index of the last entry applied (or restored from a snapshot); 0 for a new state. */
  get applied(): number {
    return this.appliedIndex
  }

  /**
   * Read-only naming queries (instance list, service list, counts). Read it through this getter
   * each time: {@link restore} replaces the state object.
   */
  get naming(): NamingView {
    return this.namingState
  }

  /** Read-only config queries (get, md5, counts). Same rule: do not keep the object across a restore. */
  get config(): ConfigView {
    return this.configState
  }

  /**
   * Check that `index` is the next one. Replays and gaps are refused rather than ignored: a
   * replay applied twice could resurrect a deleted instance; a gap means an entry was lost.
   */
  private checkNext(index: number): void {
    if (!Number.isSafeInteger(index) || index < 1) throw new FsmError('INVALID_INDEX', `log index must be a positive integer, got ${index}`)
    if (index <= this.appliedIndex) {
      throw new FsmError('ALREADY_APPLIED', `entry ${index} is already applied (applied index ${this.appliedIndex}); entries must be applied once, in order`)
    }
    if (index !== this.appliedIndex + 1) {
      throw new FsmError('INDEX_GAP', `entry ${index} cannot be applied after ${this.appliedIndex}: entries ${this.appliedIndex + 1}..${index - 1} are missing`)
    }
  }

  /**
   * Apply one committed normal entry's data at `index` (= applied + 1). An empty entry is the
   * leader's no-op. Throws {@link FsmError} — and changes nothing, not even `applied` — when
   * the index is out of order or the data does not decode.
   */
  apply(data: Uint8Array, index: number): ApplyResult {
    this.checkNext(index)
    const cmd = decodeCommand(data)
    const result = applyCommand({ naming: this.namingState, config: this.configState }, cmd, index)
    this.appliedIndex = index
    return result
  }

  /** Apply a committed Raft entry: a normal entry's command, or a conf change (index consumed only). */
  applyEntry(entry: Pick<Entry, 'index' | 'type' | 'data'>): ApplyResult {
    if (entry.type === 'confChange') {
      this.checkNext(entry.index)
      this.appliedIndex = entry.index
      return { op: 'conf-change', index: entry.index, servicesChanged: [], configsChanged: [] }
    }
    return this.apply(entry.data, entry.index)
  }

  /**
   * The state at the applied index, frozen without encoding it (O(n) references): encode it
   * with `snapshotPieces` + `joinSnapshot`, in steps, while applying goes on.
   */
  snapshotView(): SnapshotView {
    return captureSnapshot({ applied: this.appliedIndex, naming: this.namingState, config: this.configState })
  }

  /** The whole state (with the applied index) as deterministic bytes. */
  snapshot(): Uint8Array {
    return encodeSnapshot({ applied: this.appliedIndex, naming: this.namingState, config: this.configState })
  }

  /**
   * Replace the state with a snapshot's; `applied` becomes the snapshot's index. All or
   * nothing: a bad snapshot throws {@link FsmError} and the current state stays as it was.
   */
  restore(bytes: Uint8Array): void {
    const parts = decodeSnapshot(bytes)
    this.namingState = parts.naming
    this.configState = parts.config
    this.appliedIndex = parts.applied
  }
}
