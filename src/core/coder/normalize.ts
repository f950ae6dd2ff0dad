/**
 * Normalisation of job titles as people write them: entities, accents, case, punctuation, phrases,
 * abbreviations, gendered forms, plurals, spelling variants, status and level words, the head noun,
 * and the parts of titles that join two jobs ("Cook/Dishwasher"). The word lists are data
 * (data/lexicon.json), passed in as a Lexicon; this module does no I/O.
 */
import { DataError } from '../errors.ts'
import { memoPerOwner } from '../memo.ts'
import { objectArray } from './shapes.ts'

export type Lexicon = {
  readonly entities: ReadonlyMap<string, string>
  readonly abbreviations: ReadonlyMap<string, string>
  /** capitalised acronyms that are also words ("IS", "OR"), read as acronyms where a title starts */
  readonly acronyms: ReadonlyMap<string, string>
  readonly gendered: ReadonlyMap<string, string>
  readonly irregularPlurals: ReadonlyMap<string, string>
  readonly variants: ReadonlyMap<string, string>
  readonly phrases: ReadonlyMap<string, string>
  readonly statusWords: ReadonlySet<string>
  /** Alaska's places, as employers add them to a title ("Laborer - Prudhoe Bay"): dropped like status words */
  readonly placeNames: ReadonlySet<string>
  /**
   * words that, in a parenthesis or after a dash, say when or where the job is done, or which
   * posting it is ("Cook (Day/Night)", "Guide - Summer", "Clerk - Req 1234"): dropped there, kept
   * in the title's main part ("Night Auditor", "Summer Camp Counselor")
   */
  readonly qualifierWords: ReadonlySet<string>
  /**
   * words of a job posting, not of the work ("New", "Urgent", "Req", "Sign-on Bonus"): dropped in
   * a parenthesis or after a dash, alone or not, and before the dash or colon of a title that
   * follows ("NEW - Cook", "Now Hiring: Cook"); kept in the main part ("New Accounts Clerk")
   */
  readonly postingWords: ReadonlySet<string>
  /**
   * how a job is staffed or when it is worked, before an official title ("Relief Cook", "Float
   * Nurse", "Summer Cook"): the coder reads the official title (not "Licensed", "Bilingual": they
   * may make another occupation)
   */
  readonly leadingWords: ReadonlySet<string>
  /** the last word of an employer's name ("Denali Lodge", "ABC Company"): such a segment is dropped */
  readonly employerWords: ReadonlySet<string>
  /** real words a slip of a gendered form would be read as ("charwoman" is no "chairwoman") */
  readonly notSlips: ReadonlySet<string>
  readonly levelWords: ReadonlySet<string>
  /**
   * level words that are also the noun of an occupation: the head when they end a title after a
   * plain word ("Assistant Principal", "Team Lead", "Department Head"), a level word before one
   */
  readonly levelNouns: ReadonlySet<string>
  readonly stopWords: ReadonlySet<string>
  readonly headFirst: ReadonlySet<string>
  /** nouns of jobs that serve someone, whose "to" names whom ("Assistant to the CEO", "Liaison to ...") */
  readonly servingNouns: ReadonlySet<string>
  readonly headForms: ReadonlyMap<string, string>
}

/** The lexicon's word maps, by their key in data/lexicon.json. */
export const LEXICON_MAPS = [
  'entities',
  'abbreviations',
  'acronyms',
  'gendered',
  'irregularPlurals',
  'variants',
  'phrases',
  'headForms',
] as const
const SET_KEYS = [
  'statusWords',
  'placeNames',
  'qualifierWords',
  'postingWords',
  'leadingWords',
  'employerWords',
  'notSlips',
  'levelWords',
  'levelNouns',
  'stopWords',
  'headFirst',
  'servingNouns',
] as const

/** Validate the lexicon's JSON (data/lexicon.json) and index it. */
export function createLexicon(raw: unknown, source = 'data/lexicon.json'): Lexicon {
  if (typeof raw !== 'object' || raw === null) {
    throw new DataError('BAD_FILE', source, 'expected a JSON object')
  }
  const obj = raw as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of LEXICON_MAPS) {
    const v = obj[key]
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new DataError('BAD_FILE', source, `"${key}" must be an object of strings`)
    }
    const m = new Map<string, string>()
    for (const [k, val] of Object.entries(v)) {
      if (k.startsWith('$')) continue // a comment
      if (typeof val !== 'string') {
        throw new DataError(
          'BAD_FILE',
          source,
          `"${key}.${k}" is ${JSON.stringify(val)}; expected a string`,
        )
      }
      m.set(k.toLowerCase(), val.toLowerCase())
    }
    out[key] = m
  }
  for (const key of SET_KEYS) {
    const v = obj[key]
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw new DataError('BAD_FILE', source, `"${key}" must be an array of strings`)
    }
    // an entry starting with "$" is a comment, as in the maps
    out[key] = new Set(
      (v as string[]).filter((x) => !x.startsWith('$')).map((x) => x.toLowerCase()),
    )
  }
  return out as Lexicon
}

/** How much a token counts: a plain word 1; a level word (Senior, II) or a parenthesis less. */
export type TokenRole = 'word' | 'level' | 'paren'

export const ROLE_WEIGHT: Readonly<Record<TokenRole, number>> = { word: 1, level: 0.35, paren: 0.5 }

export type NormalizedTitle = {
  /** distinct normalised tokens, in first-seen order */
  readonly tokens: readonly string[]
  /** the role of each token (parallel to tokens) */
  readonly roles: readonly TokenRole[]
  /** head nouns: the last word of the main part, the word before "of", a leading "Helper" ... */
  readonly heads: readonly string[]
  /** the separate jobs of a title that joins two ("Cook/Dishwasher"), each normalised; empty if one job */
  readonly parts: readonly NormalizedTitle[]
  /** words that were dropped as status words (Seasonal, Part-time) or places (Kodiak) */
  readonly dropped: readonly string[]
}

/**
 * No parts: an empty array of the elements kind a filled one has (objects), so that code reading
 * parts sees one array map and is not deoptimised by the other
 */
const NO_PARTS: readonly NormalizedTitle[] = objectArray<NormalizedTitle>()

const EMPTY: NormalizedTitle = { tokens: [], roles: [], heads: [], parts: NO_PARTS, dropped: [] }

const ACCENT_ENTITY = /^([a-z])(acute|grave|circ|uml|tilde|cedil|ring|slash|caron)$/i

/** Decode HTML character references: named ones from the lexicon, accented letters, numeric. */
export function decodeEntities(text: string, lex: Lexicon): string {
  if (!text.includes('&')) return text
  return text.replace(
    /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});?/gi,
    (all, name: string) => {
      if (name[0] === '#') {
        const n =
          name[1] === 'x' || name[1] === 'X'
            ? Number.parseInt(name.slice(2), 16)
            : Number(name.slice(1))
        return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : ' '
      }
      const known = lex.entities.get(name.toLowerCase())
      if (known !== undefined) return known
      const accent = ACCENT_ENTITY.exec(name)
      if (accent) return accent[1] as string
      return all
    },
  )
}

/** the characters Windows-1252 puts at bytes 0x80-0x9f, by byte (the rest of 0x80-0xff are Latin-1's) */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178'
const CP1252_BYTE = new Map([...CP1252_HIGH].map((c, i) => [c, 0x80 + i]))
/** a UTF-8 sequence read as Windows-1252 or Latin-1: a lead byte's letter and a continuation's */
const MOJIBAKE =
  /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]/

/**
 * Text whose UTF-8 was read as Windows-1252 or Latin-1, as some spreadsheets export it
 * ("AlbaÃ±il", "Cook â€“ Nights"), read again as UTF-8; other text as it is.
 */
export function repairMojibake(text: string): string {
  if (!MOJIBAKE.test(text)) return text
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const b = c <= 0xff ? c : CP1252_BYTE.get(text[i] as string)
    if (b === undefined) return text
    bytes[i] = b
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return text
  }
}

/** words of a form's label before a title ("Job Title:", "Position -") */
export const LABEL_WORDS: ReadonlySet<string> = new Set([
  'title',
  'role',
  'occupation',
  'position',
  'job',
])
/** a form's label before the title, in folded text: "job title:", "position -" */
const FORM_LABEL = new RegExp(
  `^(?:(?:job|position|occupation)\\s+)?(?:${[...LABEL_WORDS].join('|')})\\s*(?::|-+|\u2013)\\s*`,
)

/**
 * The first capitalised acronym of a title after its leading status, posting, level or label words
 * and employers' codes ("A123 OR Tech").
 */
function acronymAfterLead(text: string, lex: Lexicon): string {
  const parts = text.split(/(\s+)/)
  for (let i = 0; i < parts.length - 2; i += 2) {
    const w = parts[i] as string
    const full = /^[A-Z]{2,}$/.test(w) ? lex.acronyms.get(w.toLowerCase()) : undefined
    if (full !== undefined) {
      if (i === 0) return text
      parts[i] = full
      return parts.join('')
    }
    const bare = w.replace(/[^A-Za-z-]/g, '').toLowerCase()
    if (bare === '' || JOB_CODE.test(w.replace(/[^A-Za-z0-9]/g, '').toLowerCase())) continue
    if (
      !lex.statusWords.has(bare) &&
      !lex.postingWords.has(bare) &&
      !lex.levelWords.has(bare) &&
      !LABEL_WORDS.has(bare)
    )
      return text
  }
  return text
}

/** Fold case, accents and typographic punctuation; keep letters, digits and the separators we use. */
export function foldText(text: string, lex: Lexicon): string {
  let s = decodeEntities(repairMojibake(text), lex)
  // "IS Manager", "OR Nurse": a capitalised acronym that is also a word, where a title or a part
  // starts, in a title not written all in capitals ("COOK OR HELPER" keeps its "or")
  if (lex.acronyms.size > 0 && /[a-z]/.test(s)) {
    s = s.replace(/(^|[(/]\s*)([A-Z]{2,})(?=\s)/g, (m, before: string, word: string) => {
      const full = lex.acronyms.get(word.toLowerCase())
      return full ? `${before}${full}` : m
    })
    // and where the title starts after status, posting, level or form words ("Temporary OR Tech",
    // "*NEW* IS Manager", "Job Title: IS Director")
    if (/\s[A-Z]{2,}\s/.test(s)) s = acronymAfterLead(s, lex)
  }
  // printable ASCII (most titles) needs no Unicode folding
  const ascii = /^[\x20-\x7e]*$/.test(s)
  if (!ascii) {
    s = s
      // trade and service marks ("Crew Member\u2122"): NFKD would make them the letters TM and SM
      .replace(/[\u2122\u2120\u00ae\u00a9]/g, ' ')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
      .replace(/[\u2010-\u2015\u2212]/g, '-')
      .replace(/[\p{C}]/gu, ' ')
  }
  // "RNs", "VPs", "CNAs": an acronym in capitals with a plural s is the acronym
  if (/[A-Z]s\b/.test(s)) s = s.replace(/\b([A-Z]{2,})s\b/g, '$1')
  s = s.toLowerCase()
  if (s.includes("'")) {
    // possessives and stray apostrophes: "waiter's" -> "waiter", "o'brien" -> "obrien"
    s = s
      .replace(/'s\b/g, '')
      .replace(/s'(?=\s|$|[^a-z])/g, 's')
      .replace(/'/g, '')
  }
  return s
}

/** Singular of a (lower-case) word, by the lexicon's irregular forms and the regular English rules. */
export function singularize(word: string, lex: Lexicon): string {
  const irregular = lex.irregularPlurals.get(word)
  if (irregular !== undefined) return irregular
  const n = word.length
  if (n <= 3 || !/^[a-z]+$/.test(word)) return word
  if (word.endsWith('ies') && n > 4) return `${word.slice(0, -3)}y`
  // "linemen", "cameramen": compounds of "man" (singular words in -men are listed as irregular)
  if (word.endsWith('men') && n > 4) return `${word.slice(0, -3)}man`
  if (/(ss|us|is|ous|ics)$/.test(word)) return word
  if (/(sses|xes|ches|shes|zzes)$/.test(word)) return word.slice(0, -2)
  if (word.endsWith('s')) return word.slice(0, -1)
  return word
}

/** Replace a (single) word by its canonical form(s): abbreviation, gendered form, variant, singular. */
export function canonicalWords(word: string, lex: Lexicon): readonly string[] {
  return canonicalMemo(lex, word)
}

/** each lexicon's canonical forms of the words met (a pure function of the word, asked again and again) */
const canonicalMemo = memoPerOwner(50_000, (lex: Lexicon, word: string) => canonicalOf(word, lex))

function canonicalOf(word: string, lex: Lexicon): readonly string[] {
  const clean = word.replace(/^[-.]+|[-.]+$/g, '').replace(/\./g, '')
  if (clean === '') return []
  const abbr = lex.abbreviations.get(clean)
  if (abbr !== undefined) return abbr.split(' ').flatMap((w) => canonicalWords(w, lex))
  const gendered = lex.gendered.get(clean)
  if (gendered !== undefined) return gendered.split(' ')
  const variant = lex.variants.get(clean)
  if (variant !== undefined) return variant.split(' ').map((w) => singularize(w, lex))
  const single = singularize(clean, lex)
  // a plural abbreviation ("Admins", "Mgrs", "C.N.A.s")
  const abbr2 = single !== clean ? lex.abbreviations.get(single) : undefined
  if (abbr2 !== undefined) return abbr2.split(' ').flatMap((w) => canonicalWords(w, lex))
  const g2 = lex.gendered.get(single)
  if (g2 !== undefined) return g2.split(' ')
  const v2 = lex.variants.get(single)
  if (v2 !== undefined) return v2.split(' ')
  // a gendered form with a letter left out or two swapped ("Hostes", "Policwoman", "Waitres"): the
  // coder's spelling look-up cannot find it, for the index holds only its canonical form
  const slip = clean.length >= 5 ? genderedSlips(lex).get(clean) : undefined
  if (slip !== undefined) return slip.split(' ')
  return [single]
}

/** the word with one letter left out, at each place */
export function deletions(w: string): string[] {
  const out: string[] = []
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1))
  return out
}

const SLIPS = new WeakMap<Lexicon, ReadonlyMap<string, string>>()

/**
 * The gendered forms of 6 letters or more, each with a letter left out or two letters swapped, to
 * their canonical form; not a form two canonical forms share ("fremen": foremen or firemen), one
 * that is a lexicon word itself, or a real word (notSlips)
 */
export function genderedSlips(lex: Lexicon): ReadonlyMap<string, string> {
  let slips = SLIPS.get(lex)
  if (slips) return slips
  const out = new Map<string, string>()
  const shared = new Set<string>()
  for (const [key, canonical] of lex.gendered) {
    if (key.length < 6 || !/^[a-z]+$/.test(key)) continue
    const forms = new Set(deletions(key))
    for (let i = 0; i < key.length - 1; i++)
      forms.add(key.slice(0, i) + (key[i + 1] as string) + (key[i] as string) + key.slice(i + 2))
    for (const f of forms) {
      if (f === key) continue
      const had = out.get(f)
      if (had !== undefined && had !== canonical) shared.add(f)
      else out.set(f, canonical)
    }
  }
  for (const f of [...out.keys()])
    if (
      shared.has(f) ||
      lex.notSlips.has(f) ||
      lex.gendered.has(f) ||
      lex.variants.has(f) ||
      lex.abbreviations.has(f) ||
      lex.irregularPlurals.has(f)
    )
      out.delete(f)
  slips = out
  SLIPS.set(lex, slips)
  return slips
}

type RawToken = {
  word: string
  paren: boolean
  segment: number
  /** which parenthesis or dash segment the word is in (0: the main part) */
  group: number
  afterComma: boolean
  /** a piece of a word split at a hyphen ("x" of "x-ray"), not a word of its own */
  piece: boolean
}

/**
 * an employer's code for the job or the post: up to three letters and two digits or more ("A123",
 * "JC123", "#S25") or a number with a leading zero ("0042"), left out like a number ("K9", "CO2",
 * "401k" are words)
 */
const JOB_CODE = /^(?:[a-z]{1,3}\d{2,}|0\d+)$/

/** A raw token with some fields changed, every field written out (one object shape for the JIT). */
function withToken(t: RawToken, change: Partial<RawToken>): RawToken {
  return {
    word: change.word ?? t.word,
    paren: change.paren ?? t.paren,
    segment: change.segment ?? t.segment,
    group: change.group ?? t.group,
    afterComma: change.afterComma ?? t.afterComma,
    piece: change.piece ?? t.piece,
  }
}

/** a grade: a number or a roman numeral ("Cook II", "Driver 3") */
const GRADE = /^(?:\d+|[ivx]+)$/
/** a letter grade ("Laborer B"): a, the article, is a stop word already, and i and v are roman */
const LETTER_GRADE = /^[b-h]$/

const PHRASE_CACHE = new WeakMap<Lexicon, RegExp | null>()

function phraseRegex(lex: Lexicon): RegExp | null {
  let re = PHRASE_CACHE.get(lex)
  if (re === undefined) {
    const keys = [...lex.phrases.keys()].sort((a, b) => b.length - a.length)
    re = keys.length
      ? new RegExp(
          `(?<![a-z0-9])(${keys.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(s?)(?![a-z0-9])`,
          'g',
        )
      : null
    PHRASE_CACHE.set(lex, re)
  }
  return re
}

const MAX_TITLE_CHARS = 300
/** an amount of pay, or of hours, with its unit: "$15.50/hr", "$18 an hour", "$1000 Sign On", "40 hrs/wk", "20 hours per week" */
const PAY_OR_HOURS =
  /\$\s*\d[\d,]*(?:\.\d+)?(?:k\b)?(?:\s*(?:\/|per|an?)\s*(?:hour|hr|h|week|wk|year|yr|month|mo|day|shift)\b)?(?:\s*sign[- ]?on\b(?:\s*bonus\b)?)?|\b\d+(?:\.\d+)?\s*(?:hrs?|hours?)\b(?:\s*(?:\/|per|an?|a)\s*(?:week|wk|day|shift)\b)?|\b\d+(?:\.\d+)?\s*(?:\/|per)\s*(?:hour|hr)\b/g

/** a text's words, stop words aside */
function contentWords(text: string, lex: Lexicon): string[] {
  return text.split(/\s+/).filter((w) => w !== '' && !lex.stopWords.has(w))
}
/** "with" or "without" and what follows to the end of the title, if no bracket or dash */
const WITH_TAIL = /\s(?:with|without)\s+([^()[\]{}–—,/:]+)$/
/**
 * An employer's name: two words or more (stop words aside), the last one of the lexicon's
 * employerWords ("ABC Company", "Denali Lodge"; "Manager (Hotel)" is a hotel's manager)
 */
function employerName(text: string, lex: Lexicon): boolean {
  const words = contentWords(text, lex)
  return endsEmployerName(words.length, words[words.length - 1] ?? '', lex)
}
/** the test of employerName, on a count of words (stop words aside) and the last of them */
function endsEmployerName(count: number, last: string, lex: Lexicon): boolean {
  return count >= 2 && lex.employerWords.has(last)
}
/** "for" or "with" and what follows to the end of the title, if no bracket or dash */
const EMPLOYER_TAIL = /\s(?:for|with)\s+([^()[\]{}–—,/:]+)$/
/** words all of a job posting, of when or where, or of status ("Housing Provided", "Experience") */
function perk(text: string, lex: Lexicon): boolean {
  if (/\s-\s/.test(text)) return false
  const words = contentWords(text, lex)
  return words.length > 0 && words.every((w) => listedQualifier(w, lex))
}
/** a word of 3+ letters with a grade of 1-2 digits written onto it ("cook2") */
const GLUED_GRADE = /(?<![a-z0-9])([a-z]{3,})(\d{1,2})(?![a-z0-9])/g
/** " at " or "@" before where the job is ("Cook at Denali Lodge"), but not "at law", "at arms", "at home" */
const AT_PLACE = /\s*@\s*|(?<=[a-z)]) at (?!law\b|arms\b|home\b)(?=[a-z0-9])/g

/** the word or sign before a number that only says it is one: "No. 2", "ID#123", "Nbr 4", "x2" */
const NUMBER_MARK = /(?<![a-z0-9])(?:no|nbr|num|id|x)\s*[.#:]?\s*#?\s*(?=\d)/g

/** Split folded text into raw words, marking parentheses, dash segments and comma inversion. */
function rawTokens(folded: string): RawToken[] {
  const out: RawToken[] = []
  let paren = 0
  let segment = 0
  let group = 0
  let afterComma = false
  // separators: " - ", "--", "-" between spaces or at a word end ("HELPER- CARPENTER"), ":", ";"
  const re = /(\()|(\))|(\s-+\s*|-{2,}|\s*-+\s|[:;|])|(,)|([a-z0-9][a-z0-9'&+.-]*)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(folded)) !== null) {
    if (m[1]) {
      if (paren === 0) group++
      paren++
    } else if (m[2]) {
      paren = Math.max(0, paren - 1)
      // the words after a parenthesis are in the segment's group again
      if (paren === 0) group++
    } else if (m[3]) {
      if (paren === 0) {
        segment++
        group++
      }
    } else if (m[4]) {
      if (paren === 0 && segment === 0) afterComma = true
    } else if (m[5]) {
      const w = m[5].replace(/^[-.&+']+|[-.&+']+$/g, '')
      if (w) out.push({ word: w, paren: paren > 0, segment, group, afterComma, piece: false })
    }
  }
  return out
}

/**
 * Normalise one title. Deterministic; never throws; the same function builds the index and reads
 * queries, so both sides agree. levelOnly: a level noun (lexicon levelNouns) read as a level word
 * even where it would be the head ("Production Engineer Lead": the coder decides, from the index).
 */
export function normalizeTitle(
  text: string,
  lex: Lexicon,
  levelOnly: string | null = null,
): NormalizedTitle {
  if (typeof text !== 'string' || text.length === 0) return EMPTY
  let folded = foldText(
    text.length > MAX_TITLE_CHARS * 4 ? text.slice(0, MAX_TITLE_CHARS * 4) : text,
    lex,
  )
  if (folded.length > MAX_TITLE_CHARS) folded = folded.slice(0, MAX_TITLE_CHARS)
  folded = folded.replace(/\s+/g, ' ').trim()
  // a form's label before the title ("Job Title: Cook", "Position - Cook"), and parentheses around
  // the whole title ("(Cook)"): the title is what they hold
  folded = folded.replace(FORM_LABEL, '')
  // words in asterisks ("*NEW* Cook", "Cook **URGENT**") are a posting's aside, as in parentheses
  if (folded.includes('*'))
    folded = folded.replace(/\*+([^*()]*[a-z0-9][^*()]*)\*+/g, '($1)').trim()
  // (and an opening one that nothing closes: "(Cook")
  if (folded.startsWith('(')) folded = unwrapParentheses(folded)
  // pay and hours ("$15/hr", "40 hrs/wk") say nothing of the work, and their slash is no second job
  // and "No. 2", "ID#123", "(x2)" are numbers (a grade, a count, an employer's code), not words
  if (/\d/.test(folded))
    folded = folded
      .replace(PAY_OR_HOURS, ' ')
      .replace(NUMBER_MARK, '')
      // a grade written onto its word ("Cook2", "Clerk3"): no official title has one
      .replace(GLUED_GRADE, '$1 $2')
  // where the job is, or for whom ("Cook at Denali Lodge", "Cook @ Lodge"): the rest of the title is
  // a segment of its own, as after a dash ("Attorney at Law" and "Sergeant at Arms" are titles)
  if (folded.includes(' at ') || folded.includes('@')) folded = folded.replace(AT_PLACE, ' - ')
  // "w/" is "with", "w/o" "without": no slash joining two jobs
  if (folded.includes('w/'))
    folded = folded.replace(/(?<![a-z0-9])w\/(o(?![a-z0-9]))?\s*/g, (_, o) =>
      o ? 'without ' : 'with ',
    )
  const re = phraseRegex(lex)
  // (a plural s stays on the phrase's word: "life guards" -> "lifeguards")
  if (re) folded = folded.replace(re, (_, p: string, s: string) => (lex.phrases.get(p) ?? p) + s)
  // "Cook for ABC Company", "Cook with Denali Lodge": the employer's name, no part of the job
  if (folded.includes(' for ') || folded.includes(' with '))
    folded = folded.replace(EMPLOYER_TAIL, (m, tail: string) => (employerName(tail, lex) ? '' : m))
  // "Cook w/ Housing", "Cook with Experience Required": what comes with the job, not the job; a
  // tail of posting, qualifier and status words is left out
  if (folded.includes('with'))
    folded = folded.replace(WITH_TAIL, (m, tail: string) => (perk(tail, lex) ? '' : m))
  // "Server + Tips", "Bartender plus tips": what the job pays on top, not the job
  if (folded.includes('tips')) folded = folded.replace(/\s*(?:\+|\bplus\b)\s*tips\b/g, ' ')
  // "Janitors and Cleaners, Except Maids ...": what an official title excludes is not part of it
  folded = folded.replace(/,?\s*\bexcept\b.*$/, '').replace(/,?\s*\ball other\b/g, '')
  // the same clauses cut short by a field's length ("Religious Workers, All Ot" read "ot" as
  // occupational therapist)
  if (folded.includes(','))
    folded = folded.replace(/,\s*(?:all\s+o(?:t(?:h(?:e)?)?)?|all|exc(?:e(?:p(?:t)?)?)?)$/, '')
  const whole = normalizeFolded(folded, lex, levelOnly)
  const pieces = splitJobs(folded)
    .map((p) => p.trim())
    .filter((p) => /[a-z]/.test(p))
  if (pieces.length < 2) return whole
  const parts = pieces
    .slice(0, 4)
    .map((p) => normalizeFolded(p, lex, levelOnly))
    // a part of grades or level words alone is no job: "Clerk I/II" is one clerk
    .filter((p) => p.roles.some((r) => r !== 'level'))
  // (every field written out, in one order: one object shape for the JIT)
  return {
    tokens: whole.tokens,
    roles: whole.roles,
    heads: whole.heads,
    parts: parts.length > 1 ? completeParts(parts) : NO_PARTS,
    dropped: whole.dropped,
  }
}

/**
 * A title all in parentheses, its own inside too ("(CNC (Computer Numerically Controlled)
 * Machinist)"), without them; and one that opens a parenthesis nothing closes ("(Cook")
 */
function unwrapParentheses(text: string): string {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '(') depth++
    else if (c === ')') {
      depth--
      // the first parenthesis closes before the end: not around the whole title
      if (depth === 0) return i === text.length - 1 ? text.slice(1, -1) : text
    }
  }
  return depth === 1 && !text.includes(')') ? text.slice(1) : text
}

const JOB_SEPARATOR = /\s*\/\s*|\s+or\s+|\s*;\s*/g

/**
 * The jobs a title joins with "/", "or" or ";", split where no parenthesis is open: "Welder
 * (Field/Remote)" is one job, and "Cook (Day or Night)" too.
 */
function splitJobs(folded: string): string[] {
  if (!folded.includes('(')) return folded.split(JOB_SEPARATOR)
  const out: string[] = []
  let from = 0
  for (const m of folded.matchAll(JOB_SEPARATOR)) {
    const at = m.index as number
    let depth = 0
    for (let i = 0; i < at; i++) {
      const ch = folded[i]
      if (ch === '(') depth++
      else if (ch === ')' && depth > 0) depth--
    }
    if (depth > 0) continue
    out.push(folded.slice(from, at))
    from = at + m[0].length
  }
  out.push(folded.slice(from))
  return out
}

/**
 * "Cannery Laborer/Material Mover": each part is a job. A part that is a bare modifier
 * ("Meat/Seafood Counter Clerk") stands in for the first word of the last part.
 */
function completeParts(parts: NormalizedTitle[]): NormalizedTitle[] {
  return parts.map((p, i) => {
    const next = parts[parts.length - 1] as NormalizedTitle
    // only when the last part has a modifier and a head ("Laundry Supervisor"), not "Cook/Dishwasher"
    if (p.tokens.length === 1 && i < parts.length - 1 && next.tokens.length > 1) {
      const heads = next.heads.filter((h) => !p.tokens.includes(h))
      if (heads.length && !p.heads.some((h) => next.heads.includes(h))) {
        // it stands in for the last part's first word: "Meat/Seafood Counter Clerk" has a
        // "Meat Counter Clerk"
        const tail = next.tokens.slice(1)
        return {
          tokens: [...p.tokens, ...tail],
          roles: [...p.roles, ...next.roles.slice(1)],
          heads,
          parts: p.parts,
          dropped: p.dropped,
        }
      }
    }
    return p
  })
}

/**
 * The parentheses and dash segments (by group) that say only when or where the job is done or
 * which posting it is, left out: their words (stop words aside) are each one of the lexicon's
 * qualifierWords or postingWords, a number, a status word or a place, and they are two or more
 * ("Cook (Day/Night)", "Guide (Summer 2025)", "Clerk - Req 1234") or one that is no word of when or
 * where ("Cook (New)", "Cook - Urgent"). A single one of those stays, for it may name the job
 * ("Auditor - Night" is a night auditor).
 */
const NO_GROUPS: ReadonlySet<number> = new Set()

/** status words and places say nothing of the work: left out wherever they stand */
function leftOut(w: string, lex: Lexicon): boolean {
  return lex.statusWords.has(w) || lex.placeNames.has(w)
}

/** a word of the lexicon's that says only when or where, which posting, or a status or place */
function listedQualifier(w: string, lex: Lexicon): boolean {
  return lex.qualifierWords.has(w) || lex.postingWords.has(w) || leftOut(w, lex)
}

/**
 * a word that says only when or where the job is done, which posting, or a grade: kept in the
 * main part
 */
function qualifier(w: string, lex: Lexicon): boolean {
  return listedQualifier(w, lex) || GRADE.test(w) || JOB_CODE.test(w)
}

/** a raw token's words for the tests above: a listed word whole ("part-time"), else its pieces */
function pieces(word: string, lex: Lexicon): readonly string[] {
  return listedQualifier(word, lex) ? [word] : word.split(/[-/]+/)
}

function qualifyingGroups(raw: readonly RawToken[], lex: Lexicon): ReadonlySet<number> {
  // (most titles have no parenthesis or dash segment)
  if (!raw.some((t) => t.group !== 0 && (t.paren || t.segment > 0))) return NO_GROUPS
  const count = new Map<number, number>()
  // groups with a word of when or where (one alone may name the job), and with a word of the work
  const when = new Set<number>()
  const other = new Set<number>()
  // each group's last word and how many: is it an employer's name (employerName)?
  const last = new Map<number, string>()
  const size = new Map<number, number>()
  for (const t of raw) {
    if (!(t.paren || t.segment > 0)) continue
    for (const w of pieces(t.word, lex)) {
      if (w === '' || lex.stopWords.has(w)) continue
      last.set(t.group, w)
      size.set(t.group, (size.get(t.group) ?? 0) + 1)
      if (qualifier(w, lex)) {
        count.set(t.group, (count.get(t.group) ?? 0) + 1)
        // (a roman numeral alone may be an acronym: "Nurse (IV)")
        if (lex.qualifierWords.has(w) || /^[ivx]+$/.test(w)) when.add(t.group)
      } else other.add(t.group)
    }
  }
  const out = new Set<number>()
  for (const [g, n] of count) if (!other.has(g) && (n >= 2 || !when.has(g))) out.add(g)
  for (const [g, w] of last) if (endsEmployerName(size.get(g) as number, w, lex)) out.add(g)
  return out
}

/**
 * "NEW - Cook", "URGENT: Cook", "Now Hiring: Cook": a main part of posting words (and status words)
 * before a dash or colon that a word of the work follows is the posting's, and the title is what
 * follows: the main part becomes a parenthesis of its own (left out by the rule above), and the
 * next segment the main part.
 */
function postingFirst(raw: RawToken[], lex: Lexicon): RawToken[] {
  // (segments only grow: a title without a dash ends in segment 0)
  if (raw.length === 0 || (raw[raw.length - 1] as RawToken).segment === 0) return raw
  let posting = false
  let work = false
  for (const t of raw) {
    if (t.paren) continue
    for (const w of pieces(t.word, lex)) {
      if (w === '' || lex.stopWords.has(w)) continue
      if (t.segment === 0) {
        if (lex.postingWords.has(w)) posting = true
        else if (!leftOut(w, lex)) return raw
      } else if (t.segment === 1 && !qualifier(w, lex)) work = true
    }
  }
  if (!posting || !work) return raw
  return raw.map((t) =>
    t.segment === 0 && !t.paren
      ? withToken(t, { paren: true, group: -2 })
      : withToken(t, { segment: t.segment - 1 }),
  )
}

/**
 * "Store 123 - Cashier", "Dept 45 - Stocker": a main part of one word and a number of two digits or
 * more, before a dash, names a place of the employer's, and the title follows: the two swap, and
 * the number goes ("Cook 2 - Night" is a graded cook).
 */
function placeFirst(raw: RawToken[], lex: Lexicon): RawToken[] {
  // (segments only grow: a title without a dash ends in segment 0)
  if (raw.length === 0 || (raw[raw.length - 1] as RawToken).segment === 0) return raw
  let words = 0
  let next = false
  let last = ''
  for (const t of raw) {
    // the part after the dash names a job, not only when or where
    if (t.segment === 1 && !t.paren && !lex.stopWords.has(t.word)) next ||= !qualifier(t.word, lex)
    if (t.segment !== 0 || t.paren) continue
    last = t.word
    if (!/^\d+$/.test(t.word) && !lex.statusWords.has(t.word) && !lex.stopWords.has(t.word)) words++
  }
  // the number ends the main part ("911 Dispatcher - Nights" is a dispatcher)
  if (!/^\d{2,}$/.test(last) || words > 1 || !next) return raw
  return raw.flatMap((t) => {
    if (t.segment === 0)
      return /^\d+$/.test(t.word) ? [] : [withToken(t, { paren: true, group: -1 })]
    return t.segment === 1 ? [withToken(t, { segment: 0 })] : [t]
  })
}

function normalizeFolded(folded: string, lex: Lexicon, levelOnly: string | null): NormalizedTitle {
  const raw = postingFirst(placeFirst(rawTokens(folded), lex), lex)
  const tokens: string[] = []
  const roles: TokenRole[] = []
  const dropped: string[] = []
  // positions in the main part (segment 0, outside parentheses), for the head noun
  const main: MainWord[] = []
  const seen = new Map<string, number>()
  const add = (w: string, role: TokenRole) => {
    const at = seen.get(w)
    if (at === undefined) {
      seen.set(w, tokens.length)
      tokens.push(w)
      roles.push(role)
    } else if (ROLE_WEIGHT[role] > ROLE_WEIGHT[roles[at] as TokenRole]) roles[at] = role
  }
  // status words and places say nothing of the work: left out; and outside the main part, when or
  // where the job is done, or which posting it is, and numbers ("Cook (Summer 2025)")
  const qualifiers = qualifyingGroups(raw, lex)
  const qualifies = (t: RawToken) => qualifiers.has(t.group)
  const known = (w: string) =>
    leftOut(w, lex) ||
    lex.levelWords.has(w) ||
    lex.abbreviations.has(w) ||
    lex.gendered.has(w) ||
    lex.variants.has(w)
  const expanded: RawToken[] = []
  // a grade after the last word of its segment ("Cook 2", "Clerk III") says nothing of the
  // occupation: left out, unless the title is nothing else ("II"). One before a word stays, as a
  // level word: it may be part of the name ("911 Dispatcher", "21 Dealer", "Section 8 Coordinator")
  let grades: RawToken[] = []
  const addGrade = (g: RawToken) => {
    // (a letter before a word is a word, as it was: "Class B Driver")
    add(g.word, LETTER_GRADE.test(g.word) ? 'word' : 'level')
    if (g.segment === 0) main.push({ word: g.word, stop: false, afterComma: g.afterComma })
  }
  for (const t of raw) {
    // "part-time" stays whole when the lexicon knows it; "cook-in-training" and "f&b" else split
    if (/[-&+]/.test(t.word) && !known(t.word)) {
      const pieces = t.word.split(/[-&+]+/).filter((p) => p !== '')
      // a range of grades ("Clerk 1-3") is grades, not a hyphenated name ("X-Ray")
      const range = pieces.every((p) => GRADE.test(p))
      for (const piece of pieces) expanded.push(withToken(t, { word: piece, piece: !range }))
    } else expanded.push(t)
  }
  // "Assistant to the Director": whom the job serves qualifies it, as a parenthesis does (only
  // after a noun that serves someone: "Back to School Coordinator" is a coordinator)
  let afterTo = false
  for (const t of expanded) {
    const w = t.word
    if (lex.stopWords.has(w)) {
      if (t.segment === 0 && !t.paren) {
        const before = main[main.length - 1]
        const serves =
          w === 'to' &&
          !t.piece &&
          before !== undefined &&
          !before.stop &&
          lex.servingNouns.has(before.word)
        if (serves) afterTo = true
        main.push({ word: w, stop: true, afterComma: t.afterComma, serves })
      }
      continue
    }
    if (leftOut(w, lex) || qualifies(t) || JOB_CODE.test(w)) {
      dropped.push(w)
      continue
    }
    for (const c of canonicalWords(w, lex)) {
      if (lex.stopWords.has(c)) continue
      if (leftOut(c, lex)) {
        dropped.push(c)
        continue
      }
      // numbers ("Cook 2", "Driver 10") are grades, not occupations; a level word is one in a
      // parenthesis too ("Cook (Senior)")
      const level = lex.levelWords.has(c) || /^\d+$/.test(c)
      const role: TokenRole = t.paren
        ? level && !GRADE.test(c)
          ? 'level'
          : 'paren'
        : afterTo && t.segment === 0
          ? 'paren'
          : level
            ? 'level'
            : 'word'
      // (and a single letter after the last word of its segment: "Laborer B", "Clerk - Grade C")
      if (
        !t.piece &&
        ((role === 'level' && GRADE.test(c)) || (role === 'word' && LETTER_GRADE.test(c)))
      ) {
        grades.push(withToken(t, { word: c }))
        continue
      }
      if (role === 'word' && grades.length > 0) {
        // the grades before this word, in its segment, are not after the last word
        for (const g of grades) if (g.segment === t.segment) addGrade(g)
        grades = grades.filter((g) => g.segment !== t.segment)
      }
      add(c, role)
      if (t.segment === 0 && !t.paren) main.push({ word: c, stop: false, afterComma: t.afterComma })
    }
  }
  if (tokens.length > 0) for (const g of grades) dropped.push(g.word)
  else for (const g of grades) addGrade(g)
  if (tokens.length === 0)
    return {
      tokens: EMPTY.tokens,
      roles: EMPTY.roles,
      heads: EMPTY.heads,
      parts: NO_PARTS,
      dropped,
    }
  const { heads, noun } = findHeads(main, tokens, roles, lex, levelOnly)
  // a level word that is the occupation's noun here ("Assistant Principal") is a plain word
  if (noun !== null) roles[tokens.indexOf(noun)] = 'word'
  // a head in a non-agent form ("Farm Labor", "Housekeeping") also stands for its agent noun
  for (const h of [...heads]) {
    const form = lex.headForms.get(h)
    if (form === undefined) continue
    const ws = form.split(' ')
    for (const x of ws) add(x, 'word')
    const agent = ws[ws.length - 1] as string
    if (!heads.includes(agent)) heads.push(agent)
  }
  return { tokens, roles, heads, parts: NO_PARTS, dropped }
}

/** a word of the main part (segment 0, outside parentheses), as findHeads reads it */
type MainWord = {
  word: string
  stop: boolean
  afterComma: boolean
  /** a "to" after a noun that serves someone ("Assistant to the CEO") */
  serves?: boolean
}

/** the words whose preceding word is the head: "Director of Nursing", "Cook with Experience" */
const HEAD_BEFORE: ReadonlySet<string> = new Set(['of', 'for', 'in', 'with', 'without'])

function findHeads(
  main: readonly MainWord[],
  tokens: readonly string[],
  roles: readonly TokenRole[],
  lex: Lexicon,
  levelOnly: string | null,
): {
  heads: string[]
  /** a level word that is the occupation's noun here (see levelNouns), or null */
  noun: string | null
} {
  const heads: string[] = []
  const push = (w: string | undefined) => {
    if (w !== undefined && !heads.includes(w)) heads.push(w)
  }
  const words = main.filter((m) => !m.stop)
  if (words.length === 0) {
    // everything is in a parenthesis or after a dash: the last plain token
    const idx = roles.lastIndexOf('word')
    push(tokens[idx >= 0 ? idx : tokens.length - 1])
    return { heads, noun: null }
  }
  // a level word that is also an occupation's noun, last after a plain word, is the occupation
  const last = words[words.length - 1] as (typeof words)[number]
  const noun =
    lex.levelNouns.has(last.word) &&
    last.word !== levelOnly &&
    words.some((m) => m !== last && !lex.levelWords.has(m.word))
      ? last.word
      : null
  // "Director of Nursing", "Assistant to the Director", "Cook with Experience": the word before
  // the first "of", "for", "in", "with", "without" or the "to" after a serving noun
  const ofAt = main.findIndex((m) => m.stop && (HEAD_BEFORE.has(m.word) || m.serves === true))
  if (ofAt > 0) {
    const before = main[ofAt - 1] as { word: string; stop: boolean }
    if (!before.stop) push(before.word)
  }
  // the last word of the main part that is not a level word (else the last word)
  const lastPlain = [...words].reverse().find((m) => m.word === noun || !lex.levelWords.has(m.word))
  if (ofAt <= 0 || heads.length === 0) push((lastPlain ?? words[words.length - 1])?.word)
  // "Manager, Sales": a one-word part before the comma is the head, and the only one: what follows
  // the comma qualifies it ("Consultant, Security" is a security consultant: with "security" a
  // head too, it read as "security guard"), as "Cook, Lead" is a lead cook. Not in a list
  // ("Installation, Maintenance, and Repair Workers"), where it is one head more
  const beforeComma = words.filter((m) => !m.afterComma)
  if (beforeComma.length === 1 && words.length > 1) {
    const head = (beforeComma[0] as MainWord).word
    if (!main.some((m) => m.stop && m.afterComma && (m.word === 'and' || m.word === '&')))
      return { heads: [head], noun: null }
    push(head)
  }
  // a leading "Helper", "Supervisor" ... is the head, and what follows says whose ("Helper Electrician")
  const first = words[0]?.word
  if (first !== undefined && lex.headFirst.has(first) && words.length > 1 && ofAt < 0)
    return { heads: [first], noun }
  if (first !== undefined && lex.headFirst.has(first)) push(first)
  return { heads, noun }
}
