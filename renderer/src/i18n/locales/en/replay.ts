/** English messages of replay: the recordings dialog and the replay bar (zh-CN/replay.ts mirrors the keys). */
const replay = {
  open: 'Recordings',
  openHelp: 'Open a recorded run (drill or free play) and replay it',
  dialog: {
    title: 'Recorded runs',
    intro: 'Every run is recorded: lab events, Raft events and metrics. Open one to scrub through it in the map, timeline, replication and metrics views as if it were live.',
    refresh: 'Refresh',
    close: 'Close',
    loading: 'Reading recordings…',
    empty: 'No recorded runs yet. Start a cluster or run a drill: it is recorded from the first event.',
    started: 'Started',
    duration: 'Duration',
    kind: 'Run',
    nodes: 'Nodes',
    events: 'Events',
    size: 'Size',
    freePlay: 'Free play',
    drill: 'Drill: {name}',
    current: 'current run',
    dropped: '{n} dropped',
    droppedHelp: 'Lines the recorder dropped because the disk fell behind: the replay lacks them.',
    opening: 'Opening…',
    openRun: 'Open',
    openRunLabel: 'Replay run {runId}'
  },
  bar: {
    label: 'Replay controls',
    banner: 'Replaying run {runId} — live events paused',
    backToLive: 'Back to live',
    play: 'Play',
    pause: 'Pause',
    speed: 'Speed',
    speedOption: '{x}×',
    slider: 'Replay position',
    time: '{at} / {total}',
    wallClock: 'Recorded at {time}',
    loading: 'Loading…',
    buffering: 'Waiting for the recording…',
    events: '{pushed} of {total} events',
    problems: '{n} gap or damaged line in the recording (skipped) | {n} gaps or damaged lines in the recording (skipped)',
    keys: 'Space: play / pause · ← / →: 5 s'
  }
}

export type ReplayMessages = typeof replay

export default replay
