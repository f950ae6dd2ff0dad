/** `soc find` (one title) and `soc code` (a batch, streamed: CSV, JSONL or plain lines). */
import { createReadStream } from 'node:fs'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import type { CodeQuery, CodeResult } from '../../core/coder/coder.ts'
import { CODED_THRESHOLD, naicsCodeIn } from '../../core/coder/coder.ts'
import { InputError } from '../../core/errors.ts'
import {
  batchQuery,
  csvLine,
  findColumns,
  parseCsvLine,
  splitLineBatches,
} from '../../ingest/batch.ts'
import { openCoder } from '../context.ts'
import type { Io } from '../io.ts'
import type { ParsedArgs } from '../main.ts'
import { UsageError } from '../main.ts'

export function parseK(text: string | undefined): number {
  if (text === undefined) return 5
  const k = Number(text)
  if (!Number.isInteger(k) || k < 1 || k > 50)
    throw new UsageError(`invalid -k ${JSON.stringify(text)}: expected a whole number from 1 to 50`)
  return k
}

function parseIndustry(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  // (as the coder reads one: "311712", "NAICS 311712", "311712 - Seafood Canning", "31-33")
  const code = naicsCodeIn(text)
  if (code === null)
    throw new UsageError(
      `invalid --industry ${JSON.stringify(text)}: expected a NAICS code of 2 to 6 digits`,
    )
  return code
}

export async function runFind(args: ParsedArgs, io: Io): Promise<number> {
  const title = args.positionals.join(' ')
  if (title.trim() === '')
    throw new UsageError('find needs a job title, e.g. soc find "slime line worker"')
  const k = parseK(args.k)
  const industry = parseIndustry(args.industry)
  const coder = await openCoder(args, io)
  const r = coder.code({ title, industry, duties: args.duties }, { k })
  if (args.json) {
    io.stdout(
      `${JSON.stringify({ input: { title, industry: industry ?? null, duties: args.duties ?? null }, ...r })}\n`,
    )
    return r.status === 'uncodable' ? 1 : 0
  }
  if (r.status === 'uncodable') {
    io.stdout(`uncodable: ${r.notes.join('; ')}\n`)
    return 1
  }
  const lines = [
    `${r.status === 'coded' ? 'coded' : `review (confidence below ${CODED_THRESHOLD})`}`,
  ]
  for (const c of r.candidates) {
    const pct = `${Math.round(c.confidence * 100)}%`.padStart(4)
    lines.push(
      `  ${c.code.padEnd(10)} ${pct}  ${c.title}${c.matched ? `   <- "${c.matched.title}" (${c.matched.source})` : ''}`,
    )
  }
  if (r.group)
    lines.push(
      `  likely ${r.group.level} group: ${r.group.code} ${r.group.title} (${Math.round(r.group.confidence * 100)}%)`,
    )
  const read = industry ? coder.industryTitle(industry) : null
  if (read) lines.push(`  industry: ${industry} read as ${read.code} ${read.title}`)
  for (const n of r.notes) lines.push(`  note: ${n}`)
  io.stdout(`${lines.join('\n')}\n`)
  return 0
}

type Format = 'csv' | 'jsonl' | 'text'
const FORMATS: readonly Format[] = ['csv', 'jsonl', 'text']

/** One input record, as read: its line, the query, or why it cannot be read. */
type InRecord = {
  line: number
  raw: unknown
  query: CodeQuery | null
  error: string | null
  cells?: string[]
}

export async function runCode(args: ParsedArgs, io: Io): Promise<number> {
  const file = args.positionals[0]
  if (args.positionals.length > 1)
    throw new UsageError('code takes at most one input file (or reads stdin)')
  if (args.format !== undefined && !FORMATS.includes(args.format as Format)) {
    throw new UsageError(
      `unknown format ${JSON.stringify(args.format)}; expected one of: ${FORMATS.join(', ')}`,
    )
  }
  const k = parseK(args.k)
  const defaultIndustry = parseIndustry(args.industry)
  let input: NodeJS.ReadableStream
  if (file !== undefined && file !== '-') {
    input = createReadStream(file)
    await new Promise<void>((ok, fail) => {
      ;(input as ReturnType<typeof createReadStream>).once('open', () => ok())
      ;(input as ReturnType<typeof createReadStream>).once('error', (err: NodeJS.ErrnoException) =>
        fail(
          new InputError(
            'BAD_FILE',
            `cannot read ${JSON.stringify(file)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
            [],
          ),
        ),
      )
    })
  } else {
    if (!io.stdin) throw new UsageError('code needs an input file or records on stdin')
    input = io.stdin
  }
  const coder = await openCoder(args, io)
  const byExt = file
    ? ({ '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.txt': 'text' } as const)[
        extname(file).toLowerCase() as '.csv'
      ]
    : undefined
  let format: Format | undefined = (args.format as Format | undefined) ?? byExt
  const out = bufferedWriter(io)
  const progress = io.stderrIsTTY ? progressBar(io) : null
  let header: string[] | null = null
  let cols: ReturnType<typeof findColumns> | null = null
  let count = 0
  let uncodable = 0
  let errors = 0
  const emit = (rec: InRecord) => {
    const r: CodeResult | null = rec.query
      ? coder.code({ ...rec.query, industry: rec.query.industry ?? defaultIndustry }, { k })
      : null
    count++
    if (rec.error) errors++
    else if (r?.status === 'uncodable') uncodable++
    if (format === 'csv') out.write(csvResultLine(rec, r, header?.length ?? 0))
    else out.write(`${JSON.stringify(jsonResult(rec, r))}\n`)
    progress?.tick(count)
  }
  // the lines of each chunk are coded in one go: no promise per record
  for await (const batch of splitLineBatches(Readable.from(input as AsyncIterable<Buffer>)))
    for (const { line, text } of batch) {
      if (format === undefined) {
        if (text.trim() === '') {
          // a leading blank line: still one record, in the format the rest will show
          format = 'jsonl'
        } else format = text.trimStart().startsWith('{') ? 'jsonl' : 'csv'
      }
      if (format === 'csv') {
        if (header === null) {
          header = csvCells(text, line)
          cols = findColumns(header)
          if (cols.title < 0) {
            throw new InputError(
              'MISSING_COLUMN',
              `no title column in the CSV header at line ${line} (${header.map((h) => JSON.stringify(h)).join(', ')}): expected one named title, job title, position or occupation title`,
              [
                {
                  code: 'MISSING_COLUMN',
                  message: 'no title column',
                  path: [line],
                  expected: 'a title column',
                },
              ],
            )
          }
          out.write(csvLine([...header, 'soc_code', 'soc_title', 'confidence', 'status']))
          continue
        }
        let cells: string[]
        try {
          cells = csvCells(text, line)
        } catch (err) {
          emit({ line, raw: text, query: null, error: (err as Error).message, cells: [text] })
          continue
        }
        const c = cols as NonNullable<typeof cols>
        const title = cells[c.title] ?? ''
        emit({
          line,
          raw: text,
          cells,
          query: {
            title,
            industry: c.industry >= 0 ? cells[c.industry] || undefined : undefined,
            duties: c.duties >= 0 ? cells[c.duties] : undefined,
          },
          error: null,
        })
      } else if (format === 'jsonl') {
        if (text.trim() === '') {
          emit({ line, raw: null, query: { title: '' }, error: null })
          continue
        }
        let value: unknown
        try {
          value = JSON.parse(text)
        } catch (err) {
          emit({
            line,
            raw: null,
            query: null,
            error: `line ${line}: invalid JSON (${(err as Error).message})`,
          })
          continue
        }
        const q = batchQuery(value)
        if (typeof q === 'string')
          emit({ line, raw: value, query: null, error: `line ${line}: ${q}` })
        else emit({ line, raw: value, query: q, error: null })
      } else {
        emit({ line, raw: text, query: { title: text }, error: null })
      }
    }
  out.flush()
  progress?.done(count)
  if (errors || uncodable)
    io.stderr(`soc: ${count} records: ${errors} unreadable, ${uncodable} uncodable\n`)
  return errors > 0 ? 1 : 0
}

function jsonResult(rec: InRecord, r: CodeResult | null): unknown {
  if (!r)
    return { input: rec.raw, line: rec.line, candidates: [], status: 'error', error: rec.error }
  return {
    input: rec.raw,
    candidates: r.candidates.map((c) => ({
      code: c.code,
      title: c.title,
      score: c.score,
      confidence: c.confidence,
      matched: c.matched,
    })),
    status: r.status,
    ...(r.group ? { group: r.group } : {}),
    ...(r.notes.length ? { notes: r.notes } : {}),
  }
}

function csvResultLine(rec: InRecord, r: CodeResult | null, width: number): string {
  const cells = (rec.cells ?? []).slice(0, Math.max(width, rec.cells?.length ?? 0))
  while (cells.length < width) cells.push('')
  if (!r) return csvLine([...cells, '', '', '', `error: ${rec.error}`])
  const top = r.candidates[0]
  return csvLine([
    ...cells,
    top?.code ?? '',
    top?.title ?? '',
    top ? String(top.confidence) : '',
    r.status,
  ])
}

function csvCells(text: string, line: number): string[] {
  try {
    return parseCsvLine(text)
  } catch (err) {
    throw new Error(`line ${line}: ${(err as Error).message}`)
  }
}

function bufferedWriter(io: Io): { write(s: string): void; flush(): void } {
  let buf: string[] = []
  let size = 0
  return {
    write(s) {
      buf.push(s)
      size += s.length
      if (size > 1 << 16) this.flush()
    },
    flush() {
      if (buf.length) io.stdout(buf.join(''))
      buf = []
      size = 0
    },
  }
}

function progressBar(io: Io): { tick(n: number): void; done(n: number): void } {
  const t0 = Date.now()
  let last = 0
  return {
    tick(n) {
      const now = Date.now()
      if (now - last < 200) return
      last = now
      io.stderr(`\rsoc code: ${n} records, ${Math.round(n / Math.max(0.001, (now - t0) / 1000))}/s`)
    },
    done(n) {
      io.stderr(`\rsoc code: ${n} records in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
    },
  }
}
