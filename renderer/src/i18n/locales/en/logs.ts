/** English messages of the logs view (owned by that view; zh-CN/logs.ts mirrors the keys). */
const logs = {
  title: 'Logs'
}

export type LogsMessages = typeof logs

export default logs
