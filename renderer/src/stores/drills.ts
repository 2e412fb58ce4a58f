/** The drills view's state (being built: see issue 6). Subscribes to the feed in init(). */
import { defineStore } from 'pinia'

export const useDrillsStore = defineStore('drills', () => {
  let initialized = false
  function init(): void {
    if (initialized) return
    initialized = true
  }
  return { init }
})
