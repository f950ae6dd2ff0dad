/**
 * Checks of a quarterly wage report, row by row and for the whole file: SSN, name, wages, occupation
 * code (coded from the job title when missing or wrong), geographic code. Pure: rows in, issues out.
 * SSNs never appear in an issue unmasked.
 */
import { checkCode } from './check-code.ts'
import type { Coder } from './coder/coder.ts'
import type { Taxonomy } from './taxonomy.ts'

/** One employee row as read, with the row number the user sees (header = row 1). */
export type WageRow = {
  readonly row: number
  readonly ssn: string
  readonly lastName: string
  readonly firstName: string
  readonly wages: string
  readonly occupation: string
  readonly title: string
  readonly area: string
}

export type IssueKind =
  | 'ssn-format'
  | 'ssn-invalid'
  | 'ssn-duplicate'
  | 'name-missing'
  | 'wages-format'
  | 'wages-not-positive'
  | 'occupation-missing'
  | 'occupation-malformed'
  | 'occupation-group'
  | 'occupation-soc2010'
  | 'occupation-onet'
  | 'occupation-naics'
  | 'occupation-unknown'
  | 'occupation-legacy'
  | 'occupation-extension'
  | 'area-format'
  | 'area-unknown'
  | 'file-blank-line'
  | 'file-total-row'
  | 'file-columns'
  | 'file-quotes'
  | 'file-total-mismatch'
  | 'file-unreadable-row'

export type Severity = 'error' | 'warning'

export type ReportIssue = {
  readonly row: number
  readonly column: string
  readonly kind: IssueKind
  readonly severity: Severity
  readonly message: string
  /** the value to use instead, when there is one */
  readonly suggestion: string | null
  /** the coder's confidence in the suggestion, for coded occupations */
  readonly confidence?: number
}

export type WageCheckOptions = {
  readonly taxonomy: Taxonomy
  readonly coder: Coder
  /** the employer's NAICS industry, for the coder and the state's extensions */
  readonly industry?: string | undefined
  /** the official geographic codes, when a table is loaded; never invented */
  readonly geoCodes?: ReadonlySet<string> | undefined
}

/** "123-45-6789" -> "***-**-6789"; anything else keeps only a hint of its length. */
export function maskSsn(value: string): string {
  const digits = value.replace(/\D/g, '')
  if (digits.length >= 4) return `***-**-${digits.slice(-4)}`
  return value.length ? '*'.repeat(Math.min(value.length, 11)) : ''
}

export type SsnVerdict =
  | { readonly ok: true; readonly digits: string }
  | { readonly ok: false; readonly kind: 'ssn-format' | 'ssn-invalid'; readonly why: string }

/** SSN rules: 9 digits (dashes or spaces allowed); area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function checkSsn(value: string): SsnVerdict {
  const v = value.trim()
  if (!/^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v)) {
    return {
      ok: false,
      kind: 'ssn-format',
      why: v === '' ? 'missing' : 'not 9 digits (NNN-NN-NNNN)',
    }
  }
  const d = v.replace(/\D/g, '')
  const area = d.slice(0, 3)
  if (area === '000' || area === '666' || area[0] === '9')
    return { ok: false, kind: 'ssn-invalid', why: `area ${area} is never issued` }
  if (d.slice(3, 5) === '00')
    return { ok: false, kind: 'ssn-invalid', why: 'group 00 is never issued' }
  if (d.slice(5) === '0000')
    return { ok: false, kind: 'ssn-invalid', why: 'serial 0000 is never issued' }
  return { ok: true, digits: d }
}

/** Wages: a positive amount with at most two decimals; "$1,234.50" is accepted. */
export function parseWages(
  value: string,
):
  | { ok: true; cents: number }
  | { ok: false; kind: 'wages-format' | 'wages-not-positive'; why: string } {
  const v = value
    .trim()
    .replace(/^\$/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '')
  if (!/^-?\d+(\.\d{1,2})?$/.test(v))
    return {
      ok: false,
      kind: 'wages-format',
      why: v === '' ? 'missing' : 'not an amount with at most 2 decimals',
    }
  const cents = Math.round(Number(v) * 100)
  if (cents <= 0)
    return { ok: false, kind: 'wages-not-positive', why: cents === 0 ? 'zero' : 'negative' }
  return { ok: true, cents }
}

const OCCUPATION_KIND: Record<string, IssueKind> = {
  empty: 'occupation-missing',
  malformed: 'occupation-malformed',
  group: 'occupation-group',
  soc2010: 'occupation-soc2010',
  onet: 'occupation-onet',
  naics: 'occupation-naics',
  unknown: 'occupation-unknown',
  'unknown-extension': 'occupation-unknown',
  'legacy-extension': 'occupation-legacy',
}

export type WageChecker = {
  /** the issues of one row (duplicates are found as rows arrive) */
  checkRow(row: WageRow): ReportIssue[]
  /** rows seen and the sum of their valid wages, in cents */
  readonly stats: { rows: number; cents: number }
}

/** A checker for one employer's file; it remembers each SSN's first row to find duplicates. */
export function createWageChecker(options: WageCheckOptions): WageChecker {
  const { taxonomy: t, coder } = options
  // SSN (as a number: 9 digits fit) -> the row it first appeared on
  const seen = new Map<number, number>()
  const stats = { rows: 0, cents: 0 }
  return {
    stats,
    checkRow(r) {
      stats.rows++
      const out: ReportIssue[] = []
      const issue = (
        column: string,
        kind: IssueKind,
        severity: Severity,
        message: string,
        suggestion: string | null = null,
        confidence?: number,
      ) =>
        out.push({
          row: r.row,
          column,
          kind,
          severity,
          message,
          suggestion,
          ...(confidence === undefined ? {} : { confidence }),
        })
      // SSN
      const ssn = checkSsn(r.ssn)
      if (!ssn.ok)
        issue(
          'ssn',
          ssn.kind,
          'error',
          `SSN ${maskSsn(r.ssn) || '(empty)'} at row ${r.row}: ${ssn.why}`,
        )
      else {
        const key = Number(ssn.digits)
        const first = seen.get(key)
        if (first !== undefined)
          issue(
            'ssn',
            'ssn-duplicate',
            'error',
            `SSN ${maskSsn(r.ssn)} at row ${r.row} repeats row ${first}: one row per employee`,
          )
        else seen.set(key, r.row)
      }
      // name
      if (!r.lastName.trim() && !r.firstName.trim())
        issue('name', 'name-missing', 'error', `no name at row ${r.row}`)
      // wages
      const w = parseWages(r.wages)
      if (!w.ok)
        issue(
          'wages',
          w.kind,
          'error',
          `wages ${JSON.stringify(r.wages)} at row ${r.row}: ${w.why}${w.kind === 'wages-not-positive' ? '; the state asks to leave such rows out' : ''}`,
        )
      else stats.cents += w.cents
      // occupation
      checkOccupation(r, issue)
      // area
      const area = r.area.trim()
      if (!/^\d{2}$/.test(area))
        issue(
          'area',
          'area-format',
          'error',
          `geographic code ${JSON.stringify(r.area)} at row ${r.row}: expected two digits`,
        )
      else if (options.geoCodes && !options.geoCodes.has(area))
        issue(
          'area',
          'area-unknown',
          'error',
          `geographic code ${area} at row ${r.row} is not in the loaded table`,
        )
      return out
    },
  }

  function checkOccupation(
    r: WageRow,
    issue: (
      column: string,
      kind: IssueKind,
      severity: Severity,
      message: string,
      suggestion?: string | null,
      confidence?: number,
    ) => void,
  ): void {
    const v = checkCode(r.occupation, t)
    if (v.ok) {
      // the state's extension where it applies (51-3022 in seafood processing -> 51-3022.05)
      const ext = v.code ? extensionFor(v.code, r.title) : null
      if (ext)
        issue(
          'occupation',
          'occupation-extension',
          'warning',
          `occupation ${v.code} at row ${r.row}: the state uses ${ext} for this work`,
          ext,
        )
      return
    }
    const kind = OCCUPATION_KIND[v.kind] ?? 'occupation-unknown'
    const coded = r.title.trim()
      ? coder.code({ title: r.title, industry: options.industry }, { k: 3 })
      : null
    const top = coded && coded.status !== 'uncodable' ? coded.candidates[0] : undefined
    // a single successor or candidate from the grammar is the suggestion; else the coder's, from the title
    const fromGrammar = v.suggestions.length === 1 ? (v.suggestions[0]?.code ?? null) : null
    const suggestion =
      top && (!fromGrammar || v.suggestions.some((s) => s.code === top.code.slice(0, 7)))
        ? top.code
        : fromGrammar
    const shown = r.occupation.trim() === '' ? '(empty)' : JSON.stringify(r.occupation)
    const why =
      kind === 'occupation-missing'
        ? `no occupation code at row ${r.row}`
        : `occupation ${shown} at row ${r.row}: ${v.message.replace(/^invalid occupation code "[^"]*": /, '')}`
    const coderNote =
      top && suggestion === top.code
        ? `; the title ${JSON.stringify(r.title)} codes to ${top.code} ${top.title} (${Math.round(top.confidence * 100)}%)`
        : ''
    issue(
      'occupation',
      kind,
      'error',
      `${why}${coderNote}`,
      suggestion,
      top && suggestion === top.code ? top.confidence : undefined,
    )
  }

  function extensionFor(code: string, title: string): string | null {
    if (code.length !== 7) return null
    const industry = options.industry ?? ''
    for (const e of t.children(code)) {
      // only extensions the state ties to an industry (51-3022.05 for seafood processing)
      if (e.level !== 'extension' || e.alaska?.status !== 'current' || !e.alaska.industry) continue
      // ask the coder: with the row's title and the employer's industry, does it choose the extension?
      const r = coder.code(
        { title: title || (t.get(code)?.title ?? ''), industry: industry || undefined },
        { k: 3 },
      )
      if (r.candidates.slice(0, 2).some((c) => c.code === e.code) && (industry || title))
        return e.code
    }
    return null
  }
}
