/** CSV reading for reference files and uploads: csv-parse behind one function. */
import { parse } from 'csv-parse/sync'
import { DataError } from '../core/errors.ts'

export type CsvRow = Readonly<Record<string, string>>

export type ReadCsvOptions = {
  /** a name for messages (the file's path) */
  readonly name: string
  /**
   * the columns that must be present; an inner array lists alternative names, the first one found
   * is exposed under the first name
   */
  readonly columns?: readonly (string | readonly string[])[]
  /** unwrap Excel text formulas (`="01.0000"`), as NCES publishes CIP codes */
  readonly unwrapFormulas?: boolean
  /** tolerate unescaped quotes inside quoted fields (NCES's CIP file has some) */
  readonly relaxQuotes?: boolean
}

export type CsvTable = {
  readonly header: readonly string[]
  readonly rows: readonly CsvRow[]
}

/** Parse CSV text with a header row. Throws DataError naming the file and the problem. */
export function readCsv(text: string, options: ReadCsvOptions): CsvTable {
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (options.unwrapFormulas) body = body.replace(/(^|,)="([^"]*)"(?=,|\r?$)/gm, '$1"$2"')
  let records: string[][]
  try {
    records = parse(body, {
      relax_column_count: false,
      relax_quotes: options.relaxQuotes ?? false,
      skip_empty_lines: true,
      bom: true,
    }) as string[][]
  } catch (err) {
    const e = err as { code?: string; lines?: number; message?: string }
    const where = e.lines !== undefined ? ` at line ${e.lines}` : ''
    const what =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed (is the file truncated?)'
        : e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ||
            e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
          ? 'a row has a different number of columns from the header (is the file truncated?)'
          : `not valid CSV (${e.code ?? 'parse error'})`
    throw new DataError('BAD_FILE', options.name, `${what}${where}`, { cause: err })
  }
  const head = records[0]
  if (!head)
    throw new DataError('BAD_FILE', options.name, 'the file is empty: expected a header row')
  const header = head.map((h) => h.trim())
  const rename = new Map<string, string>()
  const missing: string[] = []
  for (const col of options.columns ?? []) {
    const names = typeof col === 'string' ? [col] : col
    const found = names.find((n) => header.includes(n))
    if (found === undefined) missing.push(JSON.stringify(names[0]))
    else if (found !== names[0]) rename.set(found, names[0] as string)
  }
  if (missing.length > 0) {
    throw new DataError(
      'BAD_FILE',
      options.name,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the header has ${header.map((h) => JSON.stringify(h)).join(', ')}`,
    )
  }
  const keys = header.map((h) => rename.get(h) ?? h)
  const rows: CsvRow[] = []
  for (let i = 1; i < records.length; i++) {
    const rec = records[i] as string[]
    const row: Record<string, string> = {}
    for (let j = 0; j < keys.length; j++) row[keys[j] as string] = rec[j] ?? ''
    rows.push(row)
  }
  return { header: keys, rows }
}
