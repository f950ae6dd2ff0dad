/**
 * The coder's compiled index (build/data/coder.json): every official title normalised once at build
 * time into token ids, with the employment priors, the NAICS titles and the Alaska extension rules.
 * Pure: `soc data build` calls buildCoderIndexData and writes the result; createCoder reads it.
 */

import type { Calibration } from './calibrate.ts'
import type { Lexicon, NormalizedTitle } from './normalize.ts'
import { normalizeTitle, ROLE_WEIGHT } from './normalize.ts'

export const CODER_INDEX_FORMAT = 7

/** Where a title comes from, in order of authority (the multiplier a match from it gets). */
export const SOURCE_AUTHORITY: Readonly<Record<string, number>> = {
  soc: 1,
  dmtf: 1,
  alaska: 1,
  'state-example': 1,
  'dmtf-example': 0.97,
  'onet-alternate-multi': 0.96,
  'onet-alternate': 0.94,
  'onet-short': 0.92,
  'onet-reported-featured': 1,
  'onet-reported': 0.97,
}

/** The sources of an occupation's official names: SOC titles, direct-match titles, the state's. */
export const OFFICIAL_SOURCES: readonly string[] = ['soc', 'dmtf', 'alaska', 'state-example']

/**
 * How a result's top title matches the query: `official`, exactly the query's words and an official
 * name (SOC, direct-match, the state's); `exact`, exactly its words from another source; `partial`.
 */
export type MatchKind = 'official' | 'exact' | 'partial'

/**
 * The calibration over all held-out titles, with a curve for results whose top title has exactly
 * the query's words (right more often at the same raw probability) and one for those whose top title
 * is also an official name (right more often still: a direct-match title codes to one occupation).
 */
export type CoderCalibration = Calibration & {
  readonly exact?: Calibration
  readonly official?: Calibration
  /** for the likely broad and minor group: its summed raw probability against its being right */
  readonly broad?: Calibration
  readonly minor?: Calibration
  /** how the held-out official titles the curves are fitted on were ranked (shares of them) */
  readonly heldOut?: HeldOutAccuracy
}

/**
 * The coder's accuracy on official titles it has not indexed (every 7th O*NET alternate or reported
 * title and direct-match title, ranked by an index without them): a measure of how it generalises
 * that needs no employer titles.
 */
export type HeldOutAccuracy = {
  readonly titles: number
  /** the top code is the title's own */
  readonly top1: number
  /** the top code is one of the codes that list the title (a title may be listed under several) */
  readonly top1Listed: number
  /** the title's own code is among the first five */
  readonly top5: number
  /** the top code is in the own code's major group */
  readonly major: number
}

/** An Alaska extension the coder prefers over its parent where the state says to use it. */
export type ExtensionRule = {
  readonly code: string
  readonly parent: string
  /** NAICS prefixes of the industries where the extension applies */
  readonly naics: readonly string[]
  /** words in a title or duties that say the extension applies */
  readonly keywords: readonly string[]
  /**
   * codes the extension goes before when a keyword is in the title and it is among the first five
   * (an owner who is also the chief executive: the state's small-business owner, 11-1021.51)
   */
  readonly over?: readonly string[]
}

/**
 * SOC's first-line supervisors by the workers they supervise: a code prefix of the workers (a major,
 * minor or broad group, or a code) and the supervisors' code; the longest prefix applies
 */
export type SupervisorRule = { readonly workers: string; readonly supervisor: string }

export type CoderInput = {
  /** [title, code, source name] */
  readonly titles: readonly (readonly [string, string, string])[]
  /** official title of each code the coder may return (detailed codes and current extensions) */
  readonly codeTitles: Readonly<Record<string, string>>
  readonly national: Readonly<Record<string, number>>
  readonly sectors: Readonly<
    Record<
      string,
      {
        readonly title: string
        readonly total: number
        readonly codes: Readonly<Record<string, number>>
      }
    >
  >
  readonly naicsTitles: Readonly<Record<string, string>>
  readonly extensions: readonly ExtensionRule[]
  readonly supervisors?: readonly SupervisorRule[]
  /** each returnable code's broad and minor group (from the taxonomy, not from code prefixes) */
  readonly groups: Readonly<Record<string, { readonly broad: string; readonly minor: string }>>
  /** titles of the broad and minor groups */
  readonly groupTitles: Readonly<Record<string, string>>
  /** the lexicon's JSON, kept in the index so a query is normalised exactly as the titles were */
  readonly lexicon: unknown
  /** each returnable code's definition (BLS; for an extension the state's description) */
  readonly definitions?: Readonly<Record<string, string>>
  /** titles to leave out (for fitting calibration on held-out titles) */
  readonly exclude?: (index: number) => boolean
}

/** A numeric column of the index: a plain array as built, a typed array as loaded from coder.bin. */
export type Nums = readonly number[] | Int32Array | Float64Array

export type CoderIndexData = {
  readonly format: number
  readonly lexicon: unknown
  readonly codes: readonly string[]
  readonly codeTitles: readonly string[]
  /** national employment per code (parallel to codes); 0 when unknown */
  readonly employment: Nums
  /** sector -> [code index, employment] pairs flattened, and the sector total */
  readonly sectors: Readonly<
    Record<
      string,
      { readonly title: string; readonly total: number; readonly pairs: readonly number[] }
    >
  >
  readonly naicsTitles: Readonly<Record<string, string>>
  readonly extensions: readonly ExtensionRule[]
  readonly supervisors?: readonly SupervisorRule[]
  /** per code: its broad and minor group codes */
  readonly codeBroad: readonly string[]
  readonly codeMinor: readonly string[]
  readonly groupTitles: Readonly<Record<string, string>>
  readonly sources: readonly string[]
  readonly vocab: readonly string[]
  /** inverse document frequency of each vocab word, counted over codes */
  readonly idf: Nums
  /** per title: display text, code index, source index */
  readonly titleText: readonly string[]
  readonly titleCode: Nums
  readonly titleSource: Nums
  /** per title, its tokens as vocab ids (offsets into tokenIds), role weights x100, and head ids */
  readonly tokenOffsets: Nums
  readonly tokenIds: Nums
  readonly tokenRoles: Nums
  readonly headOffsets: Nums
  readonly headIds: Nums
  /** per code, the title words its definition uses (offsets into defIds), and per word its idf
   * over the definitions */
  readonly defOffsets: Nums
  readonly defIds: Nums
  readonly defIdf: Nums
  /**
   * each code's word model: per word, the codes whose titles use it (offsets into wordCodeIds) and
   * how many times; per code, how many words its titles have in all
   */
  readonly wordCodeOffsets: Nums
  readonly wordCodeIds: Nums
  readonly wordCodeUses: Nums
  readonly codeWordTotals: Nums
  /**
   * Known rankings: each official title's ranking as a plain query (no industry, no duties) is
   * worked out at build time. knownKeys are the normalised titles (one a line, as the coder keys
   * them); per key, its candidates (offsets into knownCodes, knownTitles and knownTotals, best first)
   * and how its top title matches (0 partial, 1 exact, 2 official). Empty in an index not yet
   * compiled (and in the calibration's probe).
   */
  readonly knownKeys: string
  /**
   * where each key starts in knownKeys (and one past the last key's end, as if a line break
   * followed it), and an open-addressing table of the keys by hashText (index + 1 per slot, 0 for
   * none; a power of two at least twice their number, probed linearly)
   */
  readonly knownKeyStarts: Nums
  readonly knownKeyTable: Nums
  readonly knownOffsets: Nums
  readonly knownCodes: Nums
  readonly knownTitles: Nums
  readonly knownTotals: Nums
  readonly knownMatch: Nums
  /** isotonic calibration: raw-probability knots and the observed accuracy at each */
  readonly calibration: CoderCalibration | null
  /**
   * Lookups the coder works out from the rest, compiled by the build so that a process need not
   * (empty otherwise, and then worked out on first use): per word, how many workers' titles use it
   * (each code's employment shared among its titles) and the share of the titles using it that it
   * heads; the vocabulary's order as sorted strings; and every one-letter deletion of each word of
   * 4+ letters a-z by hashText, sorted by hash then word, with the word it comes from.
   */
  readonly wordUse: Nums
  readonly headShare: Nums
  readonly vocabOrder: Nums
  readonly deletionHashes: Nums
  readonly deletionIds: Nums
}

export function buildCoderIndexData(input: CoderInput, lex: Lexicon): CoderIndexData {
  const codes = Object.keys(input.codeTitles).sort()
  const codeIndex = new Map(codes.map((c, i) => [c, i]))
  const sources = Object.keys(SOURCE_AUTHORITY)
  const sourceIndex = new Map(sources.map((s, i) => [s, i]))
  const vocab: string[] = []
  const vocabIndex = new Map<string, number>()
  const id = (w: string) => {
    let v = vocabIndex.get(w)
    if (v === undefined) {
      v = vocab.length
      vocab.push(w)
      vocabIndex.set(w, v)
    }
    return v
  }
  const titleText: string[] = []
  const titleCode: number[] = []
  const titleSource: number[] = []
  const tokenOffsets: number[] = [0]
  const tokenIds: number[] = []
  const tokenRoles: number[] = []
  const headOffsets: number[] = [0]
  const headIds: number[] = []
  // one record per (normalised title, code): the most authoritative source wins
  const best = new Map<string, number>()
  const norms: NormalizedTitle[] = []
  input.titles.forEach(([text, code, source], i) => {
    if (input.exclude?.(i)) return
    const c = codeIndex.get(code)
    const s = sourceIndex.get(source)
    if (c === undefined || s === undefined) return
    for (const form of titleForms(text, lex)) add(form, text, c, s, source)
  })
  function add(n: NormalizedTitle, text: string, c: number, s: number, source: string): void {
    if (n.tokens.length === 0) return
    const key = `${[...n.tokens].sort().join(' ')}|${c}`
    const prev = best.get(key)
    if (prev !== undefined) {
      if (
        (SOURCE_AUTHORITY[source] ?? 0) >
        (SOURCE_AUTHORITY[sources[titleSource[prev] as number] as string] ?? 0)
      ) {
        titleText[prev] = text
        titleSource[prev] = s
      }
      return
    }
    best.set(key, titleText.length)
    titleText.push(text)
    titleCode.push(c)
    titleSource.push(s)
    norms.push(n)
  }
  for (const n of norms) {
    n.tokens.forEach((t, k) => {
      tokenIds.push(id(t))
      tokenRoles.push(Math.round(ROLE_WEIGHT[n.roles[k] ?? 'word'] * 100))
    })
    tokenOffsets.push(tokenIds.length)
    for (const h of n.heads) headIds.push(id(h))
    headOffsets.push(headIds.length)
  }
  // each code's word model: per word, the codes whose titles use it
  const words = wordCodeUses(vocab.length, codes.length, tokenIds, tokenOffsets, titleCode)
  const { wordCodeOffsets: wordStart } = words
  // idf over codes: a word in the titles of many occupations says little about which one
  const idf = vocab.map((_, v) =>
    round3(Math.log(1 + codes.length / ((wordStart[v + 1] as number) - (wordStart[v] as number)))),
  )
  // the words of each code's definition that titles also use (what a query word can resolve to)
  const defOffsets: number[] = [0]
  const defIds: number[] = []
  const defCount = new Int32Array(vocab.length)
  for (const c of codes) {
    const words = new Set<number>()
    for (const piece of definitionPieces(input.definitions?.[c] ?? '')) {
      for (const t of normalizeTitle(piece, lex).tokens) {
        const v = vocabIndex.get(t)
        if (v !== undefined) words.add(v)
      }
    }
    for (const v of words) {
      defIds.push(v)
      defCount[v] = (defCount[v] as number) + 1
    }
    defOffsets.push(defIds.length)
  }
  const defIdf = Array.from(defCount, (n) => round3(Math.log(1 + codes.length / (n + 1))))
  // an extension stands in for its parent: it carries the parent's employment as its prior
  const employment = codes.map((c) => input.national[c] ?? input.national[c.slice(0, 7)] ?? 0)
  const sectors: Record<string, { title: string; total: number; pairs: number[] }> = {}
  for (const [key, s] of Object.entries(input.sectors)) {
    const pairs: number[] = []
    for (const [code, emp] of Object.entries(s.codes)) {
      const c = codeIndex.get(code)
      if (c !== undefined && emp > 0) pairs.push(c, emp)
    }
    sectors[key] = { title: s.title, total: s.total, pairs }
  }
  return {
    format: CODER_INDEX_FORMAT,
    lexicon: input.lexicon,
    codes,
    codeTitles: codes.map((c) => input.codeTitles[c] as string),
    employment,
    sectors,
    naicsTitles: input.naicsTitles,
    extensions: input.extensions.filter((e) => codeIndex.has(e.code) && codeIndex.has(e.parent)),
    supervisors: (input.supervisors ?? []).filter((r) => codeIndex.has(r.supervisor)),
    codeBroad: codes.map((c) => input.groups[c]?.broad ?? ''),
    codeMinor: codes.map((c) => input.groups[c]?.minor ?? ''),
    groupTitles: input.groupTitles,
    sources,
    vocab,
    idf,
    titleText,
    titleCode,
    titleSource,
    tokenOffsets,
    tokenIds,
    tokenRoles,
    headOffsets,
    headIds,
    defOffsets,
    defIds,
    defIdf,
    ...words,
    ...NO_KNOWN_RANKINGS,
    calibration: null,
    ...NO_LOOKUPS,
  }
}

export type Lookups = Pick<
  CoderIndexData,
  'wordUse' | 'headShare' | 'vocabOrder' | 'deletionHashes' | 'deletionIds'
>

/** the lookups of an index that has them not compiled (the coder works them out on first use) */
export const NO_LOOKUPS: Lookups = {
  wordUse: [],
  headShare: [],
  vocabOrder: [],
  deletionHashes: [],
  deletionIds: [],
}

/** FNV-1a over a string's UTF-16 code units, as a 32-bit signed integer */
export function hashText(text: string): number {
  let h = 0x811c9dc5 | 0
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h
}

/** The keys' starts in their text joined by line breaks, and their open-addressing table. */
export function keyTable(keys: readonly string[]): { starts: number[]; table: Int32Array } {
  const starts = [0]
  for (const k of keys) starts.push((starts[starts.length - 1] as number) + k.length + 1)
  let size = 2
  while (size < keys.length * 2) size *= 2
  const table = new Int32Array(size)
  keys.forEach((k, i) => {
    let at = hashText(k) & (size - 1)
    while (table[at] !== 0) at = (at + 1) & (size - 1)
    table[at] = i + 1
  })
  return { starts, table }
}

/** the known rankings of an index that has none (yet) */
export const NO_KNOWN_RANKINGS: KnownRankings = {
  knownKeys: '',
  knownKeyStarts: [],
  knownKeyTable: [],
  knownOffsets: [0],
  knownCodes: [],
  knownTitles: [],
  knownTotals: [],
  knownMatch: [],
}

export type KnownRankings = Pick<
  CoderIndexData,
  | 'knownKeys'
  | 'knownKeyStarts'
  | 'knownKeyTable'
  | 'knownOffsets'
  | 'knownCodes'
  | 'knownTitles'
  | 'knownTotals'
  | 'knownMatch'
>

/** Per word, the codes whose titles use it and how many times; per code, its titles' words in all. */
function wordCodeUses(
  nVocab: number,
  nCodes: number,
  tokenIds: readonly number[],
  tokenOffsets: readonly number[],
  titleCode: readonly number[],
): Pick<CoderIndexData, 'wordCodeOffsets' | 'wordCodeIds' | 'wordCodeUses' | 'codeWordTotals'> {
  const uses = Array.from({ length: nVocab }, () => new Map<number, number>())
  const codeWordTotals = new Array<number>(nCodes).fill(0)
  titleCode.forEach((c, t) => {
    for (let k = tokenOffsets[t] as number; k < (tokenOffsets[t + 1] as number); k++) {
      const m = uses[tokenIds[k] as number] as Map<number, number>
      m.set(c, (m.get(c) ?? 0) + 1)
      codeWordTotals[c] = (codeWordTotals[c] as number) + 1
    }
  })
  const wordCodeOffsets = [0]
  const wordCodeIds: number[] = []
  const wordCodeUses: number[] = []
  for (const m of uses) {
    for (const [c, n] of [...m].sort((a, b) => a[0] - b[0])) {
      wordCodeIds.push(c)
      wordCodeUses.push(n)
    }
    wordCodeOffsets.push(wordCodeIds.length)
  }
  return { wordCodeOffsets, wordCodeIds, wordCodeUses, codeWordTotals }
}

/** words an acronym may skip ("Doctor of Veterinary Medicine (DVM)") */
const SMALL_WORDS = new Set(['and', 'of', 'the', 'for', 'in', 'on', 'to', '&'])

/**
 * How a title is indexed. "A (B)" where B only says A again, shorter or longer ("Heavy Equipment
 * Operator (HEO)", "Maintenance Technician (Maintenance Tech)"), is A, and an acronym B is also a title
 * of its own: a query for A is then an exact match, and a query for B still finds it. Any other
 * parenthesis ("Charter Pilot (Airline)") stays part of the title, weighing less.
 */
export function titleForms(text: string, lex: Lexicon): NormalizedTitle[] {
  const m = /^(.*[^\s(])\s*\(([^()]+)\)\s*$/.exec(text)
  if (!m) return [normalizeTitle(text, lex)]
  const a = m[1] as string
  const b = (m[2] as string).trim()
  const words = a.split(/[\s\-/]+/).filter(Boolean)
  const initials = (ws: string[]) => ws.map((w) => (w[0] as string).toUpperCase()).join('')
  const letters = b.replace(/[^A-Za-z]/g, '').toUpperCase()
  const acronym =
    /^[A-Z][A-Za-z&.\-/]{1,9}$/.test(b) &&
    b !== b.toLowerCase() &&
    (letters === initials(words) ||
      letters === initials(words.filter((w) => !SMALL_WORDS.has(w.toLowerCase()))))
  const main = normalizeTitle(a, lex)
  if (acronym) return [main, normalizeTitle(b, lex)]
  const mainWords = new Set(main.tokens)
  const alt = normalizeTitle(b, lex)
  const same =
    alt.tokens.length > 0 &&
    alt.tokens.every((w) => mainWords.has(w)) &&
    main.tokens.every((w) => alt.tokens.includes(w))
  return same ? [main] : [normalizeTitle(text, lex)]
}

/**
 * A definition as title-sized pieces: its clauses, without the sentences that name other
 * occupations ("Excludes ...") or say what the code is not.
 */
function definitionPieces(text: string): string[] {
  return text
    .split(/(?<=\.)\s+/)
    .filter((sentence) => !/^(excludes|not included)\b/i.test(sentence.trim()))
    .flatMap((sentence) => sentence.split(/[,;:.()]+/))
    .map((p) => p.replace(/\bexcept\b/gi, ' ').trim())
    .filter((p) => p.length > 0)
}

/** x to a thousandth */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}

/**
 * The index's numeric columns are kept as raw typed arrays in coder.bin beside coder.json: loading
 * then takes views of one buffer instead of parsing and copying some 1.5 million numbers.
 */
const BINARY_COLUMNS = [
  ['employment', 'f64'],
  ['idf', 'f64'],
  ['defIdf', 'f64'],
  ['titleCode', 'i32'],
  ['titleSource', 'i32'],
  ['tokenOffsets', 'i32'],
  ['tokenIds', 'i32'],
  ['tokenRoles', 'i32'],
  ['headOffsets', 'i32'],
  ['headIds', 'i32'],
  ['defOffsets', 'i32'],
  ['defIds', 'i32'],
  ['wordCodeOffsets', 'i32'],
  ['wordCodeIds', 'i32'],
  ['wordCodeUses', 'i32'],
  ['codeWordTotals', 'i32'],
  ['knownOffsets', 'i32'],
  ['knownCodes', 'i32'],
  ['knownTitles', 'i32'],
  ['knownTotals', 'f64'],
  ['knownMatch', 'i32'],
  ['knownKeyStarts', 'i32'],
  ['knownKeyTable', 'i32'],
  ['wordUse', 'f64'],
  ['headShare', 'f64'],
  ['vocabOrder', 'i32'],
  ['deletionHashes', 'i32'],
  ['deletionIds', 'i32'],
  // a long string, as UTF-8: cheaper to decode from here than to parse from coder.json
  ['knownKeys', 'text'],
] as const satisfies readonly (readonly [keyof CoderIndexData, ColumnKind])[]

type ColumnKind = 'f64' | 'i32' | 'text'
/** bytes per element of a column of this kind */
const BYTES: Readonly<Record<ColumnKind, number>> = { f64: 8, i32: 4, text: 1 }

type BinaryColumn = (typeof BINARY_COLUMNS)[number][0]

/** A column's n elements at a byte offset of a buffer, as its kind's typed array (text: its bytes). */
function columnView(
  kind: ColumnKind,
  buffer: ArrayBufferLike,
  offset: number,
  n: number,
): Float64Array | Int32Array | Uint8Array {
  if (kind === 'f64') return new Float64Array(buffer, offset, n)
  return kind === 'i32' ? new Int32Array(buffer, offset, n) : new Uint8Array(buffer, offset, n)
}

/** Where each column lies in coder.bin: [byte offset, element count]. */
export type BinaryLayout = Readonly<Record<BinaryColumn, readonly [number, number]>>

/** coder.json as written: the index without its numeric columns, and where they are in coder.bin. */
export type PackedCoderIndex = Omit<CoderIndexData, BinaryColumn> & {
  readonly binary: BinaryLayout & { readonly bytes: number }
}

/** Split the index into coder.json's value and coder.bin's bytes (native byte order, 8-aligned). */
export function packCoderIndex(data: CoderIndexData): {
  json: PackedCoderIndex
  bin: Uint8Array
} {
  const layout: Record<string, [number, number]> = {}
  const values = new Map<string, ArrayLike<number>>()
  let bytes = 0
  for (const [key, kind] of BINARY_COLUMNS) {
    const value = data[key]
    const v = typeof value === 'string' ? new TextEncoder().encode(value) : value
    values.set(key, v)
    layout[key] = [bytes, v.length]
    bytes += Math.ceil((v.length * BYTES[kind]) / 8) * 8
  }
  const buf = new ArrayBuffer(bytes)
  const rest: Record<string, unknown> = { ...data }
  for (const [key, kind] of BINARY_COLUMNS) {
    const [at, n] = layout[key] as [number, number]
    columnView(kind, buf, at, n).set(values.get(key) as ArrayLike<number>)
    delete rest[key]
  }
  return {
    json: {
      ...(rest as Omit<CoderIndexData, BinaryColumn>),
      binary: { ...layout, bytes } as never,
    },
    bin: new Uint8Array(buf),
  }
}

/**
 * The index from coder.json's value and coder.bin's bytes: typed-array views, no copies. Returns
 * what is wrong instead when the two do not fit together (a partial or foreign build).
 */
export function unpackCoderIndex(json: PackedCoderIndex, bin: Uint8Array): CoderIndexData | string {
  const layout = json.binary
  if (!layout || bin.byteLength !== layout.bytes)
    return `coder.bin has ${bin.byteLength} bytes, coder.json expects ${layout?.bytes ?? 'none'}`
  // views need aligned memory: a buffer that starts mid-way is copied once
  const aligned = bin.byteOffset % 8 === 0 ? bin : bin.slice()
  const out: Record<string, unknown> = { ...json }
  delete out.binary
  for (const [key, kind] of BINARY_COLUMNS) {
    const at = layout[key]?.[0]
    const n = layout[key]?.[1]
    if (
      typeof at !== 'number' ||
      typeof n !== 'number' ||
      at + n * BYTES[kind] > aligned.byteLength
    )
      return `coder.bin has no room for ${key}`
    const view = columnView(kind, aligned.buffer, aligned.byteOffset + at, n)
    out[key] = kind === 'text' ? new TextDecoder().decode(view) : view
  }
  return out as CoderIndexData
}
