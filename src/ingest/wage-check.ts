/** Checking a whole wage file as a stream: rows and file-level issues, the corrected file's lines. */
import type { Coder } from '../core/coder/coder.ts'
import { InputError } from '../core/errors.ts'
import type { Taxonomy } from '../core/taxonomy.ts'
import type { ReportIssue, WageRow } from '../core/wage-report.ts'
import { createWageChecker, parseWages } from '../core/wage-report.ts'
import type { Layout } from './wage-file.ts'
import { readWageFile } from './wage-file.ts'

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
        throw new InputError(
          'BAD_REQUEST',
          `invalid --fix codes:${value}: expected a confidence from 0 to 1`,
        )
      codes = t
    } else if (name === 'extensions') extensions = true
    else
      throw new InputError(
        'BAD_REQUEST',
        `unknown --fix ${JSON.stringify(part)}; expected one of: codes:CONFIDENCE, extensions`,
      )
  }
  return { codes, extensions }
}

export type WageStreamOptions = {
  readonly taxonomy: Taxonomy
  readonly coder: Coder
  readonly layout?: Layout | undefined
  readonly industry?: string | undefined
  readonly geoCodes?: ReadonlySet<string> | undefined
  /** a declared total of wages, in cents, to compare with the rows' sum */
  readonly declaredCents?: number | null
  readonly fix: FixPolicy
}

export type WageStreamSink = {
  issue(i: ReportIssue): void
  /** a line of the corrected file (the state's upload format), one per input line, in order */
  readonly line?: ((text: string, row: number) => void) | undefined
  /** every row read, with its issues (for storing the rows) */
  readonly row?: ((row: WageRow, issues: readonly ReportIssue[]) => void) | undefined
  /** awaited between rows: lets a sink apply backpressure */
  ready?(): Promise<void>
}

export async function checkWageStream(
  source: AsyncIterable<Buffer>,
  o: WageStreamOptions,
  sink: WageStreamSink,
): Promise<{ rows: number; cents: number; fixed: number }> {
  const checker = createWageChecker({
    taxonomy: o.taxonomy,
    coder: o.coder,
    industry: o.industry,
    geoCodes: o.geoCodes,
  })
  let rows = 0
  let fixed = 0
  for await (const item of readWageFile(source, { layout: o.layout })) {
    await sink.ready?.()
    if ('issue' in item) {
      sink.issue(item.issue)
      // a row that cannot be read stays in the corrected file as it was, for the user to mend; blank
      // lines and total rows are left out of it (the state's upload takes neither), each reported
      if (sink.line && item.cells && item.issue.kind === 'file-unreadable-row')
        sink.line(`${item.cells.join(',')}\n`, item.issue.row)
      continue
    }
    rows++
    const issues = checker.checkRow(item.row)
    for (const i of issues) sink.issue(i)
    sink.row?.(item.row, issues)
    if (sink.line) {
      const f = applyFixes(item.row, issues, o.fix)
      if (f.changed) fixed++
      sink.line(stateLine(f.row), item.row.row)
    }
  }
  if (o.declaredCents != null && o.declaredCents !== checker.stats.cents) {
    sink.issue({
      row: 0,
      column: 'wages',
      kind: 'file-total-mismatch',
      severity: 'error',
      message: `the rows' wages add up to ${(checker.stats.cents / 100).toFixed(2)}, the declared total is ${(o.declaredCents / 100).toFixed(2)}`,
      suggestion: null,
    })
  }
  return { rows, cents: checker.stats.cents, fixed }
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
