/**
 * Parser for the text of the State of Alaska's SOC page (any major group): an introduction with the
 * coding rules, then minor-group headings, each followed by entries of the form
 *
 *   Broad Group: <title>
 *   SOC Code: <code> <title>
 *   SOC Description
 *   <text>
 *   SOC Example
 *   <title>, <title>, ...
 *
 * The page's text has lost its typographic characters: an apostrophe shows as "??" ("firm??s") and
 * a quoted title as "??Title? (code)". `repairText` restores them.
 */

export type StatePageEntry = {
  readonly code: string
  readonly title: string
  readonly broadGroup: string | null
  readonly section: string | null
  readonly description: string | null
  readonly examples: readonly string[]
  /** 1-based line of the "SOC Code:" line */
  readonly line: number
}

export type StatePage = {
  readonly title: string | null
  readonly intro: readonly string[]
  readonly sections: readonly { readonly heading: string; readonly codes: readonly string[] }[]
  readonly entries: readonly StatePageEntry[]
  readonly warnings: readonly string[]
}

/** Restore the characters the page lost: apostrophes and curly-quoted titles. */
export function repairText(text: string): string {
  return (
    text
      // quoted titles: ??Facilities Managers? (11-3013)
      .replace(/\?\?([^?]+?)\?(?=\s*\(|[\s,.;]|$)/g, '“$1”')
      // apostrophes inside words: firm??s, employee??s
      .replace(/(\w)\?\?(\w)/g, '$1’$2')
      .replace(/\s+/g, ' ')
      .trim()
  )
}

const CODE_LINE = /^SOC Code:\s*(\d{2}-\d{4}(?:\.\d{2})?)\s*(.*)$/
const BROAD_LINE = /^Broad Group:\s*(.*)$/

/** Split an examples line on commas, re-joining qualifiers like "Healthcare-specific". */
export function splitExamples(line: string): string[] {
  const parts = repairText(line)
    .split(/\s*,\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
  const out: string[] = []
  for (const p of parts) {
    const prev = out[out.length - 1]
    if (prev !== undefined && (/^[a-z]/.test(p) || /^[A-Z][a-z]+-specific$/.test(p))) {
      out[out.length - 1] = `${prev}, ${p}`
    } else out.push(p)
  }
  return out
}

export function parseStatePage(text: string): StatePage {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const warnings: string[] = []
  const entries: StatePageEntry[] = []
  const sections: { heading: string; codes: string[] }[] = []
  const intro: string[] = []
  let title: string | null = null
  let section: { heading: string; codes: string[] } | null = null
  let broad: string | null = null
  let cur: {
    code: string
    title: string
    line: number
    desc: string[]
    examples: string[]
    mode: 'none' | 'desc' | 'examples'
  } | null = null

  const flush = (): void => {
    if (!cur) return
    const description = cur.desc.length > 0 ? repairText(cur.desc.join(' ')) : null
    if (description === null)
      warnings.push(`line ${cur.line}: ${cur.code} has no description (truncated entry?)`)
    const entry: StatePageEntry = {
      code: cur.code,
      title: repairText(cur.title),
      broadGroup: broad,
      section: section?.heading ?? null,
      description,
      examples: cur.examples.flatMap(splitExamples),
      line: cur.line,
    }
    entries.push(entry)
    section?.codes.push(entry.code)
    cur = null
    broad = null
  }

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string
    const line = raw.trim()
    const lineNo = i + 1
    if (line === '') {
      if (cur && cur.mode !== 'none' && (cur.desc.length > 0 || cur.examples.length > 0))
        cur.mode = 'none'
      continue
    }
    const b = BROAD_LINE.exec(line)
    if (b) {
      flush()
      broad = repairText(b[1] ?? '')
      continue
    }
    const c = CODE_LINE.exec(line)
    if (c) {
      const pendingBroad: string | null = broad
      flush()
      broad = pendingBroad
      cur = {
        code: c[1] as string,
        title: c[2] ?? '',
        line: lineNo,
        desc: [],
        examples: [],
        mode: 'none',
      }
      continue
    }
    if (cur && line === 'SOC Description') {
      cur.mode = 'desc'
      continue
    }
    if (cur && line === 'SOC Example') {
      cur.mode = 'examples'
      continue
    }
    if (cur && cur.mode === 'desc') {
      cur.desc.push(line)
      continue
    }
    if (cur && cur.mode === 'examples') {
      cur.examples.push(line)
      continue
    }
    // anything else is the page title, an intro paragraph, or a section heading
    if (title === null && entries.length === 0 && !cur && intro.length === 0) {
      title = line
      continue
    }
    const nextBroad = lines.slice(i + 1).find((l) => l.trim() !== '')
    if (nextBroad !== undefined && BROAD_LINE.test(nextBroad.trim())) {
      flush()
      section = { heading: repairText(line), codes: [] }
      sections.push(section)
      continue
    }
    if (entries.length === 0 && !cur && sections.length === 0) {
      intro.push(repairText(line))
      continue
    }
    if (cur) {
      warnings.push(
        `line ${lineNo}: unexpected text in ${cur.code}: ${JSON.stringify(line.slice(0, 60))}`,
      )
    } else
      warnings.push(`line ${lineNo}: text outside any entry: ${JSON.stringify(line.slice(0, 60))}`)
  }
  flush()
  for (const e of entries) {
    if (/\?/.test(e.description ?? '') || /\?/.test(e.title)) {
      warnings.push(`line ${e.line}: ${e.code} still has a "?" after repair`)
    }
  }
  return { title, intro, sections, entries, warnings }
}
