/** Quoting for MLflow's search grammar: strings in single quotes (doubled to escape), keys in backticks. */

/** `it's` -> `'it''s'` */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** A key as `prefix.key`, backtick-quoted when it is not a plain identifier (`metrics.\`val loss\``). */
export function quoteKey(prefix: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)
    ? `${prefix}.${key}`
    : `${prefix}.\`${key.replace(/`/g, '``')}\``
}
