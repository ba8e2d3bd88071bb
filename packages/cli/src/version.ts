/** Logbook's version, reported by `logbook --version` and GET /version. */
export const VERSION = '0.1.0'
