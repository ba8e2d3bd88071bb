import { z } from 'zod'
import { decodeDouble } from './wire.ts'
import { RUN_STATUSES, VIEW_TYPES } from './entities.ts'

/** A required, non-empty string (MLflow treats "" like a missing value). */
export const reqString = z.string().min(1)
/** An optional string. */
export const optString = z.string().optional()

/** int64: a JSON integer or a numeric string (Java and Go protobuf clients send strings). */
export const int64 = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/)])
  .transform((v) => Number(v))
  .refine((v) => Number.isSafeInteger(v))

/** double: a number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
export const double = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const d = decodeDouble(v)
    if (d === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a double', input: v })
      return z.NEVER
    }
    return d
  })

/** Enum given by name or by its proto number (1-based, as in MLflow's protos). */
function protoEnum<T extends readonly [string, ...string[]]>(names: T) {
  return z.union([z.enum(names), z.number().int()]).transform((v, ctx) => {
    if (typeof v === 'string') return v
    const name = names[v - 1]
    if (name === undefined) {
      ctx.addIssue({ code: 'custom', message: 'unknown enum value', input: v })
      return z.NEVER
    }
    return name
  }) as unknown as z.ZodType<T[number], unknown>
}

export const runStatus = protoEnum(RUN_STATUSES)
export const viewType = protoEnum(VIEW_TYPES)

/** Boolean as JSON or as the strings True/False that GET query strings carry. */
export const bool = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((v) => v.toLowerCase() === 'true'),
])

/** A key/value pair whose value may be absent (MLflow stores that as ""). */
export const keyValue = z.object({ key: z.string(), value: z.string().nullish() })

/** A repeated field: an array, or one value (a GET query string with one repeat). */
export function repeated<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item))
}
