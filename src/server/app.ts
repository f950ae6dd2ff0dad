/**
 * The HTTP API and the web app, one Hono app. createApp takes its dependencies, so tests and the CLI
 * build it the same way; it keeps no state but the rate limiter's counters.
 */
import { serveStatic } from '@hono/node-server/serve-static'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { checkCode, type Verdict } from '../core/check-code.ts'
import type { CodeQuery, Coder } from '../core/coder/coder.ts'
import { describeEntry } from '../core/describe.ts'
import { InputError, NotFoundError } from '../core/errors.ts'
import {
  CODING_RULES,
  decideActivities,
  decideLastJob,
  decideSupervisor,
  type RuleDecision,
} from '../core/rules.ts'
import type { SuppressionRule } from '../core/suppress.ts'
import type { Taxonomy } from '../core/taxonomy.ts'
import type { ReportIssue } from '../core/wage-report.ts'
import { parseWages } from '../core/wage-report.ts'
import { batchQuery, findColumns, parseCsvLine } from '../ingest/batch.ts'
import { checkWageStream, parseFix } from '../ingest/wage-check.ts'
import { parseLayout } from '../ingest/wage-file.ts'
import type { Store } from '../store/store.ts'
import { errorBody, HttpError, onError } from './http-errors.ts'
import { openApiDocument } from './openapi.ts'
import { createRateLimiter } from './rate-limit.ts'
import { registerStatsRoutes } from './stats-routes.ts'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
export const MAX_BATCH_TITLES = 10_000

export type AppOptions = {
  readonly taxonomy: Taxonomy
  readonly coder: Coder
  /** the built web app (dist/web); no static files when absent */
  readonly webRoot?: string | undefined
  /** requests per client per minute on /api (default 600; 0 turns the limit off) */
  readonly rateLimit?: number
  /** where access and error lines go (default: stderr) */
  readonly log?: ((line: string) => void) | undefined
  /** origins allowed by CORS (default none: CORS off) */
  readonly corsOrigins?: readonly string[]
  /** the wage-record store; without it the routes that need one answer 503 */
  readonly store?: Store | undefined
  /** the confidentiality rule of published statistics (default 3 employers, 50%) */
  readonly rule?: SuppressionRule | undefined
}

export function createApp(options: AppOptions): Hono {
  const { taxonomy: t, coder } = options
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const app = new Hono()
  const described = new Map<string, string>()

  // access log: method, path (no query string: it may carry what a user typed), status, time
  app.use('*', async (c, next) => {
    const t0 = performance.now()
    await next()
    log(
      `${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${Math.round(performance.now() - t0)}ms`,
    )
  })
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  )
  const limit = options.rateLimit ?? 600
  if (limit > 0) {
    const limiter = createRateLimiter({ perMinute: limit })
    app.use('/api/*', async (c, next) => {
      const client = clientAddress(c.env)
      const wait = limiter.take(client)
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)))
        throw new HttpError(
          429,
          'RATE_LIMITED',
          `too many requests from this client: try again in ${Math.ceil(wait / 1000)} s`,
        )
      }
      await next()
    })
  }
  const origins = options.corsOrigins ?? []
  if (origins.length > 0) {
    app.use('/api/*', async (c, next) => {
      await next()
      const origin = c.req.header('origin')
      if (origin && origins.includes(origin)) c.header('Access-Control-Allow-Origin', origin)
    })
  }
  app.onError(onError(log))

  app.get('/api/openapi.json', (c) => c.json(openApiDocument()))

  app.get('/api/groups', (c) =>
    c.json({
      groups: t.majorGroups().map((g) => ({
        code: g.code,
        title: g.title,
        counts: countUnder(t, g.code),
      })),
    }),
  )

  app.get('/api/groups/:code', (c) => {
    const code = pathParam(c, 'code')
    const g = t.get(code)
    if (!g || g.level === 'detailed' || g.level === 'extension') {
      throw notAnEntry(t, code, 'a group code such as 11-0000', (v) =>
        g
          ? `${g.code} is a ${g.level} code, not a group: see /api/codes/${g.code}`
          : `no group ${JSON.stringify(code)}: ${v.message}`,
      )
    }
    const entries = t.groupEntries(g.code).map((e) => {
      const broad = t.ancestors(e.code).find((a) => a.level === 'broad')
      return {
        code: e.code,
        level: e.level,
        title: e.stateTitle ?? e.title,
        broadGroup: broad ? { code: broad.code, title: e.stateBroadGroup ?? broad.title } : null,
        description: e.stateDescription ?? e.definition,
        descriptionSource: e.stateDescription ? 'state' : 'bls',
        examples: e.examples,
        alaska: e.alaska ? { status: e.alaska.status, successors: e.alaska.successors } : null,
      }
    })
    return c.json({
      group: { code: g.code, level: g.level, title: g.title },
      breadcrumb: t
        .ancestors(g.code)
        .map((a) => ({ code: a.code, level: a.level, title: a.title })),
      tree: t.tree(g.code),
      entries,
    })
  })

  app.get('/api/codes/:code', (c) => {
    const code = pathParam(c, 'code')
    const e = t.get(code)
    if (!e) throw notAnEntry(t, code, 'NN-NNNN or NN-NNNN.NN', (v) => v.message)
    // the classification does not change while the process runs: describe each code once
    let body = described.get(e.code)
    if (body === undefined) {
      body = JSON.stringify(describeEntry(t, e))
      described.set(e.code, body)
    }
    return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' })
  })

  app.get('/api/check/:code', (c) => c.json(checkCode(pathParam(c, 'code'), t)))

  app.get('/api/search', (c) => {
    const q = c.req.query('q') ?? ''
    if (q.length > 1000)
      throw badRequest('q', q.slice(0, 40), 'a job title of at most 1,000 characters')
    const k = intParam(c.req.query('k'), 'k', 1, 50, 5)
    const industry = naicsParam(c.req.query('industry'))
    const duties = c.req.query('duties') || undefined
    const r = coder.code({ title: q, industry, duties }, { k })
    // the industry as it was read: its NAICS title (or its nearest parent's)
    const read = industry ? coder.industryTitle(industry) : null
    return c.json({
      query: { q, industry: industry ?? null, industryTitle: read?.title ?? null, k },
      ...r,
    })
  })

  app.post('/api/code', bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: tooLarge }), async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    const text = await c.req.text()
    const queries = parseBatch(type, text)
    if (queries.length > MAX_BATCH_TITLES)
      throw new HttpError(
        413,
        'TOO_LARGE',
        `${queries.length} titles: at most ${MAX_BATCH_TITLES} per request`,
      )
    const k = intParam(c.req.query('k'), 'k', 1, 50, 5)
    // the employer's industry, for the records that give none
    const industry = naicsParam(c.req.query('industry'))
    // coded in slices, letting other requests in between: a batch of 10,000 takes about a second
    const results: unknown[] = []
    for (let i = 0; i < queries.length; i++) {
      if (i > 0 && i % BATCH_SLICE === 0) await new Promise((ok) => setImmediate(ok))
      const q = queries[i] as CodeQuery | string
      results.push(
        typeof q === 'string'
          ? { index: i, status: 'error', error: q, candidates: [] }
          : {
              index: i,
              input: q,
              ...coder.code({ ...q, industry: q.industry ?? industry }, { k }),
            },
      )
    }
    return c.json({ count: results.length, results })
  })

  app.post(
    '/api/reports/check',
    bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: tooLarge }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      if (!['text/csv', 'text/plain', 'application/octet-stream'].includes(type))
        throw new HttpError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `content type ${JSON.stringify(type)}: expected one of: text/csv, text/plain, application/octet-stream (the file as it is)`,
        )
      const q = (name: string) => c.req.query(name) || undefined
      const industry = naicsParam(q('industry'))
      const fix = parseFix(q('fix'))
      const layout = q('layout') ? parseLayout(q('layout') as string) : undefined
      const total = q('total')
      const declared = total === undefined ? null : parseWages(total)
      if (declared && !declared.ok) throw badRequest('total', total as string, 'an amount')
      const body = Buffer.from(await c.req.arrayBuffer())
      const issues: ReportIssue[] = []
      const corrected: string[] = []
      const lineRows: number[] = []
      const result = await checkWageStream(
        (async function* () {
          yield body
        })(),
        {
          taxonomy: t,
          coder,
          layout,
          industry,
          declaredCents: declared?.ok ? declared.cents : null,
          fix,
        },
        {
          issue: (i) => issues.push(i),
          line: (l, row) => {
            corrected.push(l)
            lineRows.push(row)
          },
        },
      )
      const byKind: Record<string, number> = {}
      for (const i of issues) byKind[i.kind] = (byKind[i.kind] ?? 0) + 1
      return c.json({
        rows: result.rows,
        issues: issues.map(({ row, column, kind, severity, message, suggestion }) => ({
          row,
          column,
          kind,
          severity,
          message,
          suggestion,
        })),
        summary: {
          rows: result.rows,
          errors: issues.filter((i) => i.severity === 'error').length,
          warnings: issues.filter((i) => i.severity === 'warning').length,
          wages: Number((result.cents / 100).toFixed(2)),
          byKind,
          rowsChanged: result.fixed,
        },
        corrected: corrected.join(''),
        /** the corrected file's lines with the input row each came from */
        lines: corrected.map((text, i) => ({ row: lineRows[i], text: text.replace(/\n$/, '') })),
      })
    },
  )

  if (options.store)
    registerStatsRoutes(app, {
      taxonomy: t,
      coder,
      store: options.store,
      rule: options.rule,
      maxUploadBytes: MAX_UPLOAD_BYTES,
      tooLarge,
    })
  else
    for (const path of [
      '/api/ingest',
      '/api/submissions',
      '/api/stats/*',
      '/api/tokens',
      '/api/audit',
    ])
      app.all(path, () => {
        throw new HttpError(
          503,
          'NO_STORE',
          'this server has no wage-record store: start it with --db or DATABASE_URL',
        )
      })

  app.get('/api/rules', (c) => c.json({ rules: CODING_RULES }))

  app.post('/api/rules/decide', bodyLimit({ maxSize: 64 * 1024, onError: tooLarge }), async (c) => {
    const body = await jsonBody(c.req.header('content-type'), () => c.req.text())
    return c.json(decide(t, coder, body))
  })

  app.all('/api/*', (c) =>
    c.json(
      errorBody(
        'NOT_FOUND',
        `no API route ${c.req.method} ${new URL(c.req.url).pathname}: see /api/openapi.json`,
      ),
      404,
    ),
  )

  if (options.webRoot) {
    const root = options.webRoot
    app.use('/*', serveStatic({ root }))
    app.get('/', serveStatic({ root, path: 'index.html' }))
  }
  app.notFound((c) =>
    c.json(errorBody('NOT_FOUND', `nothing at ${new URL(c.req.url).pathname}`), 404),
  )
  return app
}

/**
 * The error for a code that names no entry: a code that cannot be one (wrong digits, letters) is
 * malformed input (400); a well-formed code that does not exist is not found (404, nearest codes).
 */
function notAnEntry(
  t: Taxonomy,
  code: string,
  expected: string,
  notFoundMessage: (v: Verdict) => string,
): InputError | NotFoundError {
  const v = checkCode(code, t)
  if (v.kind === 'malformed' || v.kind === 'empty')
    return new InputError('INVALID_CODE', v.message, [
      { code: 'INVALID_CODE', message: v.message, path: ['code'], value: code, expected },
    ])
  return new NotFoundError(
    notFoundMessage(v),
    v.suggestions.map((s) => s.code),
  )
}

/** A path parameter, decoded; a percent-encoding that is not UTF-8 is a 400, never a 500. */
function pathParam(c: Context, name: string): string {
  const raw = new URL(c.req.url).pathname.split('/').pop() ?? ''
  try {
    decodeURIComponent(raw)
  } catch {
    throw new InputError(
      'BAD_REQUEST',
      `the ${name} in the path (${JSON.stringify(raw.slice(0, 40))}) is not valid percent-encoded UTF-8`,
      [
        {
          code: 'BAD_REQUEST',
          message: 'invalid percent-encoding',
          path: [name],
          value: raw.slice(0, 40),
        },
      ],
    )
  }
  return c.req.param(name) ?? ''
}

function tooLarge(c: Context): Response {
  return c.json(
    errorBody(
      'TOO_LARGE',
      `the request body is over the limit of ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
    ),
    413,
  )
}

function badRequest(param: string, value: string, expected: string): InputError {
  return new InputError(
    'BAD_REQUEST',
    `invalid ${param} ${JSON.stringify(value)}: expected ${expected}`,
    [{ code: 'BAD_REQUEST', message: `invalid ${param}`, path: [param], value, expected }],
  )
}

function intParam(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  dflt: number,
): number {
  if (text === undefined || text === '') return dflt
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max)
    throw badRequest(name, text, `a whole number from ${min} to ${max}`)
  return n
}

function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming
  return incoming?.socket?.remoteAddress ?? 'local'
}

function countUnder(t: Taxonomy, code: string): Record<string, number> {
  const counts: Record<string, number> = { minor: 0, broad: 0, detailed: 0, extension: 0 }
  const walk = (c: string) => {
    for (const k of t.children(c)) {
      counts[k.level] = (counts[k.level] ?? 0) + 1
      walk(k.code)
    }
  }
  walk(code)
  return counts
}

async function jsonBody(type: string | undefined, read: () => Promise<string>): Promise<unknown> {
  const ct = (type ?? '').split(';')[0]?.trim().toLowerCase()
  if (ct !== 'application/json')
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `content type ${JSON.stringify(ct ?? '')}: expected application/json`,
    )
  const text = await read()
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new InputError(
      'BAD_REQUEST',
      `the body is not valid JSON (${(err as Error).message})`,
      [],
    )
  }
}

/** titles a batch codes before letting other requests in (about 15 ms of work) */
const BATCH_SLICE = 250

/** An optional NAICS code parameter: absent or empty is none; anything else must be 2-6 digits. */
function naicsParam(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  if (!/^\d{2,6}$/.test(value)) throw badRequest('industry', value, 'a NAICS code of 2 to 6 digits')
  return value
}

/** A batch body as queries; a record that cannot be read becomes its error message. */
export function parseBatch(type: string, text: string): (CodeQuery | string)[] {
  if (type === 'application/json') {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      throw new InputError(
        'BAD_REQUEST',
        `the body is not valid JSON (${(err as Error).message})`,
        [],
      )
    }
    if (!Array.isArray(value))
      throw new InputError(
        'BAD_REQUEST',
        'expected a JSON array of titles or {"title", "industry", "duties"} objects',
        [],
      )
    return value.map((v, i) => queryOf(v, `item ${i}`))
  }
  if (
    type === 'application/x-ndjson' ||
    type === 'application/jsonl' ||
    type === 'application/json-lines'
  ) {
    return bodyLines(text).map((l, i) => {
      if (l.trim() === '') return { title: '' }
      try {
        return queryOf(JSON.parse(l), `line ${i + 1}`)
      } catch (err) {
        return `line ${i + 1}: invalid JSON (${(err as Error).message})`
      }
    })
  }
  if (type === 'text/csv') return parseCsvBatch(text)
  if (type === 'text/plain') {
    // one title a line; a blank line is still a record (coded as empty)
    return bodyLines(text.replace(/^\uFEFF/, '')).map((title) => ({ title }))
  }
  throw new HttpError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `content type ${JSON.stringify(type)}: expected one of: application/json, application/x-ndjson, text/csv, text/plain`,
  )
}

function queryOf(v: unknown, where: string): CodeQuery | string {
  const q = batchQuery(v)
  return typeof q === 'string' ? `${where}: ${q}` : q
}

/** A body's lines: one a record, none after a final newline. */
function bodyLines(text: string): string[] {
  const lines = text.split(/\r?\n/)
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function parseCsvBatch(text: string): (CodeQuery | string)[] {
  const lines = bodyLines(text.replace(/^\uFEFF/, ''))
  const header = parseCsvLine(lines.shift() ?? '')
  const { title: ti, industry: ii, duties: di } = findColumns(header)
  if (ti < 0)
    throw new InputError(
      'MISSING_COLUMN',
      `no title column in the CSV header (${header.map((h) => JSON.stringify(h.trim().toLowerCase())).join(', ')}): expected one named title or job title`,
      [
        {
          code: 'MISSING_COLUMN',
          message: 'no title column',
          path: [1],
          expected: 'a title column',
        },
      ],
    )
  return lines.map((l, i) => {
    try {
      const cells = parseCsvLine(l)
      return {
        title: cells[ti] ?? '',
        industry: ii >= 0 ? cells[ii] || undefined : undefined,
        duties: di >= 0 ? cells[di] : undefined,
      }
    } catch (err) {
      return `line ${i + 2}: ${(err as Error).message}`
    }
  })
}

type DecideBody = {
  activities?: { code?: string; title?: string; share?: number }[]
  jobs?: { code?: string; title?: string }[]
  supervisor?: {
    supervisorCode?: string
    staffCode?: string
    staffTitle?: string
    staffWorkShare?: number
  }
}

/** The rules helper: activities, jobs in a quarter, or a supervisor's split; titles are coded first. */
function decide(
  t: Taxonomy,
  coder: Coder,
  body: unknown,
): { decision: RuleDecision; resolved: unknown[] } {
  if (typeof body !== 'object' || body === null)
    throw new InputError('BAD_REQUEST', 'expected a JSON object', [])
  const b = body as DecideBody
  const resolved: unknown[] = []
  const codeOf = (
    x: { code?: string | undefined; title?: string | undefined },
    where: string,
  ): string => {
    if (typeof x.code === 'string' && x.code.trim()) {
      const e = t.get(x.code.trim())
      if (!e)
        throw new InputError('UNKNOWN_CODE', `${where}: no code ${JSON.stringify(x.code)}`, [])
      return e.code
    }
    if (typeof x.title === 'string' && x.title.trim()) {
      const r = coder.code(x.title, { k: 1 })
      const top = r.candidates[0]
      if (!top)
        throw new InputError(
          'BAD_REQUEST',
          `${where}: cannot code the title ${JSON.stringify(x.title)}`,
          [],
        )
      resolved.push({
        where,
        title: x.title,
        code: top.code,
        codeTitle: top.title,
        confidence: top.confidence,
      })
      return top.code
    }
    throw new InputError('BAD_REQUEST', `${where}: give a code or a title`, [])
  }
  if (Array.isArray(b.activities)) {
    const acts = b.activities.map((a, i) => ({
      code: codeOf(a, `activity ${i + 1}`),
      share: Number(a.share ?? 0),
    }))
    return { decision: decideActivities(t, acts), resolved }
  }
  if (Array.isArray(b.jobs)) {
    return {
      decision: decideLastJob(
        t,
        b.jobs.map((j, i) => codeOf(j, `job ${i + 1}`)),
      ),
      resolved,
    }
  }
  if (b.supervisor) {
    const s = b.supervisor
    const sup = codeOf({ code: s.supervisorCode }, 'supervisor')
    const staff = codeOf({ code: s.staffCode, title: s.staffTitle }, 'staff')
    return { decision: decideSupervisor(t, sup, staff, Number(s.staffWorkShare)), resolved }
  }
  throw new InputError('BAD_REQUEST', 'expected "activities", "jobs" or "supervisor"', [])
}
