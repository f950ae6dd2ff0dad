#!/usr/bin/env node
/** The `soc` command: parse arguments, run a command, decide the exit code (the only process.exit). */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { AppError, InputError } from '../core/errors.ts'
import type { Io } from './io.ts'
import { processIo } from './io.ts'

export const USAGE = `Usage: soc <command> [options]

Commands:
  show CODE            an occupation as the state page shows it, with breadcrumb and links
  list [GROUP]         the major groups, or a group's contents as a tree (--all: everything)
  rules                the state's coding rules
  check-code CODE...   is each code reportable? (exit 1 when any is not)
  find TITLE           code one job title: ranked SOC codes with confidence
                       (--industry NAICS, --duties TEXT, -k N)
  code [FILE]          code a batch from FILE or stdin: CSV with a title column (and optional
                       duties, industry columns), JSONL {"title","industry","duties"}, or text
                       lines (--format csv|jsonl|text; default by extension or first line).
                       Writes one result per record, in order, as CSV with added columns
                       (soc_code, soc_title, confidence, status) or JSONL
  report check FILE    check a quarterly wage file: SSN, name, wages, occupation (coded from the
                       job title when missing or wrong), area; exit 1 on errors (--layout
                       header|state|state:FIELDS|fixed:F@START+LEN,...; --industry NAICS;
                       --geo-codes FILE; --total AMOUNT; --fix codes:0.9,extensions --out FILE
                       writes the corrected file in the state's upload format; --issues FILE)
  report generate      a synthetic wage file on stdout (--rows N --seed S --fault-rate R
                       --faults FILE records the injected faults)
  stats ingest FILE|DIR...  store checked quarterly wage files (--quarter 2024Q1, else each
                       folder's name when it is a quarter: 2024Q1/; --account A
                       for one file, else each file is named after its account; a file
                       with errors is refused unless --force; the same file twice is not
                       counted twice; a new file for an account and quarter replaces it)
  stats submissions    the stored files (--account, --quarter, --history)
  stats quarters       the quarters that hold records
  stats occupations    workers, total and median wages by occupation (--period 2024|2024Q1
                       --level major|minor|broad|detailed|extension --by area --within GROUP
                       --area NN --top N --compare: change on the year before;
                       --format table|csv|json); confidential cells shown as (D)
  stats residency      nonresident workers and wages (--period, --residents FILE of SSNs)
  stats programs       program outcomes (--participants FILE: ssn, cip, exit_date)
  stats audit          who read which report (--rows N)
  stats generate DIR   a synthetic workforce to try it with: a file per employer and quarter,
                       residents.txt, participants.csv (--rows workers, --employers N,
                       --quarter 2024Q1,2024Q2, --seed S)
  token create|list|revoke  bearer tokens for the API (--role employer|analyst|admin,
                       --account for an employer, --label)
  serve                the web app and JSON API (--port N or PORT, default 3000;
                       --host H, default 127.0.0.1; --rate-limit N requests a minute
                       per client, default 600, 0 for none; --quiet: no access log)
  data build           check the reference files and compile them (--allow-changed, --force)
  data fetch           download the official files into ./reference (--to DIR, --mirror URL;
                       --originals: only the agency files from the mirror) and make the
                       CSVs the build reads from the agencies' workbooks
  data convert         make those CSVs from workbooks already in the reference directory
  data status          what the build was made from

Options:
  --json               machine-readable output
  --reference DIR      reference directory (env SOC_REFERENCE_DIR; default ./reference, then ../shared)
  --build-dir DIR      compiled data folder (env SOC_BUILD_DIR)
  --db PATH|URL        the wage-record store: a SQLite file or a postgres:// URL (env
                       DATABASE_URL or SOC_DB; default ./soc-alaska.db)
  --min-employers N    confidentiality: fewest employers in a published cell (default 3)
  --max-share S        confidentiality: largest share of one employer (default 0.5)
  -h, --help           this help

Exit codes: 0 ok, 1 bad input (or a code that is not reportable), 2 usage error.`

const SHORT_USAGE = 'Usage: soc <command> [options]   (soc --help lists the commands and options)'

export class UsageError extends Error {
  override name = 'UsageError'
}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  all: { type: 'boolean' },
  reference: { type: 'string' },
  'build-dir': { type: 'string' },
  'allow-changed': { type: 'boolean' },
  force: { type: 'boolean' },
  to: { type: 'string' },
  mirror: { type: 'string' },
  industry: { type: 'string' },
  duties: { type: 'string' },
  k: { type: 'string', short: 'k' },
  format: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'rate-limit': { type: 'string' },
  quiet: { type: 'boolean' },
  layout: { type: 'string' },
  'geo-codes': { type: 'string' },
  total: { type: 'string' },
  fix: { type: 'string' },
  out: { type: 'string' },
  issues: { type: 'string' },
  rows: { type: 'string' },
  seed: { type: 'string' },
  'fault-rate': { type: 'string' },
  faults: { type: 'string' },
  db: { type: 'string' },
  account: { type: 'string' },
  quarter: { type: 'string' },
  period: { type: 'string' },
  level: { type: 'string' },
  by: { type: 'string' },
  within: { type: 'string' },
  area: { type: 'string' },
  top: { type: 'string' },
  compare: { type: 'boolean' },
  residents: { type: 'string' },
  participants: { type: 'string' },
  role: { type: 'string' },
  label: { type: 'string' },
  'min-employers': { type: 'string' },
  'max-share': { type: 'string' },
  history: { type: 'boolean' },
  employers: { type: 'string' },
  originals: { type: 'boolean' },
} as const

/** "build-dir" -> "buildDir" */
type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S

/** The options by their camel-case names: a flag is true or false, a value may be missing. */
export type ParsedArgs = { readonly positionals: readonly string[] } & {
  readonly [K in Exclude<
    keyof typeof OPTIONS,
    'help'
  > as Camel<K>]: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string | undefined
}

/** Run the CLI in-process; returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    io.stderr(`soc: ${(err as Error).message}\n${SHORT_USAGE}\n`)
    return 2
  }
  const v = parsed.values
  const [command, ...rest] = parsed.positionals
  if (v.help || command === undefined || command === 'help') {
    io.stdout(`${USAGE}\n`)
    return command === undefined && !v.help ? 2 : 0
  }
  const named: Record<string, string | boolean | undefined | readonly string[]> = {
    positionals: rest,
  }
  for (const [name, spec] of Object.entries(OPTIONS)) {
    if (name === 'help') continue
    const value = (v as Record<string, string | boolean | undefined>)[name]
    named[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] =
      spec.type === 'boolean' ? (value ?? false) : value
  }
  const args = named as ParsedArgs
  try {
    switch (command) {
      // each command's modules load only when it runs: a cold `soc show` stays fast
      case 'show':
        return await (await import('./commands/taxonomy.ts')).runShow(args, io)
      case 'list':
        return await (await import('./commands/taxonomy.ts')).runList(args, io)
      case 'rules':
        return await (await import('./commands/taxonomy.ts')).runRules(args, io)
      case 'check-code':
        return await (await import('./commands/taxonomy.ts')).runCheckCode(args, io)
      case 'data':
        return await (await import('./commands/data.ts')).runData(args, io)
      case 'find':
        return await (await import('./commands/coder.ts')).runFind(args, io)
      case 'code':
        return await (await import('./commands/coder.ts')).runCode(args, io)
      case 'report':
        return await (await import('./commands/report.ts')).runReport(args, io)
      case 'stats':
        return await (await import('./commands/stats.ts')).runStats(args, io)
      case 'token':
        return await (await import('./commands/stats.ts')).runToken(args, io)
      case 'serve':
        return await (await import('./commands/serve.ts')).runServe(args, io)
      default:
        throw new UsageError(
          `unknown command ${JSON.stringify(command)}; expected one of: show, list, rules, check-code, find, code, report, stats, token, serve, data`,
        )
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`soc: ${err.message}\n${SHORT_USAGE}\n`)
      return 2
    }
    if (err instanceof Error && err.name === 'StoreUnavailableError') {
      io.stderr(`soc: ${err.message}\n`)
      return 1
    }
    if (err instanceof AppError) {
      if (args.json)
        io.stdout(
          `${JSON.stringify({ error: { code: err.code, message: err.message, issues: err instanceof InputError ? err.issues : [] } })}\n`,
        )
      io.stderr(`soc: ${err.message}\n`)
      return 1
    }
    io.stderr(`soc: unexpected error\n${(err as Error).stack ?? String(err)}\n`)
    return 1
  }
}

function isMain(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMain()) {
  // a reader that stops early (soc list | head) is not an error
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
  run(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`soc: unexpected error\n${(err as Error).stack ?? String(err)}\n`)
      process.exitCode = 1
    },
  )
}
