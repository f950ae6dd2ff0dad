/**
 * The occupation-code grammar: the ways people write SOC codes, parsed into one canonical form.
 *
 *   code      = major sep rest [ "." suffix ]
 *   major     = 2 digits            rest = 4 digits          suffix = 2 digits
 *   sep       = "-" | "‐" | "–" | " " | ""   (hyphen, Unicode hyphen, en dash, one space, or nothing)
 *
 * Canonical form: "NN-NNNN" or "NN-NNNN.NN". The level follows from the digits alone:
 * NN-0000 major, NN-N000 minor, NN-NNN0 broad, any other detailed; a suffix other than "00" makes an
 * extension (an Alaska code or an O*NET-SOC code), ".00" is the O*NET form of a detailed code.
 * Whether a code exists is the taxonomy's business (see check-code.ts); this file is pure syntax.
 */
import type { Issue, Result } from './errors.ts'
import { InputError } from './errors.ts'

export type Level = 'major' | 'minor' | 'broad' | 'detailed' | 'extension'

/** A syntactically valid code in canonical form, created only by parseCode/toCode. */
export type OccupationCode = string & { readonly __brand: 'OccupationCode' }

export type ParsedCode = {
  /** canonical "NN-NNNN" or "NN-NNNN.NN" */
  readonly code: OccupationCode
  readonly level: Level
  /** the six-digit part, "NN-NNNN" */
  readonly base: string
  /** the two-digit suffix, when one was written and is not "00" */
  readonly suffix: string | null
  /** true when the input carried the O*NET ".00" suffix */
  readonly onetForm: boolean
}

export const LEVELS: readonly Level[] = ['major', 'minor', 'broad', 'detailed', 'extension']

const EXPECTED = 'a SOC code such as 11-1021, 111021 or 11-1021.51'
const PATTERN = /^(\d{2})[-\u2010\u2011\u2013 ]?(\d{4})(?:\.(\d{2}))?$/

function fail(value: string, message: string, code = 'INVALID_CODE'): Result<ParsedCode> {
  const issue: Issue = { code, message, path: [], value, expected: EXPECTED }
  return { ok: false, issue }
}

function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text
  return JSON.stringify(shown)
}

/** The level a six-digit code has by its digits alone. */
export function levelOfDigits(six: string): Exclude<Level, 'extension'> {
  if (six.endsWith('0000')) return 'major'
  if (six.endsWith('000')) return 'minor'
  if (six.endsWith('0')) return 'broad'
  return 'detailed'
}

/** Parse any string into a canonical code. Never throws: bad input gives `ok: false` and an issue. */
/** A short, never-throwing rendering of any value for an error message. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  const t = typeof value
  if (t === 'number' || t === 'bigint' || t === 'boolean') return String(value)
  if (t === 'symbol' || t === 'function') return t
  return Array.isArray(value) ? 'array' : 'object'
}

export function parseCode(input: unknown): Result<ParsedCode> {
  if (typeof input !== 'string')
    return fail(describeValue(input), `occupation code must be text, got ${typeof input}`)
  const text = input.trim()
  if (text === '')
    return fail(input, 'empty occupation code: expected a SOC code such as 11-1021', 'EMPTY_CODE')
  const m = PATTERN.exec(text)
  if (!m) return fail(input, describeSyntaxError(text))
  const major = m[1] as string
  const rest = m[2] as string
  const suffix = m[3]
  const six = `${major}${rest}`
  const base = `${major}-${rest}`
  const sixLevel = levelOfDigits(six)
  if (suffix !== undefined && suffix !== '00') {
    if (sixLevel !== 'detailed') {
      return fail(
        input,
        `invalid occupation code ${quote(text)}: an extension suffix (.${suffix}) can only follow a detailed code, and ${base} is a ${sixLevel} group`,
      )
    }
    return {
      ok: true,
      value: {
        code: `${base}.${suffix}` as OccupationCode,
        level: 'extension',
        base,
        suffix,
        onetForm: false,
      },
    }
  }
  return {
    ok: true,
    value: {
      code: base as OccupationCode,
      level: sixLevel,
      base,
      suffix: null,
      onetForm: suffix === '00',
    },
  }
}

function describeSyntaxError(text: string): string {
  const q = quote(text)
  const digits = text.replace(/\D/g, '')
  if (/[^\d\s.\-\u2010\u2011\u2013]/.test(text)) {
    return `invalid occupation code ${q}: it contains characters other than digits, "-" and "."; expected ${EXPECTED}`
  }
  if (!text.includes('.') && digits.length > 0 && digits.length !== 6) {
    return `invalid occupation code ${q}: it has ${digits.length} digit${digits.length === 1 ? '' : 's'}, expected 6 (NN-NNNN) or 8 (NN-NNNN.NN)`
  }
  const [head, tail] = text.split('.', 2)
  if (tail !== undefined && !/^\d{2}$/.test(tail)) {
    return `invalid occupation code ${q}: the suffix after "." must be two digits (NN-NNNN.NN)`
  }
  if (head !== undefined && /^\d{2}[-\s]?\d+$/.test(head)) {
    const after = head.replace(/^\d{2}[-\s]?/, '')
    return `invalid occupation code ${q}: expected 4 digits after the major group, got ${after.length}`
  }
  return `invalid occupation code ${q}: expected ${EXPECTED}`
}

/** Parse a code that must be valid (literal codes, data files); throws InputError otherwise. */
export function toCode(text: string): OccupationCode {
  const r = parseCode(text)
  if (!r.ok) throw new InputError('INVALID_CODE', r.issue.message, [r.issue])
  return r.value.code
}

/** True when text is a syntactically valid code in any accepted form. */
export function isCode(text: unknown): boolean {
  return parseCode(text).ok
}

/** The canonical string of a parsed code; `onet: true` gives the O*NET form (NN-NNNN.00) of detailed codes. */
export function formatCode(code: ParsedCode, options: { readonly onet?: boolean } = {}): string {
  if (options.onet && code.level === 'detailed') return `${code.base}.00`
  return code.code
}

/** Six digits without separator ("111021"), as some payroll systems write codes. */
export function compactCode(code: ParsedCode): string {
  const digits = code.base.replace('-', '')
  return code.suffix ? `${digits}.${code.suffix}` : digits
}

/** The major group code a code falls in by its digits ("11-0000"). */
export function majorOf(code: string): string {
  return `${code.slice(0, 2)}-0000`
}
