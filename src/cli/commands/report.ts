/** soc report check (a wage file: issues, a corrected file) and soc report generate (synthetic files). */
import { createReadStream, createWriteStream, readFileSync, type WriteStream } from 'node:fs'
import { loadCoder } from '../../core/coder/open.ts'
import { InputError } from '../../core/errors.ts'
import { loadTaxonomy } from '../../core/load.ts'
import { generateWageFile } from '../../core/synthetic.ts'
import type { IssueKind, ReportIssue, WageRow } from '../../core/wage-report.ts'
import { createWageChecker, parseWages } from '../../core/wage-report.ts'
import { csvLine } from '../../ingest/batch.ts'
import { parseLayout, readWageFile } from '../../ingest/wage-file.ts'
import { prepareBuild } from '../context.ts'
import type { Io } from '../io.ts'
import type { ParsedArgs } from '../main.ts'
import { UsageError } from '../main.ts'

/** How many issues the readable report lists before it only counts. */
const SHOWN = 50

export type FixPolicy = { readonly codes: number | null; readonly extensions: boolean }

/** "--fix codes:0.9,extensions": apply coded occupations at confidence >= 0.9, and the state's extensions. */
export function parseFix(text: string | undefined): FixPolicy {
  if (text === undefined) return { codes: null, extensions: false }
  let codes: number | null = null
  let extensions = false
  for (const part of text.split(',')) {
    const [name, value] = part.trim().split(':')
    if (name === 'codes') {
      const t = value === undefined ? 0.9 : Number(value)
      if (!Number.isFinite(t) || t < 0 || t > 1)
        throw new UsageError(`invalid --fix codes:${value}: expected a confidence from 0 to 1`)
      codes = t
    } else if (name === 'extensions') extensions = true
    else
      throw new UsageError(
        `unknown --fix ${JSON.stringify(part)}; expected one of: codes:CONFIDENCE, extensions`,
      )
  }
  return { codes, extensions }
}

export async function runReport(args: ParsedArgs, io: Io): Promise<number> {
  const [sub, ...rest] = args.positionals
  if (sub === 'generate') return runGenerate(rest, args, io)
  if (sub !== 'check')
    throw new UsageError(
      `unknown report command ${JSON.stringify(sub ?? '')}; expected one of: check, generate`,
    )
  const file = rest[0]
  if (file === undefined || rest.length > 1)
    throw new UsageError('report check takes one file, e.g. soc report check wages.csv')
  const fix = parseFix(args.fix)
  const layout = args.layout ? parseLayout(args.layout) : undefined
  const declared = args.total === undefined ? null : parseWages(args.total)
  if (declared && !declared.ok)
    throw new UsageError(`invalid --total ${JSON.stringify(args.total)}: expected an amount`)
  const geoCodes = args.geoCodes ? readGeoCodes(args.geoCodes) : undefined
  const buildDir = await prepareBuild(args, io)
  const taxonomy = loadTaxonomy(buildDir)
  const coder = loadCoder(buildDir)
  const checker = createWageChecker({ taxonomy, coder, industry: args.industry, geoCodes })
  const input = createReadStream(file)
  await new Promise<void>((ok, fail) => {
    input.once('open', () => ok())
    input.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        new InputError(
          'BAD_FILE',
          `cannot read ${JSON.stringify(file)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
        ),
      ),
    )
  })
  const out: WriteStream | null = args.out ? createWriteStream(args.out) : null
  const issuesCsv: WriteStream | null = args.issues ? createWriteStream(args.issues) : null
  issuesCsv?.write(csvLine(['row', 'column', 'kind', 'severity', 'message', 'suggestion']))
  const shown: ReportIssue[] = []
  const counts = new Map<IssueKind, { n: number; severity: string }>()
  let errors = 0
  let warnings = 0
  let rows = 0
  let fixed = 0
  const all: ReportIssue[] = []
  const record = (i: ReportIssue) => {
    if (i.severity === 'error') errors++
    else warnings++
    const c = counts.get(i.kind) ?? { n: 0, severity: i.severity }
    c.n++
    counts.set(i.kind, c)
    if (shown.length < SHOWN) shown.push(i)
    if (args.json) all.push(i)
    issuesCsv?.write(
      csvLine([String(i.row), i.column, i.kind, i.severity, i.message, i.suggestion ?? '']),
    )
  }
  for await (const item of readWageFile(input as AsyncIterable<Buffer>, { layout })) {
    if ('issue' in item) {
      record(item.issue)
      // a line that is not an employee row still appears in the corrected file, as it was
      if (out && item.cells) out.write(`${item.cells.join(',')}\n`)
      continue
    }
    rows++
    const issues = checker.checkRow(item.row)
    for (const i of issues) record(i)
    if (out) {
      const f = applyFixes(item.row, issues, fix)
      if (f.changed) fixed++
      out.write(stateLine(f.row))
    }
  }
  if (declared?.ok && declared.cents !== checker.stats.cents) {
    record({
      row: 0,
      column: 'wages',
      kind: 'file-total-mismatch',
      severity: 'error',
      message: `the rows' wages add up to ${(checker.stats.cents / 100).toFixed(2)}, the declared total is ${(declared.cents / 100).toFixed(2)}`,
      suggestion: null,
    })
  }
  await Promise.all(
    [out, issuesCsv].map((s) =>
      s ? new Promise<void>((ok) => s.end(() => ok())) : Promise.resolve(),
    ),
  )
  const summary = {
    rows,
    errors,
    warnings,
    wages: Number((checker.stats.cents / 100).toFixed(2)),
    byKind: Object.fromEntries([...counts].map(([k, v]) => [k, v.n])),
    ...(args.out ? { corrected: { file: args.out, rowsChanged: fixed } } : {}),
  }
  if (args.json) {
    io.stdout(
      `${JSON.stringify({ rows, issues: all.map(({ row, column, kind, severity, message, suggestion }) => ({ row, column, kind, severity, message, suggestion })), summary })}\n`,
    )
  } else {
    const lines = [
      `${file}: ${rows} employee rows, ${errors} errors, ${warnings} warnings; wages ${summary.wages.toFixed(2)}`,
    ]
    for (const [k, v] of [...counts].sort((a, b) => b[1].n - a[1].n))
      lines.push(`  ${String(v.n).padStart(7)}  ${k} (${v.severity})`)
    if (shown.length) lines.push('', 'First issues:')
    for (const i of shown)
      lines.push(
        `  row ${i.row}${i.column ? `, ${i.column}` : ''}: ${i.message}${i.suggestion ? ` -> ${i.suggestion}` : ''}`,
      )
    if (errors + warnings > shown.length)
      lines.push(
        `  ... and ${errors + warnings - shown.length} more${args.issues ? ` in ${args.issues}` : ' (--issues FILE writes them all as CSV)'}`,
      )
    if (args.out)
      lines.push(
        '',
        `corrected file: ${args.out} (${fixed} rows changed by --fix${args.fix ? ` ${args.fix}` : ': none given'})`,
      )
    io.stdout(`${lines.join('\n')}\n`)
  }
  return errors > 0 ? 1 : 0
}

/** The row with the fixes the policy accepts. */
function applyFixes(
  row: WageRow,
  issues: readonly ReportIssue[],
  fix: FixPolicy,
): { row: WageRow; changed: boolean } {
  let occupation = row.occupation
  for (const i of issues) {
    if (i.column !== 'occupation' || !i.suggestion) continue
    if (i.kind === 'occupation-extension') {
      if (fix.extensions) occupation = i.suggestion
    } else if (fix.codes !== null && (i.confidence ?? 1) >= fix.codes) occupation = i.suggestion
  }
  return { row: { ...row, occupation }, changed: occupation !== row.occupation }
}

/** One line of the state's upload format: no header, no quotes (commas and quotes in values become spaces). */
function stateLine(r: WageRow): string {
  const clean = (v: string) =>
    v
      .replace(/[",\r\n]+/g, ' ')
      .replace(/\s{2,}/g, ' ')
      .trim()
  const ssn = r.ssn.replace(/\D/g, '').length === 9 ? r.ssn.replace(/\D/g, '') : clean(r.ssn)
  const w = parseWages(r.wages)
  const wages = w.ok ? (w.cents / 100).toFixed(2) : clean(r.wages)
  return `${[ssn, clean(r.lastName), clean(r.firstName), wages, clean(r.occupation), clean(r.area)].join(',')}\n`
}

function readGeoCodes(path: string): Set<string> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new InputError(
      'BAD_FILE',
      `cannot read the geographic code table ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    )
  }
  const codes = new Set<string>()
  text.split(/\r?\n/).forEach((line, i) => {
    const code = line.split(',')[0]?.trim() ?? ''
    if (i === 0 && !/^\d{2}$/.test(code)) return // header
    if (code === '') return
    if (!/^\d{2}$/.test(code))
      throw new InputError(
        'BAD_FILE',
        `${path} line ${i + 1}: geographic code ${JSON.stringify(code)} is not two digits`,
      )
    codes.add(code)
  })
  return codes
}

function runGenerate(rest: readonly string[], args: ParsedArgs, io: Io): number {
  if (rest.length)
    throw new UsageError(
      'report generate takes options only: --rows N [--seed S] [--fault-rate R] [--out FILE]',
    )
  const rows = Number(args.rows ?? 1000)
  if (!Number.isInteger(rows) || rows < 0)
    throw new UsageError(`invalid --rows ${JSON.stringify(args.rows)}: expected a whole number`)
  const seed = Number(args.seed ?? 1)
  const faultRate = Number(args.faultRate ?? 0.1)
  if (!(faultRate >= 0 && faultRate <= 1))
    throw new UsageError(`invalid --fault-rate ${JSON.stringify(args.faultRate)}: expected 0 to 1`)
  const g = generateWageFile({ rows, seed, faultRate })
  let buf = ''
  for (const line of g.lines) {
    buf += `${line}\n`
    if (buf.length > 1 << 16) {
      io.stdout(buf)
      buf = ''
    }
  }
  io.stdout(buf)
  if (args.faults) {
    const text = g.faults.map((f) => JSON.stringify(f)).join('\n')
    createWriteStream(args.faults).end(text ? `${text}\n` : '')
  }
  io.stderr(`soc: generated ${rows} rows with ${g.faults.length} faults\n`)
  return 0
}
