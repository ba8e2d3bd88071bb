/** MLflow's error codes that Logbook emits, and the HTTP status each one maps to. */
export const ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  MALFORMED_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  UNAUTHENTICATED: 401,
  CUSTOMER_UNAUTHORIZED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  NOT_FOUND: 404,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERROR_STATUS

/** The one error type of Logbook; serialised as MLflow's `{error_code, message}` envelope. */
export class MlflowError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'MlflowError'
    this.code = code
  }
  get status(): number {
    return ERROR_STATUS[this.code]
  }
  toJSON(): { error_code: ErrorCode; message: string } {
    return { error_code: this.code, message: this.message }
  }
}

/** Shape guard: true for anything carrying an MLflow error code (works across module copies). */
export function isMlflowError(e: unknown): e is MlflowError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as { code: string }).code in ERROR_STATUS &&
    typeof (e as { message?: unknown }).message === 'string'
  )
}

/** 400 INVALID_PARAMETER_VALUE, the error of nearly every user mistake. */
export function invalidParam(message: string): MlflowError {
  return new MlflowError('INVALID_PARAMETER_VALUE', message)
}

/** 404 RESOURCE_DOES_NOT_EXIST. */
export function notFound(message: string): MlflowError {
  return new MlflowError('RESOURCE_DOES_NOT_EXIST', message)
}

/** 400 RESOURCE_ALREADY_EXISTS (MLflow uses 400 here, and clients branch on the code). */
export function alreadyExists(message: string): MlflowError {
  return new MlflowError('RESOURCE_ALREADY_EXISTS', message)
}
