/** Reading batch files of job titles line by line, in constant memory, and writing CSV lines. */
import type { CodeQuery } from '../core/coder/coder.ts'

export type Line = { readonly line: number; readonly text: string }

/**
 * Split a byte stream into lines (LF or CRLF), decoding UTF-8 with U+FFFD for invalid bytes and
 * dropping a leading BOM. Line numbers are 1-based. A final line without a newline counts; a file
 * ending in a newline has no extra empty line.
 */
export type SplitOptions = {
  /** 'utf-8' (invalid bytes become U+FFFD) or 'windows-1252' */
  readonly encoding?: 'utf-8' | 'windows-1252'
  /** longer lines are cut: the line is yielded with tooLong set and its text truncated */
  readonly maxLineLength?: number
}

export type SplitLine = Line & { readonly tooLong?: boolean }

/**
 * Split a byte stream into lines (LF or CRLF), decoding UTF-8 with U+FFFD for invalid bytes (or
 * Windows-1252) and dropping a leading BOM. Line numbers are 1-based. A final line without a newline
 * counts; a file ending in a newline has no extra empty line. Memory stays bounded by maxLineLength.
 */
export async function* splitLines(
  stream: AsyncIterable<Buffer | string>,
  options: SplitOptions = {},
): AsyncGenerator<SplitLine> {
  for await (const batch of splitLineBatches(stream, options)) yield* batch
}

const BATCH_LINES = 256

/** Lines in batches (up to 256): a caller handles them without a promise per line. */
export async function* splitLineBatches(
  stream: AsyncIterable<Buffer | string>,
  options: SplitOptions = {},
): AsyncGenerator<SplitLine[]> {
  const decoder = new TextDecoder(options.encoding ?? 'utf-8')
  const max = options.maxLineLength ?? Number.POSITIVE_INFINITY
  let pending = ''
  let line = 0
  let first = true
  let skipping = false
  let batch: SplitLine[] = []
  const take = (text: string): void => {
    if (skipping) {
      skipping = false
      return
    }
    batch.push({ line: ++line, text })
  }
  for await (const chunk of stream) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      first = false
    }
    pending += text
    let at = pending.indexOf('\n')
    let start = 0
    while (at >= 0) {
      const end = at > start && pending.charCodeAt(at - 1) === 13 ? at - 1 : at
      take(pending.slice(start, end))
      start = at + 1
      at = pending.indexOf('\n', start)
      // a bounded batch: a big chunk's lines are not all held at once
      if (batch.length >= BATCH_LINES) {
        yield batch
        batch = []
      }
    }
    pending = pending.slice(start)
    if (pending.length > max && !skipping) {
      // a line far too long: report it once, then drop the rest of it up to its newline
      batch.push({ line: ++line, text: pending.slice(0, 200), tooLong: true })
      skipping = true
      pending = ''
    } else if (skipping) pending = ''
    if (batch.length) {
      yield batch
      batch = []
    }
  }
  pending += decoder.decode()
  if (pending.length > 0) take(pending.endsWith('\r') ? pending.slice(0, -1) : pending)
  if (batch.length) yield batch
}

/** Parse one CSV line (RFC 4180 quoting); throws an Error naming the problem for a broken quote. */
export function parseCsvLine(text: string, delimiter = ','): string[] {
  const cells: string[] = []
  let i = 0
  const n = text.length
  while (i <= n) {
    if (text[i] === '"') {
      let v = ''
      i++
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted field')
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            v += '"'
            i += 2
          } else {
            i++
            break
          }
        } else v += text[i++]
      }
      cells.push(v)
      if (i < n && text[i] !== delimiter) throw new Error('text after a closing quote')
      i++
    } else {
      const j = text.indexOf(delimiter, i)
      const end = j < 0 ? n : j
      cells.push(text.slice(i, end))
      i = end + 1
    }
  }
  return cells
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

/** what a JSON value is, for a message: "a list", "an object", "a number", "null" */
function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

/**
 * One batch record (a JSON value) as a query: a title, or an object with "title" (or "job_title"),
 * "industry" (or "naics", text or a number) and "duties". Otherwise why not, for the caller to place.
 */
export function batchQuery(value: unknown): CodeQuery | string {
  if (typeof value === 'string') return { title: value }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'expected a title or an object with a "title" field'
  const o = value as Record<string, unknown>
  const title = o.title ?? o.job_title ?? o.jobTitle
  if (typeof title !== 'string')
    return `field "title" is ${title === undefined ? 'missing' : kindOf(title)}; expected text`
  const industry = o.industry ?? o.naics
  const duties = o.duties
  return {
    title,
    industry:
      typeof industry === 'string'
        ? industry
        : typeof industry === 'number'
          ? String(industry)
          : undefined,
    duties: typeof duties === 'string' ? duties : undefined,
  }
}
