import type { TimelineMessages } from '../en/timeline'

const timeline: TimelineMessages = {
  title: '选举时间线'
}

export default timeline
