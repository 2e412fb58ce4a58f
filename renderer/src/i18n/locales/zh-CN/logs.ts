import type { LogsMessages } from '../en/logs'

const logs: LogsMessages = {
  title: '日志'
}

export default logs
