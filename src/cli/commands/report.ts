/** soc report check (a wage file: issues, a corrected file) and soc report generate (synthetic files). */
import { createReadStream, createWriteStream, readFileSync, type WriteStream } from 'node:fs'
import { loadCoder } from '../../core/coder/open.ts'
import { InputError } from '../../core/errors.ts'
import { loadTaxonomy } from '../../core/load.ts'
import { generateWageFile } from '../../core/synthetic.ts'
import type { IssueKind, ReportIssue } from '../../core/wage-report.ts'
import { parseWages } from '../../core/wage-report.ts'
import { csvLine } from '../../ingest/batch.ts'
import type { FixPolicy } from '../../ingest/wage-check.ts'
import { checkWageStream, parseFix } from '../../ingest/wage-check.ts'
import { parseLayout } from '../../ingest/wage-file.ts'
import { prepareBuild } from '../context.ts'
import type { Io } from '../io.ts'
import type { ParsedArgs } from '../main.ts'
import { UsageError } from '../main.ts'

/** How many issues the readable report lists before it only counts. */
const SHOWN = 50

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
  let fix: FixPolicy
  try {
    fix = parseFix(args.fix)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const layout = args.layout ? parseLayout(args.layout) : undefined
  const declared = args.total === undefined ? null : parseWages(args.total)
  if (declared && !declared.ok)
    throw new UsageError(`invalid --total ${JSON.stringify(args.total)}: expected an amount`)
  const geoCodes = args.geoCodes ? readGeoCodes(args.geoCodes) : undefined
  const buildDir = await prepareBuild(args, io)
  const taxonomy = loadTaxonomy(buildDir)
  const coder = loadCoder(buildDir)
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
  const out = args.out ? bufferedFile(args.out) : null
  const issuesCsv = args.issues ? bufferedFile(args.issues) : null
  issuesCsv?.write(csvLine(['row', 'column', 'kind', 'severity', 'message', 'suggestion']))
  const shown: ReportIssue[] = []
  const counts = new Map<IssueKind, { n: number; severity: string }>()
  let errors = 0
  let warnings = 0
  const all: ReportIssue[] = []
  const result = await checkWageStream(
    input as AsyncIterable<Buffer>,
    {
      taxonomy,
      coder,
      layout,
      industry: args.industry,
      geoCodes,
      declaredCents: declared?.ok ? declared.cents : null,
      fix,
    },
    {
      issue(i) {
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
      },
      line: out ? (text) => out.write(text) : undefined,
      // wait for the files to take what was written: memory stays flat whatever the input's size
      async ready() {
        if (out?.full()) await out.drain()
        if (issuesCsv?.full()) await issuesCsv.drain()
      },
    },
  )
  const { rows, fixed } = result
  await Promise.all([out?.close(), issuesCsv?.close()])
  const summary = {
    rows,
    errors,
    warnings,
    wages: Number((result.cents / 100).toFixed(2)),
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

/** A file written in 64 kB pieces, with backpressure. */
function bufferedFile(path: string) {
  const stream: WriteStream = createWriteStream(path)
  let buf = ''
  let blocked = false
  const flush = () => {
    if (buf) blocked = !stream.write(buf) || blocked
    buf = ''
  }
  return {
    write(text: string) {
      buf += text
      if (buf.length >= 1 << 16) flush()
    },
    full: () => blocked,
    drain: () =>
      new Promise<void>((ok) => {
        stream.once('drain', () => {
          blocked = false
          ok()
        })
      }),
    close: () =>
      new Promise<void>((ok, fail) => {
        flush()
        stream.once('error', fail)
        stream.end(() => ok())
      }),
  }
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
