import type { DrillsMessages } from '../en/drills'

const drills: DrillsMessages = {
  title: '应急演练'
}

export default drills
