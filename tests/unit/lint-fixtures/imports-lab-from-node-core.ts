// Fixture: node-core reaching into the lab engine and the Electron shell.
import { Lab } from '../../electron/lab/lab'
import { boot } from '../../../electron/main/index'

export const parts = [Lab, boot]
