/** One error envelope for the API: {"error": {"code", "message", "issues"}}; never a stack trace. */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { AppError, InputError, NotFoundError } from '../core/errors.ts'

export type ErrorBody = {
  readonly error: {
    readonly code: string
    readonly message: string
    readonly issues: readonly unknown[]
  }
}

export function errorBody(
  code: string,
  message: string,
  issues: readonly unknown[] = [],
): ErrorBody {
  return { error: { code, message, issues } }
}

/** An error with its HTTP status, thrown by handlers for 413/415/429 and the like. */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 422 | 429 | 503
  readonly code: string
  readonly issues: readonly unknown[]
  constructor(
    status: 400 | 401 | 403 | 404 | 413 | 415 | 422 | 429 | 503,
    code: string,
    message: string,
    issues: readonly unknown[] = [],
  ) {
    super(message)
    this.status = status
    this.code = code
    this.issues = issues
  }
}

export function onError(log: (line: string) => void) {
  return (err: Error, c: Context): Response => {
    if (err instanceof HttpError)
      return c.json(errorBody(err.code, err.message, err.issues), err.status)
    if (err instanceof NotFoundError)
      return c.json(errorBody(err.code, err.message, notFoundIssues(err)), 404)
    if (err instanceof InputError) return c.json(errorBody(err.code, err.message, err.issues), 400)
    if (err instanceof AppError) return c.json(errorBody(err.code, err.message), 400)
    if (err instanceof HTTPException) {
      const status = err.status
      const code =
        status === 413 ? 'TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST'
      return c.json(errorBody(code, err.message || `HTTP ${status}`), status)
    }
    log(
      `internal error on ${c.req.method} ${new URL(c.req.url).pathname}: ${err.stack ?? String(err)}`,
    )
    return c.json(errorBody('INTERNAL', 'internal error'), 500)
  }
}

function notFoundIssues(err: NotFoundError): unknown[] {
  return err.suggestions.length
    ? [
        {
          code: 'NEAREST_CODES',
          message: 'nearest codes',
          path: [],
          expected: err.suggestions.join(', '),
          nearest: err.suggestions,
        },
      ]
    : []
}
