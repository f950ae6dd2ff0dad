/**
 * Turning a checked wage file into records to store, and reading the state's other inputs: lists of
 * resident identifiers and program participants. SSNs become keyed hashes here and go no further.
 */
import { createHash, createHmac } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { checkCode } from '../core/check-code.ts'
import type { Coder } from '../core/coder/coder.ts'
import { InputError } from '../core/errors.ts'
import type { KeySet } from '../core/key-set.ts'
import { createKeySet } from '../core/key-set.ts'
import type { Participant } from '../core/outcomes.ts'
import { addQuarters } from '../core/stats.ts'
import type { Taxonomy } from '../core/taxonomy.ts'
import type { ReportIssue, WageRow } from '../core/wage-report.ts'
import { checkSsn, maskSsn, parseWages } from '../core/wage-report.ts'
import { checkWageStream } from './wage-check.ts'
import type { Layout } from './wage-file.ts'

/**
 * A person's key: HMAC-SHA256 of the nine SSN digits under the installation's secret, cut to 53
 * bits so it is an exact JS number. Two of a million people share a key with probability ~1e-4.
 */
export function personKey(secret: Buffer, digits: string): number {
  const h = createHmac('sha256', secret).update(digits).digest()
  return ((h[0] as number) & 0x1f) * 2 ** 48 + h.readUIntBE(1, 6)
}

export function fileHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** One wage record to store. `person` is a keyed hash of the SSN (never the SSN itself). */
export type PreparedRecord = {
  readonly person: number
  /** the reported code (detailed or extension), '' when the row had none valid (forced files) */
  readonly code: string
  /** two digits, '' when the row had none valid */
  readonly area: string
  readonly cents: number
}

export type PreparedSubmission = {
  readonly hash: string
  readonly rows: number
  readonly records: PreparedRecord[]
  readonly errors: number
  readonly warnings: number
  /** the first issues, for the message that refuses a file */
  readonly issues: readonly ReportIssue[]
  /** rows left out: no valid SSN, no valid positive wages, or a repeated SSN */
  readonly skipped: number
}

export type PrepareOptions = {
  readonly taxonomy: Taxonomy
  readonly coder: Coder
  readonly secret: Buffer
  readonly layout?: Layout | undefined
  readonly industry?: string | undefined
  readonly geoCodes?: ReadonlySet<string> | undefined
}

const KEPT_ISSUES = 20

/** Check a file and turn its rows into records; rows that cannot be counted are skipped and counted. */
export async function prepareSubmission(
  bytes: Uint8Array,
  o: PrepareOptions,
): Promise<PreparedSubmission> {
  const records: PreparedRecord[] = []
  const issues: ReportIssue[] = []
  let errors = 0
  let warnings = 0
  let skipped = 0
  async function* source() {
    yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  const keep = (row: WageRow, rowIssues: readonly ReportIssue[]) => {
    const ssn = checkSsn(row.ssn)
    const wages = parseWages(row.wages)
    if (!ssn.ok || !wages.ok || rowIssues.some((i) => i.kind === 'ssn-duplicate')) {
      skipped++
      return
    }
    const v = checkCode(row.occupation, o.taxonomy)
    const area = row.area.trim()
    records.push({
      person: personKey(o.secret, ssn.digits),
      code: v.ok && v.code ? v.code : '',
      area: /^\d{2}$/.test(area) && !rowIssues.some((i) => i.kind === 'area-unknown') ? area : '',
      cents: wages.cents,
    })
  }
  const { rows } = await checkWageStream(
    source(),
    {
      taxonomy: o.taxonomy,
      coder: o.coder,
      layout: o.layout,
      industry: o.industry,
      geoCodes: o.geoCodes,
      fix: { codes: null, extensions: false },
    },
    {
      issue(i) {
        if (i.severity === 'error') errors++
        else warnings++
        if (issues.length < KEPT_ISSUES && i.severity === 'error') issues.push(i)
      },
      row: keep,
    },
  )
  return { hash: fileHash(bytes), rows, records, errors, warnings, issues, skipped }
}

export type IdentifierList = {
  readonly persons: KeySet
  readonly lines: number
  /** lines with no valid SSN (masked in the messages) */
  readonly issues: readonly string[]
}

/**
 * A list of resident identifiers: one SSN per line (a CSV's first SSN-looking cell; a header line is
 * skipped). Never keeps or echoes an SSN: they become keys at once.
 */
export function readIdentifiers(bytes: Uint8Array, secret: Buffer): IdentifierList {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  const keys: number[] = []
  const issues: string[] = []
  let lines = 0
  let n = 0
  for (const raw of text.split(/\r?\n/)) {
    n++
    const line = raw.trim()
    if (!line) continue
    lines++
    const cell = line.split(/[,;\t]/).find((c) => /\d/.test(c)) ?? ''
    const v = checkSsn(cell.replace(/^"|"$/g, ''))
    if (v.ok) keys.push(personKey(secret, v.digits))
    else if (n === 1 && !/\d/.test(line))
      lines-- // a header
    else if (issues.length < 20) issues.push(`line ${n}: ${maskSsn(cell) || '(no SSN)'}: ${v.why}`)
  }
  const persons = createKeySet(keys)
  if (persons.size === 0)
    throw new InputError(
      'EMPTY',
      'the identifier list holds no valid SSN: expected one SSN per line',
      issues.map((m, i) => ({ code: 'ssn', message: m, path: [i] })),
    )
  return { persons, lines, issues }
}

const SSN_COLUMNS = ['ssn', 'social security number', 'social_security_number', 'id', 'identifier']
const CIP_COLUMNS = ['cip', 'cip code', 'cip_code', 'cipcode', 'program', 'program cip']
const EXIT_COLUMNS = ['exit', 'exit date', 'exit_date', 'exitdate', 'completion date', 'end date']

/**
 * Program participants: a CSV with a header holding SSN, CIP code and exit date (YYYY-MM-DD,
 * MM/DD/YYYY or YYYYQn). Bad rows are reported by row number, never dropped silently.
 */
export function readParticipants(
  bytes: Uint8Array,
  secret: Buffer,
): { participants: Participant[]; issues: string[] } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
  let rows: string[][]
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true })
  } catch (err) {
    throw new InputError(
      'BAD_FILE',
      `the participants file is not valid CSV: ${(err as Error).message}`,
      [],
      {
        cause: err,
      },
    )
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase().replace(/\s+/g, ' '))
  const find = (names: readonly string[]) => header.findIndex((h) => names.includes(h))
  const iSsn = find(SSN_COLUMNS)
  const iCip = find(CIP_COLUMNS)
  const iExit = find(EXIT_COLUMNS)
  const missing = [
    iSsn < 0 ? 'ssn' : null,
    iCip < 0 ? 'cip' : null,
    iExit < 0 ? 'exit_date' : null,
  ].filter((x) => x !== null)
  if (missing.length)
    throw new InputError(
      'MISSING_COLUMN',
      `the participants file has no ${missing.join(', ')} column: expected a header with ssn, cip and exit_date`,
    )
  const participants: Participant[] = []
  const issues: string[] = []
  rows.slice(1).forEach((r, i) => {
    const row = i + 2
    const ssn = checkSsn(r[iSsn] ?? '')
    const cip = (r[iCip] ?? '').replace(/^="?|"$/g, '')
    const exit = exitQuarter(r[iExit] ?? '')
    const cipOk = /^\d{2}\.\d{4}$/.test(cip)
    if (!ssn.ok || !cipOk || exit === null) {
      const why = !ssn.ok
        ? `SSN ${maskSsn(r[iSsn] ?? '') || '(empty)'}: ${ssn.why}`
        : !cipOk
          ? `CIP code ${JSON.stringify(cip)}: expected NN.NNNN`
          : `exit date ${JSON.stringify(r[iExit] ?? '')}: expected YYYY-MM-DD, MM/DD/YYYY or YYYYQn`
      issues.push(`row ${row}: ${why}`)
      return
    }
    participants.push({ person: personKey(secret, ssn.digits), cip, exitQuarter: exit })
  })
  if (participants.length === 0)
    throw new InputError(
      'EMPTY',
      `no participant could be read${issues.length ? ` (${issues[0]}${issues.length > 1 ? `, and ${issues.length - 1} more` : ''})` : ''}: expected rows of ssn, cip (NN.NNNN) and exit_date`,
      issues.slice(0, 20).map((m, i) => ({ code: 'row', message: m, path: [i] })),
    )
  return { participants, issues }
}

function exitQuarter(text: string): number | null {
  const t = text.trim()
  let y: number
  let m: number
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t)
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t)
  const q = /^(\d{4})[-\s]?[Qq]([1-4])$/.exec(t)
  if (q) return Number(q[1]) * 10 + Number(q[2])
  if (iso) {
    y = Number(iso[1])
    m = Number(iso[2])
  } else if (us) {
    y = Number(us[3])
    m = Number(us[1])
  } else return null
  if (m < 1 || m > 12 || y < 1990 || y > 2100) return null
  return addQuarters(y * 10 + 1, Math.floor((m - 1) / 3))
}
