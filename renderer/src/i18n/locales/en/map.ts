/** English messages of the cluster map view (owned by that view; zh-CN/map.ts mirrors the keys). */
const map = {
  title: 'Cluster map'
}

export type MapMessages = typeof map

export default map
