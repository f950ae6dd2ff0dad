/**
 * soc stats ... (ingest files, list submissions, the statistics) and soc token ... (bearer tokens).
 * The CLI is the operator's: it opens the store directly (no token) and logs its reads as cli:USER.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { userInfo } from 'node:os'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { loadCoder } from '../../core/coder/open.ts'
import type { Level } from '../../core/codes.ts'
import { LEVELS } from '../../core/codes.ts'
import { InputError } from '../../core/errors.ts'
import { loadTaxonomy } from '../../core/load.ts'
import { followUpQuarters, programOutcomes, residencyReport } from '../../core/outcomes.ts'
import type { StatsTable } from '../../core/stats.ts'
import {
  addQuarters,
  type changeOnYear,
  formatQuarter,
  occupationReport,
  parsePeriod,
  parseQuarter,
  topOccupations,
  yearQuarters,
} from '../../core/stats.ts'
import type { SuppressionRule } from '../../core/suppress.ts'
import { DEFAULT_SUPPRESSION_RULE } from '../../core/suppress.ts'
import { generateWorkforce } from '../../core/synthetic.ts'
import { programsCsv, residencyCsv, tableCsv } from '../../ingest/stats-csv.ts'
import { prepareSubmission, readIdentifiers, readParticipants } from '../../ingest/submission.ts'
import { parseLayout } from '../../ingest/wage-file.ts'
import { describeLocation, openStore } from '../../store/open.ts'
import type { Role, Store } from '../../store/store.ts'
import { ingestInput, ROLES } from '../../store/store.ts'
import { hashToken, newToken } from '../../store/tokens.ts'
import { prepareBuild } from '../context.ts'
import type { Io } from '../io.ts'
import type { ParsedArgs } from '../main.ts'
import { UsageError } from '../main.ts'

/** --db, else DATABASE_URL (PostgreSQL), else SOC_DB, else ./soc-alaska.db (SQLite). */
export function storeLocation(args: { readonly db?: string | undefined }): string {
  return args.db ?? process.env.DATABASE_URL ?? process.env.SOC_DB ?? 'soc-alaska.db'
}

/** The confidentiality rule from --min-employers and --max-share, else the default. */
export function ruleFrom(args: ParsedArgs): SuppressionRule {
  const min =
    args.minEmployers === undefined
      ? DEFAULT_SUPPRESSION_RULE.minEmployers
      : Number(args.minEmployers)
  const share =
    args.maxShare === undefined ? DEFAULT_SUPPRESSION_RULE.maxEmployerShare : Number(args.maxShare)
  if (!Number.isInteger(min) || min < 1)
    throw new UsageError(
      `invalid --min-employers ${JSON.stringify(args.minEmployers)}: expected a whole number, 1 or more`,
    )
  if (!Number.isFinite(share) || share <= 0 || share > 1)
    throw new UsageError(
      `invalid --max-share ${JSON.stringify(args.maxShare)}: expected a share above 0 and at most 1`,
    )
  return { minEmployers: min, maxEmployerShare: share }
}

const actor = () => {
  try {
    return `cli:${userInfo().username}`
  } catch {
    return 'cli'
  }
}

async function withStore<T>(args: ParsedArgs, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openStore(storeLocation(args))
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

function level(args: ParsedArgs, fallback: Level): Level {
  if (args.level === undefined) return fallback
  if (!LEVELS.includes(args.level as Level))
    throw new UsageError(
      `invalid --level ${JSON.stringify(args.level)}; expected one of: ${LEVELS.join(', ')}`,
    )
  return args.level as Level
}

function byArea(args: ParsedArgs): boolean {
  if (args.by === undefined || args.by === 'state') return false
  if (args.by === 'area') return true
  throw new UsageError(`invalid --by ${JSON.stringify(args.by)}; expected one of: area, state`)
}

function required(value: string | undefined, option: string, example: string): string {
  if (value === undefined || value.trim() === '')
    throw new UsageError(`missing --${option}, e.g. --${option} ${example}`)
  return value
}

function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new InputError(
      'BAD_FILE',
      `cannot read the ${what} ${JSON.stringify(file)}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`,
    )
  }
}

export async function runStats(args: ParsedArgs, io: Io): Promise<number> {
  const [sub, ...rest] = args.positionals
  switch (sub) {
    case 'ingest':
      return ingest(rest, args, io)
    case 'submissions':
      return withStore(args, async (store) => {
        const list = await store.submissions({
          account: args.account,
          quarter: args.quarter ? parseQuarter(args.quarter) : undefined,
          history: args.history,
        })
        await store.audit(
          actor(),
          'read submissions',
          args.account ? `account ${args.account}` : 'all',
        )
        if (args.json)
          io.stdout(
            `${JSON.stringify({ submissions: list.map((s) => ({ ...s, quarter: formatQuarter(s.quarter) })) })}\n`,
          )
        else {
          io.stdout(`${list.length} submission${list.length === 1 ? '' : 's'}\n`)
          for (const s of list)
            io.stdout(
              `#${s.id} account ${s.account} ${formatQuarter(s.quarter)} ${s.status}${s.replaces ? ` (replaces #${s.replaces})` : ''}: ${s.storedRows} of ${s.rows} rows, $${(s.cents / 100).toFixed(2)}${s.forced ? `, forced with ${s.errors} errors` : ''}, ${s.receivedAt} by ${s.actor}\n`,
            )
        }
        return 0
      })
    case 'quarters':
      return withStore(args, async (store) => {
        const q = (await store.quarters()).map(formatQuarter)
        io.stdout(
          args.json
            ? `${JSON.stringify({ quarters: q })}\n`
            : `${q.join('\n') || '(no records stored)'}\n`,
        )
        return 0
      })
    case 'occupations':
      return occupations(args, io)
    case 'residency':
      return residency(args, io)
    case 'programs':
      return programs(args, io)
    case 'generate':
      return generate(rest, args, io)
    case 'audit':
      return withStore(args, async (store) => {
        const log = await store.auditLog(Number(args.rows ?? 50))
        if (args.json) io.stdout(`${JSON.stringify({ audit: log })}\n`)
        else for (const e of log) io.stdout(`${e.at} ${e.actor} ${e.action} ${e.detail}\n`)
        return 0
      })
    default:
      throw new UsageError(
        `unknown stats command ${JSON.stringify(sub ?? '')}; expected one of: ingest, submissions, quarters, occupations, residency, programs, audit, generate`,
      )
  }
}

/**
 * A synthetic workforce to try the state's side with: DIR/2024Q1/ACCOUNT.csv per employer and
 * quarter (the state's upload format), DIR/residents.txt (about 77% of the people) and
 * DIR/participants.csv (program participants who left in the quarter before the first).
 */
async function generate(rest: readonly string[], args: ParsedArgs, io: Io): Promise<number> {
  const dir = rest[0]
  if (dir === undefined || rest.length > 1)
    throw new UsageError(
      'stats generate takes one folder, e.g. soc stats generate demo --quarters 2024Q1,2024Q2',
    )
  const quarters = (args.quarter ?? '2024Q1,2024Q2,2024Q3,2024Q4')
    .split(',')
    .map((q) => parseQuarter(q))
  const workers = Number(args.rows ?? 20_000)
  const employers = Number(args.employers ?? Math.max(1, Math.round(workers / 17.5)))
  if (!Number.isInteger(workers) || workers < 1)
    throw new UsageError(
      `invalid --rows ${JSON.stringify(args.rows)}: expected the number of workers each quarter`,
    )
  if (!Number.isInteger(employers) || employers < 1 || employers > workers)
    throw new UsageError(
      `invalid --employers ${JSON.stringify(args.employers)}: expected from 1 to the number of workers`,
    )
  const { mkdirSync, writeFileSync } = await import('node:fs')
  const w = generateWorkforce({ workers, employers, quarters, seed: Number(args.seed ?? 1) })
  let files = 0
  for (const f of w.files) {
    const sub = join(dir, formatQuarter(f.quarter))
    mkdirSync(sub, { recursive: true })
    writeFileSync(join(sub, `${f.account}.csv`), f.text)
    files++
  }
  const residents: string[] = []
  for (let p = 1; p <= w.persons(); p++) if (p % 100 < 77) residents.push(w.ssnOf(p))
  writeFileSync(join(dir, 'residents.txt'), `${residents.join('\n')}\n`)
  const exit = addQuarters(quarters[0] ?? 20241, -1)
  const programs = ['51.3902', '52.0201', '46.0302', '12.0503', '03.0301']
  const participants = ['ssn,cip,exit_date']
  for (let i = 0; i < Math.min(2000, w.persons()); i++)
    participants.push(
      `${w.ssnOf(1 + i * 7)},${programs[i % programs.length]},${formatQuarter(exit)}`,
    )
  writeFileSync(join(dir, 'participants.csv'), `${participants.join('\n')}\n`)
  io.stdout(
    `${files} files (${employers} employers x ${quarters.length} quarters, about ${workers} workers a quarter) in ${dir}; residents.txt, participants.csv\nnext: soc stats ingest ${quarters
      .map((q) => join(dir, formatQuarter(q)))
      .join(' ')}   (each folder is named after its quarter)\n`,
  )
  return 0
}

/** Files or folders of files; the account is --account (one file) or each file's name. */
async function ingest(paths: readonly string[], args: ParsedArgs, io: Io): Promise<number> {
  if (paths.length === 0)
    throw new UsageError(
      'stats ingest takes files or folders, e.g. soc stats ingest wages.csv --account 1234567 --quarter 2024Q1',
    )
  // the quarter: --quarter for every file, else each folder's own name ("2024Q1", as `stats
  // generate` names them)
  const given = args.quarter === undefined ? undefined : parseQuarter(args.quarter)
  const files: { path: string; quarter: number }[] = []
  for (const p of paths) {
    let isDir = false
    try {
      isDir = statSync(p).isDirectory()
    } catch {
      throw new InputError('BAD_FILE', `cannot read ${JSON.stringify(p)}: no such file or folder`)
    }
    const folder = basename(resolve(isDir ? p : dirname(p)))
    const named = /^\d{4}Q[1-4]$/i.test(folder) ? parseQuarter(folder) : undefined
    const quarter = given ?? named
    if (quarter === undefined)
      throw new UsageError(
        `missing --quarter for ${JSON.stringify(p)}, e.g. --quarter 2024Q1 (or a folder named after its quarter, such as 2024Q1)`,
      )
    if (isDir) {
      for (const f of readdirSync(p).sort())
        if (/\.(csv|txt|xlsx)$/i.test(f)) files.push({ path: join(p, f), quarter })
    } else files.push({ path: p, quarter })
  }
  const quarters = [...new Set(files.map((f) => formatQuarter(f.quarter)))].join(', ')
  if (args.account !== undefined && files.length !== 1)
    throw new UsageError(
      '--account names the account of one file; for many files, name each file after its account (1234567.csv)',
    )
  const layout = args.layout ? parseLayout(args.layout) : undefined
  const buildDir = await prepareBuild(args, io)
  const taxonomy = loadTaxonomy(buildDir)
  const coder = loadCoder(buildDir)
  return withStore(args, async (store) => {
    const secret = await store.secret('person-key')
    const who = actor()
    const counts = { stored: 0, replaced: 0, duplicate: 0, refused: 0, rows: 0 }
    const verbose = files.length <= 20
    const t0 = performance.now()
    for (const { path: file, quarter } of files) {
      const account = args.account ?? basename(file, extname(file))
      if (!/^[A-Za-z0-9-]{1,32}$/.test(account)) {
        counts.refused++
        io.stderr(
          `soc: ${file}: account ${JSON.stringify(account)} is not an account number (letters, digits, dashes): name the file after its account\n`,
        )
        continue
      }
      const bytes = readInput(file, 'wage file')
      let p: Awaited<ReturnType<typeof prepareSubmission>>
      try {
        p = await prepareSubmission(bytes, {
          taxonomy,
          coder,
          secret,
          layout,
          industry: args.industry,
        })
      } catch (err) {
        if (!(err instanceof InputError)) throw err
        counts.refused++
        io.stderr(`soc: ${file}: ${err.message}\n`)
        continue
      }
      if (p.errors > 0 && !args.force) {
        counts.refused++
        io.stderr(
          `soc: ${file}: refused, ${p.errors} error${p.errors === 1 ? '' : 's'} (first: ${p.issues[0]?.message ?? '?'}); see soc report check ${file}, or --force\n`,
        )
        continue
      }
      const r = await store.ingest(
        ingestInput(p, {
          account,
          quarter,
          fileName: basename(file),
          forced: args.force && p.errors > 0,
          actor: who,
        }),
      )
      counts[r.status]++
      if (r.status !== 'duplicate') counts.rows += p.records.length
      if (verbose)
        io.stdout(
          r.status === 'duplicate'
            ? `${file}: already stored as #${r.submission.id} (account ${r.submission.account}, ${formatQuarter(r.submission.quarter)}): not counted twice\n`
            : `${file}: ${r.status} as #${r.submission.id}${r.submission.replaces ? ` (replaces #${r.submission.replaces})` : ''}, account ${account} ${formatQuarter(quarter)}: ${p.records.length} of ${p.rows} rows${p.skipped ? ` (${p.skipped} rows without a valid SSN or wages left out)` : ''}\n`,
        )
    }
    await store.audit(
      who,
      'ingest',
      `${files.length} files quarter ${quarters}: ${counts.stored} stored, ${counts.replaced} replaced, ${counts.duplicate} duplicates, ${counts.refused} refused`,
    )
    io.stdout(
      `${describeLocation(storeLocation(args))}: ${counts.stored} stored, ${counts.replaced} replaced, ${counts.duplicate} duplicate${counts.duplicate === 1 ? '' : 's'}, ${counts.refused} refused; ${counts.rows} records in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    )
    return counts.refused > 0 ? 1 : 0
  })
}

async function occupations(args: ParsedArgs, io: Io): Promise<number> {
  const period = parsePeriod(required(args.period, 'period', '2024Q1'))
  const rule = ruleFrom(args)
  const options = {
    level: level(args, 'major'),
    byArea: byArea(args),
    within: args.within,
    area: args.area,
    rule,
  }
  const top = args.top === undefined ? null : Number(args.top)
  if (top !== null && (!Number.isInteger(top) || top < 1))
    throw new UsageError(
      `invalid --top ${JSON.stringify(args.top)}: expected a whole number, 1 or more`,
    )
  const buildDir = await prepareBuild(args, io)
  const taxonomy = loadTaxonomy(buildDir)
  return withStore(args, async (store) => {
    const { table, change } = await occupationReport(
      (q) => store.quarterData(q),
      period,
      taxonomy,
      options,
      args.compare,
    )
    await store.audit(
      actor(),
      'read stats/occupations',
      JSON.stringify({ ...options, period: period.label }),
    )
    const format = args.json ? 'json' : (args.format ?? 'table')
    if (format === 'json')
      io.stdout(
        `${JSON.stringify({ ...table, top: top ? topOccupations(table, top) : null, change })}\n`,
      )
    else if (format === 'csv') io.stdout(tableCsv(table))
    else if (format === 'table') io.stdout(tableText(table, top, change))
    else
      throw new UsageError(
        `invalid --format ${JSON.stringify(format)}; expected one of: table, csv, json`,
      )
    return 0
  })
}

function money(v: number | null): string {
  return v === null ? '(D)' : `$${Math.round(v).toLocaleString('en-US')}`
}
function count(v: number | null): string {
  return v === null ? '(D)' : v.toLocaleString('en-US', { maximumFractionDigits: 1 })
}

/** The readable table: one line per row and area, (D) where suppressed, the rule at the end. */
function tableText(
  t: StatsTable,
  top: number | null,
  change: ReturnType<typeof changeOnYear> | null,
): string {
  const out: string[] = []
  out.push(
    `Occupations, ${t.period} (${t.quarters.join(', ')}), ${t.level} level${t.missingQuarters.length ? `; no records for ${t.missingQuarters.join(', ')}` : ''}`,
  )
  const rows = top ? topOccupations(t, top) : [...t.rows, t.total]
  const delta = new Map((change ?? []).map((c) => [`${c.code}|${c.area}`, c]))
  out.push(
    `${'code'.padEnd(10)} ${'title'.padEnd(44)} ${'area'.padEnd(5)} ${'workers'.padStart(10)} ${'wages'.padStart(16)} ${'median'.padStart(10)}${change ? '  change on the year' : ''}`,
  )
  for (const r of rows)
    r.cells.forEach((c, i) => {
      const area = t.columns[i] ?? 'total'
      if (c.workers === 0 && area !== 'total') return // an empty cell
      const d = delta.get(`${r.code}|${area}`)
      out.push(
        `${(r.code || '-').padEnd(10)} ${r.title.slice(0, 44).padEnd(44)} ${area.padEnd(5)} ${count(c.workers).padStart(10)} ${money(c.wages).padStart(16)} ${(c.workers === 0 ? '-' : money(c.medianWages)).padStart(10)}${d ? `  ${d.workersPct === null ? 'n/a' : `${d.workersPct > 0 ? '+' : ''}${d.workersPct}% workers`}` : ''}`,
      )
    })
  out.push(
    `(D): not disclosed. ${t.suppression.primary} cells suppressed for confidentiality and ${t.suppression.complementary} more so they cannot be derived: ${t.suppression.note}.`,
  )
  return `${out.join('\n')}\n`
}

async function residency(args: ParsedArgs, io: Io): Promise<number> {
  const period = parsePeriod(required(args.period, 'period', '2024'))
  const file = required(args.residents, 'residents', 'pfd-residents.csv')
  const options = {
    level: level(args, 'major'),
    byArea: byArea(args),
    within: args.within,
    rule: ruleFrom(args),
  }
  const buildDir = await prepareBuild(args, io)
  const taxonomy = loadTaxonomy(buildDir)
  return withStore(args, async (store) => {
    const list = readIdentifiers(readInput(file, 'resident list'), await store.secret('person-key'))
    for (const m of list.issues) io.stderr(`soc: ${file}: ${m}\n`)
    const r = residencyReport(
      await store.quarterData(yearQuarters(period)),
      period,
      taxonomy,
      list.persons,
      options,
    )
    await store.audit(
      actor(),
      'read stats/residency',
      `period ${period.label} residents ${list.persons.size}`,
    )
    if (args.json || args.format === 'json') io.stdout(`${JSON.stringify(r)}\n`)
    else if (args.format === 'csv') io.stdout(residencyCsv(r))
    else {
      io.stdout(
        `Nonresident workers, ${r.period}, ${options.level} level (${r.residentsListed.toLocaleString('en-US')} residents listed)\n`,
      )
      for (const x of [...r.rows, ...r.total])
        io.stdout(
          `${(x.code || '-').padEnd(10)} ${x.title.slice(0, 40).padEnd(40)} ${x.area.padEnd(5)} ${count(x.workers).padStart(9)} workers, ${count(x.nonresidents).padStart(9)} nonresident (${x.nonresidentShare === null ? '(D)' : `${Math.round(x.nonresidentShare * 1000) / 10}%`}), wages ${money(x.nonresidentWages)} of ${money(x.wages)}\n`,
        )
      io.stdout(`(D): not disclosed. ${r.suppression.note}.\n`)
    }
    return 0
  })
}

async function programs(args: ParsedArgs, io: Io): Promise<number> {
  const file = required(args.participants, 'participants', 'graduates.csv')
  const buildDir = await prepareBuild(args, io)
  const taxonomy = loadTaxonomy(buildDir)
  const rule = ruleFrom(args)
  return withStore(args, async (store) => {
    const { participants, issues } = readParticipants(
      readInput(file, 'participants file'),
      await store.secret('person-key'),
    )
    for (const m of issues.slice(0, 20)) io.stderr(`soc: ${file}: ${m}\n`)
    if (issues.length > 20)
      io.stderr(`soc: ${file}: ${issues.length - 20} more rows could not be read\n`)
    const r = programOutcomes(
      participants,
      await store.quarterData(followUpQuarters(participants)),
      taxonomy,
      {
        level: level(args, 'detailed'),
        rule,
      },
    )
    await store.audit(actor(), 'read stats/programs', `participants ${participants.length}`)
    if (args.json || args.format === 'json') io.stdout(`${JSON.stringify(r)}\n`)
    else if (args.format === 'csv') io.stdout(programsCsv(r))
    else {
      for (const p of [...r.programs, r.all]) {
        io.stdout(`${p.cip} ${p.title}: ${p.participants} participants\n`)
        for (const q of p.quarters)
          io.stdout(
            `  quarter ${q.after} after exit: ${q.observed} observed, ${q.employedShare === null ? '(D)' : `${Math.round(q.employedShare * 1000) / 10}% employed`}, ${q.relatedShare === null ? '(D)' : `${Math.round(q.relatedShare * 1000) / 10}% in related occupations`}, median wages ${money(q.medianWages)}${q.suppressed ? ` [${q.suppressed}]` : ''}\n`,
          )
        for (const o of p.occupations.slice(0, 5))
          io.stdout(`  ${o.code} ${o.title}: ${o.workers}${o.related ? ' (related)' : ''}\n`)
        if (p.otherOccupations)
          io.stdout(`  other occupations (not shown): ${p.otherOccupations}\n`)
      }
      io.stdout(`${r.note}\n`)
    }
    return 0
  })
}

export async function runToken(args: ParsedArgs, io: Io): Promise<number> {
  const [sub, ...rest] = args.positionals
  return withStore(args, async (store) => {
    switch (sub) {
      case 'create': {
        const role = required(args.role, 'role', 'analyst')
        if (!ROLES.includes(role as Role))
          throw new UsageError(
            `invalid --role ${JSON.stringify(role)}; expected one of: ${ROLES.join(', ')}`,
          )
        if (role === 'employer' && !args.account)
          throw new UsageError(
            'an employer token needs --account, the account it may send files for',
          )
        const token = newToken()
        const rec = await store.createToken(
          hashToken(token),
          role as Role,
          args.account ?? null,
          args.label ?? role,
        )
        await store.audit(actor(), 'create token', `token ${rec.id} role ${rec.role}`)
        if (args.json) io.stdout(`${JSON.stringify({ token, ...rec })}\n`)
        else io.stdout(`${token}\n`) // alone on stdout, for scripts
        if (!args.json)
          io.stderr(
            `soc: token #${rec.id} (${rec.role}${rec.account ? `, account ${rec.account}` : ''}, "${rec.label}"): shown once, stored only as a hash\n`,
          )
        return 0
      }
      case 'list': {
        const list = await store.tokens()
        if (args.json) io.stdout(`${JSON.stringify({ tokens: list })}\n`)
        else
          for (const t of list)
            io.stdout(
              `#${t.id} ${t.role}${t.account ? ` account ${t.account}` : ''} "${t.label}" created ${t.createdAt}${t.revokedAt ? ` revoked ${t.revokedAt}` : ''}\n`,
            )
        return 0
      }
      case 'revoke': {
        const id = Number(rest[0])
        if (!Number.isInteger(id) || id < 1)
          throw new UsageError(`token revoke takes a token number, e.g. soc token revoke 3`)
        if (!(await store.revokeToken(id)))
          throw new InputError('NOT_FOUND', `no live token #${id}`)
        await store.audit(actor(), 'revoke token', `token ${id}`)
        io.stdout(`revoked token #${id}\n`)
        return 0
      }
      default:
        throw new UsageError(
          `unknown token command ${JSON.stringify(sub ?? '')}; expected one of: create, list, revoke`,
        )
    }
  })
}
