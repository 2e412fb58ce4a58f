import type { ReplicationMessages } from '../en/replication'

const replication: ReplicationMessages = {
  title: '日志复制'
}

export default replication
