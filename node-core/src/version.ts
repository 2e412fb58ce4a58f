/**
 * node-core's version, reported in cluster/nodes `extendInfo.version` and by `--version`.
 * Kept equal to package.json's version (a unit test checks), as a constant so the bundle does
 * not need package.json at run time.
 */
export const NODE_CORE_VERSION = '0.1.0'
