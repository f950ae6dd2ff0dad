/** Error classes shared by every layer. Messages follow one rule: what is wrong, the quoted value, where, what was expected. */

export type ErrorCode =
  | 'INVALID_CODE'
  | 'UNKNOWN_CODE'
  | 'NOT_REPORTABLE'
  | 'BAD_FILE'
  | 'BAD_DATA'
  | 'MISSING_FILE'
  | 'CHECKSUM_MISMATCH'
  | 'DOWNLOAD_FAILED'
  | 'TOO_LARGE'
  | 'NOT_FOUND'
  | 'USAGE'
  | 'MISSING_COLUMN'
  | 'EMPTY'
  | 'INVALID_SHARE'
  | 'BAD_REQUEST'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'INTERNAL'

/** A Zod-shaped problem report: a code, a one-sentence message and where it is. */
export type Issue = {
  readonly code: string
  readonly message: string
  readonly path: readonly (string | number)[]
  readonly value?: unknown
  readonly expected?: string
}

export class AppError extends Error {
  override name = 'AppError'
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** Bad input from a user: a code, an argument, a file. */
export class InputError extends AppError {
  override name = 'InputError'
  readonly issues: readonly Issue[]
  constructor(
    code: ErrorCode,
    message: string,
    issues: readonly Issue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options)
    this.issues = issues
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError'
  readonly suggestions: readonly string[]
  constructor(message: string, suggestions: readonly string[] = []) {
    super('NOT_FOUND', message)
    this.suggestions = suggestions
  }
}

/** A reference data file is missing, malformed or not the file the manifest describes. */
export class DataError extends AppError {
  override name = 'DataError'
  readonly file: string
  constructor(code: ErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(code, `${file}: ${message}`, options)
    this.file = file
  }
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issue: Issue }
