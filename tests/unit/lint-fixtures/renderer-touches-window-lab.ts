// Fixture: a renderer module other than lab-client reaching window.lab and Node.
import { readFileSync } from 'node:fs'

export const crash = (): unknown => window.lab?.node.crash({ nodeId: 1 }) ?? readFileSync
