// Fixture: imports Electron. Linted as if it lived in a zone that must not.
import { app } from 'electron'

export const name = app.getName()
