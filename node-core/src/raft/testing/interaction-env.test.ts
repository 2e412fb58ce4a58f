import { describe, expect, it } from 'vitest'
import { parseFile, runDataDriven } from './datadriven'
import { InteractionEnv } from './interaction-env'

/** Run a script (commands only, outputs ignored) and return each command's output. */
function run(script: string): string[] {
  const env = new InteractionEnv()
  return parseFile(script).map((tc) => env.handle(tc))
}

const cmds = (...lines: string[]): string => lines.map((l) => `${l}\n----\n`).join('\n')

describe('InteractionEnv', () => {
  it('refuses unknown commands and arguments instead of printing them into a golden file', () => {
    expect(() => run(cmds('add-nodes 1', 'tick-elction 1'))).toThrow(/unknown command "tick-elction"/)
    expect(() => run(cmds('add-nodes 1 prevot=false'))).toThrow(/unknown argument "prevot"/)
    expect(() => run(cmds('add-nodes 1', 'campaign 7'))).toThrow(/no node 7/)
  })

  it('detects a golden output that no longer matches', () => {
    const env = new InteractionEnv()
    const text = 'add-nodes 1 voters=(1)\n----\nnot what it prints\n'
    expect(() =>
      runDataDriven(text, 't', (tc) => env.handle(tc), {
        onResult: (tc, actual) => expect(actual).toBe(tc.expected)
      })
    ).toThrow()
  })

  it('elects a single-node leader and commits', () => {
    const out = run(cmds('add-nodes 1 voters=(1)', 'campaign 1', 'stabilize', 'propose 1 x', 'stabilize', 'raft-state'))
    expect(out[5]).toBe('1: leader (voter) Term:2 Lead:1 Commit:3 Last:3')
  })

  it('tick-election ticks a follower exactly until its election timer fires', () => {
    const out = run(cmds('add-nodes 3 voters=(1,2,3)', 'tick-election 2', 'raft-state'))
    expect(out[1]).toContain('INFO 2 became precandidate at term 1')
    expect(out[2]).toContain('2: precandidate (voter)')
  })

  it('loses messages on cut links, one way only for cut a->b', () => {
    const out = run(
      cmds('add-nodes 2 voters=(1,2)', 'cut 1->2', 'campaign 1', 'stabilize', 'heal', 'campaign 2', 'stabilize', 'raft-state')
    )
    expect(out[1]).toBe('cut: 1->2')
    expect(out[3]).toContain('dropped: 1->2 MsgPreVote')
    expect(out[4]).toBe('all links up')
    expect(out[7]).toContain('2: leader')
  })

  it('partition groups unlisted nodes together', () => {
    const out = run(cmds('add-nodes 3', 'partition (1)'))
    expect(out[1]).toBe('cut: 1->2 1->3 2->1 3->1')
  })

  it('a crashed node cannot be driven, loses its inbound messages and restarts from its disk', () => {
    const out = run(
      cmds('add-nodes 3 voters=(1,2,3)', 'campaign 1', 'process-ready 1', 'crash 2', 'raft-state', 'restart 2', 'stabilize', 'raft-state')
    )
    expect(out[3]).toBe('dropped: 1->2 MsgPreVote Term:2 Log:1/3')
    expect(out[4]).toContain('2: down')
    expect(out[5]).toContain('2: started term=1')
    expect(out[7]).toContain('1: leader (voter) Term:2')
    expect(() => run(cmds('add-nodes 1', 'crash 1', 'tick 1 1'))).toThrow(/node 1 is down/)
  })

  it('log-level none hides output but not refusals', () => {
    const out = run(cmds('add-nodes 2 voters=(1,2)', 'log-level none', 'campaign 1', 'propose 2 x'))
    expect(out[2]).toBe('ok')
    expect(out[3]).toMatch(/^refused: NO_LEADER/)
  })

  it('compact snapshots the state machine at an applied index and refuses beyond it', () => {
    const out = run(cmds('add-nodes 1 voters=(1)', 'campaign 1', 'stabilize', 'propose 1 a', 'stabilize', 'compact 1 2'))
    // Entry 1 is the bootstrap conf change, 2 the leader's empty entry, 3 the proposal.
    expect(out[5]).toBe('snapshot Index:2 Term:2 ConfState:Voters:[1] Learners:[]\n2/3 EntryNormal "a"')
    expect(() => run(cmds('add-nodes 1 voters=(1)', 'compact 1 9'))).toThrow(/applied only up to 1/)
  })

  it('add-nodes index= starts from a snapshot that may hold learners; learners without index= are refused', () => {
    const out = run(cmds('add-nodes 3 voters=(1,2) learners=(3) index=5', 'raft-log 3'))
    expect(out[0]).toContain('3: started term=0 vote=0 commit=5 first=6 last=1/5 voters=[1 2] learners=[3]')
    expect(out[1]).toBe('snapshot Index:5 Term:1 ConfState:Voters:[1 2] Learners:[3]\nlog is empty: first index=6, last index=5')
    expect(() => run(cmds('add-nodes 2 voters=(1) learners=(2)'))).toThrow(/learners= needs index=/)
  })

  it('write-log rewrites a disk after its snapshot and refuses decreasing terms', () => {
    const out = run(cmds('add-nodes 1 voters=(1) index=1', 'write-log 1 terms=(1,2,2) term=3', 'raft-log 1'))
    expect(out[1]).toBe('1: started term=3 vote=0 commit=1 first=2 last=2/4 voters=[1] learners=[] prevote=true checkquorum=true')
    expect(out[2]).toContain('1/2 EntryNormal ""\n2/3 EntryNormal ""\n2/4 EntryNormal ""')
    expect(() => run(cmds('add-nodes 1 voters=(1) index=1', 'write-log 1 terms=(2,1)'))).toThrow(/must not decrease/)
  })
})
