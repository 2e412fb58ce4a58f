// Fixture: a lab module that keeps every rule (imports only protocol/ from node-core).
import { METRICS_PATH } from '../../node-core/src/protocol/admin'

export const path = METRICS_PATH
