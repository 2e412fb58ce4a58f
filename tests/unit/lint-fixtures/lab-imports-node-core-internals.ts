// Fixture: the lab engine importing node-core beyond protocol/.
import { loadNodeConfig } from '../../node-core/src/conf/load'
import { METRICS_PATH } from '../../node-core/src/protocol/admin'

export const parts = [loadNodeConfig, METRICS_PATH]
