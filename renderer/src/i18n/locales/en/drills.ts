/** English messages of the drills view (owned by that view; zh-CN/drills.ts mirrors the keys). */
const drills = {
  title: 'Drills'
}

export type DrillsMessages = typeof drills

export default drills
