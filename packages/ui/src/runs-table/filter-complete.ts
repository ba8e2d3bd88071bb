import type { ExperimentKeys } from './types.ts'

/** One completion: the text shown and the text that replaces the word at the caret. */
export interface Completion {
  label: string
  insert: string
  detail: string
}

export const ENTITY_PREFIXES = ['metrics.', 'params.', 'tags.', 'attributes.'] as const
export const RUN_ATTRIBUTES = [
  'run_name',
  'status',
  'start_time',
  'end_time',
  'user_id',
  'run_id',
  'artifact_uri',
] as const

const WORD_CHAR = /[^\s()=<>!,']/

/** Where the word at `caret` starts (search back over key characters and backticks). */
export function wordStart(text: string, caret: number): number {
  let i = caret
  while (i > 0 && WORD_CHAR.test(text[i - 1]!)) i--
  return i
}

const needsQuotes = (key: string): boolean => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
const keyText = (key: string): string => (needsQuotes(key) ? `\`${key.replace(/`/g, '``')}\`` : key)

/**
 * Completions for the word at the caret: entity prefixes while no `.` is typed, then the experiment's
 * keys of that entity (quoted with backticks when they are not plain identifiers). At most `limit`.
 */
export function complete(
  text: string,
  caret: number,
  keys: ExperimentKeys,
  limit = 50,
): { start: number; items: Completion[] } {
  const start = wordStart(text, caret)
  const word = text.slice(start, caret)
  // Inside a string literal (odd number of quotes before the word): nothing to complete.
  if ((text.slice(0, start).match(/'/g)?.length ?? 0) % 2 === 1) return { start, items: [] }
  const dot = word.indexOf('.')
  if (dot < 0) {
    if (word === '') return { start, items: [] }
    const lower = word.toLowerCase()
    const items: Completion[] = ENTITY_PREFIXES.filter((p) => p.startsWith(lower)).map((p) => ({
      label: p,
      insert: p,
      detail: 'prefix',
    }))
    if (/^(a|an|and|o|or)$/i.test(word))
      items.push(
        ...['AND', 'OR']
          .filter((w) => w.startsWith(word.toUpperCase()))
          .map((w) => ({ label: w, insert: `${w} `, detail: 'keyword' })),
      )
    return { start, items }
  }
  const prefix = word.slice(0, dot).toLowerCase()
  const partial = word
    .slice(dot + 1)
    .replace(/^`/, '')
    .replace(/`$/, '')
    .toLowerCase()
  const list: readonly string[] =
    prefix === 'metrics' || prefix === 'metric'
      ? (keys.metrics ?? [])
      : prefix === 'params' || prefix === 'param'
        ? (keys.params ?? [])
        : prefix === 'tags' || prefix === 'tag'
          ? (keys.tags ?? [])
          : prefix === 'attributes' ||
              prefix === 'attribute' ||
              prefix === 'attr' ||
              prefix === 'run'
            ? RUN_ATTRIBUTES
            : []
  const head = word.slice(0, dot + 1)
  const starts = list.filter((k) => k.toLowerCase().startsWith(partial))
  const contains = list.filter(
    (k) => !k.toLowerCase().startsWith(partial) && k.toLowerCase().includes(partial),
  )
  const items = [...starts, ...contains]
    .slice(0, limit)
    .map((k) => ({ label: `${head}${k}`, insert: `${head}${keyText(k)}`, detail: prefix }))
  // The word is already complete: nothing to offer.
  if (items.length === 1 && items[0]!.insert === word) return { start, items: [] }
  return { start, items }
}
