/** English messages of the metrics view (owned by that view; zh-CN/metrics.ts mirrors the keys). */
const metrics = {
  title: 'Metrics'
}

export type MetricsMessages = typeof metrics

export default metrics
