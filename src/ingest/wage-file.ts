/**
 * Reading quarterly wage files as rows, streaming: a CSV with a header row (columns found by name and
 * common synonyms), the state's upload CSV (no header, no quotes; a layout the user names), or a
 * fixed-width file described by a field table. UTF-8 with or without BOM, or Windows-1252; CRLF or LF.
 */

import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { InputError } from '../core/errors.ts'
import type { ReportIssue, WageRow } from '../core/wage-report.ts'
import { cellText as workbookCellText } from './agency-files.ts'
import type { SplitLine } from './batch.ts'
import { csvLine, parseCsvLine, splitLines } from './batch.ts'

export type WageField =
  | 'ssn'
  | 'lastName'
  | 'firstName'
  | 'name'
  | 'wages'
  | 'occupation'
  | 'title'
  | 'area'

/** The state upload layout we assume when none is given (documented in the README). */
export const DEFAULT_STATE_LAYOUT: readonly WageField[] = [
  'ssn',
  'lastName',
  'firstName',
  'wages',
  'occupation',
  'area',
]

const SYNONYMS: Record<WageField, readonly string[]> = {
  ssn: [
    'ssn',
    'social security number',
    'social security no',
    'social security',
    'ss#',
    'ssn#',
    'employee ssn',
    'soc sec no',
  ],
  lastName: ['last name', 'last', 'surname', 'employee last name', 'lname'],
  firstName: ['first name', 'first', 'given name', 'employee first name', 'fname'],
  name: ['employee name', 'name', 'full name', 'employee'],
  wages: [
    'wages',
    'gross wages',
    'total wages',
    'wages paid',
    'quarterly wages',
    'gross pay',
    'quarter wages',
    'amount',
  ],
  occupation: [
    'occupation code',
    'soc',
    'soc code',
    'occupation',
    'occ code',
    'occupational code',
    'soc 2018',
  ],
  title: ['job title', 'title', 'position', 'occupation title', 'position title'],
  area: [
    'area code',
    'geographic code',
    'geo code',
    'area',
    'geographic area',
    'location code',
    'geographic area code',
    'work location',
  ],
}

export type Layout =
  | { readonly kind: 'header' }
  | { readonly kind: 'state'; readonly fields: readonly WageField[] }
  | {
      readonly kind: 'fixed'
      readonly fields: readonly { field: WageField; start: number; length: number }[]
    }

export type ReadOptions = {
  readonly layout?: Layout | undefined
  readonly encoding?: 'utf-8' | 'windows-1252' | 'auto'
}

/** What the reader yields: a row, or a file-level issue tied to a line. */
export type ReadItem =
  | { readonly row: WageRow; readonly cells: readonly string[] }
  | { readonly issue: ReportIssue; readonly cells: readonly string[] | null }

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s_.-]+/g, ' ')
    .replace(/\s*#$/, '#')

/** Parse a --layout value: "state", "state:ssn,last,first,wages,soc,area", "fixed:ssn@1+9,last@10+20,..." */
export function parseLayout(text: string): Layout {
  const alias: Record<string, WageField> = {
    ssn: 'ssn',
    last: 'lastName',
    lastname: 'lastName',
    first: 'firstName',
    firstname: 'firstName',
    name: 'name',
    wages: 'wages',
    soc: 'occupation',
    occupation: 'occupation',
    title: 'title',
    area: 'area',
    geo: 'area',
  }
  const field = (f: string): WageField => {
    const v = alias[f.trim().toLowerCase()]
    if (!v)
      throw new InputError(
        'BAD_REQUEST',
        `unknown layout field ${JSON.stringify(f)}; expected one of: ${Object.keys(alias).join(', ')}`,
        [],
      )
    return v
  }
  if (text === 'header') return { kind: 'header' }
  if (text === 'state') return { kind: 'state', fields: DEFAULT_STATE_LAYOUT }
  if (text.startsWith('state:'))
    return { kind: 'state', fields: text.slice(6).split(',').map(field) }
  if (text.startsWith('fixed:')) {
    return {
      kind: 'fixed',
      fields: text
        .slice(6)
        .split(',')
        .map((spec) => {
          const m = /^([a-z]+)@(\d+)\+(\d+)$/i.exec(spec.trim())
          if (!m)
            throw new InputError(
              'BAD_REQUEST',
              `fixed-width field ${JSON.stringify(spec)}: expected name@start+length (start from 1)`,
              [],
            )
          return { field: field(m[1] as string), start: Number(m[2]) - 1, length: Number(m[3]) }
        }),
    }
  }
  throw new InputError(
    'BAD_REQUEST',
    `unknown layout ${JSON.stringify(text)}; expected one of: header, state, state:FIELDS, fixed:FIELD@START+LENGTH,...`,
    [],
  )
}

/** Map header cells to fields by name and synonyms. */
export function matchHeader(header: readonly string[]): Map<WageField, number> {
  const found = new Map<WageField, number>()
  header.forEach((h, i) => {
    const n = norm(h)
    for (const [field, names] of Object.entries(SYNONYMS) as [WageField, readonly string[]][]) {
      if (!found.has(field) && names.includes(n)) {
        found.set(field, i)
        return
      }
    }
  })
  return found
}

function looksLikeHeader(cells: readonly string[]): boolean {
  const m = matchHeader(cells)
  return m.size >= 2 && !cells.some((c) => /^\d{3}-?\d{2}-?\d{4}$/.test(c.trim()))
}

function fileIssue(
  row: number,
  kind: ReportIssue['kind'],
  message: string,
  severity: 'error' | 'warning' = 'error',
): ReportIssue {
  return { row, column: '', kind, severity, message, suggestion: null }
}

/** Detect Windows-1252 by sniffing the first bytes for invalid UTF-8. */
export function sniffEncoding(head: Uint8Array): 'utf-8' | 'windows-1252' {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)))
    return 'utf-8'
  } catch {
    return 'windows-1252'
  }
}

/** Read a wage file's rows. Every line becomes a row or an issue; nothing is dropped silently. */
export async function* readWageFile(
  stream: AsyncIterable<Buffer>,
  options: ReadOptions = {},
): AsyncGenerator<ReadItem> {
  // sniff the encoding on the first chunk, then stream
  const it = stream[Symbol.asyncIterator]()
  const firstChunk = await it.next()
  if (firstChunk.done)
    throw new InputError(
      'BAD_FILE',
      'the file is empty: expected a header row or employee rows',
      [],
    )
  const head = firstChunk.value as Buffer
  // an XLSX workbook is a ZIP archive: its first bytes are PK\x03\x04
  const xlsx = head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
  if (!xlsx && head.subarray(0, 4096).includes(0))
    throw new InputError(
      'BAD_FILE',
      'the file looks binary (it holds NUL bytes): expected a CSV or fixed-width text file',
      [],
    )
  const encoding =
    options.encoding && options.encoding !== 'auto' ? options.encoding : sniffEncoding(head)
  const rest: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      yield head
      for (;;) {
        const n = await it.next()
        if (n.done) return
        yield n.value as Buffer
      }
    },
  }
  let layout = options.layout
  let columns: Map<WageField, number> | null = null
  let width = 0
  let rows = 0
  let sawLine = false
  const lines = xlsx ? xlsxLines(rest) : splitLines(rest, { encoding, maxLineLength: 64 * 1024 })
  for await (const { line, text, tooLong } of lines) {
    sawLine = true
    if (tooLong) {
      yield {
        issue: fileIssue(line, 'file-unreadable-row', `line ${line} is over 64 kB: not a wage row`),
        cells: null,
      }
      continue
    }
    if (text.trim() === '') {
      yield {
        issue: fileIssue(
          line,
          'file-blank-line',
          `line ${line} is blank: the state's upload allows no blank lines`,
          'warning',
        ),
        cells: null,
      }
      continue
    }
    if (layout?.kind === 'fixed') {
      const fields = layout.fields
      const get = (f: WageField) => {
        const spec = fields.find((x) => x.field === f)
        return spec ? text.slice(spec.start, spec.start + spec.length).trim() : ''
      }
      rows++
      yield { row: toRow(line, get), cells: [text] }
      continue
    }
    let cells: string[]
    try {
      cells = parseCsvLine(text)
    } catch (err) {
      yield {
        issue: fileIssue(line, 'file-unreadable-row', `line ${line}: ${(err as Error).message}`),
        cells: [text],
      }
      continue
    }
    if (layout === undefined)
      layout = looksLikeHeader(cells)
        ? { kind: 'header' }
        : { kind: 'state', fields: DEFAULT_STATE_LAYOUT }
    if (layout.kind === 'header' && columns === null) {
      columns = matchHeader(cells)
      width = cells.length
      const missing = (['ssn', 'wages', 'occupation'] as const).filter((f) => !columns?.has(f))
      if (!columns.has('lastName') && !columns.has('firstName') && !columns.has('name'))
        missing.push('name' as never)
      if (missing.length)
        throw new InputError(
          'MISSING_COLUMN',
          `the header at line ${line} (${cells.map((c) => JSON.stringify(c)).join(', ')}) has no ${missing.join(', ')} column`,
          missing.map((m) => ({
            code: 'MISSING_COLUMN',
            message: `no ${m} column`,
            path: [line],
            expected: SYNONYMS[m as WageField].slice(0, 3).join(' / '),
          })),
        )
      continue
    }
    if (layout.kind === 'state') {
      if (width === 0) width = layout.fields.length
      if (text.includes('"'))
        yield {
          issue: fileIssue(
            line,
            'file-quotes',
            `line ${line} has quotes: the state's upload format allows none`,
            'warning',
          ),
          cells,
        }
      columns = new Map(layout.fields.map((f, i) => [f, i]))
    }
    if (cells.length !== width) {
      yield {
        issue: fileIssue(
          line,
          'file-columns',
          `line ${line} has ${cells.length} columns, the ${layout.kind === 'header' ? 'header has' : 'layout expects'} ${width}`,
          'warning',
        ),
        cells,
      }
    }
    const cols = columns as Map<WageField, number>
    const get = (f: WageField) => {
      const i = cols.get(f)
      return i === undefined ? '' : (cells[i] ?? '').trim()
    }
    // a total row: no SSN, a word like "total" somewhere
    if (!get('ssn') && cells.some((c) => /\btotals?\b/i.test(c))) {
      yield {
        issue: fileIssue(
          line,
          'file-total-row',
          `line ${line} looks like a total row: the state's upload takes employee rows only`,
          'warning',
        ),
        cells,
      }
      continue
    }
    rows++
    yield { row: toRow(line, get), cells }
  }
  if (!sawLine)
    throw new InputError(
      'BAD_FILE',
      'the file is empty: expected a header row or employee rows',
      [],
    )
  if (rows === 0 && columns !== null && layout?.kind === 'header')
    yield {
      issue: fileIssue(1, 'file-unreadable-row', 'the file has a header but no employee rows'),
      cells: null,
    }
}

function toRow(line: number, get: (f: WageField) => string): WageRow {
  let lastName = get('lastName')
  let firstName = get('firstName')
  const name = get('name')
  if (!lastName && !firstName && name) {
    // "Last, First" or "First Last"
    if (name.includes(','))
      [lastName, firstName] = name.split(',', 2).map((x) => x.trim()) as [string, string]
    else {
      const parts = name.split(/\s+/)
      lastName = parts.pop() ?? ''
      firstName = parts.join(' ')
    }
  }
  return {
    row: line,
    ssn: get('ssn'),
    lastName,
    firstName,
    wages: get('wages'),
    occupation: get('occupation'),
    title: get('title'),
    area: get('area'),
  }
}

/**
 * The first worksheet of an XLSX workbook as CSV lines, streamed (exceljs). Numbers that lost leading
 * zeros in Excel get them back where the value cannot change: a one-digit area code ("1" -> "01"), a
 * seven- or eight-digit SSN ("12345678" -> "012345678").
 */
async function* xlsxLines(source: AsyncIterable<Buffer>): AsyncGenerator<SplitLine> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(source), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  })
  try {
    for await (const sheet of reader) {
      let last = 0
      for await (const row of sheet as AsyncIterable<ExcelJS.Row | ExcelJS.Row[]>) {
        for (const r of Array.isArray(row) ? row : [row]) {
          // rows the sheet skips are blank lines to the user
          for (let n = last + 1; n < r.number; n++) yield { line: n, text: '' }
          last = r.number
          const values = (r.values as unknown[]).slice(1)
          yield { line: r.number, text: csvLine(values.map(cellText)).replace(/\n$/, '') }
        }
      }
      return // the first worksheet only
    }
  } catch (err) {
    throw new InputError(
      'BAD_FILE',
      `the XLSX workbook cannot be read (${(err as Error).message}): expected an .xlsx file saved by a spreadsheet`,
      [],
      { cause: err },
    )
  }
}

/** A wage file's cell: numbers as a payroll export means them (SSNs and area codes keep their zeros). */
function cellText(v: unknown): string {
  if (typeof v === 'number') {
    const s = Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100)
    if (/^\d$/.test(s)) return `0${s}`
    if (/^\d{7,8}$/.test(s)) return s.padStart(9, '0')
    return s
  }
  return workbookCellText(v as Parameters<typeof workbookCellText>[0])
}
