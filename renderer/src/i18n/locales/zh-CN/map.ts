import type { MapMessages } from '../en/map'

const map: MapMessages = {
  title: '集群拓扑'
}

export default map
