/**
 * The routes touching wage records: ingest, submissions, the statistics, tokens and the audit log.
 * Every one needs a bearer token with a role; every read of a report is written to the audit log.
 * No state is kept in the process: all of it is in the store, so processes can share a database.
 */
import type { Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Coder } from '../core/coder/coder.ts'
import type { Level } from '../core/codes.ts'
import { LEVELS } from '../core/codes.ts'
import { followUpQuarters, programOutcomes, residencyReport } from '../core/outcomes.ts'
import {
  formatQuarter,
  occupationReport,
  parsePeriod,
  parseQuarter,
  topOccupations,
  yearQuarters,
} from '../core/stats.ts'
import type { SuppressionRule } from '../core/suppress.ts'
import { DEFAULT_SUPPRESSION_RULE } from '../core/suppress.ts'
import type { Taxonomy } from '../core/taxonomy.ts'
import { programsCsv, residencyCsv, tableCsv } from '../ingest/stats-csv.ts'
import { prepareSubmission, readIdentifiers, readParticipants } from '../ingest/submission.ts'
import { parseLayout } from '../ingest/wage-file.ts'
import type { Role, Store, TokenRecord } from '../store/store.ts'
import { ingestInput, ROLES } from '../store/store.ts'
import { hashToken, newToken } from '../store/tokens.ts'
import { HttpError } from './http-errors.ts'

export type StatsRouteOptions = {
  readonly taxonomy: Taxonomy
  readonly coder: Coder
  readonly store: Store
  /** the confidentiality rule, set by the operator (never by a request) */
  readonly rule?: SuppressionRule | undefined
  readonly maxUploadBytes: number
  readonly tooLarge: (c: Context) => Response
}

const READERS: readonly Role[] = ['analyst', 'admin']

export function registerStatsRoutes(app: Hono, o: StatsRouteOptions): void {
  const { taxonomy: t, store } = o
  const rule = o.rule ?? DEFAULT_SUPPRESSION_RULE
  const upload = bodyLimit({ maxSize: o.maxUploadBytes, onError: o.tooLarge })

  /** The token's record, or 401; 403 when its role is not among `roles`. */
  async function authorize(c: Context, roles: readonly Role[]): Promise<TokenRecord> {
    const header = c.req.header('authorization') ?? ''
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
    const token = m ? await store.findToken(hashToken(m[1] as string)) : null
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer')
      throw new HttpError(
        401,
        'UNAUTHORIZED',
        'a valid bearer token is required: send "Authorization: Bearer <token>"',
      )
    }
    if (!roles.includes(token.role))
      throw new HttpError(
        403,
        'FORBIDDEN',
        `this token's role (${token.role}) may not do this: it needs one of ${roles.join(', ')}`,
      )
    return token
  }
  const actor = (tk: TokenRecord) => `token:${tk.id}:${tk.label}`

  app.post('/api/ingest', upload, async (c) => {
    const tk = await authorize(c, ['employer', 'admin'])
    const account = requiredParam(c, 'account', 'an employer account number')
    if (tk.role === 'employer' && tk.account !== account)
      throw new HttpError(
        403,
        'FORBIDDEN',
        "an employer token may only send its own account's files",
      )
    const quarter = quarterParam(c)
    const force = c.req.query('force') === 'true' || c.req.query('force') === '1'
    if (force && tk.role !== 'admin')
      throw new HttpError(403, 'FORBIDDEN', 'only an admin may force a file with errors')
    const layoutText = c.req.query('layout')
    const layout = layoutText ? parseLayout(layoutText) : undefined
    const bytes = await requiredBody(c, 'the wage file')
    const p = await prepareSubmission(bytes, {
      taxonomy: t,
      coder: o.coder,
      secret: await store.secret('person-key'),
      layout,
      industry: c.req.query('industry') || undefined,
    })
    if (p.errors > 0 && !force)
      throw new HttpError(
        422,
        'FILE_HAS_ERRORS',
        `the file has ${p.errors} errors and was not stored: correct it (see the issues, or POST /api/reports/check), or have an admin force it`,
        p.issues,
      )
    const name = c.req.query('name') ?? `${account}-${formatQuarter(quarter)}`
    const r = await store.ingest(
      ingestInput(p, {
        account,
        quarter,
        fileName: name.slice(0, 200),
        forced: force,
        actor: actor(tk),
      }),
    )
    await store.audit(
      actor(tk),
      `ingest ${r.status}`,
      `account ${account} quarter ${formatQuarter(quarter)} submission ${r.submission.id}`,
    )
    return c.json({ ...r, skipped: p.skipped, errors: p.errors, warnings: p.warnings })
  })

  app.get('/api/submissions', async (c) => {
    const tk = await authorize(c, ['employer', 'analyst', 'admin'])
    const asked = c.req.query('account')
    if (tk.role === 'employer' && asked !== undefined && asked !== tk.account)
      throw new HttpError(
        403,
        'FORBIDDEN',
        "an employer token may only see its own account's files",
      )
    const account = tk.role === 'employer' ? (tk.account ?? '') : asked
    const q = c.req.query('quarter')
    const list = await store.submissions({
      account,
      quarter: q ? parseQuarter(q) : undefined,
      history: c.req.query('history') === 'true' || c.req.query('history') === '1',
    })
    await store.audit(actor(tk), 'read submissions', account ? `account ${account}` : 'all')
    return c.json({
      submissions: list.map((s) => ({ ...s, quarter: formatQuarter(s.quarter) })),
    })
  })

  app.get('/api/stats/quarters', async (c) => {
    await authorize(c, READERS)
    return c.json({ quarters: (await store.quarters()).map(formatQuarter) })
  })

  app.get('/api/stats/occupations', async (c) => {
    const tk = await authorize(c, READERS)
    const period = parsePeriod(requiredParam(c, 'period', 'a year (2024) or a quarter (2024Q1)'))
    const options = tableOptions(c)
    const top = intParam(c, 'top', 1, 1000)
    const compare = c.req.query('compare') === 'true' || c.req.query('compare') === '1'
    const { table, compareTo, change } = await occupationReport(
      (q) => store.quarterData(q),
      period,
      t,
      { ...options, rule },
      compare,
    )
    await store.audit(actor(tk), 'read stats/occupations', new URL(c.req.url).search)
    if (c.req.query('format') === 'csv')
      return csv(c, `occupations-${period.label}.csv`, tableCsv(table))
    return c.json({
      ...table,
      top: top === null ? null : topOccupations(table, top),
      compareTo,
      change,
    })
  })

  app.post('/api/stats/residency', upload, async (c) => {
    const tk = await authorize(c, READERS)
    const period = parsePeriod(requiredParam(c, 'period', 'a year (2024) or a quarter (2024Q1)'))
    const options = tableOptions(c)
    const bytes = await requiredBody(c, 'the list of resident SSNs, one per line')
    const list = readIdentifiers(bytes, await store.secret('person-key'))
    const report = residencyReport(
      await store.quarterData(yearQuarters(period)),
      period,
      t,
      list.persons,
      {
        ...options,
        rule,
      },
    )
    await store.audit(
      actor(tk),
      'read stats/residency',
      `${new URL(c.req.url).search} residents ${list.persons.size}`,
    )
    if (c.req.query('format') === 'csv') {
      return csv(c, `residency-${period.label}.csv`, residencyCsv(report))
    }
    return c.json({ ...report, unreadLines: list.issues })
  })

  app.post('/api/stats/programs', upload, async (c) => {
    const tk = await authorize(c, READERS)
    const level = levelParam(c) ?? 'detailed'
    const bytes = await requiredBody(c, 'the participants CSV (ssn, cip, exit_date)')
    const { participants, issues } = readParticipants(bytes, await store.secret('person-key'))
    // quarters without records are left out by the store
    const data = await store.quarterData(followUpQuarters(participants))
    const report = programOutcomes(participants, data, t, {
      level,
      rule,
    })
    await store.audit(actor(tk), 'read stats/programs', `participants ${participants.length}`)
    if (c.req.query('format') === 'csv') {
      return csv(c, 'programs.csv', programsCsv(report))
    }
    return c.json({ ...report, unreadRows: issues })
  })

  app.get('/api/tokens', async (c) => {
    const tk = await authorize(c, ['admin'])
    await store.audit(actor(tk), 'read tokens', '')
    return c.json({ tokens: await store.tokens() })
  })

  app.post('/api/tokens', bodyLimit({ maxSize: 16 * 1024, onError: o.tooLarge }), async (c) => {
    const tk = await authorize(c, ['admin'])
    let body: { role?: unknown; account?: unknown; label?: unknown }
    try {
      body = (await c.req.json()) as typeof body
    } catch {
      throw new HttpError(
        400,
        'BAD_REQUEST',
        'the body is not JSON: expected {"role", "label", "account"?}',
      )
    }
    const role = body?.role
    if (typeof role !== 'string' || !ROLES.includes(role as Role))
      throw new HttpError(
        400,
        'BAD_REQUEST',
        `invalid role ${JSON.stringify(role)}; expected one of: ${ROLES.join(', ')}`,
      )
    const account =
      typeof body.account === 'string' && body.account.trim() ? body.account.trim() : null
    if (role === 'employer' && !account)
      throw new HttpError(
        400,
        'BAD_REQUEST',
        'an employer token needs the "account" it may send files for',
      )
    const label =
      typeof body.label === 'string' && body.label.trim() ? body.label.trim().slice(0, 100) : role
    const token = newToken()
    const rec = await store.createToken(hashToken(token), role as Role, account, label)
    await store.audit(actor(tk), 'create token', `token ${rec.id} role ${rec.role}`)
    return c.json({ token, ...rec }, 201)
  })

  app.delete('/api/tokens/:id', async (c) => {
    const tk = await authorize(c, ['admin'])
    const id = Number(c.req.param('id'))
    if (!Number.isInteger(id) || id < 1)
      throw new HttpError(
        400,
        'BAD_REQUEST',
        `invalid token id ${JSON.stringify(c.req.param('id'))}: expected a positive integer`,
      )
    const ok = await store.revokeToken(id)
    if (!ok) throw new HttpError(404, 'NOT_FOUND', `no live token ${id}`)
    await store.audit(actor(tk), 'revoke token', `token ${id}`)
    return c.json({ revoked: id })
  })

  app.get('/api/audit', async (c) => {
    const tk = await authorize(c, ['admin'])
    const limit = intParam(c, 'limit', 1, 10000) ?? 100
    const log = await store.auditLog(limit)
    await store.audit(actor(tk), 'read audit', '')
    return c.json({ audit: log })
  })
}

/** The request's body, or 400 naming what to send. */
async function requiredBody(c: Context, what: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.length === 0)
    throw new HttpError(400, 'EMPTY', `the request body is empty: send ${what}`)
  return bytes
}

function requiredParam(c: Context, name: string, expected: string): string {
  const v = c.req.query(name)
  if (v === undefined || v.trim() === '')
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `missing query parameter "${name}": expected ${expected}`,
    )
  return v.trim()
}

function quarterParam(c: Context): number {
  return parseQuarter(requiredParam(c, 'quarter', 'a quarter such as 2024Q1'))
}

function levelParam(c: Context): Level | undefined {
  const v = c.req.query('level')
  if (v === undefined || v === '') return undefined
  if (!LEVELS.includes(v as Level))
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `invalid level ${JSON.stringify(v)}; expected one of: ${LEVELS.join(', ')}`,
    )
  return v as Level
}

function tableOptions(c: Context): {
  level: Level
  byArea: boolean
  within?: string
  area?: string
} {
  const by = c.req.query('by')
  if (by !== undefined && by !== '' && by !== 'area' && by !== 'state')
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `invalid by ${JSON.stringify(by)}; expected one of: area, state`,
    )
  const area = c.req.query('area')
  if (area !== undefined && area !== '' && !/^\d{2}$/.test(area))
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `invalid area ${JSON.stringify(area)}: expected two digits`,
    )
  const within = c.req.query('within')
  return {
    level: levelParam(c) ?? 'major',
    byArea: by === 'area',
    ...(within ? { within } : {}),
    ...(area ? { area } : {}),
  }
}

function intParam(c: Context, name: string, min: number, max: number): number | null {
  const v = c.req.query(name)
  if (v === undefined || v === '') return null
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `invalid ${name} ${JSON.stringify(v)}: expected an integer from ${min} to ${max}`,
    )
  return n
}

function csv(c: Context, name: string, text: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${name}"`)
  return c.body(text)
}
