/** The lab's version; a unit test keeps it equal to package.json's. */
export const LAB_VERSION = '0.1.0'
