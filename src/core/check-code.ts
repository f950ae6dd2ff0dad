/** The grammar's verdict on a code against the taxonomy: reportable or not, and why, in one sentence. */
import type { Level } from './codes.ts'
import { levelOfDigits, parseCode } from './codes.ts'
import { memoPerOwner } from './memo.ts'
import type { Taxonomy } from './taxonomy.ts'

export type VerdictKind =
  | 'reportable'
  | 'empty'
  | 'malformed'
  | 'naics'
  | 'unknown'
  | 'group'
  | 'soc2010'
  | 'onet'
  | 'unknown-extension'
  | 'legacy-extension'

export type Suggestion = { readonly code: string; readonly title: string }

export type Verdict = {
  readonly input: string
  readonly ok: boolean
  readonly kind: VerdictKind
  /** canonical code, when the input parsed */
  readonly code: string | null
  readonly level: Level | null
  readonly title: string | null
  /** one sentence: what is wrong (or right), the value, what is expected */
  readonly message: string
  /** codes to use instead (successors, children, nearest codes) */
  readonly suggestions: readonly Suggestion[]
}

const MAX_SUGGESTIONS = 8

function q(text: string): string {
  const t = text.trim()
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t)
}

/** verdicts remembered per taxonomy, up to this many texts */
const verdictOf = memoPerOwner(20_000, (taxonomy: Taxonomy, input: string) =>
  computeVerdict(input, taxonomy),
)

/**
 * Check one code as an employer would write it. Never throws. Verdicts are remembered per taxonomy
 * (a wage file repeats its codes): the same text gets the same (immutable) verdict.
 */
export function checkCode(input: string, taxonomy: Taxonomy): Verdict {
  if (typeof input !== 'string') return computeVerdict(String(input), taxonomy)
  return verdictOf(taxonomy, input)
}

function computeVerdict(input: string, taxonomy: Taxonomy): Verdict {
  const text = input
  const trimmed = text.trim()
  const base = {
    input: text,
    code: null,
    level: null,
    title: null,
    suggestions: [] as Suggestion[],
  }
  const naics = naicsLike(trimmed, taxonomy)
  const parsed = parseCode(text)
  if (!parsed.ok) {
    if (trimmed === '') {
      return {
        ...base,
        ok: false,
        kind: 'empty',
        message: 'no occupation code given: expected a six-digit SOC code such as 11-1021',
      }
    }
    if (naics) return naicsVerdict(text, naics)
    return {
      ...base,
      ok: false,
      kind: 'malformed',
      message: parsed.issue.message,
      suggestions: nearestCodes(trimmed, taxonomy),
    }
  }
  const p = parsed.value
  const entry = taxonomy.get(p.code)
  const suggestions = (codes: readonly string[]): Suggestion[] =>
    codes.slice(0, MAX_SUGGESTIONS).flatMap((c) => {
      const e = taxonomy.get(c)
      return e ? [{ code: e.code, title: e.title }] : []
    })

  if (entry && taxonomy.isReportable(entry.code)) {
    const note = p.onetForm ? ` (written in O*NET form; report it as ${entry.code})` : ''
    return {
      ...base,
      ok: true,
      kind: 'reportable',
      code: entry.code,
      level: entry.level,
      title: entry.title,
      message: `${entry.code} ${entry.title} is a reportable ${entry.level === 'extension' ? 'Alaska extension' : 'detailed'} code${note}`,
    }
  }
  if (entry && entry.level === 'extension') {
    const successors = entry.alaska?.successors ?? []
    return {
      ...base,
      ok: false,
      kind: 'legacy-extension',
      code: entry.code,
      level: entry.level,
      title: entry.title,
      message: `${q(text)} is a legacy Alaska code built on SOC 2010 (${entry.title}); report ${successors.length === 1 ? `its SOC 2018 successor ${successors[0]}` : `${successors[0]}, its SOC 2018 successor that best matches the title (the others: ${successors.slice(1).join(', ')})`}`,
      suggestions: suggestions(successors),
    }
  }
  if (entry) {
    const leaves = taxonomy.groupEntries(entry.code).filter((e) => taxonomy.isReportable(e.code))
    return {
      ...base,
      ok: false,
      kind: 'group',
      code: entry.code,
      level: entry.level,
      title: entry.title,
      message: `${entry.code} is a ${entry.level} group (${entry.title}), not a reportable code: choose one of its ${leaves.length} detailed codes${leaves.length <= 4 ? ` (${leaves.map((l) => l.code).join(', ')})` : ''}`,
      suggestions: suggestions(leaves.map((l) => l.code)),
    }
  }
  if (p.level === 'extension') {
    const parent = taxonomy.get(p.base)
    const onetTitle = parent?.onet.find((o) => o.code === p.code)?.title
    if (parent && onetTitle) {
      return {
        ...base,
        ok: false,
        kind: 'onet',
        code: p.code,
        level: p.level,
        title: onetTitle,
        message: `${q(text)} is an O*NET-SOC occupation (${onetTitle}), not an Alaska code: report its SOC code ${parent.code} ${parent.title}`,
        suggestions: suggestions([parent.code]),
      }
    }
    if (parent) {
      const known = taxonomy.children(parent.code).filter((c) => c.level === 'extension')
      const list =
        known.length > 0 ? `; Alaska codes under it: ${known.map((k) => k.code).join(', ')}` : ''
      return {
        ...base,
        ok: false,
        kind: 'unknown-extension',
        code: p.code,
        level: p.level,
        message: `${q(text)} is not an Alaska extension code: report ${parent.code} ${parent.title}${list}`,
        suggestions: suggestions([parent.code, ...known.map((k) => k.code)]),
      }
    }
  }
  const old = taxonomy.soc2010(p.base)
  if (old && p.level !== 'extension') {
    return {
      ...base,
      ok: false,
      kind: 'soc2010',
      code: p.base,
      level: 'detailed',
      title: old.title,
      message: `${p.base} (${old.title}) is a SOC 2010 code that SOC 2018 replaced: report ${old.successors.length === 1 ? '' : 'one of '}${old.successors.join(', ')}`,
      suggestions: suggestions(old.successors),
    }
  }
  if (naics) return naicsVerdict(text, naics)
  const near = nearestCodes(p.base, taxonomy)
  const noMajor = !taxonomy.get(`${p.base.slice(0, 2)}-0000`)
  const why = noMajor
    ? `there is no major group ${p.base.slice(0, 2)}`
    : `no ${levelOfDigits(p.base.replace('-', ''))} code ${p.base} in SOC 2018`
  return {
    ...base,
    ok: false,
    kind: 'unknown',
    code: p.code,
    level: p.level,
    message: `unknown occupation code ${q(text)}: ${why}${near.length > 0 ? `; nearest codes: ${near.map((n) => n.code).join(', ')}` : ''}`,
    suggestions: near,
  }
}

function naicsVerdict(input: string, naics: { code: string; title: string }): Verdict {
  return {
    input,
    ok: false,
    kind: 'naics',
    code: null,
    level: null,
    title: null,
    message: `${q(input)} looks like a NAICS industry code (${naics.code} ${naics.title}), not an occupation: the occupation field needs the SOC code of the work the employee performs`,
    suggestions: [],
  }
}

/** A digits-only value of 2 to 6 digits that is a NAICS 2022 code and not a SOC code. */
function naicsLike(text: string, taxonomy: Taxonomy): { code: string; title: string } | null {
  if (!/^\d{2,6}$/.test(text)) return null
  if (text.length === 6 && taxonomy.has(text)) return null
  // the code itself, or (for a code retired in NAICS 2022, such as 311712) its industry group
  for (let len = text.length; len >= Math.min(4, text.length); len--) {
    const code = text.slice(0, len)
    const title = taxonomy.naicsTitle(code)
    if (title) return { code, title }
  }
  return null
}

const DIGITS = new WeakMap<Taxonomy, readonly (readonly [string, string])[]>()

/** Each reportable code with its digits, computed once per taxonomy. */
function reportableDigits(taxonomy: Taxonomy): readonly (readonly [string, string])[] {
  let d = DIGITS.get(taxonomy)
  if (!d) {
    d = taxonomy.reportableCodes().map((c) => [c, c.replace(/\D/g, '')] as const)
    DIGITS.set(taxonomy, d)
  }
  return d
}

/** Reportable codes within a small digit edit distance of the input, nearest first. */
export function nearestCodes(text: string, taxonomy: Taxonomy, limit = 5): Suggestion[] {
  const digits = text.replace(/\D/g, '').slice(0, 8)
  if (digits.length < 4) return []
  const scored: { code: string; title: string; d: number; prefix: number }[] = []
  for (const [code, cd] of reportableDigits(taxonomy)) {
    const d = digitDistance(digits, cd.slice(0, Math.max(6, Math.min(digits.length, cd.length))))
    if (d > 2) continue
    let prefix = 0
    while (prefix < digits.length && digits[prefix] === cd[prefix]) prefix++
    const e = taxonomy.get(code)
    if (e) scored.push({ code, title: e.title, d, prefix })
  }
  scored.sort((a, b) => a.d - b.d || b.prefix - a.prefix || (a.code < b.code ? -1 : 1))
  return scored.slice(0, limit).map(({ code, title }) => ({ code, title }))
}

/** Damerau-Levenshtein (optimal string alignment) distance between two short digit strings. */
function digitDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[] = new Array(rows * cols).fill(0)
  for (let i = 0; i < rows; i++) d[i * cols] = i
  for (let j = 0; j < cols; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(
        (d[(i - 1) * cols + j] ?? 0) + 1,
        (d[i * cols + j - 1] ?? 0) + 1,
        (d[(i - 1) * cols + j - 1] ?? 0) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (d[(i - 2) * cols + j - 2] ?? 0) + 1)
      }
      d[i * cols + j] = v
    }
  }
  return d[rows * cols - 1] ?? 0
}
