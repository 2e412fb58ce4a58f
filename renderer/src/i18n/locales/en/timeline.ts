/** English messages of the election timeline view (owned by that view; zh-CN/timeline.ts mirrors the keys). */
const timeline = {
  title: 'Election timeline'
}

export type TimelineMessages = typeof timeline

export default timeline
