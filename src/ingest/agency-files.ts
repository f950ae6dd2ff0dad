/**
 * The agencies' own workbooks (BLS, Census, NCES), turned into the CSVs the reference build reads:
 * for a user who downloads only the official files. Each conversion takes the original's bytes (an
 * xlsx, or a zip holding one) and returns CSV text with the manifest's columns.
 */
import type ExcelJS from 'exceljs'
import { unzipSync } from 'fflate'
import { csvLine } from './batch.ts'

type Cell = ExcelJS.CellValue

/** A cell as the CSV conversions write it: numbers in JS notation, rich text and links as text. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('')
    if ('text' in v && typeof v.text === 'string') return v.text
    if ('result' in v) return cellText(v.result as Cell)
    if ('error' in v) return String(v.error)
  }
  return String(v)
}

async function workbook(bytes: Uint8Array, name: RegExp): Promise<ExcelJS.Workbook> {
  let data = bytes
  // a zip that is not itself a workbook: take the workbook inside it whose name matches
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const entries = unzipSync(bytes, {
      filter: (f) => f.name === '[Content_Types].xml' || name.test(f.name),
    })
    if (!entries['[Content_Types].xml']) {
      const inner = Object.keys(entries).find((k) => name.test(k))
      if (!inner) throw new Error(`no workbook matching ${name} in the archive`)
      data = entries[inner] as Uint8Array
    }
  }
  // exceljs loads only when a workbook is read (the wage checker shares cellText, not the reader)
  const { default: Excel } = await import('exceljs')
  const wb = new Excel.Workbook()
  await wb.xlsx.load(
    Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as ArrayBuffer,
  )
  return wb
}

function sheet(wb: ExcelJS.Workbook, name: RegExp): ExcelJS.Worksheet {
  const ws = wb.worksheets.find((w) => name.test(w.name.trim())) ?? null
  if (!ws)
    throw new Error(
      `no sheet matching ${name} (sheets: ${wb.worksheets.map((w) => w.name).join(', ')})`,
    )
  return ws
}

/** The sheet's rows as text cells (1-based columns become 0-based), trailing empties dropped. */
function rows(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = []
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = Array.from((row.values as Cell[]).slice(1), cellText)
    while (values.length && values[values.length - 1] === '') values.pop()
    out[n - 1] = values
  })
  for (let i = 0; i < out.length; i++) out[i] ??= []
  return out
}

/** Rows after the header row (the first whose cells include `first`), mapped to the named columns. */
function table(
  all: string[][],
  first: string,
  pick: readonly string[],
  keep: (cells: string[]) => boolean = (c) => c.some((x) => x.trim() !== ''),
): string[][] {
  const h = all.findIndex((r) => r.some((c) => c.trim() === first))
  if (h < 0) throw new Error(`no header row with "${first}"`)
  const header = (all[h] as string[]).map((c) => c.trim())
  const idx = pick.map((p) => {
    const i = header.indexOf(p)
    if (i < 0) throw new Error(`no column "${p}" in the header (${header.join(', ')})`)
    return i
  })
  return all
    .slice(h + 1)
    .filter(keep)
    .map((r) => idx.map((i) => r[i] ?? ''))
}

/** An OEWS workbook's first sheet as it is: its first row is the header. */
async function wholeSheet(bytes: Uint8Array, name: RegExp): Promise<string> {
  const all = rows((await workbook(bytes, name)).worksheets[0] as ExcelJS.Worksheet)
  const header = all[0] ?? []
  return csv(
    header,
    all
      .slice(1)
      .filter((r) => r.length > 0)
      .map((r) => header.map((_, i) => r[i] ?? '')),
  )
}

function csv(header: readonly string[], body: readonly (readonly string[])[]): string {
  return [csvLine(header), ...body.map((r) => csvLine(r))].join('')
}

/** The rows of the sheet whose name matches, in the workbook the bytes hold (or zip). */
async function sheetRows(bytes: Uint8Array, name: RegExp): Promise<string[][]> {
  return rows(sheet(await workbook(bytes, /\.xlsx$/), name))
}

/**
 * A sheet's table under its header row (found by the first column's name): the named columns,
 * renamed as `[agency name, CSV name]` pairs.
 */
function sheetColumns(name: RegExp, columns: readonly (readonly [string, string])[]) {
  const pick = columns.map(([from]) => from)
  return async (bytes: Uint8Array): Promise<string> =>
    csv(
      columns.map(([, to]) => to),
      table(await sheetRows(bytes, name), pick[0] as string, pick),
    )
}

const NAICS_LEVELS: Record<number, string> = {
  2: 'sector',
  3: 'subsector',
  4: 'industry_group',
  5: 'naics_industry',
  6: 'national_industry',
}

/** Conversions by the manifest id of the CSV they make. */
export const AGENCY_CONVERSIONS: Readonly<Record<string, (bytes: Uint8Array) => Promise<string>>> =
  {
    'soc-definitions': sheetColumns(/./, [
      ['SOC Group', 'soc_group'],
      ['SOC Code', 'soc_code'],
      ['SOC Title', 'soc_title'],
      ['SOC Definition', 'soc_definition'],
    ]),
    'soc-direct-match': sheetColumns(/^Sorted by SOC$/i, [
      ['2018 SOC Code', 'soc_2018_code'],
      ['2018 SOC Title', 'soc_2018_title'],
      ['2018 SOC Direct Match Title', 'direct_match_title'],
      ['Illustrative Example', 'illustrative_example'],
    ]),
    'soc-2010-2018': sheetColumns(/^Sorted by 2010$/i, [
      ['2010 SOC Code', 'soc_2010_code'],
      ['2010 SOC Title', 'soc_2010_title'],
      ['2018 SOC Code', 'soc_2018_code'],
      ['2018 SOC Title', 'soc_2018_title'],
    ]),
    'ep-projections': async (b) => {
      const all = await sheetRows(b, /^Table 1\.2$/)
      const h = all.findIndex((r) => r.includes('2024 National Employment Matrix code'))
      if (h < 0) throw new Error('no header row in Table 1.2')
      const header = all[h] as string[]
      const codeAt = header.indexOf('2024 National Employment Matrix code')
      // the table's rows carry a matrix code; notes and sources below it do not
      const body = all
        .slice(h + 1)
        .filter((r) => /^\d{2}-\d{4}$/.test((r[codeAt] ?? '').trim()))
        .map((r) => header.map((_, i) => r[i] ?? ''))
      return csv(header, body)
    },
    'oews-national': (b) => wholeSheet(b, /national_M\d{4}_dl\.xlsx$/),
    'oews-sector': (b) => wholeSheet(b, /natsector_M\d{4}_dl\.xlsx$/),
    'census-occ-codes': async (b) => {
      const all = await sheetRows(b, /^2018 Census Occ Code List$/)
      const h = all.findIndex((r) => r.some((c) => c.trim() === '2018 Census Code'))
      if (h < 0) throw new Error('no header row in "2018 Census Occ Code List"')
      const header = (all[h] as string[]).map((c) => c.trim())
      const code = header.indexOf('2018 Census Code')
      const soc = header.indexOf('2018 SOC Code')
      const body: string[][] = []
      for (const r of all.slice(h + 1)) {
        const c = (r[code] ?? '').trim()
        // group headers hold a range of codes and their title one column to the left
        if (!/^\d{4}(-\d{4})?$/.test(c)) continue
        const title =
          r
            .slice(0, code)
            .reverse()
            .find((x) => x.trim() !== '') ?? ''
        body.push([
          title.trim(),
          c,
          (r[soc] ?? '').trim(),
          c.includes('-') ? 'group' : 'occupation',
        ])
      }
      return csv(['census_2018_title', 'census_2018_code', 'soc_2018_code', 'row_type'], body)
    },
    'cip-soc': sheetColumns(
      /^CIP-SOC$/,
      ['CIP2020Code', 'CIP2020Title', 'SOC2018Code', 'SOC2018Title'].map((c) => [c, c] as const),
    ),
    'naics-codes': async (b) => {
      const all = rows((await workbook(b, /\.xlsx$/)).worksheets[0] as ExcelJS.Worksheet)
      const body = table(all, 'Seq. No.', [
        'Seq. No.',
        '2022 NAICS US   Code',
        '2022 NAICS US Title',
      ])
        .filter((r) => (r[1] ?? '').trim() !== '')
        .map(([seq, code, title]) => {
          const c = (code ?? '').trim()
          const level = c.includes('-') ? 'sector' : (NAICS_LEVELS[c.length] ?? '')
          return [seq ?? '', c, (title ?? '').trim(), level]
        })
      return csv(['seq_no', 'naics_2022_code', 'naics_2022_title', 'level'], body)
    },
  }
