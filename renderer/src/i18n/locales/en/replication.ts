/** English messages of the replication view (owned by that view; zh-CN/replication.ts mirrors the keys). */
const replication = {
  title: 'Replication'
}

export type ReplicationMessages = typeof replication

export default replication
