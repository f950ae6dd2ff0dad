/** Reading batch files of job titles line by line, in constant memory, and writing CSV lines. */
import { StringDecoder } from 'node:string_decoder'

export type Line = { readonly line: number; readonly text: string }

/**
 * Split a byte stream into lines (LF or CRLF), decoding UTF-8 with U+FFFD for invalid bytes and
 * dropping a leading BOM. Line numbers are 1-based. A final line without a newline counts; a file
 * ending in a newline has no extra empty line.
 */
export async function* splitLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let line = 0
  let first = true
  for await (const chunk of stream) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk)
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      first = false
    }
    pending += text
    let at = pending.indexOf('\n')
    let start = 0
    while (at >= 0) {
      const end = at > start && pending.charCodeAt(at - 1) === 13 ? at - 1 : at
      yield { line: ++line, text: pending.slice(start, end) }
      start = at + 1
      at = pending.indexOf('\n', start)
    }
    pending = pending.slice(start)
  }
  pending += decoder.end()
  if (pending.length > 0)
    yield { line: ++line, text: pending.endsWith('\r') ? pending.slice(0, -1) : pending }
}

/** One CSV line (RFC 4180 quoting, LF), with a leading ' before text a spreadsheet would run as a formula. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`
}

function csvCell(value: string): string {
  let v = value
  if (/^[=+\-@\t\r]/.test(v) && !/^[-+]?\d/.test(v)) v = `'${v}`
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

const TITLE_NAMES = [
  'title',
  'job title',
  'job_title',
  'jobtitle',
  'position',
  'position title',
  'occupation title',
  'occupation',
  'job',
]
const DUTIES_NAMES = ['duties', 'job duties', 'description', 'job description', 'tasks']
const INDUSTRY_NAMES = ['industry', 'naics', 'naics code', 'naics_code', 'industry code']

export type BatchColumns = {
  readonly title: number
  readonly duties: number
  readonly industry: number
}

/** Find the title, duties and industry columns of a header by name (case and spacing ignored). */
export function findColumns(header: readonly string[]): BatchColumns {
  const names = header.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, ' '),
  )
  const find = (wanted: readonly string[]) => {
    for (const w of wanted) {
      const i = names.indexOf(w.replace(/_/g, ' '))
      if (i >= 0) return i
    }
    return -1
  }
  return { title: find(TITLE_NAMES), duties: find(DUTIES_NAMES), industry: find(INDUSTRY_NAMES) }
}
