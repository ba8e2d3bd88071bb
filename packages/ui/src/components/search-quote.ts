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

/** The filter for a name search box: `name ILIKE '%text%'`, or none when the box is empty. */
export function nameFilter(text: string): string | undefined {
  const t = text.trim()
  return t ? `name ILIKE ${quoteString(`%${t}%`)}` : undefined
}
