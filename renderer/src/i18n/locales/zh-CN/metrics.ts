import type { MetricsMessages } from '../en/metrics'

const metrics: MetricsMessages = {
  title: '监控指标'
}

export default metrics
